import { beijingDay, decide, type CaseAction } from '@mashangjian/shared'
import type { Clock } from '../clock'
import type { Db } from '../db/database'
import type { AuditWriter } from '../audit/audit-log'
import type { CasesRepo, NewCase, NewEvent } from '../cases/cases-repo'
import type { NoticePlanner } from '../notifications/notice-plan'
import { writeTransition } from '../cases/case-transition'
import type { DeadlinesRepo } from './deadlines-repo'
import type { HandoffsRepo } from '../handoffs/handoffs-repo'
import { createHandoffSweep } from '../handoffs/handoff-sweep'

const HOUR = 3_600_000
/** Reminders go out this long before a deadline. */
export const ACCEPT_REMINDER_MS = 1 * HOUR
export const RESOLVE_REMINDER_MS = 24 * HOUR

type Picked = Awaited<ReturnType<DeadlinesRepo['acceptTimedOut']>>[number]

export interface SweepReport {
  acceptReminders: number
  escalated: number
  resolveReminders: number
  overdue: number
  autoClosed: number
  /** 交办: departments reminded before their reply deadline, and hand-offs newly marked overdue. */
  handoffReminders: number
  handoffOverdue: number
}

export interface DeadlineSweepDeps {
  db: Db
  repo: DeadlinesRepo
  cases: CasesRepo
  handoffs: HandoffsRepo
  audit: AuditWriter
  clock: Clock
  /** Reminders, escalations and digests are notices written with the change that causes them. */
  notices: NoticePlanner
  /** After commit: deliver them. */
  onNotices: () => void
}

type Notified = 'accept_reminder' | 'resolve_reminder' | 'escalated' | 'overdue'

/**
 * The deadline rules of DESIGN.md §5, run every minute by the job runner (and directly by tests, with a moved
 * clock): reminders before due, escalation to the station admin's queue on accept timeout (督办), overdue
 * marking, auto-close of resolved cases nobody rated. Idempotent: running it twice changes nothing more.
 */
export function createDeadlineSweep({ db, repo, cases, handoffs, audit, clock, notices, onNotices }: DeadlineSweepDeps) {
  const handoffSweep = createHandoffSweep({ db, repo: handoffs, cases, audit, notices })
  /** One system transition and its notice in their own transaction; skipped if the case changed since it was read. */
  async function transition(
    c: Picked,
    action: CaseAction,
    patch: Partial<NewCase>,
    event: Pick<NewEvent, 'visibility' | 'body' | 'data'>,
    notice?: Notified,
  ): Promise<boolean> {
    const d = decide({ status: c.status, action, role: 'system' })
    if (!d.ok) return false
    const now = clock.now()
    return db.transaction(async (tx) => {
      const done = await writeTransition(
        tx,
        { cases, audit },
        {
          caseId: c.id,
          version: c.version,
          patch: { ...patch, status: d.to, updatedAt: now },
          events: d.events.map((type) => ({ type, actorKind: 'system', ...event, fromStatus: c.status, toStatus: d.to, occurredAt: now, receivedAt: now })),
          audit: { actorUserId: null, action: `case.${action}`, targetKind: 'case', targetId: c.id, detail: { from: c.status, to: d.to } },
        },
      )
      if (done !== null && notice) {
        await notices.deadline(
          tx,
          { ...c, memberId: patch.memberId === null ? null : c.memberId, status: d.to },
          notice,
          `case:${c.id}:${notice}:v${c.version}`,
          now,
          c.memberId,
        )
      }
      return done !== null
    })
  }

  /** A reminder is not a state change: the mark that it was sent and the notice commit together. */
  async function remind(c: Picked, which: 'accept' | 'resolve', now: Date): Promise<boolean> {
    await db.transaction(async (tx) => {
      await repo.markReminded(tx, c.id, which, now)
      await notices.deadline(tx, c, `${which}_reminder`, `case:${c.id}:${which}_reminder:v${c.version}`, now)
    })
    return true
  }

  async function each(rows: Picked[], fn: (c: Picked) => Promise<boolean>): Promise<number> {
    let n = 0
    for (const c of rows) if (await fn(c)) n++
    return n
  }

  return {
    async run(): Promise<SweepReport> {
      const now = clock.now()
      const acceptReminders = await each(await repo.acceptDueSoon(now, new Date(now.getTime() + ACCEPT_REMINDER_MS)), (c) => remind(c, 'accept', now))
      const escalated = await each(await repo.acceptTimedOut(now), (c) =>
        transition(
          c,
          'escalate',
          { memberId: null, escalatedAt: now, returnedAt: now },
          { visibility: 'internal', body: '', data: { fromMemberId: c.memberId, reason: 'accept_timeout' } },
          'escalated',
        ),
      )
      const resolveReminders = await each(await repo.resolveDueSoon(now, new Date(now.getTime() + RESOLVE_REMINDER_MS)), (c) => remind(c, 'resolve', now))
      const overdue = await each(await repo.newlyOverdue(now), (c) =>
        transition(c, 'mark_overdue', { overdueAt: now }, { visibility: 'internal', body: '', data: {} }, 'overdue'),
      )
      const autoClosed = await each(await repo.unratedSince(now), (c) =>
        transition(c, 'auto_close', { closedAt: now, closeReason: 'no_rating' }, { visibility: 'public', body: '', data: { reason: 'no_rating' } }),
      )
      const { handoffReminders, handoffOverdue } = await handoffSweep.run(now)
      if (acceptReminders + escalated + resolveReminders + overdue + handoffReminders + handoffOverdue > 0) onNotices()
      return { acceptReminders, escalated, resolveReminders, overdue, autoClosed, handoffReminders, handoffOverdue }
    },

    /**
     * Morning summary: every member with open cases, and each committee's own work groups. Once per Beijing day:
     * a second run that day (a restart, two processes) writes nothing new.
     */
    async digest(): Promise<number> {
      const now = clock.now()
      const day = beijingDay(now)
      const rows = await repo.digest(now)
      for (const r of rows)
        await db.transaction((tx) => notices.memberDigest(tx, { memberId: r.memberId!, waiting: r.waiting, working: r.working, overdue: r.overdue }, day, now))
      for (const c of await repo.committeeDigest(now)) {
        await db.transaction((tx) =>
          notices.committeeDigest(
            tx,
            c.committeeId,
            {
              day,
              waiting: String(c.waiting),
              working: String(c.working),
              overdue: String(c.overdue),
              queued: String(c.queued),
            },
            day,
            now,
          ),
        )
      }
      onNotices()
      return rows.length
    },
  }
}
export type DeadlineSweep = ReturnType<typeof createDeadlineSweep>

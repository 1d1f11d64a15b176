import { decide, type CaseAction } from '@mashangjian/shared'
import type { Clock } from '../clock'
import type { Db } from '../db/database'
import type { AuditWriter } from '../cases/case-actions-service'
import type { CasesRepo, NewCase, NewEvent } from '../cases/cases-repo'
import type { MemberNotifier } from '../notify/member-notifier'
import { writeTransition } from '../cases/case-transition'
import type { DeadlinesRepo } from './deadlines-repo'

const HOUR = 3_600_000
/** Reminders go out this long before a deadline. */
export const ACCEPT_REMINDER_MS = 1 * HOUR
export const RESOLVE_REMINDER_MS = 24 * HOUR

type Picked = Awaited<ReturnType<DeadlinesRepo['acceptTimedOut']>>[number]

export interface SweepReport { acceptReminders: number; escalated: number; resolveReminders: number; overdue: number; autoClosed: number }

export interface DeadlineSweepDeps { db: Db; repo: DeadlinesRepo; cases: CasesRepo; audit: AuditWriter; clock: Clock; notifier: MemberNotifier }

/**
 * The deadline rules of DESIGN.md §5, run every minute by the job runner (and directly by tests, with a moved
 * clock): reminders before due, escalation to the station admin's queue on accept timeout (督办), overdue
 * marking, auto-close of resolved cases nobody rated. Idempotent: running it twice changes nothing more.
 */
export function createDeadlineSweep({ db, repo, cases, audit, clock, notifier }: DeadlineSweepDeps) {
  /** One system transition in its own transaction; skipped if the case changed since it was read. */
  async function transition(c: Picked, action: CaseAction, patch: Partial<NewCase>, event: Pick<NewEvent, 'visibility' | 'body' | 'data'>): Promise<boolean> {
    const d = decide({ status: c.status, action, role: 'system' })
    if (!d.ok) return false
    const now = clock.now()
    return db.transaction(async (tx) => (await writeTransition(tx, { cases, audit }, {
      caseId: c.id, version: c.version, patch: { ...patch, status: d.to, updatedAt: now },
      events: d.events.map((type) => ({ type, actorKind: 'system', ...event, fromStatus: c.status, toStatus: d.to, occurredAt: now, receivedAt: now })),
      audit: { actorUserId: null, action: `case.${action}`, targetKind: 'case', targetId: c.id, detail: { from: c.status, to: d.to } },
    })) !== null)
  }

  async function each(rows: Picked[], fn: (c: Picked) => Promise<boolean>): Promise<number> {
    let n = 0
    for (const c of rows) if (await fn(c)) n++
    return n
  }

  return {
    async run(): Promise<SweepReport> {
      const now = clock.now()
      const acceptReminders = await each(await repo.acceptDueSoon(now, new Date(now.getTime() + ACCEPT_REMINDER_MS)), async (c) => {
        await repo.markReminded(db, c.id, 'accept', now)
        await notifier.notify({ kind: 'accept_reminder', memberId: c.memberId, caseId: c.id, publicNo: c.publicNo, text: `${c.publicNo} 即将超过接单时限，请尽快接单` })
        return true
      })
      const escalated = await each(await repo.acceptTimedOut(now), async (c) => {
        const done = await transition(c, 'escalate', { memberId: null, escalatedAt: now, returnedAt: now }, { visibility: 'internal', body: '', data: { fromMemberId: c.memberId, reason: 'accept_timeout' } })
        if (done) await notifier.notify({ kind: 'escalated', memberId: null, stationId: c.stationId, caseId: c.id, publicNo: c.publicNo, text: `${c.publicNo} 超时未接单，已转入工作站待派单（督办）` })
        return done
      })
      const resolveReminders = await each(await repo.resolveDueSoon(now, new Date(now.getTime() + RESOLVE_REMINDER_MS)), async (c) => {
        await repo.markReminded(db, c.id, 'resolve', now)
        await notifier.notify({ kind: 'resolve_reminder', memberId: c.memberId, caseId: c.id, publicNo: c.publicNo, text: `${c.publicNo} 将在24小时内到期，请及时办结` })
        return true
      })
      const overdue = await each(await repo.newlyOverdue(now), async (c) => {
        const done = await transition(c, 'mark_overdue', { overdueAt: now }, { visibility: 'internal', body: '', data: {} })
        if (done) await notifier.notify({ kind: 'overdue', memberId: c.memberId, caseId: c.id, publicNo: c.publicNo, text: `${c.publicNo} 已超期，请尽快办结或申请延期` })
        return done
      })
      const autoClosed = await each(await repo.unratedSince(now), (c) =>
        transition(c, 'auto_close', { closedAt: now, closeReason: 'no_rating' }, { visibility: 'public', body: '', data: { reason: 'no_rating' } }))
      return { acceptReminders, escalated, resolveReminders, overdue, autoClosed }
    },

    /** Morning summary for every member with open cases. */
    async digest(): Promise<number> {
      const rows = await repo.digest(clock.now())
      for (const r of rows) {
        await notifier.notify({ kind: 'digest', memberId: r.memberId, text: `今日待接单 ${r.waiting} 件，办理中 ${r.working} 件，已超期 ${r.overdue} 件` })
      }
      return rows.length
    },
  }
}
export type DeadlineSweep = ReturnType<typeof createDeadlineSweep>

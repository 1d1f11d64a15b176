import type { AuditWriter } from '../audit/audit-log'
import type { CasesRepo } from '../cases/cases-repo'
import { writeTransition } from '../cases/case-transition'
import type { Db } from '../db/database'
import type { NoticePlanner } from '../notifications/notice-plan'
import type { HandoffsRepo } from './handoffs-repo'

const HOUR = 3_600_000
/** The department is reminded this long before its reply deadline. */
export const HANDOFF_REMINDER_MS = 24 * HOUR

type Picked = Awaited<ReturnType<HandoffsRepo['dueSoon']>>[number]

/** The case moved on between the read and the write: roll the overdue mark back, the next run tries again. */
class CaseMoved extends Error {}

/**
 * The hand-off part of the minute sweep (deadline-sweep.ts): the department's reminder 24 h before its reply
 * deadline, and after it the overdue mark with an internal `handoff_overdue` event on the case and a notice to
 * the department. Late is not a state: the hand-off stays open and may still be answered. Each happens once
 * (reminded_at, overdue_at), with its notice in the same transaction.
 */
export function createHandoffSweep({
  db,
  repo,
  cases,
  audit,
  notices,
}: {
  db: Db
  repo: HandoffsRepo
  cases: CasesRepo
  audit: AuditWriter
  notices: NoticePlanner
}) {
  const facts = (p: Picked) => ({ id: p.h.id, departmentId: p.h.departmentId, departmentName: p.departmentName, dueAt: p.h.dueAt })

  /** A reminder is not a change of the case: no event, no version bump (like the case's own reminders). */
  async function remind(p: Picked, now: Date): Promise<boolean> {
    return db.transaction(async (tx) => {
      if (!(await repo.markReminded(tx, p.h.id, now))) return false
      await notices.handoffDeadline(tx, p.c, facts(p), 'reminder', `handoff:${p.h.id}:reminder`, now)
      return true
    })
  }

  /** The overdue mark goes on the case's timeline (a version bump, so members' apps sync it). */
  async function markOverdue(p: Picked, now: Date): Promise<boolean> {
    try {
      return await db.transaction(async (tx) => {
        await cases.lockForUpdate(tx, p.c.id)
        if (!(await repo.markOverdue(tx, p.h.id, now))) return false
        const written = await writeTransition(
          tx,
          { cases, audit },
          {
            caseId: p.c.id,
            version: p.c.version,
            patch: { updatedAt: now },
            events: [
              {
                type: 'handoff_overdue',
                actorKind: 'system',
                visibility: 'internal',
                body: '',
                data: { handoffId: p.h.id, departmentName: p.departmentName, dueAt: p.h.dueAt.toISOString() },
                fromStatus: p.c.status,
                toStatus: p.c.status,
                occurredAt: now,
                receivedAt: now,
              },
            ],
            audit: {
              actorUserId: null,
              action: 'case.handoff_overdue',
              targetKind: 'case',
              targetId: p.c.id,
              detail: { handoffId: p.h.id, departmentId: p.h.departmentId },
            },
          },
        )
        if (!written) throw new CaseMoved()
        await notices.handoffDeadline(tx, p.c, facts(p), 'overdue', `handoff:${p.h.id}:overdue`, now)
        return true
      })
    } catch (err) {
      if (err instanceof CaseMoved) return false
      throw err
    }
  }

  async function each(rows: Picked[], fn: (p: Picked) => Promise<boolean>): Promise<number> {
    let n = 0
    for (const p of rows) if (await fn(p)) n++
    return n
  }

  return {
    async run(now: Date): Promise<{ handoffReminders: number; handoffOverdue: number }> {
      const handoffReminders = await each(await repo.dueSoon(now, new Date(now.getTime() + HANDOFF_REMINDER_MS)), (p) => remind(p, now))
      const handoffOverdue = await each(await repo.newlyOverdue(now), (p) => markOverdue(p, now))
      return { handoffReminders, handoffOverdue }
    },
  }
}

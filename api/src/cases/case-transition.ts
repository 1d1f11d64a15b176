import type { CaseStatus } from '@mashangjian/shared'
import type { DbOrTx } from '../db/database'
import type { AuditEntry } from '../audit/audit-log'
import { expireOpenHandoffs } from '../handoffs/handoffs-repo'
import type { AuditWriter } from '../audit/audit-log'
import type { CasesRepo, NewAttachment, NewCase, NewEvent } from './cases-repo'

export interface Transition {
  caseId: string
  /** The version the change was decided on; if the case moved on meanwhile, nothing is written. */
  version: number
  patch: Partial<NewCase> & { updatedAt: Date }
  events: NewEvent[]
  attachments?: NewAttachment[]
  audit: AuditEntry
}

/** Statuses in which a case has ended: departments still holding a question of it are done with it too. */
const ENDED: readonly CaseStatus[] = ['resolved', 'closed', 'merged', 'invalid']
const ends = (t: Transition) => {
  const to = t.patch.status
  const from = t.events[0]?.fromStatus
  return !!to && ENDED.includes(to) && !(from && ENDED.includes(from))
}

/**
 * Every state change is written the same way, whoever makes it (member, admin, resident, job): the case row if
 * still at `version` (bumping it), its events, and its audit row, in the caller's transaction. Answers the new
 * event ids, or null when the case changed since it was read.
 *
 * A change that ends the case (resolved, closed, merged, invalid) also expires its open hand-offs (交办): their
 * links stop working, each gets an internal `handoff_expired` event, and a paused resolve clock is cleared. A
 * change that does not end the case costs nothing more.
 */
export async function writeTransition(tx: DbOrTx, { cases, audit }: { cases: CasesRepo; audit: AuditWriter }, t: Transition): Promise<number[] | null> {
  const ending = ends(t)
  const patch = ending ? { ...t.patch, resolvePausedAt: null } : t.patch
  if (!(await cases.updateIfVersion(tx, t.caseId, t.version, patch))) return null
  const expired = ending ? await expireOpenHandoffs(tx, t.caseId, t.patch.updatedAt) : []
  const expiredEvents = expired.map((h): NewEvent => ({
    type: 'handoff_expired',
    actorKind: 'system',
    visibility: 'internal',
    body: '',
    data: { handoffId: h.id, departmentName: h.departmentName },
    fromStatus: t.patch.status ?? null,
    toStatus: t.patch.status ?? null,
    occurredAt: t.patch.updatedAt,
    receivedAt: t.patch.updatedAt,
  }))
  const ids = await cases.insertEvents(tx, t.caseId, [...t.events, ...expiredEvents], t.attachments)
  await audit.record(tx, expired.length > 0 ? { ...t.audit, detail: { ...t.audit.detail, expiredHandoffs: expired.map((h) => h.id) } } : t.audit)
  return ids
}

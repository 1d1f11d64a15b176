import type { DbOrTx } from '../db/database'
import type { AuditEntry } from '../audit/audit-log'
import type { AuditWriter } from './case-actions-service'
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

/**
 * Every state change is written the same way, whoever makes it (member, admin, resident, job): the case row if
 * still at `version` (bumping it), its events, and its audit row, in the caller's transaction. Answers the new
 * event ids, or null when the case changed since it was read.
 */
export async function writeTransition(tx: DbOrTx, { cases, audit }: { cases: CasesRepo; audit: AuditWriter }, t: Transition): Promise<number[] | null> {
  if (!(await cases.updateIfVersion(tx, t.caseId, t.version, t.patch))) return null
  const ids = await cases.insertEvents(tx, t.caseId, t.events, t.attachments)
  await audit.record(tx, t.audit)
  return ids
}

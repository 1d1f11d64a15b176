import type { CaseRole } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { committeeInScope } from '../auth/scope'

/** What access rules need to know about a case. */
export interface CaseScope {
  memberId: string | null
  stationId: string | null
  /** The case's committee path (ancestor ids and its own, '/'-joined). */
  committeePath: string
}

/**
 * How the caller relates to a case, or null when they may not see it at all (answered as 404, so nobody learns
 * what exists elsewhere). Members see only what is assigned to them; station admins their stations' cases;
 * committee admins their subtree; a system admin acts as a committee admin everywhere.
 */
export function caseRoleOf(actor: Actor, c: CaseScope): CaseRole | null {
  switch (actor.role) {
    case 'member':
      return actor.memberId && c.memberId === actor.memberId ? 'assignee' : null
    case 'station_admin':
      return c.stationId && actor.stationIds.includes(c.stationId) && committeeInScope(actor, c.committeePath) ? 'station_admin' : null
    case 'committee_admin':
    case 'system_admin':
      return committeeInScope(actor, c.committeePath) ? 'committee_admin' : null
  }
}

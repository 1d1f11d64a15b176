import type { Actor } from '../auth/actor'
import { committeeInScope } from '../auth/scope'
import type { CaseChange } from './change-listener'

/**
 * Whether a change concerns the actor: they may see the case now, or could until this change (so a case moved
 * away from them disappears from their device). The same rules as the sync feed's SQL (sync-repo.ts `concerns`),
 * which the client calls next; the stream only says "something changed", never what.
 */
export function changeConcerns(actor: Actor, c: CaseChange): boolean {
  switch (actor.role) {
    case 'member':
      return actor.memberId !== null && (c.memberId === actor.memberId || c.prevMemberId === actor.memberId)
    case 'station_admin':
      return actor.committeeId === c.committeeId && [c.stationId, c.prevStationId].some((s) => s !== null && actor.stationIds.includes(s))
    case 'committee_admin':
      return c.committeePath !== null && committeeInScope(actor, c.committeePath)
    case 'system_admin':
      return true
  }
}

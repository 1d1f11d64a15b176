import { sql, type AnyColumn, type SQL } from 'drizzle-orm'
import type { Actor } from './actor'

/**
 * Scope rules shared by every service. Out-of-scope resources are reported as not found by callers, so
 * nobody learns what exists in another committee (DESIGN.md §2).
 */

/** `path` is the committee's ancestor ids and its own, '/'-joined: an admin sees their committee's subtree. */
export function committeeInScope(actor: Actor, committeePath: string): boolean {
  if (actor.role === 'system_admin') return true
  if (!actor.committeeId) return false
  if (actor.role === 'committee_admin') return committeePath.split('/').includes(actor.committeeId)
  // Station admins and members act only inside their own committee.
  return committeePath.split('/').at(-1) === actor.committeeId
}

export function stationInScope(actor: Actor, station: { id: string; committeePath: string }): boolean {
  if (actor.role === 'system_admin' || actor.role === 'committee_admin') return committeeInScope(actor, station.committeePath)
  return actor.stationIds.includes(station.id)
}

/**
 * The SQL twin of the subtree rule above, for queries: the ids of a committee and of every committee under it
 * (`path` is ancestor ids + own id, so descendants' paths start with the root's path and a slash).
 */
export function committeeSubtreeIds(committeeId: string): SQL {
  return sql`(select k.id from committee k join committee root on root.id = ${committeeId}
    where k.id = root.id or k.path like (root.path || '/%'))`
}

/**
 * Condition on a `committee_id` column for lists: a system admin sees every committee, a committee admin their
 * subtree, everyone else their own committee. Combined with station filters for station admins by the caller.
 */
export function committeeIdInScope(actor: Actor, column: SQL | AnyColumn): SQL | undefined {
  if (actor.role === 'system_admin') return undefined
  if (!actor.committeeId) return sql`false`
  if (actor.role === 'committee_admin') return sql`${column} in ${committeeSubtreeIds(actor.committeeId)}`
  return sql`${column} = ${actor.committeeId}`
}

/**
 * Whether the caller may see a member's records (ledger, activities): committee admins their subtree's members,
 * station admins the members of their stations, a member only themself, system admins everyone.
 */
export function memberInScope(actor: Actor, m: { id: string; committeePath: string; stationIds: readonly string[] }): boolean {
  switch (actor.role) {
    case 'system_admin':
    case 'committee_admin':
      return committeeInScope(actor, m.committeePath)
    case 'station_admin':
      return committeeInScope(actor, m.committeePath) && m.stationIds.some((s) => actor.stationIds.includes(s))
    case 'member':
      return actor.memberId === m.id
  }
}

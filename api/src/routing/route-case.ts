import type { MemberStatus } from '@mashangjian/shared'

/** A member who could take a case at a station, with what routing weighs. */
export interface Candidate {
  memberId: string
  status: MemberStatus
  sectorId: string | null
  /** Cases assigned to or being handled by this member right now. */
  openCases: number
  /** When this member was last given a case; round-robin among equals favours the longest wait. */
  lastAssignedAt: Date | null
  onDutyNow: boolean
}

export type RoutingInput =
  | { kind: 'member'; memberId: string; memberStatus: MemberStatus; homeStationId: string | null }
  | { kind: 'station'; stationId: string; chosenMemberId?: string | null; categorySectorId?: string | null; candidates: Candidate[] }

export type RoutingReason = 'member_code' | 'member_unavailable' | 'chosen_member' | 'on_duty' | 'sector_affinity' | 'least_load' | 'no_member'

export interface RoutingDecision {
  /** null: the case waits in the station admin's queue. */
  memberId: string | null
  stationId: string | null
  reason: RoutingReason
}

/** Fewest open cases first; among equals the one who waited longest for a case (never-assigned first), then by id. */
function pickLeastLoaded(candidates: Candidate[]): Candidate {
  return [...candidates].sort(
    (a, b) =>
      a.openCases - b.openCases ||
      (a.lastAssignedAt?.getTime() ?? -Infinity) - (b.lastAssignedAt?.getTime() ?? -Infinity) ||
      a.memberId.localeCompare(b.memberId),
  )[0]!
}

/**
 * Who gets a new case (DESIGN.md §5). Member code → that member, unless away → their station's queue.
 * Station code → the member the resident chose → the member on duty now → members of the category's sector →
 * any active member; each step picks the least loaded, ties round-robin; nobody → the station admin's queue.
 */
export function routeCase(input: RoutingInput): RoutingDecision {
  if (input.kind === 'member') {
    return input.memberStatus === 'active'
      ? { memberId: input.memberId, stationId: input.homeStationId, reason: 'member_code' }
      : { memberId: null, stationId: input.homeStationId, reason: 'member_unavailable' }
  }
  const active = input.candidates.filter((c) => c.status === 'active')
  const decide = (pool: Candidate[], reason: RoutingReason): RoutingDecision | undefined =>
    pool.length > 0 ? { memberId: pickLeastLoaded(pool).memberId, stationId: input.stationId, reason } : undefined

  const chosen = active.find((c) => c.memberId === input.chosenMemberId)
  return (
    (chosen && { memberId: chosen.memberId, stationId: input.stationId, reason: 'chosen_member' as const }) ??
    decide(
      active.filter((c) => c.onDutyNow),
      'on_duty',
    ) ??
    (input.categorySectorId
      ? decide(
          active.filter((c) => c.sectorId === input.categorySectorId),
          'sector_affinity',
        )
      : undefined) ??
    decide(active, 'least_load') ?? { memberId: null, stationId: input.stationId, reason: 'no_member' }
  )
}

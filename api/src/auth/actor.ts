import type { Role } from '@mashangjian/shared'

/** Who is calling, as carried in the access token. Every service method takes one. */
export interface Actor {
  userId: string
  role: Role
  committeeId: string | null
  memberId: string | null
  stationIds: string[]
}

/** Claims in the access JWT; short names keep the token small. */
export interface AccessClaims {
  sub: string
  role: Role
  cid: string | null
  mid: string | null
  sids: string[]
}

export const claimsFromActor = (a: Actor): AccessClaims => ({
  sub: a.userId, role: a.role, cid: a.committeeId, mid: a.memberId, sids: a.stationIds,
})

export const actorFromClaims = (c: AccessClaims): Actor => ({
  userId: c.sub, role: c.role, committeeId: c.cid, memberId: c.mid, stationIds: c.sids ?? [],
})

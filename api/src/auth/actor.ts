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
  /** Session: the refresh-token family the token was issued for; logging that session out ends the token. */
  sid?: string
  /** The user's session version when signed (app_user.session_version); raising it ends every token. */
  sv?: number
}

/** Which sign-in an access token belongs to; the access guard checks both on every request (see session-check.ts). */
export interface SessionRef {
  sid: string
  sv: number
}

export const claimsFromActor = (a: Actor, session?: SessionRef): AccessClaims => ({
  sub: a.userId,
  role: a.role,
  cid: a.committeeId,
  mid: a.memberId,
  sids: a.stationIds,
  ...session,
})

export const actorFromClaims = (c: AccessClaims): Actor => ({
  userId: c.sub,
  role: c.role,
  committeeId: c.cid,
  memberId: c.mid,
  stationIds: c.sids ?? [],
})

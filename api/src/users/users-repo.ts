import { and, asc, count, eq, gt, ilike, inArray, isNull, like, or, sql } from 'drizzle-orm'
import type { Role } from '@mashangjian/shared'
import { appUser, committee, loginThrottle, member, refreshToken, station, userStation } from '../db/schema'
import type { Db, DbOrTx } from '../db/database'
import { containsPattern } from '../db/like'
import type { Actor } from '../auth/actor'
import { committeeIdInScope } from '../auth/scope'
import { accountKey, keyPrefixOf } from '../auth/login-throttle'

export type NewUser = typeof appUser.$inferInsert
export type UserRow = typeof appUser.$inferSelect

export function createUsersRepo(db: Db) {
  return {
    async committeePath(id: string): Promise<string | undefined> {
      const [row] = await db.select({ path: committee.path }).from(committee).where(eq(committee.id, id))
      return row?.path
    },

    async memberCommittee(memberId: string): Promise<string | undefined> {
      const [row] = await db.select({ committeeId: member.committeeId }).from(member).where(eq(member.id, memberId))
      return row?.committeeId
    },

    async stationCommittees(stationIds: string[]): Promise<Map<string, string>> {
      if (stationIds.length === 0) return new Map()
      const rows = await db.select({ id: station.id, committeeId: station.committeeId }).from(station).where(inArray(station.id, stationIds))
      return new Map(rows.map((r) => [r.id, r.committeeId]))
    },

    /** The user and their stations in one transaction: no user without the scope it was created with. */
    async insertUser(user: NewUser, stationIds: string[], also?: (tx: DbOrTx, row: UserRow) => Promise<void>) {
      return db.transaction(async (tx) => {
        const [row] = await tx.insert(appUser).values(user).returning()
        if (stationIds.length > 0) {
          await tx.insert(userStation).values(stationIds.map((stationId) => ({ userId: row!.id, stationId })))
        }
        await also?.(tx, row!)
        return row!
      })
    },

    /** Accounts in the actor's committee scope (system admins, who have none, only for system admins), filtered. */
    async list(actor: Actor, filter: { committeeId?: string; role?: Role; q?: string }, limit: number, offset: number) {
      const where = and(
        committeeIdInScope(actor, appUser.committeeId),
        filter.committeeId ? eq(appUser.committeeId, filter.committeeId) : undefined,
        filter.role ? eq(appUser.role, filter.role) : undefined,
        filter.q?.trim() ? or(ilike(appUser.username, containsPattern(filter.q)), ilike(appUser.displayName, containsPattern(filter.q))) : undefined,
      )
      const [rows, [total]] = await Promise.all([
        db.select().from(appUser).where(where).orderBy(asc(appUser.username)).limit(limit).offset(offset),
        db.select({ n: count() }).from(appUser).where(where),
      ])
      return { rows, total: total?.n ?? 0 }
    },

    /** When each of these usernames' sign-in lock ends, for those locked now (auth/login-throttle.ts keys). */
    async locks(usernames: string[], now: Date): Promise<Map<string, Date>> {
      if (usernames.length === 0) return new Map()
      const keys = new Map(usernames.map((u) => [accountKey(u), u]))
      const rows = await db
        .select({ key: loginThrottle.key, until: loginThrottle.blockedUntil })
        .from(loginThrottle)
        .where(and(inArray(loginThrottle.key, [...keys.keys()]), gt(loginThrottle.blockedUntil, now)))
      return new Map(rows.map((r) => [keys.get(r.key)!, r.until!]))
    },

    /** Forgets every failed sign-in counted against a username: the lock and every address's delay. */
    async clearLoginFailures(tx: DbOrTx, username: string) {
      const name = keyPrefixOf(username)
      await tx.delete(loginThrottle).where(or(eq(loginThrottle.key, `account:${name}`), like(loginThrottle.key, `pair:${name}:%`)))
    },

    async find(id: string) {
      const [row] = await db
        .select({ user: appUser, committeePath: committee.path })
        .from(appUser)
        .leftJoin(committee, eq(committee.id, appUser.committeeId))
        .where(eq(appUser.id, id))
      return row
    },

    async stationsOf(userIds: string[], tx: DbOrTx = db): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>()
      if (userIds.length === 0) return out
      const rows = await tx.select().from(userStation).where(inArray(userStation.userId, userIds))
      for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), r.stationId])
      return out
    },

    async update(tx: DbOrTx, id: string, patch: Partial<NewUser>): Promise<UserRow> {
      return (
        await tx
          .update(appUser)
          .set({ ...patch, updatedAt: sql`now()` })
          .where(eq(appUser.id, id))
          .returning()
      )[0]!
    },

    async setStations(tx: DbOrTx, userId: string, stationIds: string[]) {
      await tx.delete(userStation).where(eq(userStation.userId, userId))
      if (stationIds.length > 0) await tx.insert(userStation).values(stationIds.map((stationId) => ({ userId, stationId })))
    },

    /**
     * Every access token of the user fails the access guard from now on (its `sv` claim is older); refresh tokens
     * still work unless revoked too, so a scope change costs the user's apps one refresh, not a sign-in.
     */
    async bumpSessionVersion(tx: DbOrTx, userId: string) {
      await tx
        .update(appUser)
        .set({ sessionVersion: sql`${appUser.sessionVersion} + 1` })
        .where(eq(appUser.id, userId))
    },

    /** Ends every session of the user: their refresh tokens stop working (with bumpSessionVersion, access tokens at once). */
    async revokeSessions(tx: DbOrTx, userId: string, now: Date, reason: string) {
      await tx
        .update(refreshToken)
        .set({ revokedAt: now, revokeReason: reason })
        .where(and(eq(refreshToken.userId, userId), isNull(refreshToken.revokedAt)))
    },
  }
}
export type UsersRepo = ReturnType<typeof createUsersRepo>

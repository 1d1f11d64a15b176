import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm'
import { appUser, refreshToken, userStation } from '../db/schema'
import type { Db } from '../db/database'

export type UserRow = typeof appUser.$inferSelect

/** Data access for sign-in: users, their station scope and refresh-token families. */
export function createAuthRepo(db: Db) {
  // Prepared once (and by name, so PostgreSQL plans it once per connection): it runs on every authenticated request.
  const sessionStateQuery = db.select({
    sessionVersion: appUser.sessionVersion,
    disabled: sql<boolean>`${appUser.disabledAt} is not null`,
    revoked: sql<boolean>`exists (${db.select({ one: sql`1` }).from(refreshToken)
      .where(and(eq(refreshToken.familyId, sql.placeholder('familyId')), isNotNull(refreshToken.revokedAt)))})`,
  }).from(appUser).where(eq(appUser.id, sql.placeholder('userId'))).prepare('auth_session_state')

  return {
    async findUserByUsername(username: string): Promise<UserRow | undefined> {
      const [row] = await db.select().from(appUser).where(eq(appUser.username, username.trim().toLowerCase()))
      return row
    },

    async findUserById(id: string): Promise<UserRow | undefined> {
      const [row] = await db.select().from(appUser).where(eq(appUser.id, id))
      return row
    },

    async stationIdsOf(userId: string): Promise<string[]> {
      const rows = await db.select({ id: userStation.stationId }).from(userStation).where(eq(userStation.userId, userId))
      return rows.map((r) => r.id).sort()
    },

    /**
     * Counts a failure in one statement so parallel guesses cannot slip past the limit; the failure that
     * reaches the limit locks the account and starts a fresh count for after the lock.
     */
    async recordFailedLogin(userId: string, now: Date, maxFailures: number, lockUntil: Date) {
      const [row] = await db
        .update(appUser)
        .set({
          failedLogins: sql`case when ${appUser.failedLogins} + 1 >= ${maxFailures} then 0 else ${appUser.failedLogins} + 1 end`,
          lockedUntil: sql`case when ${appUser.failedLogins} + 1 >= ${maxFailures} then ${lockUntil.toISOString()}::timestamptz else ${appUser.lockedUntil} end`,
          updatedAt: now,
        })
        .where(eq(appUser.id, userId))
        .returning({ lockedUntil: appUser.lockedUntil })
      return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null
    },

    async recordSuccessfulLogin(userId: string, now: Date) {
      await db.update(appUser).set({ failedLogins: 0, lockedUntil: null, lastLoginAt: now, updatedAt: now })
        .where(eq(appUser.id, userId))
    },

    async insertRefreshToken(row: typeof refreshToken.$inferInsert) {
      await db.insert(refreshToken).values(row)
    },

    async findRefreshToken(tokenHash: string) {
      const [row] = await db.select().from(refreshToken).where(eq(refreshToken.tokenHash, tokenHash))
      return row
    },

    /**
     * What the access guard needs on every request, in one round trip: the user's session version, whether the
     * account is disabled, and whether the token's family was revoked (logout, reuse, disabling, a new password).
     * Both lookups are index-only in practice: the primary key, and a partial index of revoked tokens by family.
     */
    async sessionState(userId: string, familyId: string) {
      const [row] = await sessionStateQuery.execute({ userId, familyId })
      return row
    },

    /** Logout everywhere: every family of the user is revoked and every access token fails its version check. */
    async endAllSessions(userId: string, now: Date, reason: string) {
      await db.transaction(async (tx) => {
        await tx.update(appUser).set({ sessionVersion: sql`${appUser.sessionVersion} + 1`, updatedAt: now }).where(eq(appUser.id, userId))
        await tx.update(refreshToken).set({ revokedAt: now, revokeReason: reason })
          .where(and(eq(refreshToken.userId, userId), isNull(refreshToken.revokedAt)))
      })
    },

    /**
     * Spends a token and stores its successor in one transaction, so whoever finds the token spent also finds the
     * successor (the refresh grace window relies on that). False: someone spent or revoked it first.
     */
    async rotateRefreshToken(id: string, now: Date, successor: typeof refreshToken.$inferInsert): Promise<boolean> {
      return db.transaction(async (tx) => {
        const spent = await tx.update(refreshToken).set({ usedAt: now })
          .where(and(eq(refreshToken.id, id), isNull(refreshToken.usedAt), isNull(refreshToken.revokedAt)))
          .returning({ id: refreshToken.id })
        if (spent.length !== 1) return false
        await tx.insert(refreshToken).values(successor)
        return true
      })
    },

    async revokeFamily(familyId: string, now: Date, reason: string) {
      await db.update(refreshToken).set({ revokedAt: now, revokeReason: reason })
        .where(and(eq(refreshToken.familyId, familyId), isNull(refreshToken.revokedAt)))
    },
  }
}
export type AuthRepo = ReturnType<typeof createAuthRepo>

import { and, count, eq, gt, inArray, isNotNull, isNull, like, sql, type SQL } from 'drizzle-orm'
import { appUser, loginThrottle, refreshToken, userStation } from '../db/schema'
import type { Db } from '../db/database'

export type UserRow = typeof appUser.$inferSelect

/** Data access for sign-in: users, their station scope and refresh-token families. */
export function createAuthRepo(db: Db) {
  // Prepared once (and by name, so PostgreSQL plans it once per connection): it runs on every authenticated request.
  const sessionStateQuery = db
    .select({
      sessionVersion: appUser.sessionVersion,
      disabled: sql<boolean>`${appUser.disabledAt} is not null`,
      revoked: sql<boolean>`exists (${db
        .select({ one: sql`1` })
        .from(refreshToken)
        .where(and(eq(refreshToken.familyId, sql.placeholder('familyId')), isNotNull(refreshToken.revokedAt)))})`,
    })
    .from(appUser)
    .where(eq(appUser.id, sql.placeholder('userId')))
    .prepare('auth_session_state')

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
     * Counts an attempt before its password is checked, in one statement, unless the key is blocked now: parallel
     * guesses are each counted and none slips past a block another one just set. `delaySql` gives the block the
     * new count starts (null for none). Answers the new count, or the block's end when blocked (nothing counted).
     */
    async countAttempt(key: string, now: Date, windowMs: number, delaySeconds: (failures: SQL) => SQL): Promise<{ failures: number } | { blockedUntil: Date }> {
      const at = sql`${now.toISOString()}::timestamptz`
      const expired = sql`${loginThrottle.windowStartedAt} < ${new Date(now.getTime() - windowMs).toISOString()}::timestamptz`
      const next = sql`(case when ${expired} then 1 else ${loginThrottle.failures} + 1 end)`
      const blockFor = (n: SQL) => sql`(case when ${delaySeconds(n)} is null then null else ${at} + make_interval(secs => ${delaySeconds(n)}) end)`
      const [row] = await db
        .insert(loginThrottle)
        .values({ key, failures: 1, windowStartedAt: now, blockedUntil: sql`${blockFor(sql`1`)}`, updatedAt: now })
        .onConflictDoUpdate({
          target: loginThrottle.key,
          set: {
            failures: next,
            windowStartedAt: sql`case when ${expired} then ${at} else ${loginThrottle.windowStartedAt} end`,
            blockedUntil: blockFor(next),
            updatedAt: now,
          },
          setWhere: sql`${loginThrottle.blockedUntil} is null or ${loginThrottle.blockedUntil} <= ${at}`,
        })
        .returning({ failures: loginThrottle.failures })
      if (row) return { failures: row.failures }
      const [blocked] = await db.select({ until: loginThrottle.blockedUntil }).from(loginThrottle).where(eq(loginThrottle.key, key))
      return { blockedUntil: blocked?.until ?? now }
    },

    /** How many addresses tried this name within the window (an attack comes from many). */
    async addressesTrying(pairPrefix: string, now: Date, windowMs: number): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(loginThrottle)
        .where(and(like(loginThrottle.key, `${pairPrefix}%`), gt(loginThrottle.windowStartedAt, new Date(now.getTime() - windowMs))))
      return row?.n ?? 0
    },

    /** A successful sign-in was counted as an attempt beforehand: take it back from the name's total. */
    async uncount(key: string) {
      await db
        .update(loginThrottle)
        .set({ failures: sql`greatest(${loginThrottle.failures} - 1, 0)` })
        .where(eq(loginThrottle.key, key))
    },

    /**
     * Blocks a key until `until` (never shortening a longer block a parallel failure set). `restartCount`: the
     * count starts again after the block (an account lock), so one typo after it ends does not lock it again.
     */
    async blockUntil(key: string, until: Date, restartCount = false) {
      await db
        .update(loginThrottle)
        .set({
          blockedUntil: sql`greatest(coalesce(${loginThrottle.blockedUntil}, ${until.toISOString()}::timestamptz), ${until.toISOString()}::timestamptz)`,
          ...(restartCount ? { failures: 0, windowStartedAt: until } : {}),
        })
        .where(eq(loginThrottle.key, key))
    },

    /** Forgets the failures of these keys (a successful sign-in from that address). */
    async clearThrottle(keys: string[]) {
      await db.delete(loginThrottle).where(inArray(loginThrottle.key, keys))
    },

    async recordSuccessfulLogin(userId: string, now: Date) {
      await db.update(appUser).set({ lastLoginAt: now, updatedAt: now }).where(eq(appUser.id, userId))
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
        await tx
          .update(appUser)
          .set({ sessionVersion: sql`${appUser.sessionVersion} + 1`, updatedAt: now })
          .where(eq(appUser.id, userId))
        await tx
          .update(refreshToken)
          .set({ revokedAt: now, revokeReason: reason })
          .where(and(eq(refreshToken.userId, userId), isNull(refreshToken.revokedAt)))
      })
    },

    /**
     * Spends a token and stores its successor in one transaction, so whoever finds the token spent also finds the
     * successor (the refresh grace window relies on that). False: someone spent or revoked it first.
     */
    async rotateRefreshToken(id: string, now: Date, successor: typeof refreshToken.$inferInsert): Promise<boolean> {
      return db.transaction(async (tx) => {
        const spent = await tx
          .update(refreshToken)
          .set({ usedAt: now })
          .where(and(eq(refreshToken.id, id), isNull(refreshToken.usedAt), isNull(refreshToken.revokedAt)))
          .returning({ id: refreshToken.id })
        if (spent.length !== 1) return false
        await tx.insert(refreshToken).values(successor)
        return true
      })
    },

    async revokeFamily(familyId: string, now: Date, reason: string) {
      await db
        .update(refreshToken)
        .set({ revokedAt: now, revokeReason: reason })
        .where(and(eq(refreshToken.familyId, familyId), isNull(refreshToken.revokedAt)))
    },
  }
}
export type AuthRepo = ReturnType<typeof createAuthRepo>

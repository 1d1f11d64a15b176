import { and, eq, isNull, sql } from 'drizzle-orm'
import { appUser, refreshToken, userStation } from '../db/schema'
import type { Db } from '../db/database'

export type UserRow = typeof appUser.$inferSelect

/** Data access for sign-in: users, their station scope and refresh-token families. */
export function createAuthRepo(db: Db) {
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

    /** Marks a token spent if nobody did first; false means it was already spent (or revoked) meanwhile. */
    async spendRefreshToken(id: string, now: Date): Promise<boolean> {
      const rows = await db.update(refreshToken).set({ usedAt: now })
        .where(and(eq(refreshToken.id, id), isNull(refreshToken.usedAt), isNull(refreshToken.revokedAt)))
        .returning({ id: refreshToken.id })
      return rows.length === 1
    },

    async revokeFamily(familyId: string, now: Date, reason: string) {
      await db.update(refreshToken).set({ revokedAt: now, revokeReason: reason })
        .where(and(eq(refreshToken.familyId, familyId), isNull(refreshToken.revokedAt)))
    },
  }
}
export type AuthRepo = ReturnType<typeof createAuthRepo>

import { sql } from 'drizzle-orm'
import type { Db } from '../db/database'
import { publicThrottle } from '../db/schema'

export interface ThrottleHit {
  /** Attempts counted in the current window, this one included. */
  count: number
  allowed: boolean
  /** Until the window ends (for Retry-After). */
  retryAfterSeconds: number
}

/**
 * Fixed-window counters for public actions, shared by every API process through the database (table
 * public_throttle), unlike @fastify/rate-limit's per-process memory. One upsert per key counts the attempt and
 * starts a new window when the old one ran out, atomically (same pattern as auth/login-throttle.ts).
 */
export function createPublicThrottle(db: Db) {
  return {
    async hit(key: string, max: number, windowMs: number, now: Date): Promise<ThrottleHit> {
      const at = sql`${now.toISOString()}::timestamptz`
      const expired = sql`${publicThrottle.windowStartedAt} <= ${new Date(now.getTime() - windowMs).toISOString()}::timestamptz`
      const [row] = await db
        .insert(publicThrottle)
        .values({ key, count: 1, windowStartedAt: now })
        .onConflictDoUpdate({
          target: publicThrottle.key,
          set: {
            count: sql`case when ${expired} then 1 else ${publicThrottle.count} + 1 end`,
            windowStartedAt: sql`case when ${expired} then ${at} else ${publicThrottle.windowStartedAt} end`,
          },
        })
        .returning({ count: publicThrottle.count, windowStartedAt: publicThrottle.windowStartedAt })
      const ends = row!.windowStartedAt.getTime() + windowMs
      return { count: row!.count, allowed: row!.count <= max, retryAfterSeconds: Math.max(1, Math.ceil((ends - now.getTime()) / 1000)) }
    },
  }
}
export type PublicThrottle = ReturnType<typeof createPublicThrottle>

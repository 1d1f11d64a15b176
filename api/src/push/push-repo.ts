import { and, eq, isNull } from 'drizzle-orm'
import type { Db } from '../db/database'
import { appUser, pushSubscription, userStation } from '../db/schema'

/** What sending needs of a stored subscription. */
export interface PushTarget {
  id: string
  endpoint: string
  p256dh: string
  auth: string
}

const target = { id: pushSubscription.id, endpoint: pushSubscription.endpoint, p256dh: pushSubscription.p256dh, auth: pushSubscription.auth }

export function createPushRepo(db: Db) {
  return {
    /**
     * An endpoint identifies one browser profile and belongs to the user who registered it until they remove it
     * (sign-out) or the push service says it is gone: the same user subscribing again updates it, anyone else is
     * refused (undefined), so no one can move another user's pushes to themselves. One statement, so two users
     * registering the same new endpoint at once cannot both win.
     */
    async upsert(userId: string, s: { endpoint: string; p256dh: string; auth: string; userAgent: string | null }) {
      const [row] = await db
        .insert(pushSubscription)
        .values({ userId, ...s })
        .onConflictDoUpdate({
          target: pushSubscription.endpoint,
          set: { p256dh: s.p256dh, auth: s.auth, userAgent: s.userAgent },
          setWhere: eq(pushSubscription.userId, userId),
        })
        .returning({ id: pushSubscription.id, endpoint: pushSubscription.endpoint, createdAt: pushSubscription.createdAt })
      return row
    },

    /** Only the user's own subscription; true if one was removed. */
    async remove(userId: string, endpoint: string): Promise<boolean> {
      const rows = await db
        .delete(pushSubscription)
        .where(and(eq(pushSubscription.endpoint, endpoint), eq(pushSubscription.userId, userId)))
        .returning({ id: pushSubscription.id })
      return rows.length > 0
    },

    /** Subscriptions of the enabled account(s) of a member. */
    ofMember(memberId: string): Promise<PushTarget[]> {
      return db
        .select(target)
        .from(pushSubscription)
        .innerJoin(appUser, eq(appUser.id, pushSubscription.userId))
        .where(and(eq(appUser.memberId, memberId), isNull(appUser.disabledAt)))
    },

    /** Subscriptions of the enabled station admins of a station. */
    ofStationAdmins(stationId: string): Promise<PushTarget[]> {
      return db
        .select(target)
        .from(pushSubscription)
        .innerJoin(appUser, eq(appUser.id, pushSubscription.userId))
        .innerJoin(userStation, eq(userStation.userId, appUser.id))
        .where(and(eq(userStation.stationId, stationId), eq(appUser.role, 'station_admin'), isNull(appUser.disabledAt)))
    },

    /** The push service said the subscription is gone (404/410). */
    async removeGone(id: string): Promise<void> {
      await db.delete(pushSubscription).where(eq(pushSubscription.id, id))
    },

    async markUsed(id: string, at: Date): Promise<void> {
      await db.update(pushSubscription).set({ lastUsedAt: at }).where(eq(pushSubscription.id, id))
    },
  }
}
export type PushRepo = ReturnType<typeof createPushRepo>

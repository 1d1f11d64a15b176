import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm'
import type { Actor } from '../auth/actor'
import { committeeIdInScope } from '../auth/scope'
import type { Db, DbOrTx } from '../db/database'
import { caseFollower, cases, member, notification, notificationAttempt, notificationChannel, station } from '../db/schema'
import { visibleCases } from '../cases/member-cases-repo'

export type NotificationRow = typeof notification.$inferSelect & {
  publicNo: string | null
  memberName: string | null
  stationName: string | null
  channelName: string | null
  residentPhoneMasked: string | null
  followerPhoneMasked: string | null
}

/** The notices an admin may see: their committee scope; a station admin, their stations' cases and queues. */
function inScope(actor: Actor): SQL | undefined {
  if (actor.role === 'station_admin') {
    return or(
      sql`${notification.caseId} in (select ${cases.id} from ${cases} where ${visibleCases(actor)})`,
      actor.stationIds.length > 0 ? and(eq(notification.recipientKind, 'station'), inArray(notification.recipientId, actor.stationIds)) : undefined,
    )
  }
  return committeeIdInScope(actor, notification.committeeId)
}

/** Reading the outbox for the console: per case, failed lists, one row for a retry. */
export function createNotificationsRepo(db: Db) {
  const withNames = () =>
    db
      .select({
        n: notification,
        publicNo: cases.publicNo,
        memberName: member.name,
        stationName: station.name,
        channelName: notificationChannel.name,
        residentPhoneMasked: cases.residentPhoneMasked,
        followerPhoneMasked: caseFollower.residentPhoneMasked,
      })
      .from(notification)
      .leftJoin(cases, eq(cases.id, notification.caseId))
      .leftJoin(member, and(eq(notification.recipientKind, 'member'), eq(member.id, notification.recipientId)))
      .leftJoin(station, and(eq(notification.recipientKind, 'station'), eq(station.id, notification.recipientId)))
      .leftJoin(notificationChannel, eq(notificationChannel.id, notification.channelId))
      .leftJoin(caseFollower, eq(caseFollower.id, notification.followerId))
  const flat = (r: Awaited<ReturnType<ReturnType<typeof withNames>['execute']>>[number]): NotificationRow => ({
    ...r.n,
    publicNo: r.publicNo,
    memberName: r.memberName,
    stationName: r.stationName,
    channelName: r.channelName,
    residentPhoneMasked: r.residentPhoneMasked,
    followerPhoneMasked: r.followerPhoneMasked,
  })

  async function attemptsOf(ids: string[]) {
    if (ids.length === 0) return new Map<string, (typeof notificationAttempt.$inferSelect)[]>()
    const rows = await db.select().from(notificationAttempt).where(inArray(notificationAttempt.notificationId, ids)).orderBy(asc(notificationAttempt.at))
    const by = new Map<string, (typeof notificationAttempt.$inferSelect)[]>()
    for (const a of rows) by.set(a.notificationId, [...(by.get(a.notificationId) ?? []), a])
    return by
  }

  return {
    attemptsOf,

    async ofCase(caseId: string) {
      return (await withNames().where(eq(notification.caseId, caseId)).orderBy(asc(notification.createdAt), asc(notification.id))).map(flat)
    },

    async list(actor: Actor, q: { committeeId?: string | undefined; status?: string | undefined; limit: number; offset: number }) {
      const where = and(
        inScope(actor),
        q.committeeId ? eq(notification.committeeId, q.committeeId) : undefined,
        q.status ? eq(notification.status, q.status as NotificationRow['status']) : undefined,
      )
      const [rows, [total]] = await Promise.all([
        withNames().where(where).orderBy(desc(notification.createdAt), desc(notification.id)).limit(q.limit).offset(q.offset),
        db
          .select({ n: sql<number>`count(*)::int` })
          .from(notification)
          .where(where),
      ])
      return { items: rows.map(flat), total: total?.n ?? 0 }
    },

    async findInScope(actor: Actor, id: string) {
      const [row] = await withNames().where(and(eq(notification.id, id), inScope(actor)))
      return row && flat(row)
    },

    /** Back to the queue, due now, with a fresh day before it gives up again; its attempts stay as history. */
    requeue: (id: string, now: Date, q: DbOrTx = db) =>
      q
        .update(notification)
        .set({ status: 'pending', nextAttemptAt: now, leaseUntil: null, createdAt: now, statusReason: null, updatedAt: now })
        .where(and(eq(notification.id, id), inArray(notification.status, ['failed', 'skipped'])))
        .returning({ id: notification.id }),
  }
}
export type NotificationsRepo = ReturnType<typeof createNotificationsRepo>

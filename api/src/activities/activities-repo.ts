import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import type { ActivityListQuery } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { committeeSubtreeIds } from '../auth/scope'
import type { Db, DbOrTx } from '../db/database'
import { activity, activityPhoto, attachment, member, station } from '../db/schema'
import type { NewAttachment } from '../cases/cases-repo'

export type ActivityRow = typeof activity.$inferSelect & { memberName: string; stationName: string | null; photoIds: string[] }

/** The SQL form of memberInScope (auth/scope.ts) for activities: every list starts from it. */
function visibleActivities(actor: Actor): SQL {
  switch (actor.role) {
    case 'member':
      return actor.memberId ? eq(activity.memberId, actor.memberId) : sql`false`
    case 'station_admin':
      return actor.stationIds.length > 0 && actor.committeeId
        ? sql`${activity.committeeId} = ${actor.committeeId} and exists (select 1 from member_station ms where ms.member_id = ${activity.memberId}
            and ms.station_id = any(${`{${actor.stationIds.join(',')}}`}::uuid[]))`
        : sql`false`
    case 'committee_admin':
      return actor.committeeId ? sql`${activity.committeeId} in ${committeeSubtreeIds(actor.committeeId)}` : sql`false`
    case 'system_admin':
      return sql`true`
  }
}

export function createActivitiesRepo(db: Db) {
  const select = (q: DbOrTx) =>
    q
      .select({ a: activity, memberName: member.name, stationName: station.name })
      .from(activity)
      .innerJoin(member, eq(member.id, activity.memberId))
      .leftJoin(station, eq(station.id, activity.stationId))
  type Joined = { a: typeof activity.$inferSelect; memberName: string; stationName: string | null }
  /** Rows with their photo ids (in the order the member attached them), one query for the whole page. */
  async function withPhotos(rows: Joined[], q: DbOrTx = db): Promise<ActivityRow[]> {
    const ids = rows.map((r) => r.a.id)
    const photos = ids.length
      ? await q
          .select({ activityId: activityPhoto.activityId, id: activityPhoto.attachmentId })
          .from(activityPhoto)
          .where(inArray(activityPhoto.activityId, ids))
          .orderBy(asc(activityPhoto.position))
      : []
    return rows.map((r) => ({
      ...r.a,
      memberName: r.memberName,
      stationName: r.stationName,
      photoIds: photos.filter((p) => p.activityId === r.a.id).map((p) => p.id),
    }))
  }

  return {
    async load(id: string, q: DbOrTx = db): Promise<ActivityRow | undefined> {
      const [row] = await select(q).where(eq(activity.id, id))
      return row && (await withPhotos([row], q))[0]
    },

    /** Newest first, keyset on (occurred_on, id); member lists use activity_member_day_idx. */
    async list(actor: Actor, f: Omit<ActivityListQuery, 'cursor' | 'limit'>, limit: number, after?: { occurredOn: string; id: string }) {
      const rows = await select(db)
        .where(
          and(
            visibleActivities(actor),
            f.memberId ? eq(activity.memberId, f.memberId) : undefined,
            f.stationId ? eq(activity.stationId, f.stationId) : undefined,
            f.kind ? eq(activity.kind, f.kind) : undefined,
            f.status ? eq(activity.status, f.status) : undefined,
            f.year ? sql`${activity.occurredOn} >= ${`${f.year}-01-01`}::date and ${activity.occurredOn} < ${`${f.year + 1}-01-01`}::date` : undefined,
            after ? sql`(${activity.occurredOn}, ${activity.id}) < (${after.occurredOn}::date, ${after.id}::uuid)` : undefined,
          ),
        )
        .orderBy(desc(activity.occurredOn), desc(activity.id))
        .limit(limit + 1)
      return { rows: await withPhotos(rows.slice(0, limit)), more: rows.length > limit }
    },

    async insert(tx: DbOrTx, values: typeof activity.$inferInsert): Promise<string> {
      const [row] = await tx.insert(activity).values(values).returning({ id: activity.id })
      return row!.id
    },

    async update(tx: DbOrTx, id: string, values: Partial<typeof activity.$inferInsert>): Promise<void> {
      await tx.update(activity).set(values).where(eq(activity.id, id))
    },

    async remove(tx: DbOrTx, id: string): Promise<void> {
      await tx.delete(activity).where(eq(activity.id, id))
    },

    /** The activity an outbox op recorded, if that opId was used before. */
    async findByOp(opId: string, q: DbOrTx = db) {
      const [row] = await q.select({ id: activity.id, memberId: activity.memberId, opHash: activity.opHash }).from(activity).where(eq(activity.opId, opId))
      return row
    },

    async insertPhotos(tx: DbOrTx, activityId: string, files: NewAttachment[]): Promise<void> {
      if (files.length === 0) return
      const rows = await tx.insert(attachment).values(files).returning({ id: attachment.id })
      await tx.insert(activityPhoto).values(rows.map((r, i) => ({ activityId, attachmentId: r.id, position: i + 1 })))
    },

    /** One photo of one activity (both must match: a photo id alone opens nothing). */
    async photo(activityId: string, attachmentId: string) {
      const [row] = await db
        .select({ storageKey: attachment.storageKey, mime: attachment.mime })
        .from(activityPhoto)
        .innerJoin(attachment, eq(attachment.id, activityPhoto.attachmentId))
        .where(and(eq(activityPhoto.activityId, activityId), eq(activityPhoto.attachmentId, attachmentId)))
      return row
    },

    async station(id: string) {
      const [s] = await db.select({ id: station.id, committeeId: station.committeeId }).from(station).where(eq(station.id, id))
      return s
    },
  }
}
export type ActivitiesRepo = ReturnType<typeof createActivitiesRepo>

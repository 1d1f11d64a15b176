import { and, asc, count, eq, ilike, inArray, ne, sql } from 'drizzle-orm'
import { cases, committee, dutyShift, memberStation, qrCode, station, userStation } from '../db/schema'
import type { Db, DbOrTx } from '../db/database'
import { containsPattern } from '../db/like'
import type { Actor } from '../auth/actor'
import { committeeIdInScope } from '../auth/scope'

export type StationRow = typeof station.$inferSelect

const memberCount = sql<number>`(select count(*)::int from member_station ms where ms.station_id = ${station.id})`

export function createStationsRepo(db: Db) {
  return {
    /** Stations the actor may see (a station admin: their own; others: their committee scope), filtered. */
    async list(actor: Actor, filter: { committeeId?: string; active?: boolean; q?: string }, limit: number, offset: number) {
      const where = and(
        actor.role === 'station_admin' ? inArray(station.id, actor.stationIds) : committeeIdInScope(actor, station.committeeId),
        filter.committeeId ? eq(station.committeeId, filter.committeeId) : undefined,
        filter.active === undefined ? undefined : eq(station.active, filter.active),
        filter.q?.trim() ? ilike(station.name, containsPattern(filter.q)) : undefined,
      )
      const [rows, [total]] = await Promise.all([
        db.select({ station, memberCount }).from(station).where(where).orderBy(asc(station.name), asc(station.id)).limit(limit).offset(offset),
        db.select({ n: count() }).from(station).where(where),
      ])
      return { rows, total: total?.n ?? 0 }
    },

    async find(id: string) {
      const [row] = await db
        .select({ station, memberCount, committeePath: committee.path })
        .from(station)
        .innerJoin(committee, eq(committee.id, station.committeeId))
        .where(eq(station.id, id))
      return row
    },

    async nameTaken(committeeId: string, name: string, exceptId?: string): Promise<boolean> {
      const rows = await db
        .select({ id: station.id })
        .from(station)
        .where(and(eq(station.committeeId, committeeId), eq(station.name, name), exceptId ? ne(station.id, exceptId) : undefined))
        .limit(1)
      return rows.length > 0
    },

    async insert(tx: DbOrTx, values: typeof station.$inferInsert): Promise<StationRow> {
      return (await tx.insert(station).values(values).returning())[0]!
    },

    async update(tx: DbOrTx, id: string, patch: Partial<typeof station.$inferInsert>): Promise<StationRow> {
      return (
        await tx
          .update(station)
          .set({ ...patch, updatedAt: sql`now()` })
          .where(eq(station.id, id))
          .returning()
      )[0]!
    },

    async remove(tx: DbOrTx, id: string) {
      await tx.delete(station).where(eq(station.id, id))
    },

    /** What refers to a station: printed codes and cases keep it for history, so such a station is deactivated instead. */
    async usage(id: string) {
      const n = (q: Promise<{ n: number }[]>) => q.then((r) => r[0]!.n)
      const [caseCount, codes, members, shifts, admins] = await Promise.all([
        n(db.select({ n: count() }).from(cases).where(eq(cases.stationId, id))),
        n(db.select({ n: count() }).from(qrCode).where(eq(qrCode.stationId, id))),
        n(db.select({ n: count() }).from(memberStation).where(eq(memberStation.stationId, id))),
        n(db.select({ n: count() }).from(dutyShift).where(eq(dutyShift.stationId, id))),
        n(db.select({ n: count() }).from(userStation).where(eq(userStation.stationId, id))),
      ])
      return { cases: caseCount, 'QR codes': codes, members, 'duty shifts': shifts, 'station admins': admins }
    },
  }
}
export type StationsRepo = ReturnType<typeof createStationsRepo>

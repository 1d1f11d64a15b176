import { and, asc, count, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm'
import type { MemberStatus } from '@mashangjian/shared'
import { committee, member, memberStation, qrCode, sector, station } from '../db/schema'
import type { Db, DbOrTx } from '../db/database'
import { containsPattern } from '../db/like'
import type { Actor } from '../auth/actor'
import { committeeIdInScope } from '../auth/scope'

export type MemberRow = typeof member.$inferSelect
export type MemberWithSector = { member: MemberRow; sectorName: string | null }

/** Members of any of these stations (the station admin's scope). */
export const memberInStations = (stationIds: string[]): SQL =>
  stationIds.length === 0 ? sql`false` : sql`${member.id} in (select ms.member_id from member_station ms where ms.station_id in (${uuidList(stationIds)}))`

/** `$1::uuid, $2::uuid, …` for an `in (…)` list. */
export const uuidList = (ids: string[]): SQL =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )

export function createMembersRepo(db: Db) {
  const withSector = () => db.select({ member, sectorName: sector.name }).from(member).leftJoin(sector, eq(sector.id, member.sectorId))

  return {
    /** Members the actor manages (a station admin: their stations' members; others: their committee scope), filtered, by name. */
    async list(
      actor: Actor,
      filter: { committeeId?: string; stationId?: string; sectorId?: string; status?: MemberStatus; q?: string },
      limit: number,
      offset: number,
    ) {
      const where = and(
        actor.role === 'station_admin' ? memberInStations(actor.stationIds) : committeeIdInScope(actor, member.committeeId),
        filter.committeeId ? eq(member.committeeId, filter.committeeId) : undefined,
        filter.stationId ? memberInStations([filter.stationId]) : undefined,
        filter.sectorId ? eq(member.sectorId, filter.sectorId) : undefined,
        filter.status ? eq(member.status, filter.status) : undefined,
        filter.q?.trim() ? ilike(member.name, containsPattern(filter.q)) : undefined,
      )
      const [rows, [total]] = await Promise.all([
        withSector().where(where).orderBy(asc(member.name), asc(member.id)).limit(limit).offset(offset),
        db.select({ n: count() }).from(member).where(where),
      ])
      return { rows, total: total?.n ?? 0 }
    },

    async find(id: string, tx: DbOrTx = db) {
      const [row] = await tx
        .select({ member, sectorName: sector.name, committeePath: committee.path })
        .from(member)
        .innerJoin(committee, eq(committee.id, member.committeeId))
        .leftJoin(sector, eq(sector.id, member.sectorId))
        .where(eq(member.id, id))
      return row
    },

    /** Stations of these members, by member, in the order they joined. */
    async stationsOf(memberIds: string[], tx: DbOrTx = db): Promise<Map<string, { id: string; name: string }[]>> {
      const out = new Map<string, { id: string; name: string }[]>()
      if (memberIds.length === 0) return out
      const rows = await tx
        .select({ memberId: memberStation.memberId, id: station.id, name: station.name })
        .from(memberStation)
        .innerJoin(station, eq(station.id, memberStation.stationId))
        .where(inArray(memberStation.memberId, memberIds))
        .orderBy(asc(memberStation.createdAt), asc(station.name))
      for (const r of rows) {
        const list = out.get(r.memberId) ?? []
        list.push({ id: r.id, name: r.name })
        out.set(r.memberId, list)
      }
      return out
    },

    async sectorCommittee(id: string): Promise<string | undefined> {
      const [row] = await db.select({ committeeId: sector.committeeId }).from(sector).where(eq(sector.id, id))
      return row?.committeeId
    },

    async stationCommittees(ids: string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map()
      const rows = await db.select({ id: station.id, committeeId: station.committeeId }).from(station).where(inArray(station.id, ids))
      return new Map(rows.map((r) => [r.id, r.committeeId]))
    },

    async insert(tx: DbOrTx, values: typeof member.$inferInsert): Promise<MemberRow> {
      return (await tx.insert(member).values(values).returning())[0]!
    },

    async update(tx: DbOrTx, id: string, patch: Partial<typeof member.$inferInsert>): Promise<MemberRow> {
      return (
        await tx
          .update(member)
          .set({ ...patch, updatedAt: sql`now()` })
          .where(eq(member.id, id))
          .returning()
      )[0]!
    },

    /** Makes the member's station set exactly `stationIds` (kept links keep their join date: the home station stays first). */
    async setStations(tx: DbOrTx, memberId: string, stationIds: string[]): Promise<void> {
      await tx
        .delete(memberStation)
        .where(and(eq(memberStation.memberId, memberId), stationIds.length ? sql`${memberStation.stationId} not in (${uuidList(stationIds)})` : undefined))
      if (stationIds.length > 0) {
        await tx
          .insert(memberStation)
          .values(stationIds.map((stationId) => ({ memberId, stationId })))
          .onConflictDoNothing()
      }
    },

    /** A member with history (cases filed through their codes, an account, records) is kept by foreign keys. */
    async remove(tx: DbOrTx, id: string): Promise<void> {
      // Their placard codes go with them; a code a case was filed through blocks this (the case keeps it).
      await tx.delete(qrCode).where(eq(qrCode.memberId, id))
      await tx.delete(member).where(eq(member.id, id))
    },
  }
}
export type MembersRepo = ReturnType<typeof createMembersRepo>

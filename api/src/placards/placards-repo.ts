import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm'
import { category, committee, member, memberStation, qrCode, sector, station } from '../db/schema'
import type { Db } from '../db/database'

/** A member as a placard needs them, with what scope checks need (committee path, stations). */
export interface PlacardMemberRow {
  id: string
  name: string
  title: string
  photoKey: string | null
  sectorName: string | null
  committeeName: string
  committeePath: string
}

const memberColumns = {
  id: member.id,
  name: member.name,
  title: member.title,
  photoKey: member.photoKey,
  sectorName: sector.name,
  committeeName: committee.name,
  committeePath: committee.path,
}

/** Data access for printing placards: a few set-based queries per print, however many members it has. */
export function createPlacardsRepo(db: Db) {
  return {
    async station(id: string) {
      const [row] = await db
        .select({
          id: station.id,
          name: station.name,
          kind: station.kind,
          address: station.address,
          openHours: station.openHours,
          committeeId: station.committeeId,
          committeeName: committee.name,
          committeePath: committee.path,
        })
        .from(station)
        .innerJoin(committee, eq(committee.id, station.committeeId))
        .where(eq(station.id, id))
      return row
    },

    /** Every member of a station, by name. */
    membersOfStation(stationId: string): Promise<PlacardMemberRow[]> {
      return db
        .select(memberColumns)
        .from(memberStation)
        .innerJoin(member, eq(member.id, memberStation.memberId))
        .innerJoin(committee, eq(committee.id, member.committeeId))
        .leftJoin(sector, eq(sector.id, member.sectorId))
        .where(eq(memberStation.stationId, stationId))
        .orderBy(asc(member.name), asc(member.id))
    },

    membersByIds(ids: string[]): Promise<PlacardMemberRow[]> {
      if (ids.length === 0) return Promise.resolve([])
      return db
        .select(memberColumns)
        .from(member)
        .innerJoin(committee, eq(committee.id, member.committeeId))
        .leftJoin(sector, eq(sector.id, member.sectorId))
        .where(inArray(member.id, ids))
    },

    /** Each member's stations, the one joined first (their home station) first. */
    async stationsOfMembers(ids: string[]): Promise<Map<string, { id: string; name: string }[]>> {
      const out = new Map<string, { id: string; name: string }[]>()
      if (ids.length === 0) return out
      const rows = await db
        .select({ memberId: memberStation.memberId, id: station.id, name: station.name })
        .from(memberStation)
        .innerJoin(station, eq(station.id, memberStation.stationId))
        .where(inArray(memberStation.memberId, ids))
        .orderBy(asc(memberStation.createdAt), asc(station.name))
      for (const r of rows) out.set(r.memberId, [...(out.get(r.memberId) ?? []), { id: r.id, name: r.name }])
      return out
    },

    /** The station's newest active code of its own (not its members'), if it has one. */
    async stationCode(stationId: string): Promise<string | undefined> {
      const [row] = await db
        .select({ code: qrCode.code })
        .from(qrCode)
        .where(and(eq(qrCode.stationId, stationId), eq(qrCode.status, 'active')))
        .orderBy(desc(qrCode.createdAt))
        .limit(1)
      return row?.code
    },

    /** The Chinese names of a committee's active categories, in their order: what its stations handle. */
    async categoryNames(committeeId: string): Promise<string[]> {
      const rows = await db
        .select({ names: category.names })
        .from(category)
        .where(and(eq(category.committeeId, committeeId), eq(category.active, true)))
        .orderBy(asc(category.sortOrder), asc(category.createdAt))
      return rows.map((r) => r.names['zh-CN'] ?? Object.values(r.names)[0] ?? '').filter(Boolean)
    },

    /** Who receives residents at a station (members on leave too: the placard outlives a leave), by name. */
    receivers(stationId: string): Promise<{ name: string; sectorName: string | null }[]> {
      return db
        .select({ name: member.name, sectorName: sector.name })
        .from(memberStation)
        .innerJoin(member, eq(member.id, memberStation.memberId))
        .leftJoin(sector, eq(sector.id, member.sectorId))
        .where(and(eq(memberStation.stationId, stationId), ne(member.status, 'inactive')))
        .orderBy(asc(member.name), asc(member.id))
    },

    /** Each member's newest active code (what the QR admin page shows first). */
    async activeCodes(memberIds: string[]): Promise<Map<string, string>> {
      if (memberIds.length === 0) return new Map()
      const rows = await db
        .selectDistinctOn([qrCode.memberId], { memberId: qrCode.memberId, code: qrCode.code })
        .from(qrCode)
        .where(and(inArray(qrCode.memberId, memberIds), eq(qrCode.status, 'active')))
        .orderBy(qrCode.memberId, desc(qrCode.createdAt))
      return new Map(rows.map((r) => [r.memberId!, r.code]))
    },
  }
}
export type PlacardsRepo = ReturnType<typeof createPlacardsRepo>

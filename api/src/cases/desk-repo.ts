import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { queryRows, type Db } from '../db/database'
import { caseFollower, cases, station } from '../db/schema'
import type { Actor } from '../auth/actor'
import { shiftCoversNow, OPEN_STATUSES } from '../routing/routing-repo'
import { visibleCases } from './member-cases-repo'

export interface DestinationMemberRow {
  id: string
  name: string
  sectorName: string | null
  openCases: number
  onDutyNow: boolean
}

/** SQL for the station desk: cases by a resident's phone hash, and who a case can be handed to. */
export function createDeskRepo(db: Db) {
  return {
    /**
     * Ids of the cases the caller can see that carry this phone hash, or that a follower with it follows; newest
     * first. Only hashes are compared: nothing is decrypted.
     */
    async caseIdsByPhoneHash(actor: Actor, hash: string, limit: number): Promise<string[]> {
      // A union of two index lookups (cases_phone_hash_idx and case_follower_phone_hash_idx),
      // joined back by primary key: an OR of the two would make PostgreSQL scan every case in scope.
      const own = db
        .select({ id: cases.id })
        .from(cases)
        .where(and(visibleCases(actor), eq(cases.residentPhoneHash, hash)))
      const followed = db.select({ id: caseFollower.caseId }).from(caseFollower).where(eq(caseFollower.residentPhoneHash, hash))
      const rows = await db
        .select({ id: cases.id })
        .from(cases)
        .where(and(visibleCases(actor), sql`${cases.id} in (${own} union ${followed})`))
        .orderBy(desc(cases.createdAt), desc(cases.id))
        .limit(limit)
      return rows.map((r) => r.id)
    },

    /**
     * Active members of a committee with their open load and whether they are on duty now, optionally only
     * those at one of `stationIds`, and without `exceptMemberId`.
     */
    members(o: { committeeId: string; stationIds?: readonly string[]; exceptMemberId?: string | null; now: Date }): Promise<DestinationMemberRow[]> {
      const conditions: SQL[] = [sql`m.committee_id = ${o.committeeId}`, sql`m.status = 'active'`]
      if (o.stationIds) {
        conditions.push(
          o.stationIds.length === 0
            ? sql`false`
            : sql`exists (select 1 from member_station ms where ms.member_id = m.id and ms.station_id in (${sql.join(
                o.stationIds.map((s) => sql`${s}::uuid`),
                sql`, `,
              )}))`,
        )
      }
      if (o.exceptMemberId) conditions.push(sql`m.id <> ${o.exceptMemberId}`)
      return queryRows<DestinationMemberRow>(
        db,
        sql`
        select m.id, m.name, s.name as "sectorName",
          (select count(*)::int from cases c where c.member_id = m.id
             and c.status in (${sql.join(
               OPEN_STATUSES.map((x) => sql`${x}`),
               sql`, `,
             )})) as "openCases",
          exists (select 1 from duty_shift d where d.member_id = m.id and ${shiftCoversNow(o.now)}) as "onDutyNow"
        from member m left join sector s on s.id = m.sector_id
        where ${sql.join(conditions, sql` and `)}`,
      )
    },

    /** Each member's stations (active ones), by name. */
    async stationsOfMembers(memberIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
      const out = new Map<string, { id: string; name: string }[]>()
      if (memberIds.length === 0) return out
      const rows = await queryRows<{ member_id: string; id: string; name: string }>(
        db,
        sql`
        select ms.member_id, st.id, st.name from member_station ms join station st on st.id = ms.station_id
        where st.active and ms.member_id in (${sql.join(
          memberIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})
        order by st.name, st.id`,
      )
      for (const r of rows) out.set(r.member_id, [...(out.get(r.member_id) ?? []), { id: r.id, name: r.name }])
      return out
    },

    /** Active stations of one committee (optionally only some of them), by name. */
    stations(o: { committeeId: string; ids?: readonly string[] }) {
      return db
        .select({ id: station.id, name: station.name })
        .from(station)
        .where(
          and(
            eq(station.active, true),
            eq(station.committeeId, o.committeeId),
            o.ids ? (o.ids.length ? inArray(station.id, [...o.ids]) : sql`false`) : undefined,
          ),
        )
        .orderBy(asc(station.name), asc(station.id))
    },
  }
}
export type DeskRepo = ReturnType<typeof createDeskRepo>

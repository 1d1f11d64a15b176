import { count, eq } from 'drizzle-orm'
import { committee, member, station } from '../db/schema'
import type { Db } from '../db/database'

/** Data access for the organisation: committees and stations, with the committee path scope checks need. */
export function createOrgRepo(db: Db) {
  return {
    async findCommittee(id: string) {
      const [row] = await db.select().from(committee).where(eq(committee.id, id))
      return row
    },

    childrenOf(id: string) {
      return db.select().from(committee).where(eq(committee.parentId, id)).orderBy(committee.name)
    },

    async countsOf(committeeId: string) {
      const [stations] = await db.select({ n: count() }).from(station).where(eq(station.committeeId, committeeId))
      const [members] = await db.select({ n: count() }).from(member).where(eq(member.committeeId, committeeId))
      return { stationCount: stations?.n ?? 0, memberCount: members?.n ?? 0 }
    },

    async findStation(id: string) {
      const [row] = await db
        .select({ station, committeePath: committee.path })
        .from(station)
        .innerJoin(committee, eq(committee.id, station.committeeId))
        .where(eq(station.id, id))
      return row
    },
  }
}
export type OrgRepo = ReturnType<typeof createOrgRepo>

import { eq, inArray } from 'drizzle-orm'
import { appUser, committee, member, station, userStation } from '../db/schema'
import type { Db } from '../db/database'

export type NewUser = typeof appUser.$inferInsert

export function createUsersRepo(db: Db) {
  return {
    async committeePath(id: string): Promise<string | undefined> {
      const [row] = await db.select({ path: committee.path }).from(committee).where(eq(committee.id, id))
      return row?.path
    },

    async memberCommittee(memberId: string): Promise<string | undefined> {
      const [row] = await db.select({ committeeId: member.committeeId }).from(member).where(eq(member.id, memberId))
      return row?.committeeId
    },

    async stationCommittees(stationIds: string[]): Promise<Map<string, string>> {
      if (stationIds.length === 0) return new Map()
      const rows = await db.select({ id: station.id, committeeId: station.committeeId }).from(station)
        .where(inArray(station.id, stationIds))
      return new Map(rows.map((r) => [r.id, r.committeeId]))
    },

    /** The user and their stations in one transaction: no user without the scope it was created with. */
    async insertUser(user: NewUser, stationIds: string[]) {
      return db.transaction(async (tx) => {
        const [row] = await tx.insert(appUser).values(user).returning()
        if (stationIds.length > 0) {
          await tx.insert(userStation).values(stationIds.map((stationId) => ({ userId: row!.id, stationId })))
        }
        return row!
      })
    },
  }
}
export type UsersRepo = ReturnType<typeof createUsersRepo>

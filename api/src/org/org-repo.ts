import { and, asc, count, eq, sql, type SQL } from 'drizzle-orm'
import { appUser, cases, category, committee, member, sector, station, type CommitteeSettings } from '../db/schema'
import type { Db, DbOrTx } from '../db/database'
import type { Actor } from '../auth/actor'
import { committeeIdInScope } from '../auth/scope'

export type CommitteeRow = typeof committee.$inferSelect

/** Data access for the committee tree: the rows, their paths (for scope checks), what still hangs on one. */
export function createOrgRepo(db: Db) {
  return {
    async findCommittee(id: string, tx: DbOrTx = db): Promise<CommitteeRow | undefined> {
      const [row] = await tx.select().from(committee).where(eq(committee.id, id))
      return row
    },

    async committeePath(id: string): Promise<string | undefined> {
      const [row] = await db.select({ path: committee.path }).from(committee).where(eq(committee.id, id))
      return row?.path
    },

    childrenOf(id: string) {
      return db.select().from(committee).where(eq(committee.parentId, id)).orderBy(committee.name)
    },

    async countsOf(committeeId: string) {
      const [stations] = await db.select({ n: count() }).from(station).where(eq(station.committeeId, committeeId))
      const [members] = await db.select({ n: count() }).from(member).where(eq(member.committeeId, committeeId))
      return { stationCount: stations?.n ?? 0, memberCount: members?.n ?? 0 }
    },

    /** Committees in the actor's scope (optionally one's children), ordered as a tree reads (by path). */
    async list(actor: Actor, filter: { parentId?: string }, limit: number, offset: number) {
      const where = and(committeeIdInScope(actor, committee.id), filter.parentId ? eq(committee.parentId, filter.parentId) : undefined)
      const [rows, [total]] = await Promise.all([
        db.select().from(committee).where(where).orderBy(asc(committee.path), asc(committee.name)).limit(limit).offset(offset),
        db.select({ n: count() }).from(committee).where(where),
      ])
      return { rows, total: total?.n ?? 0 }
    },

    async insert(tx: DbOrTx, values: typeof committee.$inferInsert): Promise<CommitteeRow> {
      return (await tx.insert(committee).values(values).returning())[0]!
    },

    async update(tx: DbOrTx, id: string, patch: Partial<Pick<CommitteeRow, 'name' | 'shortCode' | 'defaultLocale' | 'settings'>>): Promise<CommitteeRow> {
      return (await tx.update(committee).set(patch).where(eq(committee.id, id)).returning())[0]!
    },

    async remove(tx: DbOrTx, id: string): Promise<void> {
      await tx.delete(committee).where(eq(committee.id, id))
    },

    /** What still belongs to a committee; one that has anything cannot be deleted. */
    async usage(id: string): Promise<Record<string, number>> {
      const n = async (
        table: typeof committee | typeof station | typeof member | typeof sector | typeof category | typeof appUser | typeof cases,
        column: SQL,
      ) =>
        (
          await db
            .select({ n: count() })
            .from(table)
            .where(sql`${column} = ${id}`)
        )[0]!.n
      const [children, stations, members, sectors, categories, users, caseCount] = await Promise.all([
        n(committee, sql`${committee.parentId}`),
        n(station, sql`${station.committeeId}`),
        n(member, sql`${member.committeeId}`),
        n(sector, sql`${sector.committeeId}`),
        n(category, sql`${category.committeeId}`),
        n(appUser, sql`${appUser.committeeId}`),
        n(cases, sql`${cases.committeeId}`),
      ])
      return { children, stations, members, sectors, categories, users, cases: caseCount }
    },

    async setSettings(tx: DbOrTx, id: string, settings: CommitteeSettings): Promise<void> {
      await tx.update(committee).set({ settings }).where(eq(committee.id, id))
    },
  }
}
export type OrgRepo = ReturnType<typeof createOrgRepo>

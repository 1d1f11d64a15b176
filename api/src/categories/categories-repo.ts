import { and, asc, count, eq, type SQL } from 'drizzle-orm'
import { category, committee, sector } from '../db/schema'
import type { Db, DbOrTx } from '../db/database'

export type CategoryRow = typeof category.$inferSelect

export function createCategoriesRepo(db: Db) {
  return {
    async list(committeeId: string, active: boolean | undefined, limit: number, offset: number) {
      const where: SQL | undefined = and(eq(category.committeeId, committeeId), active === undefined ? undefined : eq(category.active, active))
      const [rows, [total]] = await Promise.all([
        db.select().from(category).where(where).orderBy(asc(category.sortOrder), asc(category.id)).limit(limit).offset(offset),
        db.select({ n: count() }).from(category).where(where),
      ])
      return { rows, total: total?.n ?? 0 }
    },

    async find(id: string) {
      const [row] = await db
        .select({ category, committeePath: committee.path })
        .from(category)
        .innerJoin(committee, eq(committee.id, category.committeeId))
        .where(eq(category.id, id))
      return row
    },

    async sectorCommittee(id: string): Promise<string | undefined> {
      const [row] = await db.select({ committeeId: sector.committeeId }).from(sector).where(eq(sector.id, id))
      return row?.committeeId
    },

    async insert(tx: DbOrTx, values: typeof category.$inferInsert): Promise<CategoryRow> {
      return (await tx.insert(category).values(values).returning())[0]!
    },

    async update(tx: DbOrTx, id: string, patch: Partial<typeof category.$inferInsert>): Promise<CategoryRow> {
      return (await tx.update(category).set(patch).where(eq(category.id, id)).returning())[0]!
    },

    async remove(tx: DbOrTx, id: string) {
      await tx.delete(category).where(eq(category.id, id))
    },
  }
}
export type CategoriesRepo = ReturnType<typeof createCategoriesRepo>

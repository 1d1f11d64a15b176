import { asc, count, eq } from 'drizzle-orm'
import { category, committee, contact, member, sector } from '../db/schema'
import type { Db, DbOrTx } from '../db/database'

export type SectorRow = typeof sector.$inferSelect

export function createSectorsRepo(db: Db) {
  return {
    async list(committeeId: string, limit: number, offset: number) {
      const where = eq(sector.committeeId, committeeId)
      const [rows, [total]] = await Promise.all([
        db.select().from(sector).where(where).orderBy(asc(sector.sortOrder), asc(sector.name)).limit(limit).offset(offset),
        db.select({ n: count() }).from(sector).where(where),
      ])
      return { rows, total: total?.n ?? 0 }
    },

    async find(id: string) {
      const [row] = await db
        .select({ sector, committeePath: committee.path })
        .from(sector)
        .innerJoin(committee, eq(committee.id, sector.committeeId))
        .where(eq(sector.id, id))
      return row
    },

    async insert(tx: DbOrTx, values: typeof sector.$inferInsert): Promise<SectorRow> {
      return (await tx.insert(sector).values(values).returning())[0]!
    },

    async update(tx: DbOrTx, id: string, patch: Partial<Pick<SectorRow, 'name' | 'sortOrder'>>): Promise<SectorRow> {
      return (await tx.update(sector).set(patch).where(eq(sector.id, id)).returning())[0]!
    },

    async remove(tx: DbOrTx, id: string) {
      await tx.delete(sector).where(eq(sector.id, id))
    },

    /** Members, categories and 界别群众 contacts still filed under a sector. */
    async usage(id: string) {
      const [[m], [c], [k]] = await Promise.all([
        db.select({ n: count() }).from(member).where(eq(member.sectorId, id)),
        db.select({ n: count() }).from(category).where(eq(category.sectorId, id)),
        db.select({ n: count() }).from(contact).where(eq(contact.sectorId, id)),
      ])
      return { members: m!.n, categories: c!.n, contacts: k!.n }
    },
  }
}
export type SectorsRepo = ReturnType<typeof createSectorsRepo>

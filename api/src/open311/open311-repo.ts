import { and, asc, desc, eq, gte, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm'
import type { CaseStatus } from '@mashangjian/shared'
import type { Db, DbOrTx } from '../db/database'
import { cases, category, committee, open311Client, sector, station } from '../db/schema'

export type Open311ClientRow = typeof open311Client.$inferSelect

/** What GET requests may read of a case: never the phone, the tracking secret, the location text or the client. */
const publicCaseColumns = {
  id: cases.id,
  publicNo: cases.publicNo,
  status: cases.status,
  publishable: cases.publishable,
  publicText: cases.publicText,
  categoryId: cases.categoryId,
  categoryNames: category.names,
  stationName: station.name,
  channel: cases.channel,
  lat: cases.lat,
  lng: cases.lng,
  resolveDueAt: cases.resolveDueAt,
  createdAt: cases.createdAt,
  updatedAt: cases.updatedAt,
}

export interface RequestFilter {
  committeeId: string
  publicNos?: string[]
  categoryIds?: string[]
  statuses?: CaseStatus[]
  from?: Date
  to?: Date
  limit: number
}

export function createOpen311Repo(db: Db) {
  const casesQuery = (where: SQL | undefined) =>
    db
      .select(publicCaseColumns)
      .from(cases)
      .leftJoin(category, eq(category.id, cases.categoryId))
      .leftJoin(station, eq(station.id, cases.stationId))
      .where(where)

  return {
    /** The committee a jurisdiction_id names: its short code, any case. */
    async committeeByCode(code: string) {
      const [row] = await db
        .select()
        .from(committee)
        .where(sql`lower(${committee.shortCode}) = lower(${code})`)
      return row
    },

    /** Up to two committees: with exactly one, jurisdiction_id may be left out. */
    async someCommittees() {
      return db.select().from(committee).orderBy(asc(committee.createdAt)).limit(2)
    },

    async committeeById(id: string) {
      const [row] = await db.select().from(committee).where(eq(committee.id, id))
      return row
    },

    async activeCategories(committeeId: string) {
      return db
        .select({ category, sectorName: sector.name })
        .from(category)
        .leftJoin(sector, eq(sector.id, category.sectorId))
        .where(and(eq(category.committeeId, committeeId), eq(category.active, true)))
        .orderBy(asc(category.sortOrder), asc(category.id))
    },

    async category(id: string) {
      const [row] = await db.select().from(category).where(eq(category.id, id))
      return row
    },

    /** A live (not revoked) client by its key's hash. */
    async clientByKeyHash(keyHash: string) {
      const [row] = await db
        .select()
        .from(open311Client)
        .where(and(eq(open311Client.keyHash, keyHash), isNull(open311Client.revokedAt)))
      return row
    },

    /** The station a client's requests go to: its own while active, else the committee's first active station. */
    async routeStation(committeeId: string, preferred: string | null) {
      if (preferred) {
        const [own] = await db
          .select()
          .from(station)
          .where(and(eq(station.id, preferred), eq(station.committeeId, committeeId), eq(station.active, true)))
        if (own) return own
      }
      const [first] = await db
        .select()
        .from(station)
        .where(and(eq(station.committeeId, committeeId), eq(station.active, true)))
        .orderBy(asc(station.createdAt), asc(station.id))
        .limit(1)
      return first
    },

    /** Written in the case's transaction: who sent it, where, and when the client last used its key. */
    async markOpen311Case(tx: DbOrTx, caseId: string, clientId: string, point: { lat: number; lng: number } | null, now: Date) {
      await tx
        .update(cases)
        .set({ open311ClientId: clientId, ...(point && { lat: point.lat, lng: point.lng }) })
        .where(eq(cases.id, caseId))
      await tx.update(open311Client).set({ lastUsedAt: now }).where(eq(open311Client.id, clientId))
    },

    async findRequests(f: RequestFilter) {
      const where = and(
        eq(cases.committeeId, f.committeeId),
        f.publicNos ? inArray(cases.publicNo, f.publicNos) : undefined,
        f.categoryIds ? inArray(cases.categoryId, f.categoryIds) : undefined,
        f.statuses ? inArray(cases.status, f.statuses) : undefined,
        f.from ? gte(cases.createdAt, f.from) : undefined,
        f.to ? lte(cases.createdAt, f.to) : undefined,
      )
      return casesQuery(where).orderBy(desc(cases.createdAt), desc(cases.id)).limit(f.limit)
    },

    async requestById(committeeId: string, caseId: string) {
      const [row] = await casesQuery(and(eq(cases.committeeId, committeeId), eq(cases.id, caseId)))
      return row
    },

    // The console's side: clients of a committee, issue, revoke.
    async listClients(committeeId: string) {
      return db
        .select({ client: open311Client, stationName: station.name })
        .from(open311Client)
        .leftJoin(station, eq(station.id, open311Client.stationId))
        .where(eq(open311Client.committeeId, committeeId))
        .orderBy(desc(open311Client.createdAt), desc(open311Client.id))
    },

    async findClient(id: string) {
      const [row] = await db
        .select({ client: open311Client, committeePath: committee.path, stationName: station.name })
        .from(open311Client)
        .innerJoin(committee, eq(committee.id, open311Client.committeeId))
        .leftJoin(station, eq(station.id, open311Client.stationId))
        .where(eq(open311Client.id, id))
      return row
    },

    async stationOf(id: string) {
      const [row] = await db.select().from(station).where(eq(station.id, id))
      return row
    },

    async insertClient(tx: DbOrTx, values: typeof open311Client.$inferInsert): Promise<Open311ClientRow> {
      return (await tx.insert(open311Client).values(values).returning())[0]!
    },

    async revokeClient(tx: DbOrTx, id: string, now: Date): Promise<Open311ClientRow | undefined> {
      const [row] = await tx
        .update(open311Client)
        .set({ revokedAt: now })
        .where(and(eq(open311Client.id, id), isNull(open311Client.revokedAt)))
        .returning()
      return row
    },
  }
}
export type Open311Repo = ReturnType<typeof createOpen311Repo>
export type Open311CaseRow = Awaited<ReturnType<Open311Repo['findRequests']>>[number]

import { and, count, desc, eq, getTableColumns, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm'
import { member, memberImport, memberStation, sector, station } from '../db/schema'
import type { Db, DbOrTx } from '../db/database'
import type { ExistingMember } from './roster-diff'
import type { Actor } from '../auth/actor'
import { committeeIdInScope } from '../auth/scope'

export type ImportRow = typeof memberImport.$inferSelect

const memberColumns = {
  id: member.id,
  name: member.name,
  level: member.level,
  sectorId: member.sectorId,
  title: member.title,
  status: member.status,
  phoneHash: member.phoneHash,
  phoneMasked: member.phoneMasked,
  stationIds: sql<
    string[]
  >`coalesce((select array_agg(ms.station_id::text order by ms.created_at, ms.station_id) from member_station ms where ms.member_id = ${member.id}), '{}')`,
}
type MemberLookupRow = Omit<ExistingMember, 'manageable'>

/** Data access for roster imports: the import rows themselves and what a plan is computed from. */
export function createImportsRepo(db: Db) {
  return {
    async insert(values: typeof memberImport.$inferInsert): Promise<ImportRow> {
      return (await db.insert(memberImport).values(values).returning())[0]!
    },

    async find(id: string): Promise<ImportRow | undefined> {
      return (await db.select().from(memberImport).where(eq(memberImport.id, id)))[0]
    },

    /** The actor's recent imports (a station admin: their own uploads), newest first, without rows or diff. */
    async list(actor: Actor, committeeId: string | undefined, limit: number, offset: number) {
      const where = and(
        committeeIdInScope(actor, memberImport.committeeId),
        actor.role === 'station_admin' ? eq(memberImport.createdBy, actor.userId) : undefined,
        committeeId ? eq(memberImport.committeeId, committeeId) : undefined,
      )
      const { rows: _rows, diff: _diff, ...columns } = getTableColumns(memberImport)
      const [items, [total]] = await Promise.all([
        db.select(columns).from(memberImport).where(where).orderBy(desc(memberImport.createdAt), desc(memberImport.id)).limit(limit).offset(offset),
        db.select({ n: count() }).from(memberImport).where(where),
      ])
      return { rows: items.map((r) => ({ ...r, rows: null, diff: null })), total: total?.n ?? 0 }
    },

    async update(id: string, patch: Partial<typeof memberImport.$inferInsert>, tx: DbOrTx = db): Promise<void> {
      await tx
        .update(memberImport)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(eq(memberImport.id, id))
    },

    /** Moves an import from `from` to `applying`; false if someone else did first (a double click, another node). */
    async claim(id: string, patch: Partial<typeof memberImport.$inferInsert>): Promise<boolean> {
      const rows = await db
        .update(memberImport)
        .set({ ...patch, status: 'applying', processedRows: 0, updatedAt: sql`now()` })
        .where(and(eq(memberImport.id, id), eq(memberImport.status, 'ready')))
        .returning({ id: memberImport.id })
      return rows.length === 1
    },

    /**
     * Settles an import that is still in `status` (and, with `idleSeconds`, has not moved for that long by the
     * database's clock, which progress writes use too). Conditional, so it never overwrites an end state reached
     * meanwhile (the work finishing between our read and this write).
     */
    async settle(
      id: string,
      status: 'ready' | 'validating' | 'applying',
      patch: Partial<typeof memberImport.$inferInsert>,
      idleSeconds?: number,
    ): Promise<void> {
      await db
        .update(memberImport)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(
          and(
            eq(memberImport.id, id),
            eq(memberImport.status, status),
            idleSeconds === undefined ? undefined : sql`${memberImport.updatedAt} < now() - make_interval(secs => ${idleSeconds})`,
          ),
        )
    },

    /** Progress of work in flight; ignored once the import has moved on (a late write never undoes the end state). */
    async progress(id: string, status: 'validating' | 'applying', processed: number): Promise<void> {
      await db
        .update(memberImport)
        .set({ processedRows: sql`greatest(${memberImport.processedRows}, ${processed})`, updatedAt: sql`now()` })
        .where(and(eq(memberImport.id, id), eq(memberImport.status, status)))
    },

    /** Expired plans lose their rows (encrypted phones) at once; the records themselves go after `keepUntil`. */
    async purge(now: Date, keepUntil: Date): Promise<void> {
      await db
        .update(memberImport)
        .set({ rows: null })
        .where(and(lt(memberImport.expiresAt, now), isNotNull(memberImport.rows)))
      await db.delete(memberImport).where(lt(memberImport.createdAt, keepUntil))
    },

    async sectors(committeeId: string, tx: DbOrTx = db) {
      return tx.select({ id: sector.id, name: sector.name }).from(sector).where(eq(sector.committeeId, committeeId))
    },

    async stations(committeeId: string, tx: DbOrTx = db) {
      return tx.select({ id: station.id, name: station.name }).from(station).where(eq(station.committeeId, committeeId))
    },

    /** Members of the committee with one of these phones (keyed hashes); `lock` when about to write them. */
    async membersByPhoneHash(committeeId: string, hashes: string[], tx: DbOrTx = db, lock = false): Promise<MemberLookupRow[]> {
      if (hashes.length === 0) return []
      const q = tx
        .select(memberColumns)
        .from(member)
        .where(and(eq(member.committeeId, committeeId), inArray(member.phoneHash, hashes)))
      return (lock ? q.for('update', { of: member }) : q) as Promise<MemberLookupRow[]>
    },

    /** Members of the committee without a phone on record, with one of these names. */
    async phonelessByName(committeeId: string, names: string[], tx: DbOrTx = db, lock = false): Promise<MemberLookupRow[]> {
      if (names.length === 0) return []
      const q = tx
        .select(memberColumns)
        .from(member)
        .where(and(eq(member.committeeId, committeeId), isNull(member.phoneHash), inArray(member.name, names)))
      return (lock ? q.for('update', { of: member }) : q) as Promise<MemberLookupRow[]>
    },

    async insertMembers(tx: DbOrTx, rows: (typeof member.$inferInsert)[]) {
      if (rows.length > 0) await tx.insert(member).values(rows)
    },

    async insertMemberStations(tx: DbOrTx, links: { memberId: string; stationId: string }[]) {
      if (links.length > 0) await tx.insert(memberStation).values(links).onConflictDoNothing()
    },

    async updateMember(tx: DbOrTx, id: string, patch: Partial<typeof member.$inferInsert>) {
      await tx
        .update(member)
        .set({ ...patch, updatedAt: sql`now()` })
        .where(eq(member.id, id))
    },
  }
}
export type ImportsRepo = ReturnType<typeof createImportsRepo>

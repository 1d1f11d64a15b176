import { and, desc, eq, sql } from 'drizzle-orm'
import { committeeSubtreeIds } from '../auth/scope'
import { queryRows, type Db, type DbOrTx } from '../db/database'
import { cases, contact, sector } from '../db/schema'

export type ContactRow = typeof contact.$inferSelect & { sectorName: string | null; casePublicNo: string | null }

export interface ContactTotalsRow {
  memberId: string
  memberName: string
  committeeName: string
  count: number
  target: number
}

/** [1 January, 1 January next year) as Beijing days. */
const yearDays = (year: number) => ({ from: `${year}-01-01`, to: `${year + 1}-01-01` })

export function createContactsRepo(db: Db) {
  const select = (q: DbOrTx) =>
    q
      .select({ c: contact, sectorName: sector.name, casePublicNo: cases.publicNo })
      .from(contact)
      .leftJoin(sector, eq(sector.id, contact.sectorId))
      .leftJoin(cases, eq(cases.id, contact.caseId))
  const flat = (r: { c: typeof contact.$inferSelect; sectorName: string | null; casePublicNo: string | null }): ContactRow => ({
    ...r.c,
    sectorName: r.sectorName,
    casePublicNo: r.casePublicNo,
  })

  return {
    async load(id: string, q: DbOrTx = db): Promise<ContactRow | undefined> {
      const [row] = await select(q).where(eq(contact.id, id))
      return row && flat(row)
    },

    async byOpId(opId: string, q: DbOrTx = db): Promise<ContactRow | undefined> {
      const [row] = await select(q).where(eq(contact.opId, opId))
      return row && flat(row)
    },

    /** One member's contacts, newest meeting first, keyset on (met_on, id) over contact_member_idx. */
    async listOwn(memberId: string, year: number | undefined, limit: number, after?: { metOn: string; id: string }) {
      const y = year ? yearDays(year) : undefined
      const rows = await select(db)
        .where(
          and(
            eq(contact.memberId, memberId),
            y ? sql`${contact.metOn} >= ${y.from}::date and ${contact.metOn} < ${y.to}::date` : undefined,
            after ? sql`(${contact.metOn}, ${contact.id}) < (${after.metOn}::date, ${after.id}::uuid)` : undefined,
          ),
        )
        .orderBy(desc(contact.metOn), desc(contact.id))
        .limit(limit + 1)
      return { rows: rows.slice(0, limit).map(flat), more: rows.length > limit }
    },

    async insert(tx: DbOrTx, values: typeof contact.$inferInsert): Promise<string> {
      const [row] = await tx.insert(contact).values(values).returning({ id: contact.id })
      return row!.id
    },

    async update(tx: DbOrTx, id: string, values: Partial<typeof contact.$inferInsert>): Promise<void> {
      await tx.update(contact).set(values).where(eq(contact.id, id))
    },

    /** Sets case_id / report_id only if still empty: two conversions at once make one link. Answers whether it set it. */
    async link(tx: DbOrTx, id: string, to: { caseId: string } | { reportId: string }, now: Date): Promise<boolean> {
      const rows = await tx
        .update(contact)
        .set({ ...to, updatedAt: now })
        .where(and(eq(contact.id, id), 'caseId' in to ? sql`${contact.caseId} is null` : sql`${contact.reportId} is null`))
        .returning({ id: contact.id })
      return rows.length > 0
    },

    /**
     * Per member of a committee subtree or of a station: contacts met in the year against the member's own yearly
     * target (member.contact_target_per_year). Counts only; never a contact's name or phone.
     */
    async totals(scope: { kind: 'committee' | 'station'; id: string }, year: number): Promise<ContactTotalsRow[]> {
      const y = yearDays(year)
      const inScope =
        scope.kind === 'committee'
          ? sql`m.committee_id in ${committeeSubtreeIds(scope.id)}`
          : sql`exists (select 1 from member_station ms where ms.member_id = m.id and ms.station_id = ${scope.id})`
      return queryRows<ContactTotalsRow>(
        db,
        sql`
        select m.id as "memberId", m.name as "memberName", k.name as "committeeName", m.contact_target_per_year as target,
          (select count(*)::int from contact c where c.member_id = m.id and c.met_on >= ${y.from}::date and c.met_on < ${y.to}::date) as count
        from member m join committee k on k.id = m.committee_id
        where ${inScope} order by m.name, m.id`,
      )
    },

    /** Whether a sector is one of the committee's (a contact is filed under its member's committee's sectors). */
    async sectorOf(sectorId: string, committeeId: string): Promise<boolean> {
      const [s] = await db
        .select({ id: sector.id })
        .from(sector)
        .where(and(eq(sector.id, sectorId), eq(sector.committeeId, committeeId)))
      return !!s
    },

    /** The member's stations (the first is where a contact's case is filed by default). */
    async memberStations(memberId: string): Promise<string[]> {
      const rows = await queryRows<{ id: string }>(
        db,
        sql`select ms.station_id as id from member_station ms join station st on st.id = ms.station_id where ms.member_id = ${memberId} order by st.name, st.id`,
      )
      return rows.map((r) => r.id)
    },
  }
}
export type ContactsRepo = ReturnType<typeof createContactsRepo>

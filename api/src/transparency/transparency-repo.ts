import { and, asc, eq, sql } from 'drizzle-orm'
import { committee, station } from '../db/schema'
import { committeeSubtreeIds } from '../auth/scope'
import { queryRows, type DbOrTx } from '../db/database'

export interface PublicCommittee {
  id: string
  name: string
  shortCode: string
}
export interface PublicStation {
  id: string
  name: string
}
/** One published matter as stored: the text is raw here and masked by the service before anyone sees it. */
export interface PublishedRow {
  id: string
  names: Record<string, string> | null
  resolvedAt: Date
  publicText: string | null
  reply: string | null
}
/** What the publication rules need to know about a case. */
export interface PublicationRow {
  id: string
  publicNo: string
  status: string
  memberId: string | null
  stationId: string | null
  committeePath: string
  publishable: boolean
  publicText: string | null
  publishedAt: Date | null
  reply: string | null
}

const asDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v))

/**
 * SQL of the transparency page (/p/…) and of the staff's publication switch. Only columns meant for the public
 * are read for the page: never the description, location, phone or names of residents.
 */
export function createTransparencyRepo(db: DbOrTx) {
  return {
    /** A committee by its short code, whatever the case the visitor typed it in. */
    async committeeByCode(code: string): Promise<PublicCommittee | undefined> {
      const [row] = await db
        .select({ id: committee.id, name: committee.name, shortCode: committee.shortCode })
        .from(committee)
        .where(sql`upper(${committee.shortCode}) = upper(${code})`)
      return row
    },

    /** The committee's active stations, in a stable order. */
    async stations(committeeId: string): Promise<PublicStation[]> {
      return db
        .select({ id: station.id, name: station.name })
        .from(station)
        .where(and(eq(station.committeeId, committeeId), eq(station.active, true)))
        .orderBy(asc(station.name), asc(station.id))
    },

    /**
     * Resolved or closed matters staff marked publishable in the committee's subtree (a city's page lists its
     * counties' matters, as its figures count them), newest 办结 first; `limit + 1` rows are asked for so the
     * caller knows whether there is a next page. The member's answer is the last public 'resolved' event's text.
     */
    async published(committeeId: string, stationId: string | null, limit: number, offset: number): Promise<PublishedRow[]> {
      const rows = await queryRows<{
        id: string
        names: Record<string, string> | null
        resolved_at: Date | string
        public_text: string | null
        reply: string | null
      }>(
        db,
        sql`
        select c.id, cat.names, c.resolved_at, c.public_text,
          (select e.body from case_event e where e.case_id = c.id and e.type = 'resolved' and e.visibility = 'public' order by e.id desc limit 1) as reply
        from cases c left join category cat on cat.id = c.category_id
        where c.committee_id in ${committeeSubtreeIds(committeeId)} and c.publishable and c.resolved_at is not null
          and c.status in ('resolved', 'closed') ${stationId ? sql`and c.station_id = ${stationId}` : sql``}
        order by c.resolved_at desc, c.id desc
        limit ${limit} offset ${offset}`,
      )
      return rows.map((r) => ({ id: r.id, names: r.names, resolvedAt: asDate(r.resolved_at)!, publicText: r.public_text, reply: r.reply }))
    },

    /** `lock` takes the case's row lock (inside the caller's transaction) so two editors do not interleave. */
    async publication(caseId: string, q: DbOrTx = db, lock = false): Promise<PublicationRow | undefined> {
      const [r] = await queryRows<{
        id: string
        public_no: string
        status: string
        member_id: string | null
        station_id: string | null
        path: string
        publishable: boolean
        public_text: string | null
        published_at: Date | string | null
        reply: string | null
      }>(
        q,
        sql`
        select c.id, c.public_no, c.status, c.member_id, c.station_id, k.path, c.publishable, c.public_text, c.published_at,
          (select e.body from case_event e where e.case_id = c.id and e.type = 'resolved' and e.visibility = 'public' order by e.id desc limit 1) as reply
        from cases c join committee k on k.id = c.committee_id where c.id = ${caseId}
        ${lock ? sql`for update of c` : sql``}`,
      )
      return (
        r && {
          id: r.id,
          publicNo: r.public_no,
          status: r.status,
          memberId: r.member_id,
          stationId: r.station_id,
          committeePath: r.path,
          publishable: r.publishable,
          publicText: r.public_text,
          publishedAt: asDate(r.published_at),
          reply: r.reply,
        }
      )
    },

    /**
     * Sets the switch and the moderated text. Deliberately leaves `version`, `status` and `updated_at` alone: this
     * is no step of the case's handling, so members' offline copies and the sync feed are not disturbed by it.
     */
    async setPublication(q: DbOrTx, caseId: string, values: { publishable: boolean; publicText: string | null; publishedAt: Date | null }): Promise<void> {
      await q.execute(sql`update cases set publishable = ${values.publishable}, public_text = ${values.publicText},
        published_at = ${values.publishedAt ? values.publishedAt.toISOString() : null}::timestamptz where id = ${caseId}`)
    },
  }
}
export type TransparencyRepo = ReturnType<typeof createTransparencyRepo>

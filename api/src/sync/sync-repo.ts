import { sql, type SQL } from 'drizzle-orm'
import { queryRows, type Db } from '../db/database'
import type { Actor } from '../auth/actor'
import { committeeSubtreeIds } from '../auth/scope'

export interface ChangeRow {
  id: string
  xid: string
  case_id: string
  version: number
}
export interface Cursor {
  xid: string
  id: string
}

/** Change rows that concern the actor: the case is, or was until this change, theirs to see. */
function concerns(actor: Actor): SQL {
  switch (actor.role) {
    case 'member':
      return actor.memberId ? sql`(ch.member_id = ${actor.memberId} or ch.prev_member_id = ${actor.memberId})` : sql`false`
    case 'station_admin': {
      if (!actor.committeeId || actor.stationIds.length === 0) return sql`false`
      const ids = sql.join(
        actor.stationIds.map((s) => sql`${s}::uuid`),
        sql`, `,
      )
      return sql`ch.committee_id = ${actor.committeeId} and (ch.station_id in (${ids}) or ch.prev_station_id in (${ids}))`
    }
    case 'committee_admin':
      return actor.committeeId ? sql`ch.committee_id in ${committeeSubtreeIds(actor.committeeId)}` : sql`false`
    case 'system_admin':
      return sql`true`
  }
}

/**
 * The sync feed's one query. Rows are served in (xid, id) order and only below the oldest transaction still
 * running (`pg_snapshot_xmin`): a transaction that began earlier but commits later has a smaller xid than
 * that watermark until it ends, so nothing it wrote can be passed over by a cursor.
 */
export function createSyncRepo(db: Db) {
  return {
    async watermark(): Promise<string> {
      const [row] = await queryRows<{ xmin: string }>(db, sql`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`)
      return row!.xmin
    },

    async page(actor: Actor, after: Cursor, limit: number): Promise<{ rows: ChangeRow[]; watermark: string }> {
      const rows = await queryRows<ChangeRow & { watermark: string }>(
        db,
        sql`
        with w as (select pg_snapshot_xmin(pg_current_snapshot()) as xmin)
        select ch.id::text as id, ch.xid::text as xid, ch.case_id, ch.version, w.xmin::text as watermark
        from w left join case_change ch
          on (ch.xid, ch.id) > (${after.xid}::xid8, ${after.id}::bigint) and ch.xid < w.xmin and ${concerns(actor)}
        order by ch.xid, ch.id
        limit ${limit}`,
      )
      return { rows: rows.filter((r) => r.id !== null), watermark: rows[0]!.watermark }
    },
  }
}
export type SyncRepo = ReturnType<typeof createSyncRepo>

import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../db/database'
import { MEASURE_COLUMNS, type CaseFacts } from './case-facts'
import type { DeltaRow } from './metric-deltas'

/**
 * The aggregator's writes, each batch as a few set-based statements: rows travel as one JSON parameter and
 * are unpacked with jsonb_to_recordset, which both drivers handle alike and which has no parameter limit.
 */

/** Rows per statement: a few hundred kilobytes of JSON. */
const WRITE_CHUNK = 5_000

const chunks = <T>(rows: T[]): T[][] =>
  Array.from({ length: Math.ceil(rows.length / WRITE_CHUNK) }, (_, i) => rows.slice(i * WRITE_CHUNK, (i + 1) * WRITE_CHUNK))

const measureSet = sql.raw(MEASURE_COLUMNS.map((c) => `${c} = t.${c} + excluded.${c}`).join(', '))
const measureValues = sql.raw(MEASURE_COLUMNS.map((_, i) => `v.m[${i + 1}]`).join(', '))

const allZero = sql.raw([...MEASURE_COLUMNS.map((c) => `t.${c} = 0`), 't.accept_minutes_hist is null', 't.resolve_minutes_hist is null'].join(' and '))

/**
 * Adds delta rows onto metric_day or metric_month: histograms element-wise with metric_hist_add (migration
 * 0003). Rows a subtraction may have emptied (a case moved to another member, day or category) are deleted,
 * so the tables hold what a rebuild would write and no more.
 */
export async function writeDeltas(tx: DbOrTx, table: 'metric_day' | 'metric_month', rows: DeltaRow[]) {
  for (const chunk of chunks(rows)) {
    await tx.execute(sql`
      insert into ${sql.raw(table)} as t (grain, scope_id, day, category_id, ${sql.raw(MEASURE_COLUMNS.join(', '))}, accept_minutes_hist, resolve_minutes_hist)
      select v.grain, v.scope_id, v.day, v.category_id, ${measureValues}, v.ah, v.rh
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb)
        as v(grain text, scope_id uuid, day date, category_id uuid, m int[], ah int[], rh int[])
      on conflict (grain, scope_id, day, category_id) do update set ${measureSet},
        accept_minutes_hist = metric_hist_add(t.accept_minutes_hist, excluded.accept_minutes_hist),
        resolve_minutes_hist = metric_hist_add(t.resolve_minutes_hist, excluded.resolve_minutes_hist)`)
  }
  const shrunk = rows.filter((r) => r.m.some((v) => v < 0) || r.ah?.includes('-') || r.rh?.includes('-'))
  for (const chunk of chunks(shrunk)) {
    const keys = chunk.map(({ grain, scope_id, day, category_id }) => ({ grain, scope_id, day, category_id }))
    await tx.execute(sql`
      delete from ${sql.raw(table)} t using jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) as v(grain text, scope_id uuid, day date, category_id uuid)
      where t.grain = v.grain and t.scope_id = v.scope_id and t.day = v.day and t.category_id is not distinct from v.category_id and ${allZero}`)
  }
}

/** A case and the facts it is now counted with. */
export interface CountedCase {
  caseId: string
  facts: CaseFacts
}

/** Records what each case is now counted as (`keep`), and forgets cases that count for nothing any more (`drop`). */
export async function writeStates(tx: DbOrTx, keep: CountedCase[], drop: string[]) {
  for (const chunk of chunks(keep)) {
    const rows = chunk.map(({ caseId, facts: f }) => ({
      case_id: caseId,
      committee_id: f.committeeId,
      station_id: f.stationId,
      member_id: f.memberId,
      category_id: f.categoryId,
      facts: f.days,
    }))
    await tx.execute(sql`
      insert into case_metric_state (case_id, committee_id, station_id, member_id, category_id, facts)
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as v(case_id uuid, committee_id uuid, station_id uuid, member_id uuid, category_id uuid, facts jsonb)
      on conflict (case_id) do update set committee_id = excluded.committee_id, station_id = excluded.station_id,
        member_id = excluded.member_id, category_id = excluded.category_id, facts = excluded.facts`)
  }
  if (drop.length > 0) await tx.execute(sql`delete from case_metric_state where case_id = any(${`{${drop.join(',')}}`}::uuid[])`)
}

import { sql } from 'drizzle-orm'
import { bigint, check, date, integer, jsonb, pgTable, smallint, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core'
import { METRIC_GRAINS } from '../../metrics/case-facts'
import { oneOf } from './columns'
import { xid8 } from './cases'

/**
 * Pre-aggregated metrics (DESIGN.md §11): what metrics/case-facts.ts says each case contributes, summed per
 * Beijing day (metric_day) and per Beijing month (metric_month, so a year reads 12 rows per key instead of 365).
 * Only metrics/metrics-aggregator.ts writes them, from the `case_change` log, never the request path.
 *
 * One row per (grain, scope, day, category); `category_id` null is "uncategorised", and the unique key treats
 * nulls as equal (NULLS NOT DISTINCT, PostgreSQL 15+) so an upsert finds that row like any other.
 */
function metricColumns() {
  return {
    /** committee: the case's own committee (a subtree query sums its committees); station; member. */
    grain: text('grain', { enum: METRIC_GRAINS }).notNull(),
    scopeId: uuid('scope_id').notNull(),
    /** The Beijing calendar day; in metric_month the first day of the month. */
    day: date('day', { mode: 'string' }).notNull(),
    categoryId: uuid('category_id'),
    assigned: integer('assigned').notNull().default(0),
    acceptedOnTime: integer('accepted_on_time').notNull().default(0),
    returned: integer('returned').notNull().default(0),
    due: integer('due').notNull().default(0),
    resolvedOfDue: integer('resolved_of_due').notNull().default(0),
    rated: integer('rated').notNull().default(0),
    satisfied: integer('satisfied').notNull().default(0),
    basicallySatisfied: integer('basically_satisfied').notNull().default(0),
    resolved: integer('resolved').notNull().default(0),
    reopened: integer('reopened').notNull().default(0),
    /** Valid cases created that day (byCategory / bySector). */
    cases: integer('cases').notNull().default(0),
    /**
     * Counts per minutes bucket (metrics/histogram.ts), subscript = bucket + 1, trimmed to the non-zero range
     * (lower bound kept, e.g. `[18:19]={3,1}`), null when empty: most rows hold one or two buckets.
     */
    acceptMinutesHist: integer('accept_minutes_hist').array(),
    resolveMinutesHist: integer('resolve_minutes_hist').array(),
  }
}

export const metricDay = pgTable('metric_day', metricColumns(), (t) => [
  unique('metric_day_key').on(t.grain, t.scopeId, t.day, t.categoryId).nullsNotDistinct(),
  oneOf('metric_day_grain_check', t.grain, METRIC_GRAINS),
])

export const metricMonth = pgTable('metric_month', metricColumns(), (t) => [
  unique('metric_month_key').on(t.grain, t.scopeId, t.day, t.categoryId).nullsNotDistinct(),
  oneOf('metric_month_grain_check', t.grain, METRIC_GRAINS),
])

/**
 * What each case was last counted as, so a change subtracts exactly that and adds its new facts (even if the
 * fact rules changed in between; a rebuild then brings everything to the new rules).
 */
export const caseMetricState = pgTable('case_metric_state', {
  caseId: uuid('case_id').primaryKey(),
  committeeId: uuid('committee_id').notNull(),
  stationId: uuid('station_id'),
  memberId: uuid('member_id'),
  categoryId: uuid('category_id'),
  /** `[[day, measure bit mask, accept bucket | null, resolve bucket | null], …]` (metrics/case-facts.ts). */
  facts: jsonb('facts').$type<[string, number, number | null, number | null][]>().notNull(),
})

/**
 * The aggregator's position in `case_change` (one row, id 1): the last (xid, id) counted. `rebuild_after` is
 * set while a rebuild walks the cases in (committee_id, created_at, id) order: `[]` before the first case,
 * then the key of the last case done; null when no rebuild is under way. `caught_up_at` is when a run last
 * reached the end of the log: the `asOf` of the API.
 */
export const metricCursor = pgTable(
  'metric_cursor',
  {
    id: smallint('id').primaryKey().default(1),
    xid: xid8('xid').notNull(),
    changeId: bigint('change_id', { mode: 'number' }).notNull(),
    rebuildAfter: jsonb('rebuild_after').$type<[] | [committeeId: string, createdAt: string, id: string]>(),
    caughtUpAt: timestamp('caught_up_at', { withTimezone: true }),
    rebuiltAt: timestamp('rebuilt_at', { withTimezone: true }),
  },
  () => [check('metric_cursor_one_row', sql`id = 1`)],
)

import { eq, sql, type SQL } from 'drizzle-orm'
import { committeeSubtreeIds } from '../auth/scope'
import type { MetricsScopeKind } from '@mashangjian/shared'
import { committee, member, memberStation, station } from '../db/schema'
import { queryRows, type DbOrTx } from '../db/database'
import { MEASURE_COLUMNS, MEASURES, type Measure } from './case-facts'
import { addInto, type Hist } from './histogram'

export interface MetricsScope {
  kind: MetricsScopeKind
  id: string
}
/** [from, to) as Beijing calendar days 'YYYY-MM-DD'. */
export interface DayPeriod {
  from: string
  to: string
}
export interface MonthSums {
  measures: Record<Measure, number>
  accept: Hist
  resolve: Hist
}
export interface CategoryCount {
  categoryId: string | null
  names: Record<string, string> | null
  sectorId: string | null
  sectorName: string | null
  cases: number
}

const nextMonth = (day: string) => {
  const [y, m] = day.split('-').map(Number) as [number, number]
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`
}

/**
 * Which rows cover [from, to): whole months from metric_month, the days before the first and after the last
 * whole month from metric_day. A year reads 12 rows per (scope, category) instead of 365.
 */
export function coverOf({ from, to }: DayPeriod): { months: [string, string] | null; days: [string, string][] } {
  const firstMonth = from.endsWith('-01') ? from : nextMonth(from)
  const endMonth = `${to.slice(0, 7)}-01`
  if (firstMonth >= endMonth) return { months: null, days: [[from, to]] }
  const days: [string, string][] = []
  if (from < firstMonth) days.push([from, firstMonth])
  if (endMonth < to) days.push([endMonth, to])
  return { months: [firstMonth, endMonth], days }
}

/** Rows of one grain: a committee's subtree sums the committee rows of every committee in it. */
function metricScope(scope: MetricsScope): SQL {
  switch (scope.kind) {
    case 'committee':
      return sql`m.grain = 'committee' and m.scope_id in ${committeeSubtreeIds(scope.id)}`
    case 'station':
      return sql`m.grain = 'station' and m.scope_id = ${scope.id}`
    case 'member':
      return sql`m.grain = 'member' and m.scope_id = ${scope.id}`
  }
}

/** Sargable scope filters on `cases` for the live overdue count: each matches the leading column of an index. */
function caseScope(scope: MetricsScope): SQL {
  switch (scope.kind) {
    case 'committee':
      return sql`c.committee_id in ${committeeSubtreeIds(scope.id)}`
    case 'station':
      return sql`c.station_id = ${scope.id}`
    case 'member':
      return sql`c.member_id = ${scope.id}`
  }
}

type SumRow = {
  kind: 'c' | 'a' | 'r'
  month: string
  category_id: string | null
  bucket: number | null
  m: number[]
  names: Record<string, string> | null
  sector_id: string | null
  sector_name: string | null
}
const measureList = sql.raw(MEASURE_COLUMNS.map((c) => `m.${c}`).join(', '))
const measureSums = sql.raw(`array[${MEASURE_COLUMNS.map((c) => `sum(r.${c})`).join(', ')}]::int[]`)

export function createMetricsRepo(db: DbOrTx) {
  return {
    /**
     * Sums of the pre-aggregated rows (metrics-aggregator.ts) per Beijing month: measures and minutes
     * histograms per month, and valid cases created per category over the whole period. One statement.
     */
    async summaries(scope: MetricsScope, period: DayPeriod): Promise<{ months: Map<string, MonthSums>; categories: CategoryCount[] }> {
      const cover = coverOf(period)
      const parts: SQL[] = []
      if (cover.months) {
        parts.push(sql`select to_char(m.day, 'YYYY-MM') as month, m.category_id, ${measureList}, m.accept_minutes_hist as ah, m.resolve_minutes_hist as rh
          from metric_month m where ${metricScope(scope)} and m.day >= ${cover.months[0]}::date and m.day < ${cover.months[1]}::date`)
      }
      if (cover.days.length > 0) {
        const ranges = sql.join(
          cover.days.map(([a, b]) => sql`(m.day >= ${a}::date and m.day < ${b}::date)`),
          sql` or `,
        )
        parts.push(sql`select to_char(m.day, 'YYYY-MM') as month, m.category_id, ${measureList}, m.accept_minutes_hist as ah, m.resolve_minutes_hist as rh
          from metric_day m where ${metricScope(scope)} and (${ranges})`)
      }
      const rows = await queryRows<SumRow>(
        db,
        sql`
        with r as materialized (${sql.join(parts, sql` union all `)})
        select 'c' as kind, s.month, s.category_id, null::int as bucket, s.m, cat.names, cat.sector_id, sec.name as sector_name
        from (select r.month, r.category_id, ${measureSums} as m from r group by r.month, r.category_id) s
          left join category cat on cat.id = s.category_id left join sector sec on sec.id = cat.sector_id
        union all
        select 'a', r.month, null, i - 1, array[sum(r.ah[i])]::int[], null, null, null from r cross join lateral generate_subscripts(r.ah, 1) i group by r.month, i
        union all
        select 'r', r.month, null, i - 1, array[sum(r.rh[i])]::int[], null, null, null from r cross join lateral generate_subscripts(r.rh, 1) i group by r.month, i`,
      )

      const months = new Map<string, MonthSums>()
      const monthOf = (month: string) => {
        let s = months.get(month)
        if (!s)
          months.set(
            month,
            (s = { measures: Object.fromEntries(MEASURES.map((k) => [k, 0])) as Record<Measure, number>, accept: new Map(), resolve: new Map() }),
          )
        return s
      }
      const categories = new Map<string | null, CategoryCount>()
      for (const row of rows) {
        const s = monthOf(row.month)
        if (row.kind !== 'c') {
          addInto(row.kind === 'a' ? s.accept : s.resolve, [[row.bucket!, Number(row.m[0])]])
          continue
        }
        MEASURES.forEach((k, i) => {
          s.measures[k] += Number(row.m[i])
        })
        const cases = Number(row.m[MEASURES.indexOf('cases')])
        const c = categories.get(row.category_id)
        if (c) c.cases += cases
        else categories.set(row.category_id, { categoryId: row.category_id, names: row.names, sectorId: row.sector_id, sectorName: row.sector_name, cases })
      }
      const byCategory = [...categories.values()]
        .filter((c) => c.cases > 0)
        // Most cases first; ties by id with "uncategorised" last, as SQL's `order by category_id` would.
        .sort((a, b) => b.cases - a.cases || (a.categoryId ?? '\uffff').localeCompare(b.categoryId ?? '\uffff'))
      return { months, categories: byCategory }
    },

    /**
     * Open cases past their current deadline at `now`, whenever they came in: live, not aggregated (it changes
     * with the clock). Each count is an index-only range on a partial index of open cases.
     */
    async overdue(scope: MetricsScope, now: Date): Promise<{ accept: number; resolve: number }> {
      const at = sql`${now.toISOString()}::timestamptz`
      const [row] = await queryRows<{ accept: number; resolve: number }>(
        db,
        sql`
        select (select count(*) from cases c where ${caseScope(scope)} and c.status = 'assigned' and c.accept_due_at < ${at})::int as accept,
          (select count(*) from cases c where ${caseScope(scope)} and c.status in ('accepted', 'in_progress', 'reopened')
            and c.resolve_due_at < ${at} and (c.resolve_paused_at is null or c.resolve_due_at < c.resolve_paused_at))::int as resolve`,
      )
      return row ?? { accept: 0, resolve: 0 }
    },

    /** What the service needs to check a scope: its name, its committee's path, and a member's stations. */
    async findScope({ kind, id }: MetricsScope): Promise<{ name: string; committeePath: string; stationIds: string[] } | undefined> {
      if (kind === 'committee') {
        const [k] = await db.select({ name: committee.name, path: committee.path }).from(committee).where(eq(committee.id, id))
        return k && { name: k.name, committeePath: k.path, stationIds: [] }
      }
      if (kind === 'station') {
        const [s] = await db
          .select({ name: station.name, path: committee.path })
          .from(station)
          .innerJoin(committee, eq(committee.id, station.committeeId))
          .where(eq(station.id, id))
        return s && { name: s.name, committeePath: s.path, stationIds: [id] }
      }
      const [m] = await db
        .select({ name: member.name, path: committee.path })
        .from(member)
        .innerJoin(committee, eq(committee.id, member.committeeId))
        .where(eq(member.id, id))
      if (!m) return undefined
      const stations = await db.select({ id: memberStation.stationId }).from(memberStation).where(eq(memberStation.memberId, id))
      return { name: m.name, committeePath: m.path, stationIds: stations.map((s) => s.id) }
    },
  }
}
export type MetricsRepo = ReturnType<typeof createMetricsRepo>

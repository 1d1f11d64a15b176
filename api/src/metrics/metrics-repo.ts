import { eq, sql, type SQL } from 'drizzle-orm'
import { CASE_STATUSES, type MetricCounts, type MetricsScopeKind } from '@mashangjian/shared'
import { committee, member, memberStation, station } from '../db/schema'
import { queryRows, type DbOrTx } from '../db/database'

export interface MetricsScope { kind: MetricsScopeKind; id: string }
/** [from, to): instants, already converted from China Standard Time days by the service. */
export interface Period { from: Date; to: Date }
export interface SummaryRow { counts: MetricCounts; acceptMinutes: number | null; resolveMinutes: number | null }

/** Invalid and merged cases were never anybody's work to do; every count leaves them out. */
const VALID = sql.raw(`(${CASE_STATUSES.filter((s) => s !== 'invalid' && s !== 'merged').map((s) => `'${s}'`).join(', ')})`)

/**
 * Cases are read by an index range on created_at (the scope indexes end in it). Resolution, rating and
 * resolution-time facts are dated by other columns, so the range starts this much before `from`: a case due,
 * rated or resolved more than a year after it came in is not counted. Exactness beyond that would mean reading
 * a scope's whole history; at DESIGN §11 scale the answer is a pre-aggregated daily table, not a wider scan.
 */
export const LOOKBACK_DAYS = 366

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`

/** Sargable scope filters: each matches the leading column of one index on `cases`. */
function scopeFilter(scope: MetricsScope): SQL {
  switch (scope.kind) {
    // committee.path is ancestor ids + own id, so the subtree is the committee itself and paths under it.
    case 'committee': return sql`c.committee_id in (select k.id from committee k join committee root on root.id = ${scope.id}
      where k.id = root.id or k.path like (root.path || '/%'))`
    case 'station': return sql`c.station_id = ${scope.id}`
    case 'member': return sql`c.member_id = ${scope.id}`
  }
}

type CountsRow = {
  month: string | null; assigned: number; accepted_on_time: number; returned: number; due: number
  resolved_of_due_by_to: number; resolved_of_due_by_month: number; rated: number; satisfied: number
  basically_satisfied: number; resolved: number; reopened: number; median_accept: number | null; median_resolve: number | null
}

export function createMetricsRepo(db: DbOrTx) {
  return {
    /**
     * Counts and medians for the whole period (`month` null) and, with groupBy 'month', per month in
     * Asia/Shanghai, in one scan. Each case contributes up to four dated facts — created, due, rated,
     * resolved — and each fact lands in the month of its own date.
     */
    async summaries(scope: MetricsScope, { from, to }: Period, groupBy: 'month' | null): Promise<{ totals: SummaryRow; months: Map<string, SummaryRow> }> {
      const scanFrom = new Date(from.getTime() - LOOKBACK_DAYS * 86_400_000)
      const rows = await queryRows<CountsRow>(db, sql`
        with scoped as (
          select c.status, c.created_at, c.accept_due_at, c.accepted_at, c.resolve_due_at, c.resolved_at, c.rated_at,
            c.rating, c.reopen_count,
            -- Looked up per case by case_event_case_idx, and only for cases the return rate counts. A scalar
            -- subquery with limit, not exists(): the planner may turn exists() into a hash over every such event.
            c.created_at >= ${ts(from)} and (select true from case_event e where e.case_id = c.id
              and e.type in ('declined', 'transferred', 'escalated') limit 1) is not null as returned
          from cases c
          where ${scopeFilter(scope)} and c.status in ${VALID} and c.created_at >= ${ts(scanFrom)} and c.created_at < ${ts(to)}
        ), facts as (
          select s.*, f.basis, to_char(f.at at time zone 'Asia/Shanghai', 'YYYY-MM') as month,
            (date_trunc('month', f.at at time zone 'Asia/Shanghai') + interval '1 month') at time zone 'Asia/Shanghai' as month_end
          from scoped s cross join lateral (values ('created', s.created_at), ('due', s.resolve_due_at), ('rated', s.rated_at),
            ('resolved', s.resolved_at)) as f(basis, at)
          where f.at >= ${ts(from)} and f.at < ${ts(to)}
        )
        select ${groupBy ? sql`month` : sql`null::text as month`},
          count(*) filter (where basis = 'created' and status <> 'submitted')::int as assigned,
          count(*) filter (where basis = 'created' and status <> 'submitted'
            and accepted_at <= coalesce(accept_due_at, accepted_at))::int as accepted_on_time,
          count(*) filter (where basis = 'created' and status <> 'submitted' and returned)::int as returned,
          count(*) filter (where basis = 'due')::int as due,
          count(*) filter (where basis = 'due' and resolved_at < ${ts(to)})::int as resolved_of_due_by_to,
          count(*) filter (where basis = 'due' and resolved_at < least(month_end, ${ts(to)}))::int as resolved_of_due_by_month,
          count(*) filter (where basis = 'rated' and rating is not null)::int as rated,
          count(*) filter (where basis = 'rated' and rating = 'satisfied')::int as satisfied,
          count(*) filter (where basis = 'rated' and rating = 'basically_satisfied')::int as basically_satisfied,
          count(*) filter (where basis = 'resolved')::int as resolved,
          count(*) filter (where basis = 'resolved' and reopen_count > 0)::int as reopened,
          percentile_cont(0.5) within group (order by (extract(epoch from accepted_at - created_at) / 60)::float8)
            filter (where basis = 'created' and status <> 'submitted' and accepted_at is not null) as median_accept,
          percentile_cont(0.5) within group (order by (extract(epoch from resolved_at - created_at) / 60)::float8)
            filter (where basis = 'resolved') as median_resolve
        from facts
        group by ${groupBy ? sql`grouping sets ((), (month))` : sql`()`}`)
      // A month bucket counts a due case as resolved only if it was resolved by the end of that month; the
      // totals by the end of the whole period. So the months' resolvedOfDue need not add up to the total's.
      const toSummary = (r: CountsRow | undefined, total: boolean): SummaryRow => ({
        counts: {
          assigned: r?.assigned ?? 0, acceptedOnTime: r?.accepted_on_time ?? 0, returned: r?.returned ?? 0,
          dueInPeriod: r?.due ?? 0, resolvedOfDue: (total ? r?.resolved_of_due_by_to : r?.resolved_of_due_by_month) ?? 0,
          rated: r?.rated ?? 0, satisfied: r?.satisfied ?? 0, basicallySatisfied: r?.basically_satisfied ?? 0,
          resolved: r?.resolved ?? 0, reopened: r?.reopened ?? 0,
        },
        acceptMinutes: num(r?.median_accept), resolveMinutes: num(r?.median_resolve),
      })
      // A period without any facts may answer no total row at all; it then reads as zeros.
      const months = new Map(rows.filter((r) => r.month !== null).map((r) => [r.month!, toSummary(r, false)]))
      return { totals: toSummary(rows.find((r) => r.month === null), true), months }
    },

    /** Valid cases created in the period per category, with the category's names and sector. */
    async byCategory(scope: MetricsScope, { from, to }: Period) {
      const rows = await queryRows<{ category_id: string | null; names: Record<string, string> | null; sector_id: string | null; sector_name: string | null; cases: number }>(db, sql`
        with counted as (
          select c.category_id, count(*)::int as cases from cases c
          where ${scopeFilter(scope)} and c.status in ${VALID} and c.created_at >= ${ts(from)} and c.created_at < ${ts(to)}
          group by c.category_id
        )
        select counted.category_id, cat.names, cat.sector_id, sec.name as sector_name, counted.cases
        from counted left join category cat on cat.id = counted.category_id left join sector sec on sec.id = cat.sector_id
        order by counted.cases desc, counted.category_id`)
      return rows.map((r) => ({ categoryId: r.category_id, names: r.names, sectorId: r.sector_id, sectorName: r.sector_name, cases: r.cases }))
    },

    /** Open cases past their current deadline at `now`, whenever they came in (the partial deadline indexes fit). */
    async overdue(scope: MetricsScope, now: Date): Promise<{ accept: number; resolve: number }> {
      const [row] = await queryRows<{ accept: number; resolve: number }>(db, sql`
        select count(*) filter (where c.status = 'assigned')::int as accept,
          count(*) filter (where c.status <> 'assigned')::int as resolve
        from cases c
        where ${scopeFilter(scope)} and c.status in ('assigned', 'accepted', 'in_progress', 'reopened')
          and ((c.status = 'assigned' and c.accept_due_at < ${ts(now)})
            or (c.status in ('accepted', 'in_progress', 'reopened') and c.resolve_due_at < ${ts(now)}))`)
      return row ?? { accept: 0, resolve: 0 }
    },

    /** What the service needs to check a scope: its name, its committee's path, and a member's stations. */
    async findScope({ kind, id }: MetricsScope): Promise<{ name: string; committeePath: string; stationIds: string[] } | undefined> {
      if (kind === 'committee') {
        const [k] = await db.select({ name: committee.name, path: committee.path }).from(committee).where(eq(committee.id, id))
        return k && { name: k.name, committeePath: k.path, stationIds: [] }
      }
      if (kind === 'station') {
        const [s] = await db.select({ name: station.name, path: committee.path }).from(station)
          .innerJoin(committee, eq(committee.id, station.committeeId)).where(eq(station.id, id))
        return s && { name: s.name, committeePath: s.path, stationIds: [id] }
      }
      const [m] = await db.select({ name: member.name, path: committee.path }).from(member)
        .innerJoin(committee, eq(committee.id, member.committeeId)).where(eq(member.id, id))
      if (!m) return undefined
      const stations = await db.select({ id: memberStation.stationId }).from(memberStation).where(eq(memberStation.memberId, id))
      return { name: m.name, committeePath: m.path, stationIds: stations.map((s) => s.id) }
    },
  }
}
export type MetricsRepo = ReturnType<typeof createMetricsRepo>

/** percentile_cont answers double precision; a driver may hand it over as a string. */
const num = (v: number | string | null | undefined): number | null => (v === null || v === undefined ? null : Number(v))

import { sql, type SQL } from 'drizzle-orm'
import type { DashboardScopeKind, OverdueQuery, RankingDimension } from '@mashangjian/shared'
import { beijingInstant } from '@mashangjian/shared'
import { committeeSubtreeIds } from '../auth/scope'
import { queryRows, type DbOrTx } from '../db/database'
import { MEASURE_COLUMNS, MEASURES, type CaseFactsInput, type Measure } from '../metrics/case-facts'
import { coverOf, type DayPeriod } from '../metrics/metrics-repo'

export interface DashboardScope {
  kind: DashboardScopeKind
  id: string
}
/** Measure sums of one ranking entry, as read from the aggregates. */
export interface KeyedSums {
  key: string | null
  measures: Record<Measure, number>
}
export interface DimensionEntry {
  id: string | null
  name: string | null
}
/** A case's fact columns with who and where it counts, for rankings the aggregates cannot split. */
export type StationCaseRow = CaseFactsInput & { memberName: string | null; sectorId: string | null; sectorName: string | null; stationName: string | null }

const dayStart = (day: string) => sql`${beijingInstant(day).toISOString()}::timestamptz`
const sums = sql.raw(MEASURE_COLUMNS.map((c) => `sum(r.${c})`).join(', '))
const columns = sql.raw(MEASURE_COLUMNS.map((c) => `m.${c}`).join(', '))

/**
 * Which aggregate rows and entries a ranking of a committee subtree reads. metric_day / metric_month carry
 * three grains (committee, station, member) × category: stations and members rank straight from their grain;
 * sectors (界别) are the member rows summed by each member's sector.
 */
function rankingSource(committeeId: string, dimension: RankingDimension) {
  const subtree = committeeSubtreeIds(committeeId)
  if (dimension === 'station') {
    return {
      grain: 'station',
      ids: sql`select s.id from station s where s.committee_id in ${subtree}`,
      key: sql`r.scope_id`,
      join: sql``,
      entries: sql`select s.id, s.name from station s where s.committee_id in ${subtree}`,
    }
  }
  return {
    grain: 'member',
    ids: sql`select mem.id from member mem where mem.committee_id in ${subtree}`,
    key: dimension === 'member' ? sql`r.scope_id` : sql`mem.sector_id`,
    join: dimension === 'member' ? sql`` : sql`join member mem on mem.id = r.scope_id`,
    entries:
      dimension === 'member'
        ? sql`select mem.id, mem.name from member mem where mem.committee_id in ${subtree}`
        : sql`select sec.id, sec.name from sector sec where sec.committee_id in ${subtree}`,
  }
}

const toMeasures = (m: (number | string)[]) => Object.fromEntries(MEASURES.map((k, i) => [k, Number(m[i] ?? 0)])) as Record<Measure, number>

export function createDashboardRepo(db: DbOrTx) {
  return {
    /** Measure sums per station, member or sector of a committee subtree over [from, to), from metric_month/metric_day. */
    async rankingSums(committeeId: string, dimension: RankingDimension, period: DayPeriod): Promise<KeyedSums[]> {
      const src = rankingSource(committeeId, dimension)
      const cover = coverOf(period)
      const parts: SQL[] = []
      const where = sql`m.grain = ${src.grain} and m.scope_id in (${src.ids})`
      if (cover.months) {
        parts.push(
          sql`select m.scope_id, ${columns} from metric_month m where ${where} and m.day >= ${cover.months[0]}::date and m.day < ${cover.months[1]}::date`,
        )
      }
      if (cover.days.length > 0) {
        const ranges = sql.join(
          cover.days.map(([a, b]) => sql`(m.day >= ${a}::date and m.day < ${b}::date)`),
          sql` or `,
        )
        parts.push(sql`select m.scope_id, ${columns} from metric_day m where ${where} and (${ranges})`)
      }
      const rows = await queryRows<{ key: string | null; m: (number | string)[] }>(
        db,
        sql`
        with r as materialized (${sql.join(parts, sql` union all `)})
        select ${src.key} as key, array[${sums}]::int[] as m from r ${src.join} group by 1`,
      )
      return rows.map((r) => ({ key: r.key, measures: toMeasures(r.m) }))
    },

    /** Every station, member or sector of the subtree, so entries with no cases are ranked too. */
    async dimensionEntries(committeeId: string, dimension: RankingDimension): Promise<DimensionEntry[]> {
      return queryRows<DimensionEntry>(db, rankingSource(committeeId, dimension).entries)
    },

    /**
     * A station's cases with a fact day that may fall in [from, to): every fact (created, due, rated, resolved)
     * comes on or after the day the case was created, so cases created after the period are left out by the
     * index on (station_id, status, created_at); the rest is decided by case-facts.ts in the service.
     */
    async stationCases(stationId: string, period: DayPeriod): Promise<StationCaseRow[]> {
      const from = dayStart(period.from)
      return queryRows<StationCaseRow>(
        db,
        sql`
        select c.status, c.committee_id as "committeeId", c.station_id as "stationId", c.member_id as "memberId", c.category_id as "categoryId",
          c.created_at as "createdAt", c.accept_due_at as "acceptDueAt", c.accepted_at as "acceptedAt", c.resolve_due_at as "resolveDueAt",
          c.resolved_at as "resolvedAt", c.rated_at as "ratedAt", c.rating, c.reopen_count as "reopenCount", c.returned_at as "returnedAt",
          mem.name as "memberName", mem.sector_id as "sectorId", sec.name as "sectorName", st.name as "stationName"
        from cases c left join member mem on mem.id = c.member_id left join sector sec on sec.id = mem.sector_id
          left join station st on st.id = c.station_id
        where c.station_id = ${stationId} and c.created_at < ${dayStart(period.to)}
          and (c.created_at >= ${from} or c.resolve_due_at >= ${from} or c.rated_at >= ${from} or c.resolved_at >= ${from})`,
      )
    },

    /**
     * Open cases past their deadline, most overdue first, keyset on (due, id). Two branches, one per deadline.
     * A committee subtree is walked committee by committee (LATERAL): each reads the first page of its own range
     * of cases_committee_accept_due_idx / _resolve_due_idx in deadline order, and only those few rows are merged.
     * (One range over the whole subtree would fetch and sort every overdue case of a province: 1.7 s at 10^6
     * cases with 300k overdue, against 2 ms this way.) A station's overdue cases are few; its status index finds them.
     */
    async overdue(scope: DashboardScope, now: Date, kind: OverdueQuery['kind'], limit: number, after?: { dueAt: Date; id: string }) {
      const at = sql`${now.toISOString()}::timestamptz`
      // The row comparison decides; the plain bound before it lets the index range start at the cursor.
      const keyset = (column: SQL) =>
        after
          ? sql`and ${column} >= ${after.dueAt.toISOString()}::timestamptz and (${column}, c.id) > (${after.dueAt.toISOString()}::timestamptz, ${after.id}::uuid)`
          : sql``
      const where = scope.kind === 'committee' ? sql`c.committee_id = k.id` : sql`c.station_id = ${scope.id}`
      const branch = (name: 'accept' | 'resolve', column: SQL, open: SQL) => {
        const page = sql`select c.id, ${name}::text as kind, ${column} as due_at from cases c
          where ${where} and ${open} and ${column} < ${at} ${keyset(column)} order by ${column}, c.id limit ${limit + 1}`
        return scope.kind === 'committee'
          ? sql`(select x.id, x.kind, x.due_at from ${committeeSubtreeIds(scope.id)} k cross join lateral (${page}) x)`
          : sql`(${page})`
      }
      const branches: SQL[] = []
      if (kind !== 'resolve') branches.push(branch('accept', sql`c.accept_due_at`, sql`c.status = 'assigned'`))
      if (kind !== 'accept')
        branches.push(
          branch(
            'resolve',
            sql`c.resolve_due_at`,
            sql`c.status in ('accepted', 'in_progress', 'reopened') and (c.resolve_paused_at is null or c.resolve_due_at < c.resolve_paused_at)`,
          ),
        )
      const rows = await queryRows<{ id: string; kind: 'accept' | 'resolve'; due_at: Date | string }>(
        db,
        sql`
        select o.id, o.kind, o.due_at from (${sql.join(branches, sql` union all `)}) o order by o.due_at, o.id limit ${limit + 1}`,
      )
      return { rows: rows.slice(0, limit).map((r) => ({ id: r.id, kind: r.kind, dueAt: new Date(r.due_at) })), more: rows.length > limit }
    },
  }
}
export type DashboardRepo = ReturnType<typeof createDashboardRepo>

import type {
  CompareMode,
  DashboardQuery,
  DashboardSummary,
  MetricsSummary,
  OverduePage,
  OverdueQuery,
  RankingDimension,
  RankingEntry,
  RankingPage,
  RankingQuery,
  RankingSort,
} from '@mashangjian/shared'
import { addDays, daysBetween, monthBounds } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import type { Clock } from '../clock'
import type { Db } from '../db/database'
import { validationFailed } from '../errors/app-error'
import { caseFacts, MEASURES, type Measure } from '../metrics/case-facts'
import { addInto, type Hist } from '../metrics/histogram'
import type { MetricsAggregator } from '../metrics/metrics-aggregator'
import type { DayPeriod, MetricsRepo, MonthSums } from '../metrics/metrics-repo'
import { monthsOf, resolvePeriod, summary } from '../metrics/metrics-service'
import type { MemberCasesRepo } from '../cases/member-cases-repo'
import { caseRoleOf } from '../cases/case-access'
import { toSummary } from '../cases/case-views'
import { createDashboardRepo, type DashboardScope, type StationCaseRow } from './dashboard-repo'
import { dashboardScopeName } from './dashboard-scope'

/** The same month and day `years` later (29 February becomes 28 February in a common year). */
function shiftYears(day: string, years: number): string {
  const y = Number(day.slice(0, 4)) + years
  const last = Number(monthBounds(`${y}${day.slice(4, 7)}-01`).last.slice(8, 10))
  return `${y}-${day.slice(5, 7)}-${String(Math.min(Number(day.slice(8, 10)), last)).padStart(2, '0')}`
}
function shiftMonths(day: string, months: number): string {
  const total = Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1 + months
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-01`
}

/**
 * The period a dashboard compares with. `year` (同比): the same days a year earlier. `previous` (环比): the
 * same length just before; whole months compare with as many whole months (March with February, not with
 * the 31 days before March), other periods with as many days.
 */
export function comparisonPeriod({ from, to }: DayPeriod, mode: CompareMode): DayPeriod {
  if (mode === 'year') return { from: shiftYears(from, -1), to: shiftYears(to, -1) }
  if (from.endsWith('-01') && to.endsWith('-01')) {
    const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7))
    return { from: shiftMonths(from, -months), to: from }
  }
  return { from: addDays(from, -daysBetween(from, to)), to: from }
}

const change = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.round((a - b) * 10_000) / 10_000)

/** Sorting key of an entry; null (no denominator) always sorts last. */
const sortValue = (e: Omit<RankingEntry, 'rank'>, by: RankingSort): number | null =>
  by === 'assigned' ? e.counts.assigned : by === 'resolved' ? e.counts.resolved : e.rates[by]

export function rankEntries(
  entries: Omit<RankingEntry, 'rank'>[],
  q: Pick<RankingQuery, 'sort' | 'order' | 'minAssigned' | 'limit'>,
): { total: number; items: RankingEntry[] } {
  const by = q.sort ?? 'resolutionRate'
  const dir = q.order === 'asc' ? 1 : -1
  const kept = entries.filter((e) => e.counts.assigned >= (q.minAssigned ?? 0))
  kept.sort((a, b) => {
    const x = sortValue(a, by)
    const y = sortValue(b, by)
    if (x !== y) {
      if (x === null) return 1
      if (y === null) return -1
      return (x - y) * dir
    }
    // Ties: more cases first, then by name, so pages are stable.
    return b.counts.assigned - a.counts.assigned || (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') || (a.id ?? '').localeCompare(b.id ?? '')
  })
  return { total: kept.length, items: kept.slice(0, q.limit ?? 20).map((e, i) => ({ rank: i + 1, ...e })) }
}

const emptySums = (): MonthSums => ({
  measures: Object.fromEntries(MEASURES.map((k) => [k, 0])) as Record<Measure, number>,
  accept: new Map(),
  resolve: new Map(),
})
const asDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v))

/** Sums a station's cases per ranking key with the aggregator's own fact rules (case-facts.ts), days in [from, to) only. */
export function sumStationCases(
  rows: StationCaseRow[],
  dimension: RankingDimension,
  period: DayPeriod,
): Map<string | null, { name: string | null; sums: MonthSums }> {
  const out = new Map<string | null, { name: string | null; sums: MonthSums }>()
  for (const r of rows) {
    const facts = caseFacts({
      ...r,
      createdAt: asDate(r.createdAt)!,
      acceptDueAt: asDate(r.acceptDueAt),
      acceptedAt: asDate(r.acceptedAt),
      resolveDueAt: asDate(r.resolveDueAt),
      resolvedAt: asDate(r.resolvedAt),
      ratedAt: asDate(r.ratedAt),
      returnedAt: asDate(r.returnedAt),
      reopenCount: Number(r.reopenCount),
    })
    if (!facts) continue
    // A station's member ranking counts each case for the member who holds it now, like the member grain does.
    const [key, name] =
      dimension === 'station' ? [r.stationId, r.stationName] : dimension === 'member' ? [r.memberId, r.memberName] : [r.sectorId, r.sectorName]
    let entry = out.get(key)
    for (const [day, mask, accept, resolve] of facts.days) {
      if (day < period.from || day >= period.to) continue
      if (!entry) out.set(key, (entry = { name, sums: emptySums() }))
      MEASURES.forEach((m, i) => {
        if (mask & (1 << i)) entry!.sums.measures[m] += 1
      })
      if (accept !== null) addInto(entry.sums.accept, [[accept, 1]])
      if (resolve !== null) addInto(entry.sums.resolve, [[resolve, 1]])
    }
  }
  return out
}

const encodeCursor = (c: { dueAt: Date; id: string }) => Buffer.from(`${c.dueAt.toISOString()}|${c.id}`).toString('base64url')
function decodeCursor(cursor: string): { dueAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|')
  const dueAt = new Date(at ?? '')
  if (Number.isNaN(dueAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id ?? ''))
    throw validationFailed([{ field: 'querystring.cursor', message: 'not a cursor this API gave out' }])
  return { dueAt, id: id! }
}

/**
 * The admin dashboard (DESIGN.md §9): 三率 of a period against a comparison period, the monthly trend,
 * category heat, rankings by station / sector / member, and the overdue list. Everything but the overdue
 * figures is read from the pre-aggregated metrics, so a committee-year of 10^6 cases reads a few thousand rows.
 */
export function createDashboardService({
  db,
  metrics,
  casesRepo,
  clock,
  aggregator,
}: {
  db: Db
  metrics: MetricsRepo
  /** The overdue list's rows, read like the desk reads them. */
  casesRepo: MemberCasesRepo
  clock: Clock
  aggregator: MetricsAggregator
}) {
  const repo = createDashboardRepo(db)

  const scopeName = (actor: Actor, scope: DashboardScope) => dashboardScopeName(metrics, actor, scope)

  return {
    async summary(actor: Actor, query: DashboardQuery): Promise<DashboardSummary> {
      const scope: DashboardScope = { kind: query.scope, id: query.id }
      const name = await scopeName(actor, scope)
      const now = clock.now()
      const period = resolvePeriod(query, now)
      const mode = query.compare ?? 'previous'
      const previousPeriod = comparisonPeriod(period, mode)
      const current = await metrics.summaries(scope, period)
      const previous = await metrics.summaries(scope, previousPeriod)
      const [overdue, asOf] = await Promise.all([metrics.overdue(scope, now), aggregator.asOf()])
      const totals: MetricsSummary = summary([...current.months.values()])
      const before: MetricsSummary = summary([...previous.months.values()])
      const previousCases = new Map(previous.categories.map((c) => [c.categoryId, c.cases]))
      return {
        scope: { kind: scope.kind, id: scope.id, name },
        from: period.from,
        to: period.to,
        comparison: { mode, ...previousPeriod },
        generatedAt: now.toISOString(),
        asOf: asOf?.toISOString() ?? null,
        current: totals,
        previous: before,
        change: {
          responseRate: change(totals.rates.responseRate, before.rates.responseRate),
          resolutionRate: change(totals.rates.resolutionRate, before.rates.resolutionRate),
          satisfactionRate: change(totals.rates.satisfactionRate, before.rates.satisfactionRate),
        },
        trend: monthsOf(period.from, period.to).map((month) => ({ month, ...summary([current.months.get(month)]) })),
        categories: current.categories.map(({ categoryId, names, cases }) => ({ categoryId, names, cases, previousCases: previousCases.get(categoryId) ?? 0 })),
        overdue: { ...overdue, total: overdue.accept + overdue.resolve },
      }
    },

    /**
     * A committee's rankings come from the aggregates (station grain, member grain, member grain by sector).
     * A station's members and sectors are not a grain of the aggregates (a member's rows cover every station
     * they serve), so a station's rankings count its own cases now, with the same fact rules.
     */
    async rankings(actor: Actor, query: RankingQuery): Promise<RankingPage> {
      const scope: DashboardScope = { kind: query.scope, id: query.id }
      const name = await scopeName(actor, scope)
      const period = resolvePeriod(query, clock.now())
      let entries: Omit<RankingEntry, 'rank'>[]
      let asOf: Date | null = null
      if (scope.kind === 'committee') {
        const [sums, dims] = [await repo.rankingSums(scope.id, query.dimension, period), await repo.dimensionEntries(scope.id, query.dimension)]
        asOf = await aggregator.asOf()
        const byKey = new Map(sums.map((s) => [s.key, s.measures]))
        const names = new Map<string | null, string | null>(dims.map((d) => [d.id, d.name]))
        // Members without a sector show as one "no sector" entry, only when they had cases.
        if (byKey.has(null)) names.set(null, null)
        entries = [...names].map(([id, entryName]) => {
          const measures = byKey.get(id)
          const s = summary(measures ? [{ measures, accept: new Map() as Hist, resolve: new Map() as Hist }] : [])
          return { id, name: entryName, counts: s.counts, rates: s.rates }
        })
      } else {
        const grouped = sumStationCases(await repo.stationCases(scope.id, period), query.dimension, period)
        entries = [...grouped].map(([id, g]) => {
          const s = summary([g.sums])
          return { id, name: g.name, counts: s.counts, rates: s.rates }
        })
      }
      const { total, items } = rankEntries(entries, query)
      return {
        scope: { kind: scope.kind, id: scope.id, name },
        dimension: query.dimension,
        from: period.from,
        to: period.to,
        source: scope.kind === 'committee' ? 'aggregates' : 'cases',
        asOf: asOf?.toISOString() ?? null,
        total,
        items,
      }
    },

    /** Open cases past a deadline in the scope, most overdue first, a page at a time (live). */
    async overdue(actor: Actor, query: OverdueQuery): Promise<OverduePage> {
      const scope: DashboardScope = { kind: query.scope, id: query.id }
      await scopeName(actor, scope)
      const now = clock.now()
      const limit = query.limit ?? 20
      const { rows, more } = await repo.overdue(scope, now, query.kind, limit, query.cursor ? decodeCursor(query.cursor) : undefined)
      const loaded = new Map((await casesRepo.loadMany(rows.map((r) => r.id))).map((c) => [c.id, c]))
      const items = rows.flatMap((r) => {
        const c = loaded.get(r.id)
        return c
          ? [
              {
                kind: r.kind,
                dueAt: r.dueAt.toISOString(),
                overdueMinutes: Math.max(0, Math.floor((now.getTime() - r.dueAt.getTime()) / 60_000)),
                case: toSummary(c, now, caseRoleOf(actor, c)),
              },
            ]
          : []
      })
      const last = rows.at(-1)
      return { generatedAt: now.toISOString(), items, nextCursor: more && last ? encodeCursor(last) : null }
    },
  }
}
export type DashboardService = ReturnType<typeof createDashboardService>

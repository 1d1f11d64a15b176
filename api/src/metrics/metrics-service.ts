import type { MetricCounts, MetricsQuery, MetricsReport, MetricsScopeKind, MetricsSummary, Role } from '@mashangjian/shared'
import { addDays, beijingInstant, beijingYear } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { committeeInScope } from '../auth/scope'
import { AppError, notFound, validationFailed } from '../errors/app-error'
import type { Db } from '../db/database'
import type { Clock } from '../clock'
import { createMetricsRepo, type MetricsScope, type MonthSums } from './metrics-repo'
import type { MetricsAggregator } from './metrics-aggregator'
import { addInto, histMedian, type Hist } from './histogram'
import { computeRates, roundMinutes, ZERO_COUNTS } from './rates'
import type { Measure } from './case-facts'

/** A longer range would read too much at once (DESIGN §11) and no dashboard shows it. */
export const MAX_RANGE_YEARS = 5

/** Which roles may ask about each kind of scope; whether this particular one is theirs is checked after. */
const ROLES_FOR: Record<MetricsScopeKind, readonly Role[]> = {
  committee: ['committee_admin', 'system_admin'],
  station: ['station_admin', 'committee_admin', 'system_admin'],
  member: ['member', 'station_admin', 'committee_admin', 'system_admin'],
}

/**
 * Days are China Standard Time (UTC+8 all year; China has had no daylight saving since 1991), matching the
 * Beijing days of the aggregates (case-facts.ts).
 */
const dayStart = (day: string) => beijingInstant(day)

/** The requested days, defaulting to this calendar year; `to` must follow `from` by at most MAX_RANGE_YEARS. */
export function resolvePeriod(query: Pick<MetricsQuery, 'from' | 'to'>, now: Date): { from: string; to: string } {
  const year = beijingYear(now)
  const from = query.from ?? `${year}-01-01`
  const to = query.to ?? `${year + 1}-01-01`
  // 29 February plus whole years lands on 1 March, as Date.UTC did.
  const limit = dayStart(addDays(`${Number(from.slice(0, 4)) + MAX_RANGE_YEARS}${from.slice(4, 7)}-01`, Number(from.slice(8, 10)) - 1))
  if (dayStart(to) <= dayStart(from)) throw validationFailed([{ field: 'querystring.to', message: `must be after from (${from})` }])
  if (dayStart(to) > limit) {
    throw validationFailed([{ field: 'querystring.to', message: `must be at most ${MAX_RANGE_YEARS} years after from (${from})` }])
  }
  return { from, to }
}

/** 'YYYY-MM' of every month the period touches, oldest first, so a chart gets its empty months too. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = []
  let [y, m] = from.split('-').map(Number) as [number, number]
  for (let month = from.slice(0, 7); `${month}-01` < to; month = `${y}-${String(m).padStart(2, '0')}`) {
    out.push(month)
    if (++m > 12) {
      m = 1
      y++
    }
  }
  return out
}

/** The measure behind each count of the API ('cases' feeds byCategory instead). */
const COUNTED: [keyof MetricCounts, Measure][] = [
  ['assigned', 'assigned'],
  ['acceptedOnTime', 'acceptedOnTime'],
  ['returned', 'returned'],
  ['dueInPeriod', 'due'],
  ['resolvedOfDue', 'resolvedOfDue'],
  ['rated', 'rated'],
  ['satisfied', 'satisfied'],
  ['basicallySatisfied', 'basicallySatisfied'],
  ['resolved', 'resolved'],
  ['reopened', 'reopened'],
]

/** Months' sums added up: every measure is additive (rates.ts), and so are the histograms. */
function sumOf(months: (MonthSums | undefined)[]): { counts: MetricCounts; accept: Hist; resolve: Hist } {
  const counts: MetricCounts = { ...ZERO_COUNTS }
  const accept: Hist = new Map()
  const resolve: Hist = new Map()
  for (const m of months) {
    if (!m) continue
    for (const [count, measure] of COUNTED) counts[count] += m.measures[measure]
    addInto(accept, m.accept)
    addInto(resolve, m.resolve)
  }
  return { counts, accept, resolve }
}

/** Medians come from the minutes histograms: approximate, within the width of the bucket holding them (histogram.ts). */
export const summary = (months: (MonthSums | undefined)[]): MetricsSummary => {
  const { counts, accept, resolve } = sumOf(months)
  return {
    counts,
    rates: computeRates(counts),
    medians: { acceptMinutes: roundMinutes(histMedian(accept)), resolveMinutes: roundMinutes(histMedian(resolve)) },
  }
}

export function createMetricsService({ db, clock, aggregator }: { db: Db; clock: Clock; aggregator: MetricsAggregator }) {
  const repo = createMetricsRepo(db)

  /**
   * Committee admins see their subtree, station admins their stations and those stations' members, a member
   * only themself, system admins everything. A scope of the wrong kind for the role is 403; an existing scope
   * that is not the caller's is 404, like a missing one, so nobody learns what exists elsewhere (DESIGN §2).
   */
  async function scopeName(actor: Actor, scope: MetricsScope): Promise<string> {
    if (!ROLES_FOR[scope.kind].includes(actor.role)) {
      throw new AppError('FORBIDDEN', `Your role may not read ${scope.kind} metrics.`)
    }
    const found = await repo.findScope(scope)
    const visible =
      found !== undefined &&
      (actor.role === 'system_admin' ||
        (actor.role === 'committee_admin' && committeeInScope(actor, found.committeePath)) ||
        (actor.role === 'station_admin' && found.stationIds.some((id) => actor.stationIds.includes(id))) ||
        (actor.role === 'member' && actor.memberId === scope.id))
    if (!visible) throw notFound(scope.kind)
    return found.name
  }

  return {
    async report(actor: Actor, query: MetricsQuery): Promise<MetricsReport> {
      const now = clock.now()
      const days = resolvePeriod(query, now)
      const scope: MetricsScope = { kind: query.scope, id: query.id }
      const name = await scopeName(actor, scope)
      const groupBy = query.groupBy ?? null
      const [{ months, categories }, overdue, asOf] = await Promise.all([repo.summaries(scope, days), repo.overdue(scope, now), aggregator.asOf()])

      const sectors = new Map<string | null, { sectorId: string | null; name: string | null; cases: number }>()
      for (const c of categories) {
        const s = sectors.get(c.sectorId) ?? { sectorId: c.sectorId, name: c.sectorName, cases: 0 }
        s.cases += c.cases
        sectors.set(c.sectorId, s)
      }
      return {
        scope: { kind: scope.kind, id: scope.id, name },
        from: days.from,
        to: days.to,
        groupBy,
        generatedAt: now.toISOString(),
        asOf: asOf?.toISOString() ?? null,
        totals: summary([...months.values()]),
        buckets: groupBy ? monthsOf(days.from, days.to).map((month) => ({ month, ...summary([months.get(month)]) })) : [],
        overdue: { ...overdue, total: overdue.accept + overdue.resolve },
        byCategory: categories.map(({ categoryId, names, cases }) => ({ categoryId, names, cases })),
        bySector: [...sectors.values()].sort((a, b) => b.cases - a.cases || (a.name ?? '').localeCompare(b.name ?? '')),
      }
    },
  }
}
export type MetricsService = ReturnType<typeof createMetricsService>

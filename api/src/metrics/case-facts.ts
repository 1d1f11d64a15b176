import { bucketOf } from './histogram'
import { beijingDay } from '@mashangjian/shared'

/**
 * What one case contributes to the metrics (DESIGN.md §1), as dated facts on Beijing calendar days. Free of
 * I/O: the aggregator (metrics-aggregator.ts) counts these into metric_day / metric_month, and subtracts a
 * case's previous facts when it changes. The definitions are those of rates.ts:
 *
 * - on the day it was created: `cases` (every valid case, for byCategory); if dispatched (status past
 *   `submitted`) also `assigned`, `acceptedOnTime` (accepted no later than its accept deadline, or accepted
 *   with none), `returned` (declined, transferred or escalated at least once: cases.returned_at), and the
 *   minutes from creation to acceptance in the accept histogram;
 * - on the day of its resolve deadline: `due`, and `resolvedOfDue` if it is resolved now (resolved_at set);
 * - on the day it was rated: `rated`, `satisfied` / `basicallySatisfied`;
 * - on the day of its (latest) resolution: `resolved`, `reopened` if reopened at least once, and the minutes
 *   from creation to resolution in the resolve histogram.
 *
 * Invalid and merged cases were never anybody's work to do and contribute nothing.
 */

export const METRIC_GRAINS = ['committee', 'station', 'member'] as const
export type MetricGrain = (typeof METRIC_GRAINS)[number]

/** Every measure, in the order of the bit mask below and of the SQL column list. */
export const MEASURES = [
  'assigned',
  'acceptedOnTime',
  'returned',
  'due',
  'resolvedOfDue',
  'rated',
  'satisfied',
  'basicallySatisfied',
  'resolved',
  'reopened',
  'cases',
] as const
export type Measure = (typeof MEASURES)[number]

/** The column of each measure in metric_day / metric_month. */
export const MEASURE_COLUMNS: readonly string[] = MEASURES.map((m) => m.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))

/** A case contributes 0 or 1 to each measure on a day, so a day's measures fit in one bit mask. */
export const bit = (m: Measure): number => 1 << MEASURES.indexOf(m)

/** The case columns the facts depend on (a subset of a `cases` row). */
export interface CaseFactsInput {
  status: string
  committeeId: string
  stationId: string | null
  memberId: string | null
  categoryId: string | null
  createdAt: Date
  acceptDueAt: Date | null
  acceptedAt: Date | null
  resolveDueAt: Date | null
  resolvedAt: Date | null
  ratedAt: Date | null
  rating: string | null
  reopenCount: number
  returnedAt: Date | null
}

/** [Beijing day 'YYYY-MM-DD', measure bit mask, accept-minutes bucket or null, resolve-minutes bucket or null] */
export type DayFact = [day: string, mask: number, accept: number | null, resolve: number | null]

export interface CaseFacts {
  committeeId: string
  stationId: string | null
  memberId: string | null
  categoryId: string | null
  /** Oldest day first, one entry per day. */
  days: DayFact[]
}

const minutesBetween = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 60_000

export function caseFacts(c: CaseFactsInput): CaseFacts | null {
  if (c.status === 'invalid' || c.status === 'merged') return null
  const days = new Map<string, DayFact>()
  const put = (at: Date | null, mask: number, accept: number | null = null, resolve: number | null = null) => {
    if (!at || (mask === 0 && accept === null && resolve === null)) return
    const day = beijingDay(at)
    const fact = days.get(day) ?? [day, 0, null, null]
    fact[1] |= mask
    if (accept !== null) fact[2] = accept
    if (resolve !== null) fact[3] = resolve
    days.set(day, fact)
  }

  const dispatched = c.status !== 'submitted'
  const onTime = c.acceptedAt !== null && (c.acceptDueAt === null || c.acceptedAt <= c.acceptDueAt)
  put(
    c.createdAt,
    bit('cases') | (dispatched ? bit('assigned') | (onTime ? bit('acceptedOnTime') : 0) | (c.returnedAt ? bit('returned') : 0) : 0),
    dispatched && c.acceptedAt ? bucketOf(minutesBetween(c.createdAt, c.acceptedAt)) : null,
  )
  put(c.resolveDueAt, bit('due') | (c.resolvedAt ? bit('resolvedOfDue') : 0))
  if (c.rating) {
    put(c.ratedAt, bit('rated') | (c.rating === 'satisfied' ? bit('satisfied') : c.rating === 'basically_satisfied' ? bit('basicallySatisfied') : 0))
  }
  if (c.resolvedAt) {
    put(c.resolvedAt, bit('resolved') | (c.reopenCount > 0 ? bit('reopened') : 0), null, bucketOf(minutesBetween(c.createdAt, c.resolvedAt)))
  }
  return {
    committeeId: c.committeeId,
    stationId: c.stationId,
    memberId: c.memberId,
    categoryId: c.categoryId,
    days: [...days.values()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
  }
}

/** The scopes a case counts in: its committee, its station and its member, where it has them. */
export function scopesOf(f: CaseFacts): [MetricGrain, string][] {
  const out: [MetricGrain, string][] = [['committee', f.committeeId]]
  if (f.stationId) out.push(['station', f.stationId])
  if (f.memberId) out.push(['member', f.memberId])
  return out
}

/** Whether two fact sets count the same (then a change to the case needs no write at all). */
export function sameFacts(a: CaseFacts | null, b: CaseFacts | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** The measures of a mask, for tests and debugging. */
export const measuresOf = (mask: number): Measure[] => MEASURES.filter((m) => (mask & bit(m)) !== 0)

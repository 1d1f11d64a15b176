import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseEventType, MetricCounts, MetricsScopeKind } from '@mashangjian/shared'
import type { Actor } from '../src/auth/actor'
import { caseEvent, cases, category, sector } from '../src/db/schema'
import { createMetricsService, type MetricsService } from '../src/metrics/metrics-service'
import { createMetricsAggregator } from '../src/metrics/metrics-aggregator'
import { bucketOf, histMedian } from '../src/metrics/histogram'
import { median, roundMinutes } from '../src/metrics/rates'
import { ManualClock } from './support/manual-clock'
import { createOrg, type Org } from './support/fixtures'
import { createTestDatabase, type TestDatabase } from './support/test-db'
import { aggregateAll } from './support/metrics'

/** Wall-clock times in Beijing, as the people counting them read them. */
const bj = (s: string) => new Date(`${s}+08:00`)
const mins = (a: string, b: string) => (bj(b).getTime() - bj(a).getTime()) / 60_000
/** What the API answers for durations: the median of their histogram (approximate), rounded like the API. */
const approxMedian = (values: number[]) => {
  const hist = new Map<number, number>()
  for (const v of values) hist.set(bucketOf(v), (hist.get(bucketOf(v)) ?? 0) + 1)
  return roundMinutes(histMedian(hist))
}
/** …which stays within half of the exact median, the relative width of a bucket (×1.5). */
const closeTo = (approx: number | null, values: number[]) => {
  const exact = median(values)!
  expect(Math.abs(approx! - exact)).toBeLessThanOrEqual(exact / 2)
}
const RETURNS: readonly CaseEventType[] = ['declined', 'transferred', 'escalated']

type Spec = {
  at?: 'A1' | 'A2' | 'B1'
  member?: boolean
  cat?: 'noise' | 'roads'
  status: typeof cases.$inferInsert.status
  created: string
  acceptDue?: string
  accepted?: string
  resolveDue?: string
  resolved?: string
  rated?: string
  rating?: 'satisfied' | 'basically_satisfied' | 'unsatisfied'
  reopens?: number
  events?: CaseEventType[]
}
/**
 * The hand-computed world. Period [2026-01-01, 2026-04-01) Beijing time; the clock says 2026-11-23, so every
 * open case is past its deadlines. Unless noted: county A, station A1, member A. c1 is created 00:30 on
 * 1 January Beijing (still 31 December in UTC), c4 at 07:00 on 1 February (31 January in UTC).
 */
const CASES: Record<string, Spec> = {
  c1: {
    cat: 'noise',
    status: 'closed',
    created: '2026-01-01T00:30',
    acceptDue: '2026-01-02T00:30',
    accepted: '2026-01-01T01:30',
    resolveDue: '2026-01-08T00:30',
    resolved: '2026-01-05T00:30',
    rated: '2026-01-06T10:00',
    rating: 'satisfied',
    events: ['note', 'chased'],
  },
  c2: {
    cat: 'noise',
    status: 'closed',
    created: '2026-01-10T10:00',
    acceptDue: '2026-01-11T10:00',
    accepted: '2026-01-12T10:00',
    resolveDue: '2026-02-10T10:00',
    resolved: '2026-02-20T10:00',
    rated: '2026-02-21T10:00',
    rating: 'basically_satisfied',
    reopens: 1,
    events: ['declined', 'reopened'],
  },
  c3: {
    cat: 'roads',
    status: 'in_progress',
    created: '2026-01-20T10:00',
    acceptDue: '2026-01-21T10:00',
    accepted: '2026-01-20T12:00',
    resolveDue: '2026-01-27T10:00',
  },
  c4: {
    cat: 'noise',
    status: 'resolved',
    created: '2026-02-01T07:00',
    acceptDue: '2026-02-02T07:00',
    accepted: '2026-02-01T07:30',
    resolveDue: '2026-02-25T10:00',
    resolved: '2026-03-03T10:00',
    events: ['transferred'],
  },
  c5: { at: 'A2', status: 'assigned', created: '2026-03-01T09:00', acceptDue: '2026-03-02T09:00', resolveDue: '2026-03-08T09:00', events: ['escalated'] },
  c6: {
    cat: 'noise',
    status: 'invalid',
    created: '2026-03-10T10:00',
    acceptDue: '2026-03-11T10:00',
    accepted: '2026-03-10T11:00',
    resolveDue: '2026-03-12T10:00',
    resolved: '2026-03-11T10:00',
    rated: '2026-03-11T12:00',
    rating: 'satisfied',
  },
  c7: { cat: 'noise', status: 'merged', created: '2026-03-15T10:00', acceptDue: '2026-03-16T10:00', resolveDue: '2026-03-20T10:00', events: ['declined'] },
  c8: {
    cat: 'roads',
    status: 'closed',
    created: '2025-12-20T10:00',
    acceptDue: '2025-12-21T10:00',
    accepted: '2025-12-20T11:00',
    resolveDue: '2026-01-03T10:00',
    resolved: '2026-01-02T10:00',
    rated: '2026-01-04T10:00',
    rating: 'unsatisfied',
  },
  c9: { member: false, status: 'assigned', created: '2026-02-10T10:00', acceptDue: '2026-02-11T10:00', resolveDue: '2026-02-17T10:00', events: ['declined'] },
  c10: {
    at: 'B1',
    member: false,
    status: 'accepted',
    created: '2026-01-15T10:00',
    acceptDue: '2026-01-16T10:00',
    accepted: '2026-01-15T11:00',
    resolveDue: '2026-05-01T10:00',
  },
  c11: {
    cat: 'noise',
    status: 'accepted',
    created: '2026-04-01T00:00',
    acceptDue: '2026-04-02T00:00',
    accepted: '2026-04-01T01:00',
    resolveDue: '2026-04-08T00:00',
  },
  c12: { cat: 'noise', member: false, status: 'submitted', created: '2026-02-15T10:00' },
}

const c = (
  assigned: number,
  acceptedOnTime: number,
  returned: number,
  dueInPeriod: number,
  resolvedOfDue: number,
  rated: number,
  satisfied: number,
  basicallySatisfied: number,
  resolved: number,
  reopened: number,
): MetricCounts => ({ assigned, acceptedOnTime, returned, dueInPeriod, resolvedOfDue, rated, satisfied, basicallySatisfied, resolved, reopened })

describe('metrics on hand-computed cases', () => {
  let database: TestDatabase
  let org: Org
  let metrics: MetricsService
  let system: Actor
  beforeAll(async () => {
    database = await createTestDatabase()
    const db = database.db
    org = await createOrg(db)
    // The first run finds no cursor and rebuilds (nothing to count yet).
    const aggregator = createMetricsAggregator(db)
    expect(await aggregator.catchUp()).toBe(0)
    const [economy] = await db.insert(sector).values({ committeeId: org.countyA.id, name: '经济界' }).returning()
    const [noise, roads] = await db
      .insert(category)
      .values([
        { committeeId: org.countyA.id, names: { 'zh-CN': '噪音扰民' }, sectorId: economy!.id },
        { committeeId: org.countyA.id, names: { 'zh-CN': '道路' } },
      ])
      .returning()
    const stations = { A1: org.stationA1, A2: org.stationA2, B1: org.stationB1 }
    const d = (s?: string) => (s ? bj(s) : null)
    for (const [no, s] of Object.entries(CASES)) {
      const st = stations[s.at ?? 'A1']
      const [row] = await db
        .insert(cases)
        .values({
          publicNo: `M-${no}-${randomBytes(3).toString('hex')}`,
          trackingSecretHash: randomBytes(16).toString('hex'),
          committeeId: st.committeeId,
          stationId: st.id,
          memberId: s.member === false ? null : org.memberA.id,
          categoryId: s.cat === 'noise' ? noise!.id : s.cat === 'roads' ? roads!.id : null,
          channel: 'qr',
          status: s.status,
          description: no,
          createdAt: bj(s.created),
          acceptDueAt: d(s.acceptDue),
          acceptedAt: d(s.accepted),
          resolveDueAt: d(s.resolveDue),
          resolvedAt: d(s.resolved),
          ratedAt: d(s.rated),
          rating: s.rating ?? null,
          reopenCount: s.reopens ?? 0,
          // The actions set returned_at with the transition (case-effects.ts, deadline-sweep.ts); here by hand.
          returnedAt: s.events?.some((t) => RETURNS.includes(t)) ? bj(s.created) : null,
        })
        .returning()
      for (const type of s.events ?? []) {
        await db.insert(caseEvent).values({ caseId: row!.id, type, actorKind: 'member', visibility: 'internal', occurredAt: bj(s.created) })
      }
    }
    // The cases above come through the change log, like in production.
    await aggregateAll(db, aggregator)
    metrics = createMetricsService({ db, clock: new ManualClock('2026-11-23T02:00:00Z'), aggregator })
    system = { userId: org.users.system.id, role: 'system_admin', committeeId: null, memberId: null, stationIds: [] }
  })
  afterAll(() => database.close())

  const report = (scope: MetricsScopeKind, id: string, from = '2026-01-01', to = '2026-04-01') =>
    metrics.report(system, { scope, id, from, to, groupBy: 'month' })

  it('counts county A per Beijing month and in total', async () => {
    const r = await report('committee', org.countyA.id)
    expect(r.buckets.map((b) => [b.month, b.counts])).toEqual([
      ['2026-01', c(3, 2, 1, 3, 2, 2, 1, 0, 2, 0)],
      ['2026-02', c(2, 1, 2, 3, 2, 1, 0, 1, 1, 1)],
      ['2026-03', c(1, 0, 1, 1, 0, 0, 0, 0, 1, 0)],
    ])
    // c4 was due in February and resolved on 3 March: it counts as resolved for February (resolved now, rates.ts),
    // so the months add up to the total.
    expect(r.totals.counts).toEqual(c(6, 3, 4, 7, 4, 3, 1, 1, 4, 1))
    expect(r.totals.rates).toEqual({ responseRate: 0.5, resolutionRate: 0.5714, satisfactionRate: 0.6667, returnRate: 0.6667, reopenRate: 0.25 })
    expect(r.buckets[2]!.rates).toMatchObject({ satisfactionRate: null, resolutionRate: 0, reopenRate: 0 })
  })

  it('takes medians from the minutes histograms, close to the exact median over the same cases', async () => {
    const r = await report('committee', org.countyA.id)
    const accept = (k: string) => mins(CASES[k]!.created, CASES[k]!.accepted!)
    const resolve = (k: string) => mins(CASES[k]!.created, CASES[k]!.resolved!)
    const accepts = ['c1', 'c2', 'c3', 'c4'].map(accept)
    const resolves = ['c1', 'c2', 'c4', 'c8'].map(resolve)
    expect(r.totals.medians).toEqual({ acceptMinutes: approxMedian(accepts), resolveMinutes: approxMedian(resolves) })
    closeTo(r.totals.medians.acceptMinutes, accepts) // exact: 90
    closeTo(r.totals.medians.resolveMinutes, resolves) // exact: 31 050
    expect(r.buckets.map((b) => b.medians)).toEqual([
      { acceptMinutes: approxMedian([accept('c1'), accept('c2'), accept('c3')]), resolveMinutes: approxMedian([resolve('c1'), resolve('c8')]) },
      { acceptMinutes: approxMedian([accept('c4')]), resolveMinutes: approxMedian([resolve('c2')]) },
      { acceptMinutes: null, resolveMinutes: approxMedian([resolve('c4')]) },
    ])
  })

  it.each([
    ['committee', 'countyA', c(6, 3, 4, 7, 4, 3, 1, 1, 4, 1), { accept: 2, resolve: 2, total: 4 }],
    ['committee', 'city', c(7, 4, 4, 7, 4, 3, 1, 1, 4, 1), { accept: 2, resolve: 3, total: 5 }],
    ['committee', 'countyB', c(1, 1, 0, 0, 0, 0, 0, 0, 0, 0), { accept: 0, resolve: 1, total: 1 }],
    ['station', 'stationA1', c(5, 3, 3, 6, 4, 3, 1, 1, 4, 1), { accept: 1, resolve: 2, total: 3 }],
    ['station', 'stationA2', c(1, 0, 1, 1, 0, 0, 0, 0, 0, 0), { accept: 1, resolve: 0, total: 1 }],
    ['member', 'memberA', c(5, 3, 3, 6, 4, 3, 1, 1, 4, 1), { accept: 1, resolve: 2, total: 3 }],
  ] as const)('%s %s: totals and overdue now', async (scope, key, counts, overdue) => {
    const r = await report(scope, org[key].id)
    expect(r.totals.counts).toEqual(counts)
    expect(r.overdue).toEqual(overdue)
  })

  it('gives a one-month period the same figures as that month’s bucket', async () => {
    const year = await report('committee', org.countyA.id)
    for (const [from, to, i] of [
      ['2026-01-01', '2026-02-01', 0],
      ['2026-02-01', '2026-03-01', 1],
      ['2026-03-01', '2026-04-01', 2],
    ] as const) {
      const month = await report('committee', org.countyA.id, from, to)
      const { month: _m, ...bucket } = year.buckets[i]!
      expect(month.totals).toEqual(bucket)
    }
  })

  it('counts cases by category and by sector, leaving out invalid and merged ones', async () => {
    const r = await report('committee', org.countyA.id)
    expect(r.byCategory.map((x) => [x.names?.['zh-CN'] ?? null, x.cases])).toEqual([
      ['噪音扰民', 4],
      [null, 2],
      ['道路', 1],
    ])
    expect(r.bySector.map((x) => [x.name, x.cases])).toEqual([
      ['经济界', 4],
      [null, 3],
    ])
  })

  it('fills months without cases with zeros and null rates, and skips buckets unless asked', async () => {
    const r = await report('committee', org.countyA.id, '2026-05-15', '2026-08-01')
    expect(r.buckets.map((b) => b.month)).toEqual(['2026-05', '2026-06', '2026-07'])
    expect(r.buckets[0]).toMatchObject({ counts: c(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), rates: { responseRate: null }, medians: { acceptMinutes: null } })
    expect(r.overdue.total).toBe(4)
    const plain = await metrics.report(system, { scope: 'committee', id: org.countyA.id, from: '2026-01-01', to: '2026-04-01' })
    expect(plain.buckets).toEqual([])
    expect(plain.totals.counts).toEqual(c(6, 3, 4, 7, 4, 3, 1, 1, 4, 1))
  })

  it('defaults to this calendar year in Beijing', async () => {
    const r = await metrics.report(system, { scope: 'station', id: org.stationA1.id })
    expect([r.from, r.to, r.groupBy]).toEqual(['2026-01-01', '2027-01-01', null])
    expect(r.scope).toEqual({ kind: 'station', id: org.stationA1.id, name: 'A1' })
  })
})

import { describe, expect, it } from 'vitest'
import { beijingDay } from '@mashangjian/shared'
import { caseFacts, MEASURES, measuresOf, scopesOf, type CaseFactsInput, type Measure } from '../src/metrics/case-facts'
import { bucketBounds, bucketOf, histLiteral, histMedian, HIST_BUCKETS } from '../src/metrics/histogram'
import { createDeltas } from '../src/metrics/metric-deltas'

/** Beijing wall-clock time, as the people counting read it. */
const bj = (s: string) => new Date(`${s}+08:00`)
const base: CaseFactsInput = {
  status: 'assigned',
  committeeId: 'K',
  stationId: 'S',
  memberId: 'M',
  categoryId: 'C',
  createdAt: bj('2026-03-01T10:00'),
  acceptDueAt: bj('2026-03-02T10:00'),
  acceptedAt: null,
  resolveDueAt: bj('2026-03-08T10:00'),
  resolvedAt: null,
  ratedAt: null,
  rating: null,
  reopenCount: 0,
  returnedAt: null,
}
type Expected = [day: string, measures: Measure[], accept?: number | null, resolve?: number | null][]
const days = (c: Partial<CaseFactsInput>): Expected | null => {
  const f = caseFacts({ ...base, ...c })
  return f && f.days.map(([day, mask, a, r]) => [day, measuresOf(mask), a, r])
}
const at = (s: string) => bj(s)

describe('case facts', () => {
  // name, case fields (over `base`: assigned 1 March 10:00, accept due 2 March, resolve due 8 March), expected facts
  it.each<[string, Partial<CaseFactsInput>, Expected | null]>([
    ['invalid counts nothing', { status: 'invalid', acceptedAt: at('2026-03-01T11:00') }, null],
    ['merged counts nothing', { status: 'merged' }, null],
    [
      'submitted, not yet dispatched: only a case of its category, and its due day',
      { status: 'submitted' },
      [
        ['2026-03-01', ['cases'], null, null],
        ['2026-03-08', ['due'], null, null],
      ],
    ],
    [
      'assigned, waiting',
      {},
      [
        ['2026-03-01', ['assigned', 'cases'], null, null],
        ['2026-03-08', ['due'], null, null],
      ],
    ],
    [
      'declined, transferred or escalated once: returned',
      { returnedAt: at('2026-03-01T12:00') },
      [
        ['2026-03-01', ['assigned', 'returned', 'cases'], null, null],
        ['2026-03-08', ['due'], null, null],
      ],
    ],
    [
      'accepted on time, after 90 minutes',
      { status: 'accepted', acceptedAt: at('2026-03-01T11:30') },
      [
        ['2026-03-01', ['assigned', 'acceptedOnTime', 'cases'], bucketOf(90), null],
        ['2026-03-08', ['due'], null, null],
      ],
    ],
    [
      'accepted exactly at the deadline is on time',
      { status: 'accepted', acceptedAt: at('2026-03-02T10:00') },
      [
        ['2026-03-01', ['assigned', 'acceptedOnTime', 'cases'], bucketOf(1440), null],
        ['2026-03-08', ['due'], null, null],
      ],
    ],
    [
      'accepted late',
      { status: 'accepted', acceptedAt: at('2026-03-02T10:01') },
      [
        ['2026-03-01', ['assigned', 'cases'], bucketOf(1441), null],
        ['2026-03-08', ['due'], null, null],
      ],
    ],
    [
      'accepted with no accept deadline is on time',
      { status: 'accepted', acceptDueAt: null, acceptedAt: at('2026-03-05T10:00') },
      [
        ['2026-03-01', ['assigned', 'acceptedOnTime', 'cases'], bucketOf(4 * 1440), null],
        ['2026-03-08', ['due'], null, null],
      ],
    ],
    [
      'resolved before its deadline',
      { status: 'resolved', acceptedAt: at('2026-03-01T11:00'), resolvedAt: at('2026-03-04T10:00') },
      [
        ['2026-03-01', ['assigned', 'acceptedOnTime', 'cases'], bucketOf(60), null],
        ['2026-03-04', ['resolved'], null, bucketOf(3 * 1440)],
        ['2026-03-08', ['due', 'resolvedOfDue'], null, null],
      ],
    ],
    [
      'resolved after its deadline still counts as resolved of its due day',
      { status: 'resolved', acceptedAt: at('2026-03-01T11:00'), resolvedAt: at('2026-04-02T10:00') },
      [
        ['2026-03-01', ['assigned', 'acceptedOnTime', 'cases'], bucketOf(60), null],
        ['2026-03-08', ['due', 'resolvedOfDue'], null, null],
        ['2026-04-02', ['resolved'], null, bucketOf(32 * 1440)],
      ],
    ],
    [
      'resolved and rated satisfied on its due day: one entry for the day',
      {
        status: 'closed',
        acceptedAt: at('2026-03-01T11:00'),
        resolvedAt: at('2026-03-08T09:00'),
        ratedAt: at('2026-03-08T20:00'),
        rating: 'satisfied',
      },
      [
        ['2026-03-01', ['assigned', 'acceptedOnTime', 'cases'], bucketOf(60), null],
        ['2026-03-08', ['due', 'resolvedOfDue', 'rated', 'satisfied', 'resolved'], null, bucketOf(7 * 1440 - 60)],
      ],
    ],
    [
      'rated basically satisfied',
      {
        status: 'closed',
        acceptedAt: at('2026-03-01T11:00'),
        resolvedAt: at('2026-03-04T10:00'),
        ratedAt: at('2026-03-05T10:00'),
        rating: 'basically_satisfied',
      },
      [
        ['2026-03-01', ['assigned', 'acceptedOnTime', 'cases'], bucketOf(60), null],
        ['2026-03-04', ['resolved'], null, bucketOf(3 * 1440)],
        ['2026-03-05', ['rated', 'basicallySatisfied'], null, null],
        ['2026-03-08', ['due', 'resolvedOfDue'], null, null],
      ],
    ],
    [
      'reopened after an unsatisfied rating: due again later, not resolved now',
      {
        status: 'reopened',
        acceptedAt: at('2026-03-01T11:00'),
        resolveDueAt: at('2026-03-15T10:00'),
        ratedAt: at('2026-03-05T10:00'),
        rating: 'unsatisfied',
        reopenCount: 1,
      },
      [
        ['2026-03-01', ['assigned', 'acceptedOnTime', 'cases'], bucketOf(60), null],
        ['2026-03-05', ['rated'], null, null],
        ['2026-03-15', ['due'], null, null],
      ],
    ],
    [
      'resolved again after a reopen: reopened',
      {
        status: 'resolved',
        acceptedAt: at('2026-03-06T10:00'),
        resolveDueAt: at('2026-03-15T10:00'),
        resolvedAt: at('2026-03-10T10:00'),
        ratedAt: at('2026-03-05T10:00'),
        rating: 'unsatisfied',
        reopenCount: 1,
      },
      [
        ['2026-03-01', ['assigned', 'cases'], bucketOf(5 * 1440), null],
        ['2026-03-05', ['rated'], null, null],
        ['2026-03-10', ['resolved', 'reopened'], null, bucketOf(9 * 1440)],
        ['2026-03-15', ['due', 'resolvedOfDue'], null, null],
      ],
    ],
    [
      'a rating time without a rating counts nothing',
      { status: 'closed', ratedAt: at('2026-03-05T10:00') },
      [
        ['2026-03-01', ['assigned', 'cases'], null, null],
        ['2026-03-08', ['due'], null, null],
      ],
    ],
    ['no resolve deadline: no due day', { resolveDueAt: null }, [['2026-03-01', ['assigned', 'cases'], null, null]]],
    [
      'Beijing days: 00:30 on 1 January is still 31 December in UTC',
      { createdAt: new Date('2025-12-31T16:30:00Z'), resolveDueAt: new Date('2026-01-07T15:59:59.999Z') },
      [
        ['2026-01-01', ['assigned', 'cases'], null, null],
        ['2026-01-07', ['due'], null, null],
      ],
    ],
  ])('%s', (_name, c, expected) => {
    expect(days(c)).toEqual(expected)
  })

  it('counts in the committee, the station and the member it has', () => {
    expect(scopesOf(caseFacts(base)!)).toEqual([
      ['committee', 'K'],
      ['station', 'S'],
      ['member', 'M'],
    ])
    expect(scopesOf(caseFacts({ ...base, memberId: null })!)).toEqual([
      ['committee', 'K'],
      ['station', 'S'],
    ])
    expect(scopesOf(caseFacts({ ...base, stationId: null, memberId: null })!)).toEqual([['committee', 'K']])
    expect(beijingDay(new Date('2026-06-30T16:00:00Z'))).toBe('2026-07-01')
  })
})

describe('minutes histogram', () => {
  it.each([
    [-5, 0],
    [Number.NaN, 0],
    [0, 0],
    [0.99, 0],
    [1, 1],
    [1.49, 1],
    [1.5, 2],
    [2.25, 3],
    [60, 11],
    [1440, 18],
    [10_080, 23],
    [1e12, HIST_BUCKETS - 1],
  ])('%d minutes → bucket %i', (minutes, bucket) => {
    expect(bucketOf(minutes)).toBe(bucket)
  })

  it('has contiguous buckets each 1.5 times the one before, each value inside its own', () => {
    for (let b = 1; b < HIST_BUCKETS; b++) {
      expect(bucketBounds(b)[0]).toBe(bucketBounds(b - 1)[1])
      for (const v of [bucketBounds(b)[0], (bucketBounds(b)[0] + bucketBounds(b)[1]) / 2]) expect(bucketOf(v)).toBe(b)
    }
  })

  it('interpolates the median inside its bucket', () => {
    const hist = (values: number[]) => {
      const h = new Map<number, number>()
      for (const v of values) h.set(bucketOf(v), (h.get(bucketOf(v)) ?? 0) + 1)
      return h
    }
    expect(histMedian(new Map())).toBeNull()
    // One value of 60: bucket [57.7, 86.5), the middle of it.
    expect(histMedian(hist([60]))).toBeCloseTo((1.5 ** 10 + 1.5 ** 11) / 2, 6)
    // 30, 60, 120, 2880: rank 2 ends the second value's bucket; the exact median is 90.
    expect(histMedian(hist([30, 60, 120, 2880]))).toBeCloseTo(1.5 ** 11, 6)
    // Within half of the exact median: the relative width of a bucket.
    for (const values of [
      [5, 7, 1000],
      [100, 101, 102, 103],
      [10_080, 20_000, 43_200],
    ]) {
      const sorted = [...values].sort((a, b) => a - b)
      const exact = sorted.length % 2 ? sorted[sorted.length >> 1]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2
      expect(Math.abs(histMedian(hist(values))! - exact)).toBeLessThanOrEqual(exact / 2)
    }
  })

  it('writes a delta as an int[] literal trimmed to its non-zero buckets (subscript = bucket + 1)', () => {
    expect(
      histLiteral(
        new Map([
          [18, 1],
          [19, -1],
        ]),
      ),
    ).toBe('[19:20]={1,-1}')
    expect(
      histLiteral(
        new Map([
          [2, 1],
          [5, 2],
        ]),
      ),
    ).toBe('[3:6]={1,0,0,2}')
    expect(histLiteral(new Map([[3, 0]]))).toBeNull()
    expect(histLiteral(new Map())).toBeNull()
  })
})

describe('metric deltas', () => {
  const resolved = caseFacts({ ...base, status: 'resolved', acceptedAt: at('2026-03-01T11:00'), resolvedAt: at('2026-04-02T10:00') })!

  it('adds a case to its day and month rows of every scope', () => {
    const d = createDeltas()
    d.add(resolved, 1)
    expect(d.rows('day').map((r) => [r.grain, r.day])).toEqual([
      ['committee', '2026-03-01'],
      ['committee', '2026-03-08'],
      ['committee', '2026-04-02'],
      ['member', '2026-03-01'],
      ['member', '2026-03-08'],
      ['member', '2026-04-02'],
      ['station', '2026-03-01'],
      ['station', '2026-03-08'],
      ['station', '2026-04-02'],
    ])
    const march = d.rows('month').find((r) => r.grain === 'member' && r.day === '2026-03-01')!
    expect(march).toMatchObject({
      scope_id: 'M',
      category_id: 'C',
      m: [1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 1],
      ah: `[${bucketOf(60) + 1}:${bucketOf(60) + 1}]={1}`,
      rh: null,
    })
  })

  it('writes nothing for a case counted again as it was, and moves rows when it changes hands', () => {
    const same = createDeltas()
    same.add(resolved, -1)
    same.add(resolved, 1)
    expect([same.rows('day'), same.rows('month')]).toEqual([[], []])

    const moved = createDeltas()
    moved.add(resolved, -1)
    moved.add({ ...resolved, memberId: 'M2' }, 1)
    expect(moved.rows('month').map((r) => [r.scope_id, r.day, r.m[MEASURES.indexOf('cases')]])).toEqual([
      ['M2', '2026-03-01', 1],
      ['M2', '2026-04-01', 0],
      ['M', '2026-03-01', -1],
      ['M', '2026-04-01', 0],
    ])
  })
})

import { describe, expect, it } from 'vitest'
import { computeRates, median, ratio, round, roundMinutes, ZERO_COUNTS, type MetricCounts } from '../src/metrics/rates'

const counts = (c: Partial<MetricCounts>): MetricCounts => ({ ...ZERO_COUNTS, ...c })

describe('metric rates', () => {
  it.each([
    [
      'nothing at all: every rate null, never NaN',
      {},
      {
        responseRate: null,
        resolutionRate: null,
        satisfactionRate: null,
        returnRate: null,
        reopenRate: null,
      },
    ],
    [
      'numerators without denominators stay null',
      { acceptedOnTime: 3, resolvedOfDue: 2, satisfied: 1, returned: 1, reopened: 1 },
      {
        responseRate: null,
        resolutionRate: null,
        satisfactionRate: null,
        returnRate: null,
        reopenRate: null,
      },
    ],
    [
      'all satisfied, all on time, nothing returned or reopened',
      {
        assigned: 10,
        acceptedOnTime: 10,
        dueInPeriod: 8,
        resolvedOfDue: 8,
        rated: 5,
        satisfied: 5,
        resolved: 7,
      },
      { responseRate: 1, resolutionRate: 1, satisfactionRate: 1, returnRate: 0, reopenRate: 0 },
    ],
    ['basically satisfied counts as satisfied', { rated: 4, basicallySatisfied: 4 }, { satisfactionRate: 1 }],
    ['unsatisfied only', { rated: 3 }, { satisfactionRate: 0 }],
    [
      'mixed',
      {
        assigned: 6,
        acceptedOnTime: 3,
        returned: 3,
        dueInPeriod: 7,
        resolvedOfDue: 4,
        rated: 3,
        satisfied: 1,
        basicallySatisfied: 1,
        resolved: 4,
        reopened: 1,
      },
      { responseRate: 0.5, resolutionRate: 0.5714, satisfactionRate: 0.6667, returnRate: 0.5, reopenRate: 0.25 },
    ],
    [
      'rounding to 4 places: 1/3, 2/3, 1/7',
      {
        assigned: 3,
        acceptedOnTime: 1,
        returned: 2,
        dueInPeriod: 7,
        resolvedOfDue: 1,
      },
      { responseRate: 0.3333, returnRate: 0.6667, resolutionRate: 0.1429 },
    ],
    [
      'rounding: 99 999 of 100 000 shows as 1, 1 of 100 000 as 0',
      {
        assigned: 100_000,
        acceptedOnTime: 99_999,
        returned: 1,
      },
      { responseRate: 1, returnRate: 0 },
    ],
    [
      'rounding half up at the 5th place',
      { assigned: 20_000, acceptedOnTime: 1, dueInPeriod: 8, resolvedOfDue: 1 },
      {
        responseRate: 0.0001,
        resolutionRate: 0.125,
      },
    ],
  ] as const)('%s', (_name, input, expected) => {
    const rates = computeRates(counts(input))
    expect(rates).toMatchObject(expected)
    for (const v of Object.values(rates)) {
      expect(v === null || (Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true)
    }
  })

  it.each([
    [1, 0, null],
    [0, 0, null],
    [0, 5, 0],
    [5, 5, 1],
    [2, 3, 0.6667],
    [6, 5, 1], // a counting bug upstream must not draw a bar above 100 %
    [-1, 5, 0],
    [1, -2, null],
    [Number.NaN, 5, null],
    [1, Number.POSITIVE_INFINITY, null],
  ])('ratio(%d, %d) = %s', (n, d, expected) => {
    expect(ratio(n, d)).toBe(expected)
  })

  it.each([
    [1.00005, 4, 1.0001],
    [0.12345, 4, 0.1235],
    [2.675, 2, 2.68], // 2.675 is 2.67499… in binary; plain Math.round(x * 100) / 100 gives 2.67
    [90.04999, 1, 90],
    [0, 4, 0],
  ])('round(%d, %d) = %d', (value, places, expected) => {
    expect(round(value, places)).toBe(expected)
  })

  it.each([
    [[], null],
    [[5], 5],
    [[3, 1, 2], 2],
    [[30, 60, 120, 2880], 90],
    [[4, 1, 3, 2], 2.5],
    [[7, 7, 7], 7],
    [[1, Number.NaN, 3], 2],
  ])('median(%j) = %s', (values, expected) => {
    expect(median(values)).toBe(expected)
  })

  it('median does not reorder its input', () => {
    const values = [3, 1, 2]
    median(values)
    expect(values).toEqual([3, 1, 2])
  })

  it('rounds minutes to a tenth and keeps null', () => {
    expect(roundMinutes(12.345)).toBe(12.3)
    expect(roundMinutes(null)).toBeNull()
  })
})

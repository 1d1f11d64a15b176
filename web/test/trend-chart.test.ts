import { describe, expect, it } from 'vitest'
import { monthSplits } from '../src/admin/components/trend-chart'

// The dashboard's month axis (issue 12): it repeated month names (1月 1月 2月 3月 3月…) on uPlot's own time splits.
const months = (n: number) => Array.from({ length: n }, (_, i) => Date.UTC(2026, i, 15) / 1000)
const monthOf = (s: number) => new Date(s * 1000).getUTCMonth() + 1

describe('month ticks', () => {
  it('one tick per month when there is room, each month once', () => {
    const ticks = monthSplits(months(12), 1200)
    expect(ticks.map(monthOf)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
  })
  it('every second or third month on a phone, never a month twice and never closer than a name needs', () => {
    for (const width of [280, 320, 360, 414, 600]) {
      const ticks = monthSplits(months(12), width).map(monthOf)
      expect(new Set(ticks).size).toBe(ticks.length)
      expect(ticks[0]).toBe(1)
      expect((width - 60) / ticks.length).toBeGreaterThanOrEqual(40)
    }
    expect(monthSplits(months(12), 360).map(monthOf)).toEqual([1, 3, 5, 7, 9, 11])
  })
  it('a short year (January to now) and a single month', () => {
    expect(monthSplits(months(3), 320).map(monthOf)).toEqual([1, 2, 3])
    expect(monthSplits(months(1), 100).map(monthOf)).toEqual([1])
  })
})

import { describe, expect, it } from 'vitest'
import {
  addDays,
  beijingDateTime,
  beijingDay,
  beijingIso,
  beijingWallClock,
  beijingInstant,
  beijingMidnight,
  beijingParts,
  beijingTimeOfDay,
  beijingYear,
  daysBetween,
  formatDate,
  formatDay,
  formatTimeRange,
  isDay,
  LOCALES,
  monthBounds,
  weekdayOf,
  weekdayOrdinal,
} from '../src'

// 2026-12-04 06:05 Beijing = 2026-12-03 22:05 UTC: the Beijing day differs from the UTC day.
const AT = '2026-12-03T22:05:00Z'
const strip = (s: string) => s.replace(/[\u2068\u2069]/g, '')

describe('Beijing time', () => {
  it('reads the wall clock of UTC+8 whatever the process time zone', () => {
    expect(beijingDay(AT)).toBe('2026-12-04')
    expect(beijingTimeOfDay(AT)).toBe('06:05')
    expect(beijingParts(AT)).toEqual({ year: 2026, month: 12, day: 4, hour: 6, minute: 5, weekday: 5 })
    expect(beijingYear('2026-12-31T16:00:00Z')).toBe(2027)
    expect(beijingYear('2026-12-31T15:59:59Z')).toBe(2026)
    expect(beijingInstant('2026-12-04').toISOString()).toBe('2026-12-03T16:00:00.000Z')
    expect(beijingInstant('2026-12-09', '09:00').toISOString()).toBe('2026-12-09T01:00:00.000Z')
    expect(beijingMidnight(AT).toISOString()).toBe('2026-12-03T16:00:00.000Z')
  })

  it('writes machine-readable Beijing time: ISO 8601 with +08:00 (Open311), YYYY-MM-DD HH:MM (exports), wall clock (Excel)', () => {
    expect(beijingIso(AT)).toBe('2026-12-04T06:05:00+08:00')
    expect(beijingDateTime(AT)).toBe('2026-12-04 06:05')
    expect(beijingWallClock(AT).toISOString()).toBe('2026-12-04T06:05:00.000Z')
    // The day cache gives the same answer for every instant of a day, and the next day after midnight.
    expect(beijingDay('2026-12-04T15:59:59.999Z')).toBe('2026-12-04')
    expect(beijingDay('2026-12-04T16:00:00Z')).toBe('2026-12-05')
    expect(beijingDay(new Date('1969-12-31T15:00:00Z'))).toBe('1969-12-31')
  })

  it('counts calendar days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29')
    expect(daysBetween('2026-12-04', '2027-01-03')).toBe(30)
    expect(weekdayOf('2026-12-08')).toBe(2)
    expect(weekdayOrdinal('2026-12-03')).toEqual({ nth: 1, last: false })
    expect(weekdayOrdinal('2026-12-31')).toEqual({ nth: 5, last: true })
    expect(weekdayOrdinal('2026-12-24')).toEqual({ nth: 4, last: false })
    expect(monthBounds('2028-02-10')).toEqual({ first: '2028-02-01', last: '2028-02-29' })
    expect(isDay('2026-02-31')).toBe(false)
    expect(isDay('2026-2-3')).toBe(false)
    expect(() => beijingInstant('2026-12-04', '24:00')).toThrow(RangeError)
  })
})

// Written out by hand, not computed: the table the formatter must reproduce.
const TABLE = {
  'zh-CN': { date: '2026年12月4日', monthDay: '12月4日', weekdayMonthDay: '12月4日（周五）', dateTime: '2026年12月4日 06:05', time: '06:05' },
  en: { date: 'Dec 4, 2026', monthDay: 'Dec 4', weekdayMonthDay: 'Fri, Dec 4', dateTime: 'Dec 4, 2026, 06:05', time: '06:05' },
  ug: { date: '4.12.2026', monthDay: '4.12', weekdayMonthDay: 'جۈمە 4.12', dateTime: '4.12.2026 06:05', time: '06:05' },
  'kk-Arab-CN': { date: '4.12.2026', monthDay: '4.12', weekdayMonthDay: 'جۇما 4.12', dateTime: '4.12.2026 06:05', time: '06:05' },
} as const

describe('dates by locale', () => {
  it.each(LOCALES)('%s writes the fixed instant as the table says', (locale) => {
    for (const [style, want] of Object.entries(TABLE[locale])) expect(strip(formatDate(AT, locale, style as keyof (typeof TABLE)[typeof locale]))).toBe(want)
    expect(strip(formatDay('2026-12-04', locale, 'date'))).toBe(TABLE[locale].date)
  })

  it('never writes year-day-month in Uyghur, and isolates the digits inside right-to-left text', () => {
    const s = formatDate(AT, 'ug', 'date')
    expect(s.startsWith('\u2068') && s.endsWith('\u2069')).toBe(true)
    expect(strip(s)).not.toMatch(/^2026/)
    expect(formatTimeRange('09:00', '11:30', 'zh-CN')).toBe('09:00–11:30')
    expect(strip(formatTimeRange('09:00:00', '11:30:00', 'ug'))).toBe('09:00–11:30')
  })
})

/**
 * Beijing time (China Standard Time, UTC+8, no daylight saving since 1991): the one place that does its arithmetic.
 * Deadlines, reception days, statistics days and case numbers are all counted in it, whatever the server's, the
 * phone's or the browser's own time zone. Days are `YYYY-MM-DD` strings, times of day `HH:MM`; instants are Dates.
 */
export const BEIJING_OFFSET_MS = 8 * 3_600_000
/** The IANA name of Beijing time, for what takes a zone name (cron schedules, SQL `at time zone`). */
export const BEIJING_TIME_ZONE = 'Asia/Shanghai'
export const DAY_MS = 86_400_000

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/

type Instant = Date | number | string

/** A clock reading as a Date shifted so that its UTC fields read Beijing's wall clock. Internal only. */
const shifted = (at: Instant) => new Date(new Date(at).getTime() + BEIJING_OFFSET_MS)

export interface BeijingParts {
  year: number
  /** 1–12 */
  month: number
  day: number
  hour: number
  minute: number
  /** 0 = Sunday … 6 = Saturday */
  weekday: number
}

/** The wall-clock fields of an instant in Beijing. */
export function beijingParts(at: Instant): BeijingParts {
  const d = shifted(at)
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: d.getUTCDay(),
  }
}

/** Day number → 'YYYY-MM-DD': statistics rebuilds name millions of instants' days but only a few thousand distinct ones. */
const dayNames = new Map<number, string>()

/** The Beijing day (YYYY-MM-DD) of an instant. */
export function beijingDay(at: Instant): string {
  const n = Math.floor((new Date(at).getTime() + BEIJING_OFFSET_MS) / DAY_MS)
  let name = dayNames.get(n)
  if (name === undefined) dayNames.set(n, (name = new Date(n * DAY_MS).toISOString().slice(0, 10)))
  return name
}

/** The Beijing calendar year of an instant (case numbers, yearly targets). */
export function beijingYear(at: Instant): number {
  return shifted(at).getUTCFullYear()
}

/** The Beijing time of day (HH:MM) of an instant. */
export function beijingTimeOfDay(at: Instant): string {
  return shifted(at).toISOString().slice(11, 16)
}

/** An instant in ISO 8601 with Beijing's offset, to the second: `2026-12-04T06:05:00+08:00` (Open311, machine-readable). */
export function beijingIso(at: Instant): string {
  return `${shifted(at).toISOString().slice(0, 19)}+08:00`
}

/** An instant as `YYYY-MM-DD HH:MM` in Beijing time: sortable, for CSV/XLSX columns and logs. */
export function beijingDateTime(at: Instant): string {
  return shifted(at).toISOString().slice(0, 16).replace('T', ' ')
}

/** A Date whose UTC fields read Beijing's wall clock, for formats that have no time zone (Excel cells). */
export function beijingWallClock(at: Instant): Date {
  return shifted(at)
}

/** True for a real calendar day written YYYY-MM-DD (2026-02-31 is not one). */
export function isDay(value: string): boolean {
  const m = DAY.exec(value)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.toISOString().slice(0, 10) === value
}

/** True for a time of day written HH:MM (00:00–23:59). */
export function isTimeOfDay(value: string): boolean {
  return TIME.test(value)
}

/** The instant at which a Beijing day (and optionally a time of day, HH:MM) begins. Throws on a malformed value. */
export function beijingInstant(day: string, time = '00:00'): Date {
  if (!isDay(day)) throw new RangeError(`not a day: ${day}`)
  if (!isTimeOfDay(time)) throw new RangeError(`not a time of day: ${time}`)
  return new Date(Date.parse(`${day}T${time}:00Z`) - BEIJING_OFFSET_MS)
}

/** The start (Beijing midnight) of the day an instant falls in. */
export function beijingMidnight(at: Instant): Date {
  return beijingInstant(beijingDay(at))
}

/** A day `n` calendar days after (or before, n < 0) `day`. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** The same calendar day `n` years after (or before, n < 0) `day`; 29 February becomes the 28th in a common year. */
export function addYears(day: string, n: number): string {
  return addMonths(day, 12 * n)
}

/** The same day of the month `n` months after (or before, n < 0) `day`, or the month's last day if it has fewer. */
export function addMonths(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const first = new Date(Date.UTC(y, m - 1 + n, 1))
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate()
  first.setUTCDate(Math.min(d, last))
  return first.toISOString().slice(0, 10)
}

/** Whole days from `from` to `to` (both YYYY-MM-DD): 0 for the same day, negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS)
}

/** The weekday of a day: 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay()
}

/** Which occurrence of its weekday in its month a day is (1 for the first Thursday, …, 5) and whether it is the last. */
export function weekdayOrdinal(day: string): { nth: number; last: boolean } {
  const date = Number(day.slice(8, 10))
  const nth = Math.ceil(date / 7)
  const last = addDays(day, 7).slice(0, 7) !== day.slice(0, 7)
  return { nth, last }
}

/** The first and last day of a day's month. */
export function monthBounds(day: string): { first: string; last: string } {
  const first = `${day.slice(0, 7)}-01`
  return { first, last: addDays(addDays(first, 32).slice(0, 7) + '-01', -1) }
}

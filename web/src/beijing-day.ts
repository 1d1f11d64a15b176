import { HANDOFF_DUE_HOUR } from '@mashangjian/shared'

/**
 * Calendar days as the people using the app count them: China Standard Time (UTC+8, no daylight saving), whatever
 * the phone's or the browser's own time zone. Shared by the member app and the desk (date inputs give a day).
 */
const BEIJING_MS = 8 * 3_600_000

/** The Beijing day (YYYY-MM-DD) of an instant, for a date input. */
export function beijingDay(at: string | number | Date): string {
  return new Date(new Date(at).getTime() + BEIJING_MS).toISOString().slice(0, 10)
}

/**
 * 交办's reply deadline for a day the member or the desk picked: the end of office hours (18:00 Beijing time) on
 * that day, as the API's default deadline is. Null for anything that is not a day.
 */
export function handoffDueAtOfDay(day: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null
  const at = new Date(`${day}T${String(HANDOFF_DUE_HOUR).padStart(2, '0')}:00:00+08:00`)
  // 2026-02-31 parses to March 3rd: a day that does not exist is not a day.
  return Number.isNaN(at.getTime()) || beijingDay(at) !== day ? null : at.toISOString()
}

/**
 * The first day a hand-off may be due: today while its 18:00 is still ahead, tomorrow after that (a deadline in the
 * past would be refused, or late the moment it is sent).
 */
export function firstHandoffDay(now: number = Date.now()): string {
  const today = beijingDay(now)
  const due = handoffDueAtOfDay(today)!
  if (Date.parse(due) > now) return today
  return beijingDay(now + 24 * 3_600_000)
}

import { HANDOFF_DUE_HOUR, addDays, beijingDay, beijingInstant, isDay } from '@mashangjian/shared'

/**
 * Hand-off days as the people using the app count them: Beijing time (shared/src/time/beijing.ts), whatever the
 * phone's or the browser's own time zone. Shared by the member app and the desk (date inputs give a day).
 */
export { beijingDay }

/**
 * 交办's reply deadline for a day the member or the desk picked: the end of office hours (18:00 Beijing time) on
 * that day, as the API's default deadline is. Null for anything that is not a day (2026-02-31 included).
 */
export function handoffDueAtOfDay(day: string): string | null {
  if (!isDay(day)) return null
  return beijingInstant(day, `${String(HANDOFF_DUE_HOUR).padStart(2, '0')}:00`).toISOString()
}

/**
 * The first day a hand-off may be due: today while its 18:00 is still ahead, tomorrow after that (a deadline in the
 * past would be refused, or late the moment it is sent).
 */
export function firstHandoffDay(now: number = Date.now()): string {
  const today = beijingDay(now)
  const due = handoffDueAtOfDay(today)!
  if (Date.parse(due) > now) return today
  return addDays(today, 1)
}

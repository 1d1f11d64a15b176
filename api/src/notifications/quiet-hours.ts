import { QUIET_HOURS, addDays, beijingDay, beijingInstant, beijingParts } from '@mashangjian/shared'

/**
 * When a member's SMS may go out: now, or 07:00 Beijing time when `now` falls in the quiet hours (22:00–07:00).
 * China has one time zone and no daylight saving, so a fixed +8 h is exact.
 */
export function releaseAfterQuietHours(now: Date): Date {
  const { hour } = beijingParts(now)
  if (hour >= QUIET_HOURS.until && hour < QUIET_HOURS.from) return now
  const today = beijingDay(now)
  const day = hour >= QUIET_HOURS.from ? addDays(today, 1) : today
  return beijingInstant(day, `${String(QUIET_HOURS.until).padStart(2, '0')}:00`)
}

import { QUIET_HOURS } from '@mashangjian/shared'

const BEIJING_OFFSET_MS = 8 * 3_600_000

/**
 * When a member's SMS may go out: now, or 07:00 Beijing time when `now` falls in the quiet hours (22:00–07:00).
 * China has one time zone and no daylight saving, so a fixed +8 h is exact.
 */
export function releaseAfterQuietHours(now: Date): Date {
  const local = new Date(now.getTime() + BEIJING_OFFSET_MS)
  const hour = local.getUTCHours()
  if (hour >= QUIET_HOURS.until && hour < QUIET_HOURS.from) return now
  const release = new Date(local)
  release.setUTCHours(QUIET_HOURS.until, 0, 0, 0)
  if (hour >= QUIET_HOURS.from) release.setUTCDate(release.getUTCDate() + 1)
  return new Date(release.getTime() - BEIJING_OFFSET_MS)
}

/** The calendar day in Beijing, YYYY-MM-DD (digest keys). */
export function beijingDay(now: Date): string {
  return new Date(now.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10)
}

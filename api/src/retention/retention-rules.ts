import { addYears, beijingDay, daysBetween, DAY_MS, DEFAULT_RETENTION_YEARS } from '@mashangjian/shared'
import type { CommitteeSettings } from '../db/schema'

/** The years in force for a committee: its own choice, else the default the scan page has always promised. */
export const retentionYearsOf = (settings: CommitteeSettings): number => settings.retentionYears ?? DEFAULT_RETENTION_YEARS

/**
 * What "ended more than `years` years ago" means at `now`: an instant (cases: closed_at before it) and a Beijing
 * day (contacts: met_on before it). Calendar years in Beijing time, so a case closed on 5 December 2026 at 10:00
 * is kept until 5 December 2029 at 10:00 whatever the leap years between.
 */
export function retentionCutoff(now: Date, years: number): { before: Date; beforeDay: string } {
  const today = beijingDay(now)
  const beforeDay = addYears(today, -years)
  return { before: new Date(now.getTime() - daysBetween(beforeDay, today) * DAY_MS), beforeDay }
}

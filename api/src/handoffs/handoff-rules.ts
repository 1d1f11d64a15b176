import { DEFAULT_HANDOFF_REPLY_DAYS, handoffDueAt, type CaseRole, type HandoffRole, type HandoffSettings } from '@mashangjian/shared'
import type { CommitteeSettings } from '../db/schema'

/** A deadline typed by hand may be this far ahead at most: a question parked for months is no hand-off. */
export const MAX_HANDOFF_DAYS_AHEAD = 90
const DAY = 86_400_000

/** The committee's hand-off settings with the defaults filled in (5 working days, the resolve clock runs on). */
export function handoffSettingsOf(settings: CommitteeSettings): HandoffSettings {
  return {
    replyDays: settings.handoff?.replyDays ?? DEFAULT_HANDOFF_REPLY_DAYS,
    pauseResolveClock: settings.handoff?.pauseResolveClock ?? false,
  }
}

/**
 * The reply deadline of a hand-off made `now`: the one the member chose (in the future, at most 90 days
 * ahead), else the committee's reply days in working days. Answers an error message for a bad choice.
 */
export function handoffDeadline(given: string | undefined, now: Date, replyDays: number): { dueAt: Date } | { error: string } {
  if (given === undefined) return { dueAt: handoffDueAt(now, replyDays) }
  const dueAt = new Date(given)
  if (Number.isNaN(dueAt.getTime())) return { error: 'not a date-time' }
  if (dueAt.getTime() <= now.getTime()) return { error: 'must be in the future' }
  if (dueAt.getTime() > now.getTime() + MAX_HANDOFF_DAYS_AHEAD * DAY) return { error: `must be at most ${MAX_HANDOFF_DAYS_AHEAD} days ahead` }
  return { dueAt }
}

/** How a case role acts on a hand-off (handoff-machine.ts): the assignee, or the desk. */
export const handoffRoleOf = (role: CaseRole): HandoffRole => (role === 'assignee' ? 'assignee' : 'admin')

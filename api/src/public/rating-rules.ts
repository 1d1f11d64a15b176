import type { CaseEventType, CaseStatus, Rating } from '@mashangjian/shared'

/** How many times a resident's "unsatisfied" sends a case back (重办) before it closes anyway. */
export const MAX_REOPENS = 1

/**
 * What a resident's rating of a resolved case does: satisfied answers close it; "unsatisfied" reopens it once,
 * and closes it (counted as unsatisfied) the second time.
 */
export function afterRating(rating: Rating, reopenCount: number): { status: CaseStatus; events: CaseEventType[] } {
  if (rating === 'unsatisfied' && reopenCount < MAX_REOPENS) return { status: 'reopened', events: ['rated', 'reopened'] }
  return { status: 'closed', events: ['rated', 'closed'] }
}

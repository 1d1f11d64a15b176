import type { CaseRow, NewCase } from '../cases/cases-repo'

/**
 * The resolve clock while departments have a case (committee setting `handoff.pauseResolveClock`): it stops
 * when the first hand-off is sent and, when the last open one ends (answered, returned, withdrawn, expired),
 * the resolve deadline moves on by the time it stood still. Pure: the callers write the patch with the event.
 */
export function pausePatch(row: Pick<CaseRow, 'resolvePausedAt'>, pauseSetting: boolean, now: Date): Partial<NewCase> {
  return pauseSetting && !row.resolvePausedAt ? { resolvePausedAt: now } : {}
}

/** `openLeft`: hand-offs of the case still open after this change. */
export function resumePatch(row: Pick<CaseRow, 'resolvePausedAt' | 'resolveDueAt'>, openLeft: number, now: Date): Partial<NewCase> {
  if (!row.resolvePausedAt || openLeft > 0) return {}
  const paused = Math.max(0, now.getTime() - row.resolvePausedAt.getTime())
  return {
    resolvePausedAt: null,
    resolveDueAt: row.resolveDueAt ? new Date(row.resolveDueAt.getTime() + paused) : null,
    // The reminder and overdue marks belonged to the old deadline.
    ...(row.resolveDueAt && paused > 0 ? { resolveRemindedAt: null } : {}),
  }
}

/**
 * 交办: a case's question handed to a government department (职能部门), as its own small machine beside the
 * case machine (issue 14). The case keeps its own status while it waits; a hand-off ends answered (the reply
 * goes back to the member), returned (退回: not the department's matter), expired (the case ended before the
 * department answered: its link stops working) or withdrawn (the member or desk took the question back).
 * Being late is not a state: the deadline sweep marks `overdue_at` and reminds, and the department may still
 * answer.
 */
import { addDays, beijingDay, beijingInstant, weekdayOf } from './time/beijing'

export const HANDOFF_STATUSES = ['sent', 'acknowledged', 'answered', 'returned', 'expired', 'withdrawn'] as const
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number]

/** Still waiting for the department (its link works, its deadline runs). */
export const OPEN_HANDOFF_STATUSES = ['sent', 'acknowledged'] as const satisfies readonly HandoffStatus[]

export const HANDOFF_ACTIONS = ['acknowledge', 'answer', 'return', 'withdraw', 'expire', 'remind', 'mark_overdue'] as const
export type HandoffAction = (typeof HANDOFF_ACTIONS)[number]

/** Who acts: the department through its link, the case's member, the station or committee desk, the jobs. */
export const HANDOFF_ROLES = ['department', 'assignee', 'admin', 'system'] as const
export type HandoffRole = (typeof HANDOFF_ROLES)[number]

interface HandoffRule {
  action: HandoffAction
  from: readonly HandoffStatus[]
  roles: readonly HandoffRole[]
  /** 'same': the status stays (a reminder, an overdue mark). */
  to: HandoffStatus | 'same'
}

const OPEN = OPEN_HANDOFF_STATUSES

export const HANDOFF_RULES: readonly HandoffRule[] = [
  // 签收: the department says it has the question.
  { action: 'acknowledge', from: ['sent'], roles: ['department'], to: 'acknowledged' },
  // 答复: an answer without a separate 签收 counts as both.
  { action: 'answer', from: OPEN, roles: ['department'], to: 'answered' },
  // 退回: not our matter (with a reason, and the department it should go to when known).
  { action: 'return', from: OPEN, roles: ['department'], to: 'returned' },
  // The member or the desk takes the question back (asked the wrong department, solved meanwhile).
  { action: 'withdraw', from: OPEN, roles: ['assignee', 'admin'], to: 'withdrawn' },
  // The case ended (resolved, closed, merged, invalid) while the department had not answered.
  { action: 'expire', from: OPEN, roles: ['system'], to: 'expired' },
  // The deadline sweep: a reminder before the reply deadline, the overdue mark after it.
  { action: 'remind', from: OPEN, roles: ['system'], to: 'same' },
  { action: 'mark_overdue', from: OPEN, roles: ['system'], to: 'same' },
]

export type HandoffDecision = { ok: true; to: HandoffStatus } | { ok: false; code: 'INVALID_TRANSITION' }

export function decideHandoff(status: HandoffStatus, action: HandoffAction, role: HandoffRole): HandoffDecision {
  const rule = HANDOFF_RULES.find((r) => r.action === action && r.roles.includes(role) && r.from.includes(status))
  if (!rule) return { ok: false, code: 'INVALID_TRANSITION' }
  return { ok: true, to: rule.to === 'same' ? status : rule.to }
}

/** What the department's page offers in `status` (签收 / 答复 / 退回), or the desk's buttons. */
export function allowedHandoffActions(status: HandoffStatus, role: HandoffRole): HandoffAction[] {
  return HANDOFF_ACTIONS.filter((a) => decideHandoff(status, a, role).ok)
}

export const isOpenHandoff = (status: HandoffStatus) => (OPEN_HANDOFF_STATUSES as readonly string[]).includes(status)

/** Default reply time a committee gives departments (its settings may change it): 5 working days. */
export const DEFAULT_HANDOFF_REPLY_DAYS = 5
/** A hand-off's reply deadline is this hour (Beijing time) on its last working day: the end of office hours. */
export const HANDOFF_DUE_HOUR = 18

/**
 * The reply deadline `workingDays` working days after `from`: 18:00 Beijing time on that day, counting Monday to
 * Friday only. Public holidays and the make-up working weekends (调休) are not known here: a committee that
 * needs them sets the deadline by hand when handing off.
 */
export function handoffDueAt(from: Date, workingDays: number): Date {
  let day = beijingDay(from)
  let left = Math.max(1, Math.floor(workingDays))
  while (left > 0) {
    day = addDays(day, 1)
    const weekday = weekdayOf(day)
    if (weekday !== 0 && weekday !== 6) left--
  }
  return beijingInstant(day, `${HANDOFF_DUE_HOUR}:00`)
}

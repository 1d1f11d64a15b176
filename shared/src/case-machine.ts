import type { CaseEventType, CaseStatus } from './cases'

/**
 * The case state machine (DESIGN.md §4) as one table: from-state × action × role → to-state + events.
 * Pure and shared, so the API enforces it and the member app can show only the actions that will be accepted.
 * Anything not in the table is refused with INVALID_TRANSITION.
 */

export const CASE_ACTIONS = [
  'assign',
  'accept',
  'decline',
  'transfer',
  'note',
  'contact_log',
  'request_extension',
  'approve_extension',
  'deny_extension',
  'resolve',
  'rate',
  'reopen',
  'merge',
  'mark_invalid',
  'auto_close',
  'escalate',
  'chase',
  'mark_overdue',
  'add_info',
  'follow_up',
  'handoff',
  'withdraw_handoff',
] as const
export type CaseAction = (typeof CASE_ACTIONS)[number]

/**
 * How the one acting relates to the case. Scope was checked before (an out-of-scope case is 404): the machine
 * only decides what someone who can see the case may do to it.
 */
export const CASE_ROLES = ['assignee', 'station_admin', 'committee_admin', 'resident', 'system'] as const
export type CaseRole = (typeof CASE_ROLES)[number]

/**
 * `same` keeps the status (follow-ups); `rating` is decided by the rating and the reopen count (see decide);
 * `follow_up` is a 回访: the status stays unless it brings the resident's first rating to a resolved case.
 */
type Target = CaseStatus | 'same' | 'rating' | 'follow_up'

interface Rule {
  action: CaseAction
  from: readonly CaseStatus[]
  roles: readonly CaseRole[]
  to: Target
  events: readonly CaseEventType[]
}

const OPEN: readonly CaseStatus[] = ['assigned', 'accepted', 'in_progress', 'reopened']
const WORKING: readonly CaseStatus[] = ['accepted', 'in_progress']
const ADMINS: readonly CaseRole[] = ['station_admin', 'committee_admin']

/** Order matters only where two rows share action and role: the first row whose `from` matches wins. */
export const CASE_RULES: readonly Rule[] = [
  // 派单 / 改派: an admin (or routing) gives the case to a member or back to the station queue.
  { action: 'assign', from: ['submitted', ...OPEN], roles: [...ADMINS, 'system'], to: 'assigned', events: ['assigned'] },
  // 接单
  { action: 'accept', from: ['assigned', 'reopened'], roles: ['assignee'], to: 'accepted', events: ['accepted'] },
  // 退单: back to the station admin's queue, with a reason.
  { action: 'decline', from: ['assigned', 'accepted', 'reopened'], roles: ['assignee'], to: 'assigned', events: ['declined'] },
  // 转办: to another member or station, history kept.
  { action: 'transfer', from: OPEN, roles: ['assignee', ...ADMINS], to: 'assigned', events: ['transferred'] },
  // The first follow-up by the assignee moves an accepted case into 办理中.
  { action: 'note', from: ['accepted'], roles: ['assignee'], to: 'in_progress', events: ['note'] },
  { action: 'note', from: [...OPEN, 'resolved'], roles: ['assignee', ...ADMINS], to: 'same', events: ['note'] },
  { action: 'contact_log', from: ['accepted'], roles: ['assignee'], to: 'in_progress', events: ['contact_logged'] },
  { action: 'contact_log', from: ['in_progress', 'resolved'], roles: ['assignee'], to: 'same', events: ['contact_logged'] },
  { action: 'request_extension', from: WORKING, roles: ['assignee'], to: 'same', events: ['extension_requested'] },
  { action: 'approve_extension', from: WORKING, roles: ADMINS, to: 'same', events: ['extension_approved'] },
  { action: 'deny_extension', from: WORKING, roles: ADMINS, to: 'same', events: ['extension_denied'] },
  // 办结 with a public reply.
  { action: 'resolve', from: WORKING, roles: ['assignee'], to: 'resolved', events: ['resolved'] },
  // 回访/评价: satisfied closes; unsatisfied reopens once (重办), then closes.
  { action: 'rate', from: ['resolved'], roles: ['resident'], to: 'rating', events: ['rated'] },
  // 重办 ordered by an admin after a complaint, even once closed.
  { action: 'reopen', from: ['resolved', 'closed'], roles: ADMINS, to: 'reopened', events: ['reopened'] },
  // 并单: a duplicate folds into another case and ends.
  { action: 'merge', from: ['submitted', ...OPEN], roles: ['assignee', ...ADMINS], to: 'merged', events: ['merged'] },
  { action: 'mark_invalid', from: ['submitted', ...OPEN], roles: ADMINS, to: 'invalid', events: ['marked_invalid'] },
  // Jobs: no rating N days after 办结 closes the case; an assignment nobody accepted in time goes to the queue.
  { action: 'auto_close', from: ['resolved'], roles: ['system'], to: 'closed', events: ['closed'] },
  { action: 'escalate', from: ['assigned'], roles: ['system'], to: 'assigned', events: ['escalated'] },
  { action: 'mark_overdue', from: OPEN, roles: ['system'], to: 'same', events: ['overdue'] },
  // 督办/催办
  { action: 'chase', from: OPEN, roles: ADMINS, to: 'same', events: ['chased'] },
  // 回访: an admin calls the resident back after 办结 and may record the rating they give by phone.
  { action: 'follow_up', from: ['resolved', 'closed'], roles: ADMINS, to: 'follow_up', events: ['followed_up'] },
  // 交办: the member (the first follow-up moves an accepted case into 办理中, like a note) or the desk hands a
  // question to a department; the case keeps its status while it waits (handoff-machine.ts has the hand-off's own).
  { action: 'handoff', from: ['accepted'], roles: ['assignee'], to: 'in_progress', events: ['handed_off'] },
  { action: 'handoff', from: ['in_progress'], roles: ['assignee'], to: 'same', events: ['handed_off'] },
  { action: 'handoff', from: OPEN, roles: ADMINS, to: 'same', events: ['handed_off'] },
  // The question taken back (wrong department, solved meanwhile): the department's link stops working.
  { action: 'withdraw_handoff', from: OPEN, roles: ['assignee', ...ADMINS], to: 'same', events: ['handoff_withdrawn'] },
  // A resident adds details or photos to their open case.
  { action: 'add_info', from: ['submitted', ...OPEN], roles: ['resident'], to: 'same', events: ['resident_added_info'] },
]

/** Actions that only add to the timeline: applied even when the case moved on since the client read it. */
export const ANNOTATIONS: readonly CaseAction[] = ['note', 'contact_log', 'chase', 'add_info', 'mark_overdue', 'handoff', 'withdraw_handoff']

/** How many times a resident's "unsatisfied" sends a case back (重办) before it closes anyway. */
export const MAX_REOPENS = 1

export type Decision = { ok: true; to: CaseStatus; events: CaseEventType[] } | { ok: false; code: 'INVALID_TRANSITION' }

export interface DecideInput {
  status: CaseStatus
  action: CaseAction
  role: CaseRole
  /** For `rate` (and a `follow_up` carrying a rating): the resident's answer and how often the case was reopened already. */
  rating?: 'satisfied' | 'basically_satisfied' | 'unsatisfied'
  reopenCount?: number
  /** For `follow_up` with a rating: the case already has one (a rating is given once; a call cannot replace it). */
  alreadyRated?: boolean
}

export function findRule(status: CaseStatus, action: CaseAction, role: CaseRole): Rule | undefined {
  return CASE_RULES.find((r) => r.action === action && r.roles.includes(role) && r.from.includes(status))
}

/** What an action does to a case in `status` when done by `role`; refused when the table has no row for it. */
export function decide(input: DecideInput): Decision {
  const rule = findRule(input.status, input.action, input.role)
  if (!rule) return { ok: false, code: 'INVALID_TRANSITION' }
  if (rule.to === 'same') return { ok: true, to: input.status, events: [...rule.events] }
  const rated = (): Decision => {
    const reopen = input.rating === 'unsatisfied' && (input.reopenCount ?? 0) < MAX_REOPENS
    return reopen ? { ok: true, to: 'reopened', events: ['rated', 'reopened'] } : { ok: true, to: 'closed', events: ['rated', 'closed'] }
  }
  if (rule.to === 'rating') return rated()
  if (rule.to === 'follow_up') {
    if (!input.rating) return { ok: true, to: input.status, events: [...rule.events] }
    if (input.alreadyRated) return { ok: false, code: 'INVALID_TRANSITION' }
    // A rating by phone on a resolved case counts as the resident's rating (closes or reopens it); on a case
    // that closed by itself unrated, it is recorded and the case stays closed.
    if (input.status === 'closed') return { ok: true, to: 'closed', events: [...rule.events, 'rated'] }
    const r = rated()
    return r.ok ? { ok: true, to: r.to, events: [...rule.events, ...r.events] } : r
  }
  return { ok: true, to: rule.to, events: [...rule.events] }
}

/** The actions a role may take on a case in `status` (for the app's action sheet). */
export function allowedActions(status: CaseStatus, role: CaseRole): CaseAction[] {
  return CASE_ACTIONS.filter((a) => findRule(status, a, role))
}

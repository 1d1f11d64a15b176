import type { Role } from './roles'

/** 社情民意信息 report states (DESIGN.md §3): draft → submitted → adopted | rejected. */
export const REPORT_STATUSES = ['draft', 'submitted', 'adopted', 'rejected'] as const
export type ReportStatus = (typeof REPORT_STATUSES)[number]

/** 履职 records beyond cases: what the ledger counts besides case work. */
export const ACTIVITY_KINDS = ['meeting', 'reception_day', 'visit', 'proposal', 'opinion_report', 'research', 'training', 'other'] as const
export type ActivityKind = (typeof ACTIVITY_KINDS)[number]
/** issue 15: a member's own activity waits for review; staff entries are confirmed at once. Only confirmed ones count. */
export const ACTIVITY_STATUSES = ['pending', 'confirmed', 'rejected'] as const
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number]
export const ACTIVITY_SOURCES = ['member', 'staff'] as const
export type ActivitySource = (typeof ACTIVITY_SOURCES)[number]
/** Photos a member may attach to one activity. */
export const MAX_ACTIVITY_PHOTOS = 3

/** Who may move a report: its writers submit it; the committee's office records the decision. */
const WRITERS: readonly Role[] = ['member', 'station_admin', 'committee_admin', 'system_admin']
const DECIDERS: readonly Role[] = ['committee_admin', 'system_admin']

/**
 * The report state machine as one table (like case-machine.ts): from-state × to-state → roles allowed.
 * Anything not here is refused with INVALID_REPORT_TRANSITION; a decision needs the deciding body (decidedBy).
 */
export const REPORT_TRANSITIONS: readonly { from: ReportStatus; to: ReportStatus; roles: readonly Role[] }[] = [
  { from: 'draft', to: 'submitted', roles: WRITERS },
  { from: 'submitted', to: 'adopted', roles: DECIDERS },
  { from: 'submitted', to: 'rejected', roles: DECIDERS },
]

export type ReportDecision = { ok: true } | { ok: false; reason: 'transition' | 'role' }

/** Whether `role` may move a report from `from` to `to`: `transition` when no row allows it at all, `role` when only others may. */
export function decideReport(from: ReportStatus, to: ReportStatus, role: Role): ReportDecision {
  const rule = REPORT_TRANSITIONS.find((r) => r.from === from && r.to === to)
  if (!rule) return { ok: false, reason: 'transition' }
  return rule.roles.includes(role) ? { ok: true } : { ok: false, reason: 'role' }
}

/** The states a report in `from` may move to, for `role` (the console shows only these buttons). */
export const nextReportStatuses = (from: ReportStatus, role: Role): ReportStatus[] =>
  REPORT_TRANSITIONS.filter((r) => r.from === from && r.roles.includes(role)).map((r) => r.to)

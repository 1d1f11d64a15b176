/** Case vocabulary shared by API, web and the state machine (DESIGN.md §4). */
export const CASE_STATUSES = [
  'submitted',
  'assigned',
  'accepted',
  'in_progress',
  'resolved',
  'reopened',
  'closed',
  'invalid',
  'merged',
] as const
export type CaseStatus = (typeof CASE_STATUSES)[number]

export const CASE_CHANNELS = ['qr', 'web', 'phone', 'visit', 'open311'] as const
export type CaseChannel = (typeof CASE_CHANNELS)[number]

export const CASE_PRIORITIES = ['normal', 'urgent'] as const
export const SLA_CLASSES = ['urgent', 'general', 'complex'] as const
export type SlaClass = (typeof SLA_CLASSES)[number]

export const RATINGS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const
export type Rating = (typeof RATINGS)[number]

export const CASE_EVENT_TYPES = [
  'submitted',
  'assigned',
  'accepted',
  'declined',
  'transferred',
  'note',
  'contact_logged',
  'extension_requested',
  'extension_approved',
  'extension_denied',
  'escalated',
  'chased',
  'overdue',
  'resolved',
  'rated',
  'reopened',
  'merged',
  'marked_invalid',
  'closed',
  'resident_added_info',
] as const
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number]

export const EVENT_VISIBILITIES = ['public', 'internal'] as const
export const ACTOR_KINDS = ['resident', 'member', 'admin', 'system'] as const

/** Default deadlines per SLA class in hours (DESIGN.md §5); committees may override them. */
export const DEFAULT_SLA_HOURS: Record<SlaClass, { accept: number; resolve: number }> = {
  urgent: { accept: 2, resolve: 24 },
  general: { accept: 24, resolve: 7 * 24 },
  complex: { accept: 24, resolve: 15 * 24 },
}

/**
 * Inbox groups: GET /me/cases?filter=new|open|closed on the server, and the member app's tabs computed offline
 * from its cached cases. `overdue` cuts across them (see isOverdue).
 */
export const INBOX_NEW_STATUSES = ['assigned', 'reopened'] as const satisfies readonly CaseStatus[]
export const INBOX_WORKING_STATUSES = ['accepted', 'in_progress'] as const satisfies readonly CaseStatus[]
export const INBOX_DONE_STATUSES = ['resolved', 'closed', 'invalid', 'merged'] as const satisfies readonly CaseStatus[]
/** Statuses whose resolve deadline runs (a reopened case must be resolved again). */
export const RESOLVE_CLOCK_STATUSES = ['accepted', 'in_progress', 'reopened'] as const satisfies readonly CaseStatus[]

/** Past the deadline that matters now: accepting (still assigned) or resolving. Same rule as the inbox SQL. */
export function isOverdue(c: { status: CaseStatus; acceptDueAt: string | Date | null; resolveDueAt: string | Date | null }, now: Date): boolean {
  const past = (d: string | Date | null) => d !== null && new Date(d).getTime() < now.getTime()
  if (c.status === 'assigned') return past(c.acceptDueAt)
  return (RESOLVE_CLOCK_STATUSES as readonly CaseStatus[]).includes(c.status) && past(c.resolveDueAt)
}

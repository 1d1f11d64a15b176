/** Case vocabulary shared by API, web and the state machine (DESIGN.md §4). */
export const CASE_STATUSES = ['submitted', 'assigned', 'accepted', 'in_progress', 'resolved', 'reopened', 'closed', 'invalid', 'merged'] as const
export type CaseStatus = (typeof CASE_STATUSES)[number]

export const CASE_CHANNELS = ['qr', 'web', 'phone', 'visit', 'open311'] as const
export type CaseChannel = (typeof CASE_CHANNELS)[number]

export const CASE_PRIORITIES = ['normal', 'urgent'] as const
export const SLA_CLASSES = ['urgent', 'general', 'complex'] as const
export type SlaClass = (typeof SLA_CLASSES)[number]

export const RATINGS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const
export type Rating = (typeof RATINGS)[number]

/** Where a rating came from: the resident's tracking page, or a 回访 call recorded by an admin (counted alike in 满意率). */
export const RATING_SOURCES = ['web', 'phone'] as const
export type RatingSource = (typeof RATING_SOURCES)[number]

/**
 * Whether the case already has a rating for its latest 办结 (a rating older than the latest resolution is from an
 * earlier round, before a 重办; a case still resolved waits for its rating): the API's rule for refusing a second rating by phone, and the desk's for offering one.
 */
export function ratedThisRound(c: { status: CaseStatus; ratedAt?: string | Date | null; resolvedAt: string | Date | null }): boolean {
  // A case still waiting as resolved has not been rated for this resolution (a rating closes or reopens it).
  if (c.status === 'resolved' || !c.ratedAt) return false
  return !c.resolvedAt || new Date(c.ratedAt).getTime() >= new Date(c.resolvedAt).getTime()
}

/** What a 回访 call came to. */
export const FOLLOW_UP_OUTCOMES = ['reached', 'unreachable', 'refused'] as const
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number]

/**
 * Why a case waits in a station's queue (assigned, no member): routing found nobody (`unroutable`), the member
 * declined it (`declined`, 退单), nobody accepted in time (`escalated`), or a member or admin handed it to the
 * station (`transferred`, 转办), or an admin put it back (`returned`).
 */
export const QUEUE_REASONS = ['unroutable', 'declined', 'escalated', 'transferred', 'returned'] as const
export type QueueReason = (typeof QUEUE_REASONS)[number]

/** Channels staff can record a case from (电话受理, 来访/接待日). */
export const INTAKE_CHANNELS = ['phone', 'visit'] as const satisfies readonly CaseChannel[]

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
  // 回访: a station or committee admin called the resident back after 办结 (who, when, outcome, a rating by phone).
  'followed_up',
  // 交办 (issue 14, handoff-machine.ts): a question handed to a department and what became of it. Internal: the
  // resident sees the answer when the member relays it (resolve), not the department's own words.
  'handed_off',
  'handoff_acknowledged',
  'handoff_answered',
  'handoff_returned',
  'handoff_withdrawn',
  'handoff_expired',
  'handoff_overdue',
] as const
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number]

export const EVENT_VISIBILITIES = ['public', 'internal'] as const
export const ACTOR_KINDS = ['resident', 'member', 'admin', 'system'] as const

/** Days after 办结 with no rating before a case closes by itself (DESIGN.md §4); committees may override it. */
export const DEFAULT_AUTO_CLOSE_DAYS = 7

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
export function isOverdue(
  c: { status: CaseStatus; acceptDueAt: string | Date | null; resolveDueAt: string | Date | null; resolvePausedAt?: string | Date | null | undefined },
  now: Date,
): boolean {
  const past = (d: string | Date | null) => d !== null && new Date(d).getTime() < now.getTime()
  if (c.status === 'assigned') return past(c.acceptDueAt)
  // A resolve clock paused while a department has the case (交办) does not run out meanwhile; a case already
  // late when it was paused stays late.
  if (!(RESOLVE_CLOCK_STATUSES as readonly CaseStatus[]).includes(c.status)) return false
  if (!c.resolvePausedAt) return past(c.resolveDueAt)
  return c.resolveDueAt !== null && new Date(c.resolveDueAt).getTime() < new Date(c.resolvePausedAt).getTime()
}

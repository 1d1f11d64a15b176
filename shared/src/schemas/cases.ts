import { Type, type Static } from 'typebox'
import { CASE_CHANNELS, CASE_EVENT_TYPES, CASE_PRIORITIES, CASE_STATUSES, EVENT_VISIBILITIES, ACTOR_KINDS, RATINGS } from '../cases'
import { CASE_ACTIONS } from '../case-machine'
import { Nullable, Timestamp, Uuid } from './common'

/** A case as lists and the sync feed show it. The phone is masked for everyone but the assignee (detail only). */
export const CaseSummary = Type.Object({
  id: Uuid,
  publicNo: Type.String(),
  status: Type.Enum([...CASE_STATUSES]),
  version: Type.Integer(),
  channel: Type.Enum([...CASE_CHANNELS]),
  priority: Type.Enum([...CASE_PRIORITIES]),
  committeeId: Uuid,
  stationId: Nullable(Uuid),
  stationName: Nullable(Type.String()),
  memberId: Nullable(Uuid),
  memberName: Nullable(Type.String()),
  categoryId: Nullable(Uuid),
  categoryNames: Nullable(Type.Record(Type.String(), Type.String())),
  description: Type.String(),
  locationText: Nullable(Type.String()),
  residentPhoneMasked: Nullable(Type.String()),
  acceptDueAt: Nullable(Timestamp),
  resolveDueAt: Nullable(Timestamp),
  acceptedAt: Nullable(Timestamp),
  resolvedAt: Nullable(Timestamp),
  closedAt: Nullable(Timestamp),
  escalatedAt: Nullable(Timestamp),
  extensionRequestedUntil: Nullable(Timestamp),
  /** Past its accept deadline (still assigned) or its resolve deadline (still open). */
  overdue: Type.Boolean(),
  reopenCount: Type.Integer(),
  rating: Nullable(Type.Enum([...RATINGS])),
  mergedInto: Nullable(Uuid),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type CaseSummary = Static<typeof CaseSummary>

export const CaseEventView = Type.Object({
  id: Type.Integer(),
  type: Type.Enum([...CASE_EVENT_TYPES]),
  actorKind: Type.Enum([...ACTOR_KINDS]),
  actorName: Nullable(Type.String()),
  visibility: Type.Enum([...EVENT_VISIBILITIES]),
  body: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
  fromStatus: Nullable(Type.Enum([...CASE_STATUSES])),
  toStatus: Nullable(Type.Enum([...CASE_STATUSES])),
  opId: Nullable(Uuid),
  occurredAt: Timestamp,
  receivedAt: Timestamp,
})
export type CaseEventView = Static<typeof CaseEventView>

export const AttachmentView = Type.Object({
  id: Uuid,
  eventId: Nullable(Type.Integer()),
  mime: Type.String(),
  bytes: Type.Integer(),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  url: Type.String(),
})

export const CaseDetail = Type.Intersect([CaseSummary, Type.Object({
  /** The resident's phone in full: only for the assignee, and each such view is audit-logged. */
  residentPhone: Nullable(Type.String()),
  events: Type.Array(CaseEventView),
  attachments: Type.Array(AttachmentView),
  /** What the caller may do next (from the state machine), for the action sheet. */
  allowedActions: Type.Array(Type.Enum([...CASE_ACTIONS])),
})])
export type CaseDetail = Static<typeof CaseDetail>

/** `queue`: cases waiting at a station with no member (station and committee admins). */
export const INBOX_FILTERS = ['new', 'open', 'overdue', 'closed', 'queue', 'all'] as const
const CreatedDay = (description: string) => Type.String({ format: 'date', description })
/**
 * Which cases a list or an export covers, always inside the caller's scope: the inbox filter, and optionally a
 * station, a member, a category and the Beijing days the case came in ([from, to)). The inbox and the case
 * exports take the same set, so a download holds what the list showed.
 */
export const CaseFilterProperties = {
  filter: Type.Optional(Type.Enum([...INBOX_FILTERS], { default: 'all' })),
  stationId: Type.Optional(Uuid),
  memberId: Type.Optional(Uuid),
  categoryId: Type.Optional(Uuid),
  from: Type.Optional(CreatedDay('YYYY-MM-DD, China Standard Time: cases created on or after this day')),
  to: Type.Optional(CreatedDay('YYYY-MM-DD, China Standard Time: cases created before this day (exclusive)')),
}
export const CaseFilters = Type.Object(CaseFilterProperties)
export type CaseFilters = Static<typeof CaseFilters>

export const CaseListQuery = Type.Object({
  ...CaseFilterProperties,
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
})
export type CaseListQuery = Static<typeof CaseListQuery>

export const CaseListPage = Type.Object({
  items: Type.Array(CaseSummary),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: Nullable(Type.String()),
  counts: Type.Record(Type.String(), Type.Integer(), { description: 'Cases per inbox filter' }),
})
export type CaseListPage = Static<typeof CaseListPage>

const Reason = Type.String({ minLength: 2, maxLength: 500 })
const Base = {
  /** The client's id for this action (UUID, v7 from the member app): the same id again changes nothing. */
  opId: Uuid,
  /** The case version the action was made on. */
  baseVersion: Type.Integer({ minimum: 1 }),
  /** When the member did it on the device (they may have been offline); defaults to now. */
  occurredAt: Type.Optional(Timestamp),
}
const action = <T extends string, P extends Record<string, Parameters<typeof Type.Object>[0][string]>>(type: T, props: P) =>
  Type.Object({ type: Type.Literal(type), ...Base, ...props }, { additionalProperties: false })

/** What members and admins can do through the API; rating, escalation and auto-close come from residents and jobs. */
export const CaseActionBody = Type.Union([
  action('assign', { memberId: Uuid }),
  action('accept', {}),
  action('decline', { reason: Reason }),
  action('transfer', { reason: Reason, toMemberId: Type.Optional(Uuid), toStationId: Type.Optional(Uuid) }),
  action('note', { body: Type.String({ minLength: 1, maxLength: 2000 }), visibility: Type.Optional(Type.Enum([...EVENT_VISIBILITIES], { default: 'internal' })) }),
  action('contact_log', { method: Type.Enum(['phone', 'visit', 'message', 'other']), body: Type.String({ minLength: 1, maxLength: 2000 }) }),
  action('request_extension', { reason: Reason, until: Timestamp }),
  action('approve_extension', {}),
  action('deny_extension', { reason: Type.Optional(Reason) }),
  action('resolve', { reply: Type.String({ minLength: 5, maxLength: 2000 }) }),
  action('reopen', { reason: Reason }),
  action('merge', { intoCaseId: Uuid, reason: Type.Optional(Reason) }),
  action('mark_invalid', { reason: Reason }),
  action('chase', { body: Type.Optional(Type.String({ maxLength: 500 })) }),
])
export type CaseActionBody = Static<typeof CaseActionBody>

export const CaseActionResult = Type.Object({
  case: CaseSummary,
  events: Type.Array(CaseEventView),
  /** The action was made on an older version and applied anyway because it only adds to the timeline. */
  rebased: Type.Boolean(),
  /** This opId was seen before: this is the first answer, and nothing changed now. */
  replayed: Type.Boolean(),
})
export type CaseActionResult = Static<typeof CaseActionResult>

export const SyncQuery = Type.Object({
  /** A cursor from an earlier answer; `0` replays everything visible; absent answers the current cursor only. */
  since: Type.Optional(Type.String({ pattern: '^(0|[0-9]+\\.[0-9]+)$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })),
})
export const SyncPage = Type.Object({
  changes: Type.Array(Type.Object({ caseId: Uuid, version: Type.Integer(), change: Type.Enum(['upsert', 'removed']) })),
  /** The current state of every case changed in this page that the caller can still see. */
  cases: Type.Array(CaseSummary),
  /** Cases in this page that the caller can no longer see (moved to someone else). */
  removed: Type.Array(Uuid),
  cursor: Type.String(),
  more: Type.Boolean(),
})
export type SyncPage = Static<typeof SyncPage>

import { Type, type Static } from 'typebox'
import {
  CASE_CHANNELS,
  CASE_EVENT_TYPES,
  CASE_PRIORITIES,
  CASE_STATUSES,
  EVENT_VISIBILITIES,
  ACTOR_KINDS,
  RATINGS,
  RATING_SOURCES,
  QUEUE_REASONS,
  FOLLOW_UP_OUTCOMES,
  INTAKE_CHANNELS,
} from '../cases'
import { CASE_ACTIONS } from '../case-machine'
import { Nullable, Timestamp, Uuid } from './common'
import { HandoffDepartment, HandoffView } from './handoffs'

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
  /** Where the resident was when they sent it ("使用我的位置" on the scan page, issue 16): WGS 84, accuracy in metres. */
  coords: Type.Optional(Nullable(Type.Object({ lat: Type.Number(), lng: Type.Number(), accuracy: Nullable(Type.Number()) }))),
  residentPhoneMasked: Nullable(Type.String()),
  /** The resident withdrew consent for their phone on the tracking page (issue 19): no number, and no call. */
  residentPhoneWithdrawn: Type.Optional(Type.Boolean()),
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
  /** When the case was last rated; a rating older than the latest 办结 belongs to an earlier round (before a 重办). */
  ratedAt: Type.Optional(Nullable(Timestamp)),
  /** Where the rating came from: the tracking page (`web`) or a 回访 call (`phone`); null while unrated. */
  ratingSource: Type.Optional(Nullable(Type.Enum([...RATING_SOURCES]))),
  /**
   * Why the case waits in its station's queue (status assigned, no member); null otherwise. Lists and details
   * for admins carry it; the sync feed may leave it out.
   */
  queueReason: Type.Optional(Nullable(Type.Enum([...QUEUE_REASONS]))),
  /** The words that came with it (the decline or transfer reason), when there were any. */
  queueNote: Type.Optional(Nullable(Type.String())),
  /** A department has an open hand-off of this case (等待部门答复); lists and details carry it, the sync feed too. */
  awaitingDepartment: Type.Optional(Type.Boolean()),
  /**
   * Set while the resolve deadline stands still because a department has the case (committee setting
   * `handoff.pauseResolveClock`): the case is not overdue meanwhile, and the deadline moves on by the pause when it ends.
   */
  resolvePausedAt: Type.Optional(Nullable(Timestamp)),
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

export const CaseDetail = Type.Intersect([
  CaseSummary,
  Type.Object({
    /** The resident's phone in full: only for the assignee, and each such view is audit-logged. */
    residentPhone: Nullable(Type.String()),
    events: Type.Array(CaseEventView),
    attachments: Type.Array(AttachmentView),
    /** What the caller may do next (from the state machine), for the action sheet. */
    allowedActions: Type.Array(Type.Enum([...CASE_ACTIONS])),
    /** 并单 both ways: the case this one was merged into, and the cases merged into this one (visible to the caller or not: numbers only). */
    mergedIntoPublicNo: Type.Optional(Nullable(Type.String())),
    mergedFrom: Type.Optional(Type.Array(Type.Object({ id: Uuid, publicNo: Type.String() }))),
    /** How routing placed the case when it came in (route-case.ts reasons: member_code, on_duty, sector, least_loaded, chosen, queue…). */
    routingReason: Type.Optional(Nullable(Type.String())),
    /** 交办: every hand-off of the case, newest first (issue 14). */
    handoffs: Type.Optional(Type.Array(HandoffView)),
  }),
])
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
  status: Type.Optional(Type.Enum([...CASE_STATUSES])),
  channel: Type.Optional(Type.Enum([...CASE_CHANNELS])),
  /** A public number (`LX-2026-000123`, any case): the case with that number, if the caller can see it. */
  publicNo: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
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
  action('note', {
    body: Type.String({ minLength: 1, maxLength: 2000 }),
    visibility: Type.Optional(Type.Enum([...EVENT_VISIBILITIES], { default: 'internal' })),
  }),
  action('contact_log', { method: Type.Enum(['phone', 'visit', 'message', 'other']), body: Type.String({ minLength: 1, maxLength: 2000 }) }),
  action('request_extension', { reason: Reason, until: Timestamp }),
  action('approve_extension', {}),
  action('deny_extension', { reason: Type.Optional(Reason) }),
  action('resolve', { reply: Type.String({ minLength: 5, maxLength: 2000 }) }),
  action('reopen', { reason: Reason }),
  action('merge', { intoCaseId: Uuid, reason: Type.Optional(Reason) }),
  action('mark_invalid', { reason: Reason }),
  action('chase', { body: Type.Optional(Type.String({ maxLength: 500 })) }),
  // 交办: the question for a department of the case's committee; the deadline defaults to the committee's reply days.
  action('handoff', { departmentId: Uuid, question: Type.String({ minLength: 5, maxLength: 2000 }), dueAt: Type.Optional(Timestamp) }),
  action('withdraw_handoff', { handoffId: Uuid, reason: Type.Optional(Reason) }),
  // 回访: who called, when, what came of it, and the rating the resident gave by phone (counted in 满意率).
  action('follow_up', {
    caller: Type.String({ minLength: 1, maxLength: 64 }),
    calledAt: Timestamp,
    outcome: Type.Enum([...FOLLOW_UP_OUTCOMES]),
    rating: Type.Optional(Type.Enum([...RATINGS])),
    body: Type.Optional(Type.String({ maxLength: 1000 })),
  }),
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

/**
 * 电话受理 / 来访: an admin records a case for a resident who called or came in. Routed like a scan of the station's
 * code unless a member is chosen. The phone is kept only with the resident's consent (as on the scan page).
 * The same `opId` twice creates one case.
 */
export const StaffIntakeBody = Type.Object(
  {
    opId: Uuid,
    channel: Type.Enum([...INTAKE_CHANNELS]),
    stationId: Uuid,
    memberId: Type.Optional(Uuid),
    categoryId: Type.Optional(Uuid),
    description: Type.String({ minLength: 5, maxLength: 2000 }),
    locationText: Type.Optional(Type.String({ maxLength: 200 })),
    residentPhone: Type.Optional(Type.String({ maxLength: 32 })),
    /** The resident agreed that their phone is kept to reach them (required when a phone is given). */
    consent: Type.Boolean(),
    /** When the call or visit happened (defaults to now). */
    occurredAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
)
export type StaffIntakeBody = Static<typeof StaffIntakeBody>

export const StaffIntakeResult = Type.Object({
  case: CaseSummary,
  /** The resident's tracking link, to read out or text to them; shown once (only its hash is kept). Null on a replay. */
  trackingUrl: Nullable(Type.String()),
  replayed: Type.Boolean(),
})
export type StaffIntakeResult = Static<typeof StaffIntakeResult>

/** Find cases by a resident's phone (matched through its keyed hash; every search is audit-logged). POST so the number stays out of URLs and logs. */
export const CasePhoneSearchBody = Type.Object({ phone: Type.String({ minLength: 5, maxLength: 32 }) }, { additionalProperties: false })
export const CaseSearchResult = Type.Object({ items: Type.Array(CaseSummary) })
export type CaseSearchResult = Static<typeof CaseSearchResult>

/** Who a case can be handed to by the caller (派单/改派 for admins, 转办 for the assignee). */
export const CaseDestinations = Type.Object({
  members: Type.Array(
    Type.Object({
      id: Uuid,
      name: Type.String(),
      sectorName: Nullable(Type.String()),
      stations: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
      /** Cases assigned to them and not yet resolved. */
      openCases: Type.Integer(),
      /** On the station's duty roster right now (接待日). */
      onDutyNow: Type.Boolean(),
    }),
  ),
  stations: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
  /** 交办: the active departments of the case's committee, and the default reply deadline if handed off now. */
  departments: Type.Optional(Type.Array(HandoffDepartment)),
  handoffDueAt: Type.Optional(Timestamp),
})
export type CaseDestinations = Static<typeof CaseDestinations>

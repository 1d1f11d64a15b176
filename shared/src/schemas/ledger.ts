import { Type, type Static } from 'typebox'
import { ACTIVITY_KINDS, ACTIVITY_SOURCES, ACTIVITY_STATUSES } from '../reports'
import { COMMITTEE_LEVELS, MEMBER_STATUSES } from '../roles'
import { AccessTokenParam, Nullable, Timestamp, Uuid } from './common'

/**
 * What a member's 履职 ledger counts in a year. Case figures come from the pre-aggregated metrics (cases the
 * member received in the year, of those the ones they accepted, cases they resolved in the year, ratings of
 * 满意/基本满意 given in the year); `contacts` are contact logs the member wrote on their cases; `sectorContacts` the 界别群众 they recorded meeting
 * (contacts registry, issue 15), by the day met — a measure of its own, also held against the member's own yearly target;
 * `handoffs` are the questions the member handed to a 职能部门 (交办, issue 14) in the year, by the day sent; the
 * rest are activity records by kind, and `opinionReports` adds the 社情民意 reports submitted here.
 */
export const LEDGER_MEASURES = [
  'casesReceived',
  'casesAccepted',
  'casesResolved',
  'satisfiedRatings',
  'contacts',
  'sectorContacts',
  'handoffs',
  'meetings',
  'receptionDays',
  'visits',
  'proposals',
  'opinionReports',
  'research',
  'training',
  'otherActivities',
] as const
export type LedgerMeasure = (typeof LEDGER_MEASURES)[number]

export const LEDGER_PRESET_IDS = ['akesai_six_ones', 'gulang_22111', 'contacts_10', 'custom'] as const
export type LedgerPresetId = (typeof LEDGER_PRESET_IDS)[number]

export const LedgerTarget = Type.Object(
  {
    measure: Type.Enum(LEDGER_MEASURES),
    /** At least this many in the year. */
    min: Type.Integer({ minimum: 1, maximum: 10_000 }),
    /** How the committee words the duty, e.g. 每年至少提交1件提案. */
    label: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
)
export type LedgerTarget = Static<typeof LedgerTarget>

/** What a committee stores in committee.settings.ledger. */
export const LedgerTargetSettings = Type.Object({
  preset: Type.Enum(LEDGER_PRESET_IDS),
  targets: Type.Array(LedgerTarget, { minItems: 1, maxItems: 20 }),
})
export type LedgerTargetSettings = Static<typeof LedgerTargetSettings>

export const LedgerPreset = Type.Object({
  id: Type.Enum(LEDGER_PRESET_IDS),
  name: Type.String(),
  description: Type.String(),
  targets: Type.Array(LedgerTarget),
})
export type LedgerPreset = Static<typeof LedgerPreset>

/** `custom` needs its own targets; a named preset takes its targets from the preset (send none). */
export const LedgerTargetsBody = Type.Object(
  {
    preset: Type.Enum(LEDGER_PRESET_IDS),
    targets: Type.Optional(Type.Array(LedgerTarget, { minItems: 1, maxItems: 20 })),
  },
  { additionalProperties: false },
)
export type LedgerTargetsBody = Static<typeof LedgerTargetsBody>

export const LedgerTargetsView = Type.Object({
  committeeId: Uuid,
  preset: Type.Enum(LEDGER_PRESET_IDS),
  targets: Type.Array(LedgerTarget),
  /** The committee whose settings apply (this one, or the nearest above it); null: the built-in default. */
  inheritedFrom: Nullable(Uuid),
  presets: Type.Array(LedgerPreset),
})
export type LedgerTargetsView = Static<typeof LedgerTargetsView>

const Year = Type.Integer({ minimum: 2000, maximum: 2100, description: 'Calendar year in China Standard Time; default this year.' })
export const LedgerQuery = Type.Object({ year: Type.Optional(Year) }, { additionalProperties: false })
export type LedgerQuery = Static<typeof LedgerQuery>
/** The printable page is opened in a tab: the token may come in the query. */
export const LedgerPageQuery = Type.Object({ year: Type.Optional(Year), access_token: AccessTokenParam }, { additionalProperties: false })

export const LedgerCounts = Type.Object(
  Object.fromEntries(LEDGER_MEASURES.map((m) => [m, Type.Integer({ minimum: 0 })])) as Record<LedgerMeasure, ReturnType<typeof Type.Integer>>,
)
export type LedgerCounts = Record<LedgerMeasure, number>

export const LedgerTargetResult = Type.Object({
  measure: Type.Enum(LEDGER_MEASURES),
  label: Type.String(),
  min: Type.Integer(),
  actual: Type.Integer({ minimum: 0 }),
  met: Type.Boolean(),
})
export type LedgerTargetResult = Static<typeof LedgerTargetResult>

export const LedgerMember = Type.Object({
  id: Uuid,
  name: Type.String(),
  title: Type.String(),
  level: Type.Enum(COMMITTEE_LEVELS),
  status: Type.Enum(MEMBER_STATUSES),
  committeeId: Uuid,
  committeeName: Type.String(),
  sectorName: Nullable(Type.String()),
  stations: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
})

/** The member's own yearly target of 界别群众 contacts (member.contact_target_per_year) against `sectorContacts`. */
export const LedgerContactTarget = Type.Object({ min: Type.Integer({ minimum: 0 }), actual: Type.Integer({ minimum: 0 }), met: Type.Boolean() })

export const MemberLedger = Type.Object({
  member: LedgerMember,
  year: Type.Integer(),
  counts: LedgerCounts,
  contactTarget: LedgerContactTarget,
  targets: Type.Array(LedgerTargetResult),
  targetsMet: Type.Integer({ minimum: 0 }),
  targetsTotal: Type.Integer({ minimum: 0 }),
})
export type MemberLedger = Static<typeof MemberLedger>

export const MemberLedgerReport = Type.Intersect([
  MemberLedger,
  Type.Object({
    preset: Type.Enum(LEDGER_PRESET_IDS),
    /** When the case figures were last brought up to date; the other counts are live. */
    asOf: Nullable(Timestamp),
  }),
])
export type MemberLedgerReport = Static<typeof MemberLedgerReport>

export const LEDGER_SCOPES = ['committee', 'station'] as const
export const LedgerListQuery = Type.Object(
  {
    scope: Type.Enum(LEDGER_SCOPES),
    id: Uuid,
    year: Type.Optional(Year),
    cursor: Type.Optional(Type.String({ maxLength: 300 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
)
export type LedgerListQuery = Static<typeof LedgerListQuery>

export const LedgerPage = Type.Object({
  year: Type.Integer(),
  asOf: Nullable(Timestamp),
  /** Members by name; each is measured against the targets of their own committee. */
  items: Type.Array(Type.Intersect([MemberLedger, Type.Object({ preset: Type.Enum(LEDGER_PRESET_IDS) })])),
  nextCursor: Nullable(Type.String()),
})
export type LedgerPage = Static<typeof LedgerPage>

const DayString = Type.String({ format: 'date' })

export const Activity = Type.Object({
  id: Uuid,
  committeeId: Uuid,
  memberId: Uuid,
  memberName: Type.String(),
  stationId: Nullable(Uuid),
  stationName: Nullable(Type.String()),
  kind: Type.Enum(ACTIVITY_KINDS),
  title: Type.String(),
  occurredOn: DayString,
  notes: Type.String(),
  createdBy: Nullable(Uuid),
  createdAt: Timestamp,
  /** issue 15: where, who entered it, and whether it counts yet (only confirmed ones do). */
  place: Type.String(),
  source: Type.Enum(ACTIVITY_SOURCES),
  status: Type.Enum(ACTIVITY_STATUSES),
  reviewedAt: Nullable(Timestamp),
  rejectReason: Nullable(Type.String()),
  /** Photos the member attached (GET url with the caller's token). */
  photos: Type.Array(Type.Object({ id: Uuid, url: Type.String() })),
})
export type Activity = Static<typeof Activity>

export const ActivityBody = Type.Object(
  {
    memberId: Uuid,
    kind: Type.Enum(ACTIVITY_KINDS),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    occurredOn: DayString,
    stationId: Type.Optional(Nullable(Uuid)),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    place: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
)
export type ActivityBody = Static<typeof ActivityBody>

export const ActivityPatch = Type.Object(
  {
    kind: Type.Optional(Type.Enum(ACTIVITY_KINDS)),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    occurredOn: Type.Optional(DayString),
    stationId: Type.Optional(Nullable(Uuid)),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    place: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type ActivityPatch = Static<typeof ActivityPatch>

export const ActivityListQuery = Type.Object(
  {
    memberId: Type.Optional(Uuid),
    stationId: Type.Optional(Uuid),
    kind: Type.Optional(Type.Enum(ACTIVITY_KINDS)),
    year: Type.Optional(Year),
    status: Type.Optional(Type.Enum(ACTIVITY_STATUSES)),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  },
  { additionalProperties: false },
)
export type ActivityListQuery = Static<typeof ActivityListQuery>

export const ActivityPage = Type.Object({
  /** Newest first. */
  items: Type.Array(Activity),
  nextCursor: Nullable(Type.String()),
})
export type ActivityPage = Static<typeof ActivityPage>

/**
 * issue 15: a member logs their own activity from the phone (JSON, or multipart with `activity` = this JSON and
 * photo1–3). `opId` comes from the phone's outbox: the same op again answers the first result.
 */
export const MemberActivityBody = Type.Object(
  {
    opId: Uuid,
    kind: Type.Enum(ACTIVITY_KINDS),
    /** Beijing day; not after today. */
    occurredOn: DayString,
    place: Type.String({ maxLength: 200 }),
    title: Type.Optional(Type.String({ maxLength: 200 })),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
)
export type MemberActivityBody = Static<typeof MemberActivityBody>

export const MemberActivityResult = Type.Object({ activity: Activity, replayed: Type.Boolean() })
export type MemberActivityResult = Static<typeof MemberActivityResult>

/** A station or committee admin confirms (with `changes`: corrects, then confirms) or rejects with a reason. */
export const ActivityReviewBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('confirm'), Type.Literal('reject')]),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    changes: Type.Optional(
      Type.Object(
        {
          kind: Type.Optional(Type.Enum(ACTIVITY_KINDS)),
          title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          occurredOn: Type.Optional(DayString),
          place: Type.Optional(Type.String({ maxLength: 200 })),
          notes: Type.Optional(Type.String({ maxLength: 2000 })),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
    ),
  },
  { additionalProperties: false },
)
export type ActivityReviewBody = Static<typeof ActivityReviewBody>

export const ActivityPhotoParams = Type.Object({ id: Uuid, photoId: Uuid })
export type ActivityPhotoParams = Static<typeof ActivityPhotoParams>

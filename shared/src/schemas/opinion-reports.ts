import { Type, type Static } from 'typebox'
import { REPORT_STATUSES } from '../reports'
import { CASE_STATUSES } from '../cases'
import { AccessTokenParam, Nullable, Timestamp, Uuid } from './common'

const Text = (max: number) => Type.String({ maxLength: max })
const CaseIds = Type.Array(Uuid, { minItems: 1, maxItems: 50, uniqueItems: true })

/** A 社情民意信息 draft from one or more cases the caller can see. `memberId`: the member it is credited to. */
export const ReportBody = Type.Object(
  {
    title: Type.String({ minLength: 2, maxLength: 200 }),
    summary: Type.Optional(Text(10_000)),
    suggestion: Type.Optional(Text(10_000)),
    caseIds: CaseIds,
    memberId: Type.Optional(Nullable(Uuid)),
  },
  { additionalProperties: false },
)
export type ReportBody = Static<typeof ReportBody>

/** Only drafts change; a submitted report is a record. */
export const ReportPatch = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
    summary: Type.Optional(Text(10_000)),
    suggestion: Type.Optional(Text(10_000)),
    caseIds: Type.Optional(CaseIds),
    memberId: Type.Optional(Nullable(Uuid)),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type ReportPatch = Static<typeof ReportPatch>

/** draft → submitted (its writers); submitted → adopted | rejected (the committee, naming the body that decided). */
export const ReportTransitionBody = Type.Object(
  {
    to: Type.Enum(['submitted', 'adopted', 'rejected']),
    /** Required for adopted/rejected: which body adopted (or declined) it, e.g. 县委办公室. */
    decidedBy: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
  },
  { additionalProperties: false },
)
export type ReportTransitionBody = Static<typeof ReportTransitionBody>

export const ReportCase = Type.Object({
  id: Uuid,
  publicNo: Type.String(),
  status: Type.Enum([...CASE_STATUSES]),
  categoryNames: Nullable(Type.Record(Type.String(), Type.String())),
  stationName: Nullable(Type.String()),
  /** Phone numbers typed into the text are masked. */
  description: Type.String(),
  createdAt: Timestamp,
})

export const ReportSummary = Type.Object({
  id: Uuid,
  committeeId: Uuid,
  title: Type.String(),
  status: Type.Enum(REPORT_STATUSES),
  memberId: Nullable(Uuid),
  memberName: Nullable(Type.String()),
  authorUserId: Nullable(Uuid),
  authorName: Nullable(Type.String()),
  decidedBy: Nullable(Type.String()),
  caseCount: Type.Integer({ minimum: 0 }),
  submittedAt: Nullable(Timestamp),
  decidedAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type ReportSummary = Static<typeof ReportSummary>

export const ReportDetail = Type.Intersect([
  ReportSummary,
  Type.Object({
    summary: Type.String(),
    suggestion: Type.String(),
    /** The linked cases the caller can see. */
    cases: Type.Array(ReportCase),
    /** Linked cases outside the caller's scope (counted, not shown). */
    hiddenCases: Type.Integer({ minimum: 0 }),
    /** Where the caller may move it next. */
    nextStatuses: Type.Array(Type.Enum(REPORT_STATUSES)),
  }),
])
export type ReportDetail = Static<typeof ReportDetail>

/** Documents are downloaded by a link: the token may come in the query. */
export const ReportDocumentQuery = Type.Object({ access_token: AccessTokenParam }, { additionalProperties: false })

export const ReportListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(REPORT_STATUSES)),
    memberId: Type.Optional(Uuid),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
)
export type ReportListQuery = Static<typeof ReportListQuery>

export const ReportPage = Type.Object({
  /** Newest first (by last change). */
  items: Type.Array(ReportSummary),
  nextCursor: Nullable(Type.String()),
  /** Reports per status in the caller's scope (with memberId applied), for the dashboard. */
  counts: Type.Object(
    Object.fromEntries(REPORT_STATUSES.map((s) => [s, Type.Integer({ minimum: 0 })])) as Record<
      (typeof REPORT_STATUSES)[number],
      ReturnType<typeof Type.Integer>
    >,
  ),
})
export type ReportPage = Static<typeof ReportPage>

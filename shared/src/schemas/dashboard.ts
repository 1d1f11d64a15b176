import { Type, type Static } from 'typebox'
import { Nullable, Timestamp, Uuid } from './common'
import { CaseSummary } from './cases'
import { MetricCounts, MetricRates, MetricsBucket, MetricsSummary } from './metrics'

/** An admin's dashboard covers a committee with its subtree, or one station. */
export const DASHBOARD_SCOPES = ['committee', 'station'] as const
export type DashboardScopeKind = (typeof DASHBOARD_SCOPES)[number]

/** `previous`: the same length just before (环比); `year`: the same days a year earlier (同比). */
export const COMPARE_MODES = ['previous', 'year'] as const
export type CompareMode = (typeof COMPARE_MODES)[number]

const Day = (description: string) => Type.String({ format: 'date', description })
/** The dashboard's period parameters, shared by its other figures (department-metrics.ts). */
export const DashboardPeriodProperties = {
  from: Type.Optional(Day('YYYY-MM-DD, China Standard Time: first day (inclusive); default 1 January of this year.')),
  to: Type.Optional(Day('YYYY-MM-DD, China Standard Time: the day after the last (exclusive); default 1 January of next year.')),
}
export const DashboardScopeProperties = { scope: Type.Enum(DASHBOARD_SCOPES), id: Uuid }
const Period = DashboardPeriodProperties
const Scope = DashboardScopeProperties
export const DashboardScopeView = Type.Object({ kind: Type.Enum(DASHBOARD_SCOPES), id: Uuid, name: Type.String() })
const ScopeView = DashboardScopeView
const Count = Type.Integer({ minimum: 0 })
/** Percentage points as a share: 0.05 = five points better than the comparison period; null when either side is null. */
const RateChange = Nullable(Type.Number({ minimum: -1, maximum: 1 }))

export const DashboardQuery = Type.Object(
  {
    ...Scope,
    ...Period,
    compare: Type.Optional(Type.Enum(COMPARE_MODES, { default: 'previous' })),
  },
  { additionalProperties: false },
)
export type DashboardQuery = Static<typeof DashboardQuery>

export const DashboardSummary = Type.Object({
  scope: ScopeView,
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  /** The period the figures are compared with. */
  comparison: Type.Object({ mode: Type.Enum(COMPARE_MODES), from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }) }),
  generatedAt: Timestamp,
  /** When the aggregated counts were last brought up to date (they lag live changes by up to a minute). */
  asOf: Nullable(Timestamp),
  current: MetricsSummary,
  previous: MetricsSummary,
  /** current − previous for the 三率. */
  change: Type.Object({ responseRate: RateChange, resolutionRate: RateChange, satisfactionRate: RateChange }),
  /** Every month of the period, oldest first, zeros included. */
  trend: Type.Array(MetricsBucket),
  /** Category heat: valid cases created per category in the period and in the comparison period, most first. */
  categories: Type.Array(
    Type.Object({
      categoryId: Nullable(Uuid),
      names: Nullable(Type.Record(Type.String(), Type.String())),
      cases: Count,
      previousCases: Count,
    }),
  ),
  /** Open cases past a deadline right now (live). */
  overdue: Type.Object({ accept: Count, resolve: Count, total: Count }),
})
export type DashboardSummary = Static<typeof DashboardSummary>

export const RANKING_DIMENSIONS = ['station', 'sector', 'member'] as const
export type RankingDimension = (typeof RANKING_DIMENSIONS)[number]
export const RANKING_SORTS = ['responseRate', 'resolutionRate', 'satisfactionRate', 'assigned', 'resolved'] as const
export type RankingSort = (typeof RANKING_SORTS)[number]

export const RankingQuery = Type.Object(
  {
    ...Scope,
    ...Period,
    dimension: Type.Enum(RANKING_DIMENSIONS),
    sort: Type.Optional(Type.Enum(RANKING_SORTS, { default: 'resolutionRate' })),
    order: Type.Optional(Type.Enum(['desc', 'asc'], { default: 'desc' })),
    /** Rates of a handful of cases say little: leave out entries with fewer assigned cases than this. */
    minAssigned: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, default: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 20 })),
  },
  { additionalProperties: false },
)
export type RankingQuery = Static<typeof RankingQuery>

export const RankingEntry = Type.Object({
  rank: Type.Integer({ minimum: 1 }),
  /** Null: cases of members with no sector (sector dimension). */
  id: Nullable(Uuid),
  name: Nullable(Type.String()),
  counts: MetricCounts,
  rates: MetricRates,
})
export type RankingEntry = Static<typeof RankingEntry>

export const RankingPage = Type.Object({
  scope: ScopeView,
  dimension: Type.Enum(RANKING_DIMENSIONS),
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  /**
   * `aggregates`: summed from the daily/monthly metrics (lags up to a minute, see asOf); `cases`: counted from
   * the station's cases just now, for splits the aggregates do not carry (a station's members and sectors).
   */
  source: Type.Enum(['aggregates', 'cases']),
  asOf: Nullable(Timestamp),
  /** Entries before `limit` was applied. Rates null (no denominator) sort last whatever the order. */
  total: Type.Integer({ minimum: 0 }),
  items: Type.Array(RankingEntry),
})
export type RankingPage = Static<typeof RankingPage>

export const OVERDUE_KINDS = ['accept', 'resolve'] as const
export const OverdueQuery = Type.Object(
  {
    ...Scope,
    kind: Type.Optional(Type.Enum(OVERDUE_KINDS)),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
)
export type OverdueQuery = Static<typeof OverdueQuery>

export const OverdueItem = Type.Object({
  /** `accept`: assigned and not accepted in time; `resolve`: being worked on past its resolve deadline. */
  kind: Type.Enum(OVERDUE_KINDS),
  dueAt: Timestamp,
  overdueMinutes: Type.Integer({ minimum: 0 }),
  case: CaseSummary,
})
export const OverduePage = Type.Object({
  generatedAt: Timestamp,
  /** Most overdue first; pass `nextCursor` as `cursor` for the next page. */
  items: Type.Array(OverdueItem),
  nextCursor: Nullable(Type.String()),
})
export type OverduePage = Static<typeof OverduePage>

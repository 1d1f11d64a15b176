import { Type, type Static } from 'typebox'
import { Nullable, Uuid } from './common'

/** What a metrics report is about: a committee with its whole subtree, one station, or one member. */
export const METRICS_SCOPES = ['committee', 'station', 'member'] as const
export type MetricsScopeKind = (typeof METRICS_SCOPES)[number]

/** Calendar days in China Standard Time; `to` is exclusive, so a whole year is `2026-01-01`…`2027-01-01`. */
const day = (description = 'YYYY-MM-DD, China Standard Time') => Type.String({ format: 'date', description })
const Day = day()
const Month = Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'YYYY-MM, China Standard Time' })

export const MetricsQuery = Type.Object(
  {
    scope: Type.Enum(METRICS_SCOPES),
    id: Uuid,
    from: Type.Optional(day('YYYY-MM-DD, China Standard Time: first day (inclusive); default 1 January of this year.')),
    to: Type.Optional(day('YYYY-MM-DD, China Standard Time: the day after the last (exclusive); default 1 January of next year; at most 5 years after from.')),
    groupBy: Type.Optional(Type.Enum(['month'])),
  },
  { additionalProperties: false },
)
export type MetricsQuery = Static<typeof MetricsQuery>

const Count = Type.Integer({ minimum: 0 })
/** A share in [0, 1] rounded to 4 places, or null when nothing was there to count (never NaN). */
const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1 }))

/** The numerators and denominators the rates are computed from, so a dashboard can show "12 / 15". */
export const MetricCounts = Type.Object({
  /** Valid cases created in the period that were dispatched (status past `submitted`). */
  assigned: Count,
  /** Of those, accepted no later than their accept deadline. */
  acceptedOnTime: Count,
  /** Of those, declined, transferred or escalated at least once. */
  returned: Count,
  /** Valid cases whose resolve deadline falls in the period. */
  dueInPeriod: Count,
  /** Of those, resolved now (whenever that was): a month's figures add up to the year's. */
  resolvedOfDue: Count,
  /** Ratings given in the period, by rated_at. */
  rated: Count,
  satisfied: Count,
  basicallySatisfied: Count,
  /** Cases whose (latest) resolution falls in the period. */
  resolved: Count,
  /** Of those, reopened at least once. */
  reopened: Count,
})
export type MetricCounts = Static<typeof MetricCounts>

export const MetricRates = Type.Object({
  /** 响应率 */
  responseRate: Rate,
  /** 解决率 */
  resolutionRate: Rate,
  /** 满意率 */
  satisfactionRate: Rate,
  /** 回退率 */
  returnRate: Rate,
  /** 重办率 */
  reopenRate: Rate,
})
export type MetricRates = Static<typeof MetricRates>

/**
 * Medians are approximate: durations are counted in log-spaced buckets (each 1.5 times as wide as the one
 * before) and the median is interpolated inside its bucket, so it is off by less than that bucket's width.
 */
export const MetricMedians = Type.Object({
  /** Median of accepted_at − created_at over the accepted cases among `assigned` (approximate, see above). */
  acceptMinutes: Nullable(Type.Number({ minimum: 0, description: 'Approximate: within the width of its log-spaced bucket (×1.5 per bucket).' })),
  /** Median of resolved_at − created_at over the `resolved` cases (approximate, see above). */
  resolveMinutes: Nullable(Type.Number({ minimum: 0, description: 'Approximate: within the width of its log-spaced bucket (×1.5 per bucket).' })),
})
export type MetricMedians = Static<typeof MetricMedians>

export const MetricsSummary = Type.Object({ counts: MetricCounts, rates: MetricRates, medians: MetricMedians })
export type MetricsSummary = Static<typeof MetricsSummary>

export const MetricsBucket = Type.Object({ month: Month, counts: MetricCounts, rates: MetricRates, medians: MetricMedians })
export type MetricsBucket = Static<typeof MetricsBucket>

export const MetricsReport = Type.Object({
  scope: Type.Object({ kind: Type.Enum(METRICS_SCOPES), id: Uuid, name: Type.String() }),
  from: Day,
  to: Day,
  groupBy: Nullable(Type.Enum(['month'])),
  /** When `overdue` was counted. */
  generatedAt: Type.String({ format: 'date-time' }),
  /**
   * What `totals`, `buckets`, `byCategory` and `bySector` are current to: they are summed from daily aggregates
   * that a background job brings up to date every minute, so counts lag live changes by up to a minute.
   * Null while the aggregates are being (re)built. `overdue` is always live.
   */
  asOf: Nullable(
    Type.String({
      format: 'date-time',
      description: 'When the aggregated counts were last brought up to date; they lag live changes by up to a minute. Null while being rebuilt.',
    }),
  ),
  totals: MetricsSummary,
  /** Every month of the period, oldest first, zeros included; empty without `groupBy=month`. */
  buckets: Type.Array(MetricsBucket),
  /** Open cases past a deadline right now, whatever the period. */
  overdue: Type.Object({ accept: Count, resolve: Count, total: Count }),
  /** Valid cases created in the period by category; `categoryId` null = uncategorised. */
  byCategory: Type.Array(
    Type.Object({
      categoryId: Nullable(Uuid),
      names: Nullable(Type.Record(Type.String(), Type.String())),
      cases: Count,
    }),
  ),
  /** The same cases by their category's sector (界别); `sectorId` null = no sector. */
  bySector: Type.Array(Type.Object({ sectorId: Nullable(Uuid), name: Nullable(Type.String()), cases: Count })),
})
export type MetricsReport = Static<typeof MetricsReport>

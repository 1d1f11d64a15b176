import type { MetricCounts, MetricRates } from '@mashangjian/shared'

/**
 * The metrics formulas (DESIGN.md §1, "三率" and friends), written once and free of I/O: case-facts.ts says
 * what each case counts for on which Beijing day, the aggregator sums that per day and month, metrics-repo.ts
 * sums the days of a period, and this module divides. Every rate is a share in [0, 1] rounded to
 * RATE_DECIMALS places, or null when its denominator is 0 — "no cases" is not "0 %", and JSON has no NaN.
 * Every count is a plain sum over days, so a period's figures are the sum of its months'.
 */

export type { MetricCounts, MetricRates }

/** 4 places = hundredths of a percent (66.67 %), enough for a dashboard and stable to compare in tests. */
export const RATE_DECIMALS = 4

export const ZERO_COUNTS: MetricCounts = {
  assigned: 0,
  acceptedOnTime: 0,
  returned: 0,
  dueInPeriod: 0,
  resolvedOfDue: 0,
  rated: 0,
  satisfied: 0,
  basicallySatisfied: 0,
  resolved: 0,
  reopened: 0,
}

/** Rounds half away from zero at `decimals` places; the epsilon keeps 0.xxxx5 from falling the wrong way in binary. */
export function round(value: number, decimals: number): number {
  const f = 10 ** decimals
  return (Math.sign(value) * Math.round(Math.abs(value) * f + Number.EPSILON * f)) / f
}

/**
 * numerator / denominator as a rate. Null for a zero (or nonsensical) denominator. Clamped to [0, 1]: the
 * numerators are subsets of their denominators by construction, so clamping only hides a counting bug from
 * the chart — it never changes a correct figure.
 */
export function ratio(numerator: number, denominator: number): number | null {
  if (!Number.isFinite(denominator) || !Number.isFinite(numerator) || denominator <= 0) return null
  return round(Math.min(1, Math.max(0, numerator / denominator)), RATE_DECIMALS)
}

export function computeRates(c: MetricCounts): MetricRates {
  return {
    // 响应率 (response rate) = cases accepted within their accept deadline / cases assigned in the period
    // (both by created_at; a case accepted with no accept deadline counts as on time).
    responseRate: ratio(c.acceptedOnTime, c.assigned),
    // 解决率 (resolution rate) = of the valid cases (not invalid, not merged) whose resolve deadline falls in the
    // period, those resolved now (resolved_at set, whenever that happened). Until the pre-aggregated metrics it
    // was "resolved by the end of the period", which depends on the period's end and cannot be summed from days;
    // a case resolved after its period now counts for it, and a reopened one stops counting until resolved again.
    resolutionRate: ratio(c.resolvedOfDue, c.dueInPeriod),
    // 满意率 (satisfaction rate) = (满意 satisfied + 基本满意 basically satisfied) / ratings given in the period.
    satisfactionRate: ratio(c.satisfied + c.basicallySatisfied, c.rated),
    // 回退率 (return rate) = cases declined (退单), transferred (转办) or escalated at least once / cases assigned.
    returnRate: ratio(c.returned, c.assigned),
    // 重办率 (reopen rate) = cases reopened (重办) at least once / cases resolved in the period.
    reopenRate: ratio(c.reopened, c.resolved),
  }
}

/**
 * The exact median (the mean of the middle two for an even count, like SQL's percentile_cont(0.5)), or null for
 * no values. Non-finite values are ignored rather than poisoning the result. The API's medians come from
 * pre-aggregated histograms instead (histogram.ts, histMedian); this is the reference they are checked against.
 */
export function median(values: readonly number[]): number | null {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (sorted.length === 0) return null
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Durations are shown in minutes; a tenth of a minute is finer than anyone reads and keeps JSON short. */
export const roundMinutes = (minutes: number | null): number | null => (minutes === null ? null : round(minutes, 1))

/**
 * Durations (minutes from a case's creation to its acceptance or resolution) kept as counts in fixed,
 * log-spaced buckets, so medians can be summed from pre-aggregated days instead of sorting every case.
 *
 * Bucket 0 is [0, 1) minute; bucket b ≥ 1 is [1.5^(b−1), 1.5^b) minutes; the last bucket (39) is open-ended
 * from 1.5^38 ≈ 4.9 million minutes (9 years). Upper bounds, rounded: 1, 1.5, 2.3, 3.4, 5.1, 7.6, 11, 17, 26,
 * 38, 58 minutes (b = 10), 86, 130, 195, 292, 438 (7.3 h), 657, 985, 1478 (24.6 h), 2217, 3325 (2.3 days, b = 20),
 * 4988, 7482, 11223 (7.8 days), 16834, 25251 (17.5 days, b = 25), … each 1.5 times the one before.
 *
 * A median read from these buckets is approximate: it is interpolated linearly inside the bucket that holds
 * the middle case, so it is off by less than that bucket's width (a third of its upper bound) — minutes for
 * hours-long durations, hours for week-long ones.
 */

export const HIST_BUCKETS = 40
export const HIST_GROWTH = 1.5

/** [lower, upper) of bucket b in minutes; the last bucket's nominal upper bound is used for interpolation only. */
export function bucketBounds(b: number): [number, number] {
  return b === 0 ? [0, 1] : [HIST_GROWTH ** (b - 1), HIST_GROWTH ** b]
}

/** The bucket of a duration in minutes; negative durations (clock skew) count as 0, huge ones land in the last bucket. */
export function bucketOf(minutes: number): number {
  if (!(minutes >= 1)) return 0
  let b = Math.min(HIST_BUCKETS - 1, Math.floor(Math.log(minutes) / Math.log(HIST_GROWTH)) + 1)
  // The logarithm can land one off at an exact bound (1.5^k in binary): settle it against the bounds themselves.
  while (b < HIST_BUCKETS - 1 && minutes >= bucketBounds(b)[1]) b++
  while (b > 1 && minutes < bucketBounds(b)[0]) b--
  return b
}

/** Sparse counts per bucket: what a delta or a summed read holds. */
export type Hist = Map<number, number>

export function addInto(target: Hist, source: Hist | Iterable<[number, number]>, sign = 1): Hist {
  for (const [b, n] of source) {
    const v = (target.get(b) ?? 0) + sign * n
    if (v === 0) target.delete(b)
    else target.set(b, v)
  }
  return target
}

/**
 * The median of the counted durations, interpolated inside its bucket (the same continuous rank as
 * percentile_cont(0.5)); null when nothing was counted.
 */
export function histMedian(hist: Hist): number | null {
  const buckets = [...hist].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0])
  const total = buckets.reduce((s, [, n]) => s + n, 0)
  if (total === 0) return null
  const rank = total / 2
  let before = 0
  for (const [b, n] of buckets) {
    if (before + n >= rank) {
      const [lo, hi] = bucketBounds(b)
      return lo + ((hi - lo) * (rank - before)) / n
    }
    before += n
  }
  return null // not reached: rank ≤ total
}

/**
 * A PostgreSQL int[] literal for a delta, trimmed to its non-zero buckets with the lower bound kept
 * (`[19:20]={1,-1}`: subscript = bucket + 1), or null when every bucket is zero.
 */
export function histLiteral(hist: Hist): string | null {
  let lo = Infinity
  let hi = -Infinity
  for (const [b, n] of hist) {
    if (n === 0) continue
    if (b < lo) lo = b
    if (b > hi) hi = b
  }
  if (lo > hi) return null
  const values: number[] = []
  for (let b = lo; b <= hi; b++) values.push(hist.get(b) ?? 0)
  return `[${lo + 1}:${hi + 1}]={${values.join(',')}}`
}

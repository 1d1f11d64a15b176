/** First retry after a failed send, then doubling up to the cap; jitter keeps a village's phones from retrying in step. */
export const BACKOFF_BASE_MS = 2_000
export const BACKOFF_CAP_MS = 5 * 60_000

/** Delay before attempt `attempts + 1`, given `attempts` failures so far; `random` in [0, 1) adds up to +25 %. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  if (attempts <= 0) return 0
  const plain = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempts - 1, 20))
  return Math.round(plain * (1 + 0.25 * random()))
}

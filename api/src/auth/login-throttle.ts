import { sql, type SQL } from 'drizzle-orm'
import { sha256 } from './tokens'

/**
 * How failed sign-ins slow an attacker without handing anyone a lock on someone else's account (issue 18):
 * - per username and address: the first PAIR_FREE failures are free, then each further one makes that address
 *   wait 1, 2, 4 … seconds (at most PAIR_MAX_DELAY_S) before its next try of that name; other addresses are
 *   not affected, so five wrong guesses from anywhere no longer lock the owner out;
 * - per username, from every address together: ACCOUNT_ATTACK_FAILURES failures within the window is an
 *   attack (many addresses guessing one name) and locks the name for ACCOUNT_LOCK_MINUTES; an administrator can
 *   lift it at once (POST /api/v1/users/:id/unlock).
 * Both count the username as typed, whether or not such a user exists, so the answers and their order are the
 * same for known and unknown names.
 */
export const PAIR_FREE = 3
export const PAIR_MAX_DELAY_S = 15 * 60
export const ACCOUNT_ATTACK_FAILURES = 20
/** …and from at least this many addresses: one address alone is slowed by its own delays, never locks the name. */
export const ACCOUNT_ATTACK_ADDRESSES = 5
export const ACCOUNT_LOCK_MINUTES = 30
/** Failures older than this are forgotten (a counter whose window ran out starts again). */
export const WINDOW_MS = 3_600_000

export const normalizeUsername = (username: string) => username.trim().toLowerCase()
const nameHash = (username: string) => sha256(`login:${normalizeUsername(username)}`)
export const pairKey = (username: string, ip: string) => `pair:${nameHash(username)}:${ip}`
export const pairPrefix = (username: string) => `pair:${nameHash(username)}:`
export const accountKey = (username: string) => `account:${nameHash(username)}`
/** Every row of a username (its account row and all its pair rows), for an administrator's unlock. */
export const keyPrefixOf = (username: string) => nameHash(username)

/** How long a pair waits after its `failures`-th failure (0 while still free). */
export function pairDelaySeconds(failures: number): number {
  if (failures <= PAIR_FREE) return 0
  return Math.min(PAIR_MAX_DELAY_S, 2 ** (failures - PAIR_FREE - 1))
}

/** Whether the `failures`-th failure within the window, from `addresses` addresses, locks the whole name. */
export const accountLocks = (failures: number, addresses: number) => failures >= ACCOUNT_ATTACK_FAILURES && addresses >= ACCOUNT_ATTACK_ADDRESSES

/** pairDelaySeconds in SQL, for the statement that counts an attempt and sets its block at once. */
export const pairDelaySql = (failures: SQL) =>
  sql`(case when ${failures} <= ${PAIR_FREE} then null else least(${PAIR_MAX_DELAY_S}, power(2, ${failures} - ${PAIR_FREE} - 1)) end)`

export const secondsUntil = (later: Date, now: Date) => Math.max(1, Math.ceil((later.getTime() - now.getTime()) / 1000))

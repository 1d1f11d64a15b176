import { randomUUID } from 'node:crypto'
import type { LoginBody, Me, TokenPair } from '@mashangjian/shared'
import { AppError } from '../errors/app-error'
import type { Clock } from '../clock'
import type { AuthRepo, UserRow } from './auth-repo'
import type { Actor, SessionRef } from './actor'
import { burnPasswordCheck, verifyPassword } from './passwords'
import { newRefreshToken, sha256, successorRefreshToken } from './tokens'
import { sql } from 'drizzle-orm'
import { accountKey, accountLocks, ACCOUNT_LOCK_MINUTES, pairDelaySql, pairKey, pairPrefix, secondsUntil, WINDOW_MS } from './login-throttle'

/**
 * A refresh whose answer was lost (timeout, dropped connection, the app killed) is sent again with the token it
 * already spent. Within this window that is not reuse: the caller gets the same new refresh token back.
 */
export const REFRESH_GRACE_SECONDS = 30

export interface AuthServiceDeps {
  repo: AuthRepo
  clock: Clock
  /** Signs an access JWT for the actor and session; returns the token. */
  signAccessToken: (actor: Actor, session: SessionRef) => string
  /** Secret key that derives a refresh token's successor from it (see successorRefreshToken). */
  refreshSuccessorKey: string
  accessTokenTtlSeconds: number
  refreshTokenTtlDays: number
}

const locked = (until: Date, now: Date) =>
  new AppError(
    'ACCOUNT_LOCKED',
    `Too many failed sign-ins for this account from many places; locked until ${until.toISOString()} (an administrator can unlock it).`,
    { retryAfterSeconds: secondsUntil(until, now) },
  )
const throttled = (until: Date, now: Date) =>
  new AppError('LOGIN_THROTTLED', `Too many failed sign-ins from this address; try again in ${secondsUntil(until, now)} s.`, {
    retryAfterSeconds: secondsUntil(until, now),
  })

/** Sign-in rules: argon2id passwords, lockout after repeated failures, rotating refresh tokens with reuse detection. */
export function createAuthService({ repo, clock, signAccessToken, refreshSuccessorKey, accessTokenTtlSeconds, refreshTokenTtlDays }: AuthServiceDeps) {
  async function toMe(user: UserRow): Promise<Me> {
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      committeeId: user.committeeId,
      memberId: user.memberId,
      stationIds: await repo.stationIdsOf(user.id),
      locale: user.locale,
    }
  }

  /** The pair for a refresh token that is stored already; the access token is signed now, for the same session. */
  async function pairFor(user: UserRow, familyId: string, refreshToken: string, refreshExpiresAt: Date): Promise<TokenPair> {
    const me = await toMe(user)
    const accessToken = signAccessToken(
      { userId: me.id, role: me.role, committeeId: me.committeeId, memberId: me.memberId, stationIds: me.stationIds },
      { sid: familyId, sv: user.sessionVersion },
    )
    return { accessToken, expiresIn: accessTokenTtlSeconds, refreshToken, refreshExpiresAt: refreshExpiresAt.toISOString(), user: me }
  }

  const newRow = (user: UserRow, familyId: string, token: string, now: Date, userAgent: string | undefined) => ({
    userId: user.id,
    familyId,
    tokenHash: sha256(token),
    issuedAt: now,
    expiresAt: new Date(now.getTime() + refreshTokenTtlDays * 86_400_000),
    userAgent: userAgent?.slice(0, 300),
  })

  /**
   * The grace window: `token` was spent moments ago and its successor has not been used yet, so the caller most
   * likely never received the answer. The successor is derived from the token (never stored in clear), so the
   * same new refresh token is handed out again, with a freshly signed access token for the same session. Null
   * when this is not such a retry; the caller then treats it as reuse.
   */
  async function replayWithinGrace(token: string, familyId: string, tokenHash: string, now: Date): Promise<TokenPair | null> {
    const spent = await repo.findRefreshToken(tokenHash) // read again: a concurrent refresh may just have spent it
    if (!spent?.usedAt || spent.revokedAt) return null
    // Either sign: two simultaneous refreshes each read the clock before one of them spent the token.
    if (Math.abs(now.getTime() - spent.usedAt.getTime()) > REFRESH_GRACE_SECONDS * 1000) return null
    const successor = successorRefreshToken(refreshSuccessorKey, token)
    const next = await repo.findRefreshToken(sha256(successor))
    if (!next || next.familyId !== familyId || next.usedAt || next.revokedAt || next.expiresAt <= now) return null
    const user = await repo.findUserById(next.userId)
    if (!user || user.disabledAt) return null
    return pairFor(user, familyId, successor, next.expiresAt)
  }

  function assertUsable(user: UserRow) {
    if (user.disabledAt) throw new AppError('ACCOUNT_DISABLED', 'This account has been disabled by an administrator.')
  }

  return {
    /**
     * Sign-in with the throttle of login-throttle.ts. Every step is the same whether or not the username exists
     * (the same reads and writes, a password check of the same cost), so neither the answers nor their timing
     * tell which names are real.
     */
    async login({ username, password }: LoginBody, userAgent?: string, ip = 'unknown'): Promise<TokenPair> {
      const now = clock.now()
      const pair = pairKey(username, ip)
      const account = accountKey(username)
      // Counted before the password is checked (and taken back on success): a block set by one guess stops the
      // parallel ones too. While blocked, even the right password is refused, and the block is not extended.
      const fromHere = await repo.countAttempt(pair, now, WINDOW_MS, pairDelaySql)
      if ('blockedUntil' in fromHere) throw throttled(fromHere.blockedUntil, now)
      const onName = await repo.countAttempt(account, now, WINDOW_MS, () => sql`null`)
      if ('blockedUntil' in onName) throw locked(onName.blockedUntil, now)
      const user = await repo.findUserByUsername(username)
      const ok = user ? await verifyPassword(user.passwordHash, password) : (await burnPasswordCheck(password), false)
      if (!user || !ok) {
        if (accountLocks(onName.failures, await repo.addressesTrying(pairPrefix(username), now, WINDOW_MS))) {
          const until = new Date(now.getTime() + ACCOUNT_LOCK_MINUTES * 60_000)
          await repo.blockUntil(account, until, true)
          throw locked(until, now)
        }
        throw new AppError('INVALID_CREDENTIALS', 'Wrong username or password.')
      }
      assertUsable(user)
      // This address knows the password: its own failures are forgotten (the name's total stays, see login-throttle.ts).
      await repo.clearThrottle([pair])
      await repo.uncount(account)
      await repo.recordSuccessfulLogin(user.id, now)
      const familyId = randomUUID()
      const token = newRefreshToken()
      const row = newRow(user, familyId, token, now, userAgent)
      await repo.insertRefreshToken(row)
      return pairFor(user, familyId, token, row.expiresAt)
    },

    async refresh(token: string, userAgent?: string): Promise<TokenPair> {
      const now = clock.now()
      const tokenHash = sha256(token)
      const row = await repo.findRefreshToken(tokenHash)
      if (!row || row.revokedAt) throw new AppError('REFRESH_TOKEN_INVALID', 'Sign in again.')
      // A spent token presented again means a copy exists elsewhere (end every session of this family), unless
      // it is a retry of a refresh whose answer was lost, moments ago.
      const reused = async () => {
        const replay = await replayWithinGrace(token, row.familyId, tokenHash, now)
        if (replay) return replay
        await repo.revokeFamily(row.familyId, now, 'reuse')
        throw new AppError('REFRESH_TOKEN_REUSED', 'This sign-in was ended for safety; sign in again.')
      }
      if (row.usedAt) return reused()
      if (row.expiresAt <= now) throw new AppError('REFRESH_TOKEN_INVALID', 'The session has expired; sign in again.')
      const user = await repo.findUserById(row.userId)
      if (!user) throw new AppError('REFRESH_TOKEN_INVALID', 'Sign in again.')
      if (user.disabledAt) {
        await repo.revokeFamily(row.familyId, now, 'disabled')
        assertUsable(user)
      }
      const successor = successorRefreshToken(refreshSuccessorKey, token)
      const next = newRow(user, row.familyId, successor, now, userAgent)
      if (!(await repo.rotateRefreshToken(row.id, now, next))) return reused()
      return pairFor(user, row.familyId, successor, next.expiresAt)
    },

    /** Ends the session the token belongs to. Unknown tokens are fine: logging out twice is not an error. */
    async logout(token: string): Promise<void> {
      const row = await repo.findRefreshToken(sha256(token))
      if (row) await repo.revokeFamily(row.familyId, clock.now(), 'logout')
    },

    /** Ends every session of the caller: all refresh families, and every access token through the session version. */
    async logoutAll(actor: Actor): Promise<void> {
      await repo.endAllSessions(actor.userId, clock.now(), 'logout_all')
    },

    async me(actor: Actor): Promise<Me> {
      const user = await repo.findUserById(actor.userId)
      if (!user || user.disabledAt) throw new AppError('UNAUTHENTICATED', 'This account no longer exists or is disabled.')
      return toMe(user)
    },
  }
}
export type AuthService = ReturnType<typeof createAuthService>

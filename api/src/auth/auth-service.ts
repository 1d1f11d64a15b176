import { randomUUID } from 'node:crypto'
import type { LoginBody, Me, TokenPair } from '@mashangjian/shared'
import { AppError } from '../errors/app-error'
import type { Clock } from '../clock'
import type { AuthRepo, UserRow } from './auth-repo'
import type { Actor } from './actor'
import { burnPasswordCheck, verifyPassword } from './passwords'
import { newRefreshToken, sha256 } from './tokens'

export const MAX_FAILED_LOGINS = 5
export const LOCK_MINUTES = 30

export interface AuthServiceDeps {
  repo: AuthRepo
  clock: Clock
  /** Signs an access JWT for the actor; returns the token. */
  signAccessToken: (actor: Actor) => string
  accessTokenTtlSeconds: number
  refreshTokenTtlDays: number
}

const secondsUntil = (later: Date, now: Date) => Math.max(1, Math.ceil((later.getTime() - now.getTime()) / 1000))

/** Sign-in rules: argon2id passwords, lockout after repeated failures, rotating refresh tokens with reuse detection. */
export function createAuthService({ repo, clock, signAccessToken, accessTokenTtlSeconds, refreshTokenTtlDays }: AuthServiceDeps) {
  async function toMe(user: UserRow): Promise<Me> {
    return {
      id: user.id, username: user.username, displayName: user.displayName, role: user.role,
      committeeId: user.committeeId, memberId: user.memberId, stationIds: await repo.stationIdsOf(user.id),
      locale: user.locale,
    }
  }

  async function issueTokens(user: UserRow, familyId: string, userAgent: string | undefined): Promise<TokenPair> {
    const now = clock.now()
    const me = await toMe(user)
    const refreshToken = newRefreshToken()
    const expiresAt = new Date(now.getTime() + refreshTokenTtlDays * 86_400_000)
    await repo.insertRefreshToken({
      userId: user.id, familyId, tokenHash: sha256(refreshToken), issuedAt: now, expiresAt, userAgent: userAgent?.slice(0, 300),
    })
    const accessToken = signAccessToken({
      userId: me.id, role: me.role, committeeId: me.committeeId, memberId: me.memberId, stationIds: me.stationIds,
    })
    return { accessToken, expiresIn: accessTokenTtlSeconds, refreshToken, refreshExpiresAt: expiresAt.toISOString(), user: me }
  }

  function assertUsable(user: UserRow) {
    if (user.disabledAt) throw new AppError('ACCOUNT_DISABLED', 'This account has been disabled by an administrator.')
  }

  return {
    async login({ username, password }: LoginBody, userAgent?: string): Promise<TokenPair> {
      const user = await repo.findUserByUsername(username)
      if (!user) {
        await burnPasswordCheck(password)
        throw new AppError('INVALID_CREDENTIALS', `After ${MAX_FAILED_LOGINS} failed attempts the account is locked for ${LOCK_MINUTES} minutes.`)
      }
      const now = clock.now()
      // While locked, even the right password is refused, and the lock is not extended.
      if (user.lockedUntil && user.lockedUntil > now) {
        throw new AppError('ACCOUNT_LOCKED', `Locked until ${user.lockedUntil.toISOString()}.`, {
          retryAfterSeconds: secondsUntil(user.lockedUntil, now),
        })
      }
      if (!(await verifyPassword(user.passwordHash, password))) {
        const lockedUntil = await repo.recordFailedLogin(user.id, now, MAX_FAILED_LOGINS, new Date(now.getTime() + LOCK_MINUTES * 60_000))
        if (lockedUntil) {
          throw new AppError('ACCOUNT_LOCKED', `Locked until ${lockedUntil.toISOString()}.`, {
            retryAfterSeconds: secondsUntil(lockedUntil, now),
          })
        }
        throw new AppError('INVALID_CREDENTIALS', `After ${MAX_FAILED_LOGINS} failed attempts the account is locked for ${LOCK_MINUTES} minutes.`)
      }
      assertUsable(user)
      await repo.recordSuccessfulLogin(user.id, now)
      return issueTokens(user, randomUUID(), userAgent)
    },

    async refresh(token: string, userAgent?: string): Promise<TokenPair> {
      const now = clock.now()
      const row = await repo.findRefreshToken(sha256(token))
      if (!row || row.revokedAt) throw new AppError('REFRESH_TOKEN_INVALID', 'Sign in again.')
      // A spent token presented again means a copy exists elsewhere: end every session of this family.
      if (row.usedAt || !(await repo.spendRefreshToken(row.id, now))) {
        await repo.revokeFamily(row.familyId, now, 'reuse')
        throw new AppError('REFRESH_TOKEN_REUSED', 'This sign-in was ended for safety; sign in again.')
      }
      if (row.expiresAt <= now) throw new AppError('REFRESH_TOKEN_INVALID', 'The session has expired; sign in again.')
      const user = await repo.findUserById(row.userId)
      if (!user) throw new AppError('REFRESH_TOKEN_INVALID', 'Sign in again.')
      if (user.disabledAt) {
        await repo.revokeFamily(row.familyId, now, 'disabled')
        assertUsable(user)
      }
      return issueTokens(user, row.familyId, userAgent)
    },

    /** Ends the session the token belongs to. Unknown tokens are fine: logging out twice is not an error. */
    async logout(token: string): Promise<void> {
      const row = await repo.findRefreshToken(sha256(token))
      if (row) await repo.revokeFamily(row.familyId, clock.now(), 'logout')
    },

    async me(actor: Actor): Promise<Me> {
      const user = await repo.findUserById(actor.userId)
      if (!user || user.disabledAt) throw new AppError('UNAUTHENTICATED', 'This account no longer exists or is disabled.')
      return toMe(user)
    },
  }
}
export type AuthService = ReturnType<typeof createAuthService>

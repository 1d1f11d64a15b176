import { AppError } from '../errors/app-error'
import type { AccessClaims } from './actor'
import type { AuthRepo } from './auth-repo'

/** Refuses an access token whose session has ended; resolves if it is still live. */
export type SessionCheck = (claims: AccessClaims) => Promise<void>

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * An access token is signed for 15 minutes, but its session can end sooner: logout of that device (its refresh
 * family revoked), reuse of a stolen refresh token, logout everywhere, the account disabled, a new password or
 * changed stations (session version raised). The database is asked on every authenticated request, with no
 * cache, so every process sees a revocation at once; it is one indexed round trip (see auth-repo sessionState).
 * A token without the session claims (signed before they existed) is refused too: the client refreshes once.
 */
export function createSessionCheck(repo: Pick<AuthRepo, 'sessionState'>): SessionCheck {
  return async (claims) => {
    const ended = () => new AppError('UNAUTHENTICATED', 'This session has ended; sign in again.')
    if (typeof claims.sid !== 'string' || !UUID.test(claims.sid) || typeof claims.sv !== 'number' || !UUID.test(claims.sub)) throw ended()
    const state = await repo.sessionState(claims.sub, claims.sid)
    if (!state || state.disabled || state.revoked || state.sessionVersion !== claims.sv) throw ended()
  }
}

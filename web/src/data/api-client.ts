import type { Problem, TokenPair } from '@mashangjian/shared'
import type { AppDb, Session } from './db'

/** The server answered with a problem (application/problem+json); `problem.code` is from shared/src/errors.ts. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title)
  }
  get status() { return this.problem.status }
  get code() { return this.problem.code }
}

/** No answer: no network, the server unreachable, or no reply in time. Worth retrying later. */
export class OfflineError extends Error {}

/** There is no usable session any more (never signed in, or the refresh token was refused). */
export class SignedOutError extends Error {}

export interface RequestInit2 {
  method?: string
  json?: unknown
  form?: FormData
  /** Send the access token (default true). */
  auth?: boolean
}

const SESSION_KEY = 'session'
/** Refresh a little early so a request made at the edge of the token's life does not fail. */
const EXPIRY_MARGIN_MS = 30_000
const TIMEOUT_MS = 20_000
/** Photos on a village uplink: the timeout runs while the body uploads, so give uploads much longer. */
const UPLOAD_TIMEOUT_MS = 10 * 60_000

export interface ApiClientOptions {
  baseUrl: string
  db: Promise<AppDb>
  now?: () => number
  /** Called when the session ends (refresh refused): the app shows the login page, keeping the outbox. */
  onSignedOut?: () => void
}

export type ApiClient = ReturnType<typeof createApiClient>

/**
 * HTTP to the API: JSON in and out, the access token attached and refreshed once when it runs out. The refresh
 * token rotates on every use and a reused one ends the session, so a refresh is single-flight in this tab and,
 * where the browser has Web Locks, across tabs (the second tab picks up the pair the first one stored).
 */
export function createApiClient({ baseUrl, db, now = Date.now, onSignedOut }: ApiClientOptions) {
  let refreshing: Promise<Session> | null = null

  const readSession = async () => (await (await db).get('meta', SESSION_KEY)) as Session | undefined
  const writeSession = async (s: Session | undefined) => {
    const d = await db
    if (s) await d.put('meta', s, SESSION_KEY)
    else await d.delete('meta', SESSION_KEY)
  }
  const toSession = (pair: TokenPair): Session => ({
    accessToken: pair.accessToken,
    accessExpiresAt: now() + pair.expiresIn * 1000 - EXPIRY_MARGIN_MS,
    refreshToken: pair.refreshToken,
    user: pair.user,
  })

  async function raw(path: string, init: RequestInit2, token: string | undefined): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' }
    let body: BodyInit | undefined
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(init.json)
    } else if (init.form) body = init.form
    if (token) headers.authorization = `Bearer ${token}`
    try {
      return await fetch(baseUrl + path, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, signal: AbortSignal.timeout(init.form ? UPLOAD_TIMEOUT_MS : TIMEOUT_MS) })
    } catch (e) {
      throw new OfflineError(e instanceof Error ? e.message : String(e))
    }
  }

  async function problemOf(res: Response): Promise<ApiError> {
    let problem: Problem
    try {
      problem = (await res.json()) as Problem
    } catch {
      problem = { type: 'about:blank', title: res.statusText, status: res.status, code: res.status >= 500 ? 'INTERNAL' : 'MALFORMED_REQUEST', reqId: '' }
    }
    if (typeof problem.code !== 'string') problem = { ...problem, code: 'INTERNAL', status: res.status }
    return new ApiError(problem)
  }

  async function doRefresh(stale: Session): Promise<Session> {
    const exchange = async (): Promise<Session> => {
      const current = await readSession()
      if (!current) throw new SignedOutError('signed out')
      // Another tab refreshed while we waited for the lock: use its pair.
      if (current.refreshToken !== stale.refreshToken && current.accessExpiresAt > now()) return current
      const res = await raw('/api/v1/auth/refresh', { json: { refreshToken: current.refreshToken } }, undefined)
      if (res.ok) {
        const fresh = toSession((await res.json()) as TokenPair)
        await writeSession(fresh)
        return fresh
      }
      const err = await problemOf(res)
      if (res.status === 401 || res.status === 403) {
        await writeSession(undefined)
        onSignedOut?.()
        throw new SignedOutError(err.code)
      }
      throw res.status >= 500 || res.status === 429 ? new OfflineError(err.message) : err
    }
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined
    return locks ? locks.request('msj-refresh', exchange) : exchange()
  }

  function refresh(stale: Session): Promise<Session> {
    refreshing ??= doRefresh(stale).finally(() => { refreshing = null })
    return refreshing
  }

  async function validSession(): Promise<Session> {
    const s = await readSession()
    if (!s) throw new SignedOutError('signed out')
    return s.accessExpiresAt > now() ? s : refresh(s)
  }

  async function request<T>(path: string, init: RequestInit2 = {}): Promise<T> {
    let session = init.auth === false ? undefined : await validSession()
    let res = await raw(path, init, session?.accessToken)
    if (res.status === 401 && session) {
      // Expired early (clock skew) or revoked: one refresh, one retry.
      session = await refresh(session)
      res = await raw(path, init, session.accessToken)
    }
    if (!res.ok) throw await problemOf(res)
    if (res.status === 204) return undefined as T
    const type = res.headers.get('content-type') ?? ''
    return (type.includes('json') ? await res.json() : await res.arrayBuffer()) as T
  }

  return {
    request,
    session: readSession,
    /** A current access token (refreshed if needed), for EventSource which cannot send headers. */
    accessToken: async () => (await validSession()).accessToken,
    async signIn(username: string, password: string): Promise<Session> {
      const res = await raw('/api/v1/auth/login', { json: { username, password } }, undefined)
      if (!res.ok) throw await problemOf(res)
      const session = toSession((await res.json()) as TokenPair)
      await writeSession(session)
      return session
    },
    async signOut(): Promise<void> {
      const s = await readSession()
      await writeSession(undefined)
      if (s) await raw('/api/v1/auth/logout', { json: { refreshToken: s.refreshToken } }, undefined).catch(() => undefined)
    },
  }
}

/** A URL the API gave (absolute or not, e.g. a hand-off photo's) as the path the client asks its own server for. */
export function apiPath(url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) return url
  const u = new URL(url)
  return `${u.pathname}${u.search}`
}

import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import type { Role } from '@mashangjian/shared'
import { AppError } from '../errors/app-error'
import { problems } from '../errors/problem-responses'
import { actorFromClaims, type AccessClaims, type Actor } from './actor'
import type { SessionCheck } from './session-check'
import type { ScrapeCheck } from '../monitoring/scrape-access'

/**
 * Who may call a route: anyone, signed-in users with one of these roles, or (issue 19) `scraper`: a metrics
 * scraper holding METRICS_TOKEN or calling from METRICS_ALLOW (monitoring/scrape-access.ts) — no user at all.
 */
export type Access = 'public' | 'scraper' | readonly Role[]

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
    /**
     * For the few routes a browser opens itself (a tab, a download link, EventSource), which cannot send an
     * Authorization header: the access token may come as `?access_token=` instead. Same verifier, session check
     * and role check as a header; the request log masks the token (live/log-safe.ts). Only on role-restricted routes.
     */
    queryToken?: boolean
  }
  interface FastifyRequest {
    actor: Actor | null
    /** When the verified access token expires (epoch ms), for long-lived responses such as the live stream. */
    accessExpiresAt: number | null
  }
  interface FastifyInstance {
    /** Verifies the request's Bearer token (signature, expiry) and that its session is still live; the claims. */
    verifyAccess(request: FastifyRequest): Promise<AccessClaims & { exp?: number }>
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims
    user: AccessClaims
  }
}

export const ADMINS = ['station_admin', 'committee_admin', 'system_admin'] as const satisfies readonly Role[]
export const COMMITTEE_ADMINS = ['committee_admin', 'system_admin'] as const satisfies readonly Role[]
export const SIGNED_IN = ['member', ...ADMINS] as const satisfies readonly Role[]

/** The actor of a guarded route; only for handlers whose route is not public. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('UNAUTHENTICATED')
  return request.actor
}

/** A route that documents a Bearer token (OpenAPI `security`) is role-restricted and must say so in `access`. */
const documentsBearer = (schema: { security?: unknown } | undefined) =>
  Array.isArray(schema?.security) && schema.security.some((s) => s && typeof s === 'object' && 'bearerAuth' in s)

/**
 * Every API route states who may call it in `config.access`; a route without one fails at startup, so no
 * endpoint is open by oversight, and so does a `public` route that documents a token or asks for `queryToken`
 * (a role-restricted route must never be `public` and check the token itself). Role is checked here; which
 * committee or station a resource belongs to is checked by the service (see scope.ts), because only it has
 * loaded the resource.
 */
export const accessGuard = fp<{ sessions?: SessionCheck; scrapers?: ScrapeCheck }>(
  async (app, { sessions, scrapers }) => {
    app.decorateRequest('actor', null)
    app.decorateRequest('accessExpiresAt', null)
    app.decorate('verifyAccess', async (request: FastifyRequest) => {
      const claims = await request.jwtVerify<AccessClaims & { exp?: number }>()
      // Without a check (a plugin test on its own) the token is trusted until it expires.
      if (sessions) await sessions(claims)
      return claims
    })

    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith('/api/')) return
      const access = route.config?.access
      if (!access) throw new Error(`${route.method} ${route.url} must declare config.access`)
      if (access === 'public' && (route.config?.queryToken || documentsBearer(route.schema as { security?: unknown } | undefined))) {
        throw new Error(`${route.method} ${route.url} takes a token, so it must declare the roles in config.access, not 'public'`)
      }
      if (access !== 'public') {
        route.schema = {
          ...route.schema,
          security: [{ bearerAuth: [] }],
          response: { ...problems(401, 403), ...(route.schema?.response as object | undefined) },
        }
      }
    })

    app.addHook('onRequest', async (request) => {
      const access = request.routeOptions.config.access
      if (!access || access === 'public') return
      if (access === 'scraper') {
        // Without a check configured, a scraper route is closed (never open by default).
        if (!scrapers) throw new AppError('NOT_FOUND', 'Metrics are off on this server.')
        return scrapers(request)
      }
      if (request.routeOptions.config.queryToken && !request.headers.authorization) {
        // The query string is parsed before any hook runs; a header, when sent, wins.
        const token = (request.query as { access_token?: unknown } | undefined)?.access_token
        if (typeof token === 'string' && token) request.headers.authorization = `Bearer ${token}`
      }
      const claims = await app.verifyAccess(request)
      const actor = actorFromClaims(claims)
      if (!access.includes(actor.role)) {
        throw new AppError('FORBIDDEN', `This needs one of the roles: ${access.join(', ')}.`)
      }
      request.actor = actor
      request.accessExpiresAt = claims.exp ? claims.exp * 1000 : null
    })
  },
  { name: 'access-guard' },
)

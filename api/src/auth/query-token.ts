import type { FastifyRequest } from 'fastify'
import type { Role } from '@mashangjian/shared'
import { AppError } from '../errors/app-error'
import { actorFromClaims, type Actor } from './actor'

/**
 * For the few routes a browser opens itself (a tab, a download link, EventSource), which cannot send an
 * Authorization header: the access token may come as `?access_token=` instead. The access guard cannot read it
 * (it is a root onRequest hook and runs before any hook a route plugin adds), so such a route is `public` to the
 * guard and calls this first: the same JWT verifier, session check, claims and role check as the guard. The request log masks
 * the token (live/log-safe.ts). Same approach as GET /api/v1/stream.
 */
export async function headerOrQueryActor(request: FastifyRequest, queryToken: string | undefined, roles: readonly Role[]): Promise<Actor> {
  if (!request.headers.authorization && queryToken) request.headers.authorization = `Bearer ${queryToken}`
  const actor = actorFromClaims(await request.server.verifyAccess(request))
  if (!roles.includes(actor.role)) throw new AppError('FORBIDDEN', `This needs one of the roles: ${roles.join(', ')}.`)
  request.actor = actor
  return actor
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { LoginBody, Me, RefreshBody, TokenPair } from '@mashangjian/shared'
import { problems } from '../errors/problem-responses'
import { actorOf, SIGNED_IN } from './access-guard'
import type { AuthService } from './auth-service'

export const authRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService; loginPerMinute: number }> = async (app, { auth, loginPerMinute }) => {
  app.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public', rateLimit: { max: loginPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username (or mobile) and password',
        body: LoginBody,
        response: { 200: TokenPair, ...problems(400, 401, 403, 423, 429) },
        description:
          'Failed sign-ins slow down the address they come from (429 LOGIN_THROTTLED with Retry-After); many failures for one name from many addresses lock it (423 ACCOUNT_LOCKED) until it times out or an administrator unlocks it. Unknown and known usernames get the same answers.',
      },
    },
    (request) => auth.login(request.body, request.headers['user-agent'], request.ip),
  )

  app.post(
    '/api/v1/auth/refresh',
    {
      config: { access: 'public', rateLimit: { max: loginPerMinute * 3, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        summary: 'Trade a refresh token for a new pair; the old one is spent',
        body: RefreshBody,
        response: { 200: TokenPair, ...problems(400, 401, 403, 429) },
      },
    },
    (request) => auth.refresh(request.body.refreshToken, request.headers['user-agent']),
  )

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'End the session the refresh token belongs to; its access tokens stop working at once',
        body: RefreshBody,
        response: { 204: Type.Null({ description: 'Signed out' }), ...problems(400) },
      },
    },
    async (request, reply) => {
      await auth.logout(request.body.refreshToken)
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/api/v1/auth/logout-all',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['auth'],
        summary: 'End every session of the signed-in user, on every device; access tokens stop working at once',
        response: { 204: Type.Null({ description: 'Signed out everywhere' }) },
      },
    },
    async (request, reply) => {
      await auth.logoutAll(actorOf(request))
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/api/v1/me',
    {
      config: { access: SIGNED_IN },
      schema: { tags: ['auth'], summary: 'The signed-in user and their scope', response: { 200: Me } },
    },
    (request) => auth.me(actorOf(request)),
  )
}

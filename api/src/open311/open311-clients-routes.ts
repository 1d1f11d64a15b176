import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Open311ClientView, Open311IssueBody } from '@mashangjian/shared'
import { actorOf, COMMITTEE_ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { Open311ClientsService } from './open311-clients-service'

const Uuid = Type.String({ format: 'uuid' })

/** The console's Open311 API keys: committee admins only (station admins and members: 403 at the guard). */
export const open311ClientsRoutes: FastifyPluginAsyncTypebox<{ clients: Open311ClientsService }> = async (app, { clients }) => {
  const tags = ['open311']
  app.get(
    '/api/v1/open311/clients',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: 'Open311 clients of your committee (or one in your subtree)',
        querystring: Type.Object({ committeeId: Type.Optional(Uuid) }),
        response: { 200: Type.Object({ items: Type.Array(Open311ClientView) }), ...problems(400) },
      },
    },
    (request) => clients.list(actorOf(request), request.query.committeeId),
  )

  app.post(
    '/api/v1/open311/clients',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: 'Issue an API key to a client; the key is in this answer only',
        body: Open311IssueBody,
        response: { 201: Type.Object({ client: Open311ClientView, apiKey: Type.String() }), ...problems(400) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .header('cache-control', 'no-store')
        .send(await clients.issue(actorOf(request), request.body, request.ip)),
  )

  app.post(
    '/api/v1/open311/clients/:id/revoke',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: "Revoke a client's key (at once, for good)",
        params: Type.Object({ id: Uuid }),
        response: { 200: Open311ClientView, ...problems(400, 404) },
      },
    },
    (request) => clients.revoke(actorOf(request), request.params.id, request.ip),
  )
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SyncPage, SyncQuery } from '@mashangjian/shared'
import { actorOf, SIGNED_IN } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { SyncService } from './sync-service'

export const syncRoutes: FastifyPluginAsyncTypebox<{ sync: SyncService }> = async (app, { sync }) => {
  app.get(
    '/api/v1/sync',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['sync'],
        summary: 'Changes to my cases after a cursor, in order, with their current state; never skips a change that commits late',
        querystring: SyncQuery,
        response: { 200: SyncPage, ...problems(400) },
      },
    },
    (request) => sync.since(actorOf(request), request.query.since, request.query.limit),
  )
}

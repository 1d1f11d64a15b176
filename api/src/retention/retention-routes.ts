import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, RetentionBody, RetentionView } from '@mashangjian/shared'
import { actorOf, COMMITTEE_ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { RetentionService } from './retention-service'

/** Issue 19: how many years residents' personal data is kept after a case ends, per committee. */
export const retentionRoutes: FastifyPluginAsyncTypebox<{ retention: RetentionService }> = async (app, { retention }) => {
  const tags = ['organisation']
  app.get(
    '/api/v1/committees/:id/retention',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: "Years residents' personal data is kept after a case ends (default 3), as the scan page promises",
        params: IdParams,
        response: { 200: RetentionView, ...problems(400, 404) },
      },
    },
    (request) => retention.get(actorOf(request), request.params.id),
  )

  app.put(
    '/api/v1/committees/:id/retention',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: 'Set the retention years (1–10); null goes back to the default. Audited; the next daily run applies it',
        params: IdParams,
        body: RetentionBody,
        response: { 200: RetentionView, ...problems(400, 404) },
      },
    },
    (request) => retention.set(actorOf(request), request.params.id, request.body, request.ip),
  )
}

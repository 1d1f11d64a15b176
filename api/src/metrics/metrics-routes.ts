import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { MetricsQuery, MetricsReport } from '@mashangjian/shared'
import { actorOf, SIGNED_IN } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { MetricsService } from './metrics-service'

export const metricsRoutes: FastifyPluginAsyncTypebox<{ metrics: MetricsService }> = async (app, { metrics }) => {
  // Every role may call; which scopes each role may ask for (403) and whose they are (404) is the service's rule.
  app.get(
    '/api/v1/metrics',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['metrics'],
        summary: '三率 and related metrics of a committee subtree, a station or a member, optionally per month',
        querystring: MetricsQuery,
        response: { 200: MetricsReport, ...problems(400, 404) },
      },
    },
    (request) => metrics.report(actorOf(request), request.query),
  )
}

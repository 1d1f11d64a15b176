import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { problems } from '../errors/problem-responses'
import type { Monitoring } from './prometheus-metrics'

/** GET /metrics: the Prometheus text format, for a scraper holding METRICS_TOKEN or calling from METRICS_ALLOW. */
export const monitoringRoutes: FastifyPluginAsyncTypebox<{ monitoring: Monitoring }> = async (app, { monitoring }) => {
  app.get(
    '/metrics',
    {
      // Checked by the access guard (auth/access-guard.ts → monitoring/scrape-access.ts), like every other kind.
      config: { access: 'scraper' },
      schema: {
        tags: ['ops'],
        summary: 'Prometheus metrics (METRICS_TOKEN as a Bearer token, or a direct call from METRICS_ALLOW)',
        response: { 200: Type.String(), ...problems(401, 403, 404) },
      },
    },
    async (_request, reply) => {
      const text = await monitoring.scrape()
      return reply.type(monitoring.contentType).header('cache-control', 'no-store').send(text)
    },
  )
}

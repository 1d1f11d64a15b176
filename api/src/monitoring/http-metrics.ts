import fp from 'fastify-plugin'
import type { Monitoring } from './prometheus-metrics'

/**
 * Counts every response (issue 19) by its route's template — `/t/:secret`, never `/t/<the secret>`: tracking and
 * department links carry their credential in the path. Registered before the routes so every route is counted.
 */
export const httpMetrics = fp<{ monitoring: Monitoring }>(
  async (app, { monitoring }) => {
    app.addHook('onResponse', async (request, reply) => {
      // A request no route matched has no template; its URL is not a label (any path can be sent).
      const route = request.routeOptions.url
      monitoring.requestDone(request.method, route, reply.statusCode, reply.elapsedTime / 1000)
    })
  },
  { name: 'http-metrics' },
)

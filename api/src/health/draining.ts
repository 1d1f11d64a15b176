import type { FastifyInstance } from 'fastify'
import { AppError } from '../errors/app-error'

/** What a client is told to wait before trying again: a restart behind a proxy or under systemd takes seconds. */
export const DRAIN_RETRY_AFTER_SECONDS = 5

/**
 * Graceful shutdown (issue 17): once close() begins, requests already running finish, and any request that still
 * arrives (pipelined, or on a keep-alive connection that was busy) is answered 503 through the one error path —
 * problem+json with a stable code and Retry-After for scripts, an HTML page for a browser's form — with
 * `Connection: close`, so the client retries on a fresh connection (to another process, or to this one restarted).
 */
export function refuseWhileDraining(app: FastifyInstance): void {
  let draining = false
  app.addHook('preClose', async () => {
    draining = true
  })
  app.addHook('onRequest', async (_request, reply) => {
    if (!draining) return
    reply.header('connection', 'close')
    throw new AppError('SERVICE_UNAVAILABLE', 'The server is restarting; try again in a few seconds.', { retryAfterSeconds: DRAIN_RETRY_AFTER_SECONDS })
  })
}

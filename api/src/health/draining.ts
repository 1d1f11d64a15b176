import type { FastifyInstance } from 'fastify'
import { AppError } from '../errors/app-error'

/** What a client is told to wait before trying again: a restart behind a proxy or under systemd takes seconds. */
export const DRAIN_RETRY_AFTER_SECONDS = 5

/**
 * How long a stopping server keeps its listener open while answering every new request 503 + Retry-After +
 * `Connection: close` (bootstrap.ts, before close()). Closing the listener at once resets the connections the
 * kernel accepted but Node had not read yet, and fresh connections whose request was still on the wire
 * (measured: 38–49 resets over 10 rounds under 30 clients); a client told to come back in 5 s opens none, so by
 * the time the listener closes nothing is left to reset. /readyz answers 503 meanwhile, so a balancer stops sending.
 */
export const DRAIN_WINDOW_MS = 1_000

const drainStates = new WeakMap<FastifyInstance, { draining: boolean }>()

/** Starts answering 503 before close() (see DRAIN_WINDOW_MS); close() itself also does. */
export function beginDraining(app: FastifyInstance): void {
  const state = drainStates.get(app)
  if (state) state.draining = true
}

/**
 * Graceful shutdown (issue 17): once close() begins, requests already running finish, and any request that still
 * arrives (pipelined, or on a keep-alive connection that was busy) is answered 503 through the one error path —
 * problem+json with a stable code and Retry-After for scripts, an HTML page for a browser's form — with
 * `Connection: close`, so the client retries on a fresh connection (to another process, or to this one restarted).
 * Requests that were running finish normally, and the last answer on each connection also carries
 * `Connection: close`: Node then ends that connection (FIN) once the answer is out, so a keep-alive client opens a
 * fresh connection for its next request instead of racing the close on this one, and the server's close is not
 * held up by the keep-alive timeout. "Last": a request already pipelined behind it still gets its 503 first.
 * Idle keep-alive connections are ended (FIN, not reset) when closing begins: `forceCloseConnections: 'idle'`.
 */
export function refuseWhileDraining(app: FastifyInstance): void {
  const state = { draining: false }
  drainStates.set(app, state)
  app.addHook('preClose', async () => {
    state.draining = true
  })
  // Requests received and not yet answered, per connection (callback-style hooks: this runs on every request).
  const unanswered = new WeakMap<object, number>()
  app.addHook('onRequest', (request, reply, done) => {
    const socket = request.raw.socket
    if (socket) unanswered.set(socket, (unanswered.get(socket) ?? 0) + 1)
    if (!state.draining) return done()
    reply.header('connection', 'close')
    done(new AppError('SERVICE_UNAVAILABLE', 'The server is restarting; try again in a few seconds.', { retryAfterSeconds: DRAIN_RETRY_AFTER_SECONDS }))
  })
  app.addHook('onSend', (request, reply, payload, done) => {
    if (state.draining && (unanswered.get(request.raw.socket) ?? 0) <= 1) reply.header('connection', 'close')
    done(null, payload)
  })
  app.addHook('onResponse', (request, _reply, done) => {
    const socket = request.raw.socket
    const left = (unanswered.get(socket) ?? 1) - 1
    if (left > 0) unanswered.set(socket, left)
    else unanswered.delete(socket)
    done()
  })
}

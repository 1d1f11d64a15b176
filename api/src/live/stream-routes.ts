import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { actorOf, SIGNED_IN } from '../auth/access-guard'
import { AppError } from '../errors/app-error'
import { problems } from '../errors/problem-responses'
import type { ChangeListener } from './change-listener'
import { changeConcerns } from './change-visibility'

/** Below the usual 30–60 s idle timeouts of proxies and mobile networks, so a quiet stream is not cut. */
const PING_MS = 25_000
/** A client that stops reading would make us buffer without end; past this it is cut off and reconnects. */
const MAX_BUFFERED_BYTES = 256 * 1024
/** A member has a phone and maybe a laptop; more open streams than this for one account is a leak or abuse. */
export const MAX_STREAMS_PER_USER = 5

const StreamQuery = Type.Object({
  access_token: Type.Optional(Type.String({ maxLength: 4096, description: 'The access token, for EventSource, which cannot send headers' })),
})

/**
 * GET /api/v1/stream: Server-Sent Events saying which cases changed (`event: change`, `{caseId, version}`); the
 * client then calls /api/v1/sync, which decides what it may read. `event: resync` means notifications may have
 * been lost (the database connection dropped); `event: expired` that the token ran out, so reconnect with a new one.
 */
export const streamRoutes: FastifyPluginAsyncTypebox<{ changes: ChangeListener; pingMs?: number }> = async (app, { changes, pingMs = PING_MS }) => {
  const open = new Set<() => void>()
  const perUser = new Map<string, number>()
  // Open streams would hold app.close() (and a rolling restart) forever: end them first; clients reconnect.
  app.addHook('preClose', async () => {
    for (const end of open) end()
  })

  app.get(
    '/api/v1/stream',
    {
      // EventSource cannot send headers: the token may come as ?access_token= (config.queryToken, access-guard.ts).
      config: { access: SIGNED_IN, queryToken: true },
      schema: {
        tags: ['sync'],
        summary: 'Live notice of changes to my cases (SSE); then fetch them from /api/v1/sync',
        description:
          'text/event-stream. Events: `change` {caseId, version}; `resync` (re-read /sync); `expired` (reconnect with a fresh token). ' +
          'A `: ping` comment every 25 s. Send the token as a Bearer header or as `?access_token=`.',
        security: [{ bearerAuth: [] }],
        querystring: StreamQuery,
        response: { 200: { description: 'An endless event stream', content: { 'text/event-stream': { schema: Type.String() } } }, ...problems(401, 403, 429) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request)
      const expiresAt = request.accessExpiresAt
      const mine = perUser.get(actor.userId) ?? 0
      if (mine >= MAX_STREAMS_PER_USER) {
        throw new AppError('RATE_LIMITED', `At most ${MAX_STREAMS_PER_USER} live streams per account; close another one.`, { retryAfterSeconds: 30 })
      }
      perUser.set(actor.userId, mine + 1)
      // From here on we write the response ourselves; Fastify must not send or serialise anything.
      reply.hijack()
      const res = reply.raw
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        // nginx would otherwise buffer the stream and deliver events in lumps.
        'x-accel-buffering': 'no',
        'x-request-id': String(request.id),
      })
      let ended = false
      const write = (text: string) => {
        if (ended) return
        res.write(text)
        if (res.writableLength > MAX_BUFFERED_BYTES) end()
      }
      const unsubscribe = changes.subscribe(
        (c) => {
          if (changeConcerns(actor, c)) write(`event: change\ndata: ${JSON.stringify({ caseId: c.caseId, version: c.version })}\n\n`)
        },
        () => write('event: resync\ndata: {}\n\n'),
      )
      const ping = setInterval(() => write(': ping\n\n'), pingMs)
      // The token was checked once; ending the stream when it expires makes a disabled account or changed role
      // take effect within one token lifetime instead of never.
      const expiry =
        expiresAt === null
          ? undefined
          : setTimeout(
              () => {
                write('event: expired\ndata: {}\n\n')
                end()
              },
              Math.max(0, expiresAt - Date.now()),
            )
      function end() {
        if (ended) return
        ended = true
        const left = (perUser.get(actor.userId) ?? 1) - 1
        if (left > 0) perUser.set(actor.userId, left)
        else perUser.delete(actor.userId)
        unsubscribe()
        clearInterval(ping)
        clearTimeout(expiry)
        open.delete(end)
        res.end()
      }
      open.add(end)
      request.raw.on('close', end)
      res.on('close', end)
      // A client that left while its token was being checked has already had its 'close'.
      if (!res.socket || res.socket.destroyed) end()
      write('retry: 5000\n\n')
    },
  )
}

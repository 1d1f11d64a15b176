import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError } from '../errors/app-error'
import { pageContext, sendHtml } from './html-reply'
import { renderPage } from './pages/layout'
import { TrackingNotFoundPage } from './pages/tracking-page'
import { EraseConfirmPage, EraseRefusedPage } from './pages/erasure-pages'
import type { TrackingErasure } from './tracking-erasure-service'
import type { TrackingService } from './tracking-service'

const SecretParams = Type.Object({ secret: Type.String({ maxLength: 100 }) })
const Lang = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 16 })) })

const secretHeaders = (reply: FastifyReply) => reply.header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex')

/**
 * Issue 19: the resident erases the personal data of their closed request from the tracking page, in two steps
 * that work without JavaScript: GET /t/:secret/erase shows what goes and asks; POST erases at once and leads back
 * to the link, which then shows the case without its personal data and says when it went.
 */
export const trackingErasureRoutes: FastifyPluginAsyncTypebox<{ erasure: TrackingErasure; tracking: TrackingService }> = async (app, { erasure, tracking }) => {
  async function orNotFound(request: FastifyRequest, reply: FastifyReply, render: () => Promise<FastifyReply>): Promise<FastifyReply> {
    try {
      return await render()
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'NOT_FOUND') throw err
      return sendHtml(secretHeaders(reply), renderPage(TrackingNotFoundPage({ ctx: pageContext(request, reply) })), 404)
    }
  }
  const back = (secret: string, lang: string | undefined, query = '') =>
    `/t/${secret}?${query}${lang ? `${query ? '&' : ''}lang=${encodeURIComponent(lang)}` : ''}`

  app.get(
    '/t/:secret/erase',
    {
      config: { access: 'public', html: 'always', rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: { hide: true, params: SecretParams, querystring: Lang },
    },
    (request, reply) =>
      orNotFound(request, reply, async () => {
        const { secret } = request.params
        const ctx = pageContext(request, reply)
        const state = await erasure.check(secret)
        if (state === 'already') return secretHeaders(reply).code(303).header('location', back(secret, request.query.lang)).send()
        if (state !== 'allowed') return sendHtml(secretHeaders(reply), renderPage(EraseRefusedPage({ ctx, secret, reason: state })), 409)
        const { row } = await tracking.find(secret)
        return sendHtml(secretHeaders(reply), renderPage(EraseConfirmPage({ ctx, secret, publicNo: row.publicNo })))
      }),
  )

  app.post(
    '/t/:secret/erase',
    {
      config: { access: 'public', html: 'always', rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: { hide: true, params: SecretParams, querystring: Lang, body: Type.Object({ confirm: Type.Optional(Type.String({ maxLength: 10 })) }) },
    },
    (request, reply) =>
      orNotFound(request, reply, async () => {
        const { secret } = request.params
        // Only the confirm step's form erases: a post without its field shows the question again.
        if (request.body?.confirm !== 'yes')
          return secretHeaders(reply)
            .code(303)
            .header('location', `/t/${secret}/erase${request.query.lang ? `?lang=${encodeURIComponent(request.query.lang)}` : ''}`)
            .send()
        const outcome = await erasure.erase(secret, request.ip)
        if (outcome === 'not_ended' || outcome === 'not_owner')
          return sendHtml(secretHeaders(reply), renderPage(EraseRefusedPage({ ctx: pageContext(request, reply), secret, reason: outcome })), 409)
        return secretHeaders(reply)
          .code(303)
          .header('location', back(secret, request.query.lang, 'erased=1'))
          .send()
      }),
  )
}

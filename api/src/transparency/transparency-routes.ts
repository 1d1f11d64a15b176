import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { IdParams, PublicationBody, PublicationView } from '@mashangjian/shared'
import { actorOf, SIGNED_IN } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import { pageContext, sendHtml } from '../public/html-reply'
import { renderPage } from '../public/pages/layout'
import { TransparencyNotFound, TransparencyPage } from './pages/transparency-page'
import { shareCardPng } from './share-card'
import type { TransparencyService } from './transparency-service'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Figures move with every case; five minutes in WeChat's and proxies' caches is fresh enough and spares the database. */
const PAGE_MAX_AGE = 300

/**
 * The transparency page of a committee or one of its stations (issue 16), its share card, and the staff's
 * per-case publication switch. Pages are public and script-free; the switch is for whoever may see the case.
 */
export const transparencyRoutes: FastifyPluginAsyncTypebox<{ transparency: TransparencyService; publicBaseUrl: string; perIpPerMinute: number }> = async (
  app,
  { transparency, publicBaseUrl, perIpPerMinute },
) => {
  const origin = publicBaseUrl.replace(/\/+$/, '')

  app.get(
    '/p/share-card.png',
    {
      config: { access: 'public', rateLimit: { max: perIpPerMinute, timeWindow: 60_000 } },
      schema: { hide: true },
    },
    async (_request, reply) =>
      reply
        .type('image/png')
        .header('cache-control', 'public, max-age=86400')
        .send(await shareCardPng()),
  )

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    { committee, station }: { committee: string; station?: string },
    query: { lang?: string; page?: string },
  ) => {
    const ctx = pageContext(request, reply)
    const pageNo = query.page === undefined ? 1 : /^[1-9][0-9]{0,2}$/.test(query.page) ? Number(query.page) : 0
    const model = station !== undefined && !UUID.test(station) ? undefined : await transparency.page(committee, station ?? null, pageNo, ctx.locale)
    if (!model) return sendHtml(reply, renderPage(TransparencyNotFound({ ctx })), 404)
    const path = `/p/${model.committee.shortCode}${model.station ? `/${model.station.id}` : ''}`
    const html = renderPage(TransparencyPage({ ctx, model, head: { url: `${origin}${path}`, image: `${origin}/p/share-card.png` } }))
    // Gzipped by the compress plugin. A ?lang= answer also sets the language cookie: never kept by shared caches.
    return reply
      .code(200)
      .type('text/html; charset=utf-8')
      .header('cache-control', `${query.lang ? 'private' : 'public'}, max-age=${PAGE_MAX_AGE}`)
      .header('vary', 'Accept-Encoding, Accept-Language, Cookie')
      .send(html)
  }
  const Query = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 16 })), page: Type.Optional(Type.String({ maxLength: 8 })) })
  const limits = { access: 'public' as const, html: 'always' as const, rateLimit: { max: perIpPerMinute, timeWindow: 60_000 } }
  app.get(
    '/p/:committee',
    {
      config: limits,
      schema: { hide: true, params: Type.Object({ committee: Type.String({ maxLength: 40 }) }), querystring: Query },
    },
    (request, reply) => page(request, reply, request.params, request.query),
  )
  app.get(
    '/p/:committee/:station',
    {
      config: limits,
      schema: { hide: true, params: Type.Object({ committee: Type.String({ maxLength: 40 }), station: Type.String({ maxLength: 64 }) }), querystring: Query },
    },
    (request, reply) => page(request, reply, request.params, request.query),
  )

  app.get(
    '/api/v1/cases/:id/publication',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['cases'],
        summary: 'Whether a case is shown on the public transparency page, and with what text',
        params: IdParams,
        response: { 200: PublicationView, ...problems(400, 404) },
      },
    },
    (request) => transparency.publication(actorOf(request), request.params.id),
  )

  app.put(
    '/api/v1/cases/:id/publication',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['cases'],
        summary: 'Allow or stop showing a resolved case on the public transparency page (default off); audit-logged; not a state change (the version stays)',
        description: 'The assignee and station or committee admins in scope. Switching on needs a resolved or closed case (409 CASE_NOT_RESOLVED).',
        params: IdParams,
        body: PublicationBody,
        response: { 200: PublicationView, ...problems(400, 404, 409) },
      },
    },
    (request) => transparency.setPublication(actorOf(request), request.params.id, request.body, request.ip),
  )
}

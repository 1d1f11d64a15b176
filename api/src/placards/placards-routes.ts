import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { PLACARD_LAYOUTS, PlacardsQuery, PublicUrlReach, type PlacardLayout } from '@mashangjian/shared'
import { actorOf, ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import { contentDisposition, type PlacardBatch } from './placard-model'
import { pageCount } from './placard-layouts'
import type { PlacardsService } from './placards-service'

/** Header values stay well under proxies' limits: past this many, only the count of skipped members is sent. */
const MAX_SKIPPED_IDS_IN_HEADER = 50

const description =
  'Give `stationId` (all its members) or `memberIds`; `subject=station` with `stationId` prints the ' +
  "station's own placard (its station code; 409 if it has none: issue one first). Members without an active QR code are skipped: " +
  'the HTML lists them, the PDF answer counts them in `x-placards-skipped` (ids in `x-placards-skipped-ids`); if none ' +
  'is left, 409. Out-of-scope stations and members are 404. Send the token as a Bearer header, or as `?access_token=` ' +
  'when a browser tab opens the URL.'

/** The same query with another extension or layout, for the preview's links (the token, if any, carried along). */
function sibling(request: FastifyRequest, ext: 'pdf' | 'html', layout?: PlacardLayout): string {
  const params = new URLSearchParams(request.url.split('?')[1] ?? '')
  if (layout) params.set('layout', layout)
  return `/api/v1/placards.${ext}?${params}`
}

function batchHeaders(batch: PlacardBatch): Record<string, string> {
  return {
    'cache-control': 'no-store',
    'x-placards-count': String(batch.placards.length),
    'x-placards-pages': String(pageCount(batch.layout, batch.placards.length)),
    'x-placards-skipped': String(batch.skipped.length),
    ...(batch.skipped.length > 0 &&
      batch.skipped.length <= MAX_SKIPPED_IDS_IN_HEADER && { 'x-placards-skipped-ids': batch.skipped.map((s) => s.memberId).join(',') }),
  }
}

export const placardsRoutes: FastifyPluginAsyncTypebox<{ placards: PlacardsService }> = async (app, { placards }) => {
  app.get(
    '/api/v1/placards/settings',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['placards'],
        summary: "The URL placards encode (PUBLIC_BASE_URL) and whether residents' phones can reach it",
        description:
          'Not reachable when it names this machine (localhost, 127.0.0.0/8, ::1) or a private network (10/8, 172.16/12, ' +
          '192.168/16, 169.254/16, fc00::/7, *.local): the console warns before placards are printed.',
        response: { 200: PublicUrlReach, ...problems(401, 403) },
      },
    },
    () => placards.settings(),
  )

  app.get(
    '/api/v1/placards.pdf',
    {
      config: { access: ADMINS, queryToken: true },
      schema: {
        tags: ['placards'],
        summary: 'QR placards as a vector PDF: A4 posters, A4 sheets of 8 cards, or A5 table tents',
        description,
        querystring: PlacardsQuery,
        produces: ['application/pdf'],
        security: [{ bearerAuth: [] }],
        response: { 200: Type.Unknown({ description: 'The PDF, streamed page by page (no Content-Length)' }), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request)
      const batch = await placards.print(actor, request.query, { format: 'pdf', ip: request.ip })
      return reply
        .headers(batchHeaders(batch))
        .header('content-disposition', contentDisposition(batch, 'pdf'))
        .type('application/pdf')
        .send(await placards.pdf(batch))
    },
  )

  app.get(
    '/api/v1/placards.html',
    {
      config: { access: ADMINS, queryToken: true },
      schema: {
        tags: ['placards'],
        summary: 'The same placards as a printable HTML page, with the count and the PDF link',
        description,
        querystring: PlacardsQuery,
        produces: ['text/html'],
        security: [{ bearerAuth: [] }],
        response: { 200: Type.String({ description: 'The preview page' }), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request)
      const batch = await placards.print(actor, request.query, { format: 'html', ip: request.ip })
      const layouts = Object.fromEntries(PLACARD_LAYOUTS.map((l) => [l, sibling(request, 'html', l)])) as Record<PlacardLayout, string>
      const html = await placards.html(batch, { pdf: sibling(request, 'pdf'), layouts })
      return reply.headers(batchHeaders(batch)).type('text/html; charset=utf-8').send(html)
    },
  )
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { IdParams, QrCodeView, QrImageParams, QrTarget } from '@mashangjian/shared'
import { actorOf, ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { QrService } from './qr-service'
import { qrPng, qrSvg } from './qr-image'

export const qrRoutes: FastifyPluginAsyncTypebox<{ qr: QrService }> = async (app, { qr }) => {
  app.get(
    '/api/v1/qr-codes',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['qr'],
        summary: 'QR codes of a member or station',
        querystring: QrTarget,
        response: { 200: Type.Array(QrCodeView), ...problems(400, 404) },
      },
    },
    (request) => qr.list(actorOf(request), request.query),
  )

  app.post(
    '/api/v1/qr-codes',
    {
      config: { access: ADMINS },
      schema: { tags: ['qr'], summary: 'Issue a new code for a member or station', body: QrTarget, response: { 201: QrCodeView, ...problems(400, 404) } },
    },
    async (request, reply) => reply.code(201).send(await qr.issue(actorOf(request), request.body)),
  )

  app.post(
    '/api/v1/qr-codes/:id/rotate',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['qr'],
        summary: 'Replace a code; the old one points to the new for 90 days',
        params: IdParams,
        response: { 201: QrCodeView, ...problems(400, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await qr.rotate(actorOf(request), request.params.id)),
  )

  app.post(
    '/api/v1/qr-codes/:id/revoke',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['qr'],
        summary: 'Stop a code; scanning it shows a friendly page pointing to the station',
        params: IdParams,
        response: { 200: QrCodeView, ...problems(400, 404) },
      },
    },
    (request) => qr.revoke(actorOf(request), request.params.id),
  )

  app.get(
    '/api/v1/qr/:file',
    {
      config: { access: 'public' },
      schema: {
        tags: ['qr'],
        summary: 'The QR image of a code: {code}.svg (vector, for print) or {code}.png',
        params: QrImageParams,
        produces: ['image/svg+xml', 'image/png'],
        response: { 200: Type.Unknown({ description: 'SVG or PNG image' }), ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const [code, ext] = request.params.file.split('.') as [string, 'svg' | 'png']
      const url = await qr.imageUrl(code)
      reply.header('cache-control', 'public, max-age=86400')
      return ext === 'svg' ? reply.type('image/svg+xml').send(await qrSvg(url)) : reply.type('image/png').send(await qrPng(url))
    },
  )
}

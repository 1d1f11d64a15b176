import type { FastifyReply } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { renderPage } from '../public/pages/layout'
import type { DepartmentAction, DepartmentLinkService, DepartmentView } from './department-link-service'
import { readPhotoForm } from '../attachments/photo-form'
import { DepartmentPage } from './pages/department-page'
import { ClosedLinkPage, ConflictPage, SentPage, UnknownLinkPage } from './pages/department-messages'

const SecretParams = Type.Object({ secret: Type.String({ maxLength: 100 }) })

/**
 * The secret is in the URL: keep it out of Referer headers, search engines and every cache (a shared office
 * computer's back button must not show the case after the hand-off closed).
 */
const secretPage = (reply: FastifyReply) => reply.header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex').header('cache-control', 'no-store')

function sendPage(reply: FastifyReply, page: preact.VNode, status: number) {
  return secretPage(reply).code(status).type('text/html; charset=utf-8').send(renderPage(page))
}

function viewPage(view: Exclude<DepartmentView, { kind: 'open' }>): [preact.VNode, number] {
  switch (view.kind) {
    case 'unknown':
      return [UnknownLinkPage(), 404]
    case 'closed':
      return [ClosedLinkPage({ reason: view.reason }), 410]
    case 'sent':
      return [SentPage({ recap: view.recap }), 200]
  }
}

const DONE = { acknowledge: 'acknowledged', answer: 'answered', return: 'returned' } as const

/**
 * 交办 seen by the department (issue 14): no account, only the hand-off's secret link. Server-rendered pages that
 * work without JavaScript; each form posts back and is answered 303 to the page (PRG), or the page again with
 * the problem next to its field. Never problem+json: whoever holds the link is a person with a browser.
 */
export const departmentRoutes: FastifyPluginAsyncTypebox<{ links: DepartmentLinkService; perIpPerMinute: number }> = async (app, { links, perIpPerMinute }) => {
  app.get(
    '/d/:secret',
    {
      config: { access: 'public', html: 'always', rateLimit: { max: perIpPerMinute, timeWindow: 60_000 } },
      schema: { hide: true, params: SecretParams, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) },
    },
    async (request, reply) => {
      const { done } = request.query
      const view = await links.view(request.params.secret, request.ip, done === 'answered' || done === 'returned')
      if (view.kind !== 'open') return sendPage(reply, ...viewPage(view))
      return sendPage(
        reply,
        DepartmentPage({ model: view.model, secret: request.params.secret, notice: done === 'acknowledged' ? 'acknowledged' : undefined }),
        200,
      )
    },
  )

  for (const action of ['acknowledge', 'answer', 'return'] as const satisfies DepartmentAction[]) {
    app.post(
      `/d/:secret/${action}`,
      {
        // Multipart (answer with photos) or urlencoded; read by readPhotoForm, so no body schema here.
        // The same per-address allowance as the page: a whole government office may share one address.
        config: { access: 'public', html: 'always', rateLimit: { max: perIpPerMinute, timeWindow: 60_000 } },
        schema: { hide: true, params: SecretParams },
      },
      async (request, reply) => {
        const { secret } = request.params
        const form = await readPhotoForm(request)
        const outcome = await links.act(secret, action, form, request.ip)
        switch (outcome.kind) {
          case 'unknown':
            return sendPage(reply, UnknownLinkPage(), 404)
          case 'closed':
            return sendPage(reply, ClosedLinkPage({ reason: outcome.reason }), 410)
          case 'conflict':
            return sendPage(reply, ConflictPage({ status: outcome.status, secret }), 409)
          case 'invalid':
            return sendPage(
              reply,
              DepartmentPage({
                model: outcome.model,
                secret,
                issues: outcome.issues,
                values: outcome.values,
                photosDropped: form.photos.length > 0,
              }),
              400,
            )
          case 'done':
            return secretPage(reply).code(303).header('location', `/d/${secret}?done=${DONE[action]}`).send()
        }
      },
    )
  }

  app.get(
    '/d/:secret/photos/:attachmentId',
    {
      config: { access: 'public', html: 'always', rateLimit: { max: perIpPerMinute, timeWindow: 60_000 } },
      schema: { hide: true, params: Type.Object({ secret: Type.String({ maxLength: 100 }), attachmentId: Type.String({ maxLength: 40 }) }) },
    },
    async (request, reply) => {
      const photo = await links.photo(request.params.secret, request.params.attachmentId)
      if (!photo) return sendPage(reply, UnknownLinkPage(), 404)
      return secretPage(reply).type(photo.mime).send(photo.data)
    },
  )
}

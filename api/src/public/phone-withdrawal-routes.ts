import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { problems } from '../errors/problem-responses'
import { AppError } from '../errors/app-error'
import type { PhoneWithdrawalService } from '../privacy/phone-withdrawal-service'
import { pageContext, sendHtml } from './html-reply'
import { renderPage } from './pages/layout'
import { TrackingNotFoundPage } from './pages/tracking-page'
import { PhoneWithdrawConfirmPage } from './pages/phone-withdrawal-page'

const SecretParams = Type.Object({ secret: Type.String({ maxLength: 100 }) })
const Lang = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 16 })) })

/** As on the tracking page: the secret stays out of Referer headers and search engines. */
const secretHeaders = (reply: FastifyReply) => reply.header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex')

/**
 * 删除我的手机号 (issue 19): the confirm page and its form post under the tracking link, and the same for scripts
 * under /api/v1/public/tracking/:secret/phone. The form carries `confirm=yes`; a post without it only shows the
 * confirm page again, so a stray request removes nothing.
 */
export const phoneWithdrawalRoutes: FastifyPluginAsyncTypebox<{ withdrawal: PhoneWithdrawalService }> = async (app, { withdrawal }) => {
  const limit = { max: 20, timeWindow: 60_000 }

  async function orNotFound(request: FastifyRequest, reply: FastifyReply, render: () => Promise<FastifyReply>): Promise<FastifyReply> {
    try {
      return await render()
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'NOT_FOUND') throw err
      return sendHtml(secretHeaders(reply), renderPage(TrackingNotFoundPage({ ctx: pageContext(request, reply) })), 404)
    }
  }

  const back = (secret: string, lang: string | undefined, notice: string) => `/t/${secret}?${notice}${lang ? `&lang=${encodeURIComponent(lang)}` : ''}`

  app.get(
    '/t/:secret/phone',
    { config: { access: 'public', html: 'always', rateLimit: limit }, schema: { hide: true, params: SecretParams, querystring: Lang } },
    (request, reply) =>
      orNotFound(request, reply, async () => {
        const { secret } = request.params
        // Nothing left to remove: straight back to the page, which says so.
        if ((await withdrawal.phoneOf(secret)) !== 'on_file')
          return secretHeaders(reply)
            .code(303)
            .header('location', back(secret, request.query.lang, 'phone=1'))
            .send()
        return sendHtml(secretHeaders(reply), renderPage(PhoneWithdrawConfirmPage({ ctx: pageContext(request, reply), secret })))
      }),
  )

  app.post(
    '/t/:secret/phone',
    {
      config: { access: 'public', html: 'always', rateLimit: limit },
      schema: { hide: true, params: SecretParams, querystring: Lang, body: Type.Object({ confirm: Type.Optional(Type.String({ maxLength: 8 })) }) },
    },
    (request, reply) =>
      orNotFound(request, reply, async () => {
        const { secret } = request.params
        if (request.body.confirm !== 'yes')
          return sendHtml(secretHeaders(reply), renderPage(PhoneWithdrawConfirmPage({ ctx: pageContext(request, reply), secret })), 400)
        await withdrawal.withdraw(secret, request.ip)
        return secretHeaders(reply)
          .code(303)
          .header('location', back(secret, request.query.lang, 'phoneRemoved=1'))
          .send()
      }),
  )

  app.post(
    '/api/v1/public/tracking/:secret/phone/withdraw',
    {
      config: { access: 'public', rateLimit: limit },
      schema: {
        tags: ['public'],
        summary: "Withdraw consent for the link holder's phone: removed from the case (and the case's follower rows with the same number)",
        description: 'Idempotent: `already` when it was removed before, `no_phone` when none was left.',
        params: SecretParams,
        body: Type.Object({ confirm: Type.Literal(true) }, { additionalProperties: false }),
        response: { 200: Type.Object({ status: Type.Enum(['withdrawn', 'already', 'no_phone']) }), ...problems(400, 404, 429) },
      },
    },
    (request) => withdrawal.withdraw(request.params.secret, request.ip),
  )
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { translator } from '@mashangjian/shared'
import { problems } from '../errors/problem-responses'
import { AppError, validationFailed } from '../errors/app-error'
import { pageContext, sendHtml } from './html-reply'
import { renderPage } from './pages/layout'
import { RecoveryPage, RecoverySentPage, RecoveryThrottledPage } from './pages/recovery-page'
import type { RecoveryService } from './recovery-service'

const Lang = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 16 })) })
// Generous bounds: the service says what is wrong with a field, next to it; these only cap what is read at all.
const Fields = {
  publicNo: Type.Optional(Type.String({ maxLength: 2000, description: 'Public number, e.g. DEMO-2026-000012 (case-insensitive)' })),
  phone: Type.Optional(Type.String({ maxLength: 2000, description: 'The mobile number given with the request' })),
}

/**
 * 找回我的诉求 (issue 16): `/t` asks for the public number and the phone; the answer is the same whether or not
 * they matched. Form posts get pages (no JavaScript needed), scripts JSON.
 */
export const recoveryRoutes: FastifyPluginAsyncTypebox<{ recovery: RecoveryService; perIpPerMinute: number }> = async (app, { recovery, perIpPerMinute }) => {
  const rateLimit = { max: perIpPerMinute, timeWindow: 60_000 }

  app.get(
    '/t',
    {
      config: { access: 'public', html: 'always', rateLimit },
      schema: { hide: true, querystring: Lang },
    },
    async (request, reply) => sendHtml(reply, renderPage(RecoveryPage({ ctx: pageContext(request, reply) }))),
  )

  app.post(
    '/t/recover',
    {
      config: { access: 'public', html: 'always', rateLimit },
      schema: { hide: true, querystring: Lang, body: Type.Object(Fields) },
    },
    async (request, reply) => {
      const ctx = pageContext(request, reply)
      // The secret-free answer page must not be cached or indexed either; it says nothing about the case.
      reply.header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex')
      try {
        const outcome = await recovery.recover({ ...request.body, ip: request.ip })
        if (outcome.kind === 'invalid') return sendHtml(reply, renderPage(RecoveryPage({ ctx, values: request.body, issues: outcome.issues })), 400)
        return sendHtml(reply, renderPage(RecoverySentPage({ ctx })))
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'RECOVERY_THROTTLED') throw err
        const seconds = err.extra.retryAfterSeconds ?? 3600
        return sendHtml(reply.header('retry-after', String(seconds)), renderPage(RecoveryThrottledPage({ ctx, retryAfterSeconds: seconds })), 429)
      }
    },
  )

  app.post(
    '/api/v1/public/recovery',
    {
      config: { access: 'public', rateLimit },
      schema: {
        tags: ['public'],
        summary: '找回我的诉求: text a new tracking link to the phone given with the request',
        description:
          'Always the same 202 answer, whether or not the number and phone matched (no enumeration). At most 10 tries an hour per address (429 RECOVERY_THROTTLED); past 5 a day for one number or one phone nothing more is sent, with the same answer. The old link keeps working.',
        querystring: Lang,
        body: Type.Object(Fields, { additionalProperties: false }),
        response: { 202: Type.Object({ status: Type.Literal('accepted'), message: Type.String() }), ...problems(400, 429) },
      },
    },
    async (request, reply) => {
      const ctx = pageContext(request, reply)
      const outcome = await recovery.recover({ ...request.body, ip: request.ip })
      if (outcome.kind === 'invalid') {
        const t = translator(ctx.locale)
        throw validationFailed(outcome.issues.map((i) => ({ field: `body.${i.field}`, message: t(i.key, i.values), keyword: i.key })))
      }
      return reply.code(202).send({ status: 'accepted' as const, message: ctx.t('recover.sent.body') })
    },
  )
}

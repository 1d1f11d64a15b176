import type { FastifyReply, FastifyRequest } from 'fastify'
import { negotiate } from '@fastify/accept-negotiator'
import { translator, type Problem } from '@mashangjian/shared'
import { MessagePage, renderPage, type PageContext } from './pages/layout'
import { pickLocale } from './locale'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Resident pages: 'always' answers HTML; 'negotiate' answers HTML to browsers' form posts, JSON to scripts. */
    html?: 'always' | 'negotiate'
  }
}

export function wantsHtml(request: FastifyRequest): boolean {
  const mode = request.routeOptions.config?.html
  if (mode === 'always') return true
  if (mode !== 'negotiate') return false
  return negotiate(request.headers.accept ?? '', ['application/json', 'text/html']) === 'text/html'
}

export function pageContext(request: FastifyRequest, reply: FastifyReply): PageContext {
  const locale = pickLocale(request, reply)
  return { locale, t: translator(locale), path: request.url.split('?')[0]! }
}

/** HTML for people: never cached by WeChat's browser without revalidation, varies by language. */
export function sendHtml(reply: FastifyReply, html: string | Buffer, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-cache')
    .header('vary', 'Accept-Encoding, Accept-Language, Cookie')
    .type('text/html; charset=utf-8')
    .send(html)
}

export const acceptsGzip = (request: FastifyRequest) => /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))

/** The friendly page a resident sees instead of problem+json when something goes wrong. */
export function problemPage(problem: Problem, request: FastifyRequest, reply: FastifyReply): string {
  const ctx = pageContext(request, reply)
  const { t } = ctx
  const home = { href: '/', text: t('app.name') }
  switch (problem.code) {
    case 'RATE_LIMITED':
      return renderPage(
        MessagePage({
          ctx,
          title: t('rateLimited.title'),
          body: t('rateLimited.body', { minutes: Math.max(1, Math.ceil((problem.retryAfterSeconds ?? 60) / 60)) }),
        }),
      )
    case 'NOT_FOUND':
    case 'ROUTE_NOT_FOUND':
      return renderPage(MessagePage({ ctx, title: t('notFound.title'), body: t('notFound.body') }))
    case 'PAYLOAD_TOO_LARGE':
      return renderPage(MessagePage({ ctx, title: t('error.rejected'), body: t('error.tooLarge'), link: home }))
    default:
      return renderPage(MessagePage({ ctx, title: t('error.rejected'), body: `${problem.title} (${problem.reqId})` }))
  }
}

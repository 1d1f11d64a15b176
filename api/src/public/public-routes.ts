import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { isLocale, translator } from '@mashangjian/shared'
import { normalizeQrCode } from '../qr/qr-codes'
import { problems } from '../errors/problem-responses'
import { AppError, validationFailed } from '../errors/app-error'
import type { PublicCasesService } from './public-cases-service'
import type { ScanModel, ScanService } from './scan-service'
import { parseSubmission } from './submission-parser'
import { acceptsGzip, pageContext, sendHtml, wantsHtml } from './html-reply'
import { MessagePage, renderPage, type PageContext } from './pages/layout'
import { ScanPage } from './pages/scan-page'
import { PublicSubmissionResult } from './public-schemas'
import { ensureSubmitCookie, idempotencyValue, rotateSubmitCookie } from './submission-keys'

export interface PublicLimits {
  scanPerIpPerMinute: number
  submitPerIpPerHour: number
  submitPerCodePerHour: number
}

/** The page a scanned code shows: the form, or a friendly pointer when the code is old or unknown. */
function renderScanModel(ctx: PageContext, model: ScanModel): string {
  const { t } = ctx
  switch (model.kind) {
    case 'member':
    case 'station':
      return renderPage(ScanPage({ ctx, model }))
    case 'rotated':
      return renderPage(
        MessagePage({
          ctx,
          title: t('rotated.title'),
          body: t('rotated.body', { name: model.holderName }),
          link: { href: `/q/${model.successorCode}`, text: t('rotated.link', { name: model.holderName }) },
        }),
      )
    case 'revoked':
      return renderPage(
        MessagePage({
          ctx,
          title: t('revoked.title'),
          body: model.station ? t('revoked.body', { station: model.station.name, address: model.station.address }) : t('notFound.body'),
          link:
            model.station && model.stationCode
              ? { href: `/q/${model.stationCode}`, text: t('revoked.stationLink', { station: model.station.name }) }
              : undefined,
        }),
      )
    default:
      return renderPage(MessagePage({ ctx, title: t('notFound.title'), body: t('notFound.body') }))
  }
}

/** `If-None-Match` names this tag (a list, weak or strong, or `*`). */
const ifNoneMatch = (header: string | undefined, etag: string) =>
  header !== undefined && header.split(',').some((t) => ['*', etag, etag.slice(2)].includes(t.trim()))

const Lang = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 16 })) })

/**
 * The resident's side (DESIGN.md §7): scan page and submission (tracking and rating: tracking-routes.ts). Pages are server-rendered and
 * work without JavaScript; the same endpoints answer JSON to scripts.
 */
export const publicRoutes: FastifyPluginAsyncTypebox<{ scan: ScanService; submissions: PublicCasesService; limits: PublicLimits }> = async (
  app,
  { scan, submissions, limits },
) => {
  app.get(
    '/q/:code',
    {
      config: { access: 'public', html: 'always', rateLimit: { max: limits.scanPerIpPerMinute, timeWindow: 60_000 } },
      // The page carries its own gzip, made once per cache entry: the compress plugin's hooks would only look and skip.
      compress: false,
      schema: { hide: true, params: Type.Object({ code: Type.String({ maxLength: 40 }) }), querystring: Lang },
    },
    async (request, reply) => {
      const ctx = pageContext(request, reply)
      // The page is cached per code and cannot carry a per-visit field: the idempotency value rides in a cookie.
      ensureSubmitCookie(request, reply)
      const { model, html, gzip, etag } = await scan.page(request.params.code, ctx.locale, (m) => renderScanModel(ctx, m))
      const status = model.kind === 'unknown' ? 404 : model.kind === 'revoked' ? 410 : 200
      if (status === 200) {
        reply.header('etag', etag)
        // The page changes with the code's holder, the day's reception and the language: all in the tag.
        if (ifNoneMatch(request.headers['if-none-match'], etag)) return sendHtml(reply, '', 304)
      }
      // Compressed once with the cached page, not per request (the compress plugin skips encoded bodies).
      if (acceptsGzip(request)) return sendHtml(reply.header('content-encoding', 'gzip'), gzip, status)
      return sendHtml(reply, html, status)
    },
  )

  /** The form of an active code, for a page that answers a post. */
  async function formModel(code: string) {
    const model = await scan.resolve(code)
    if (model.kind !== 'member' && model.kind !== 'station') throw new AppError('NOT_FOUND')
    return model
  }

  // createRateLimit, not rateLimit(): the plugin runs only the first limiter of a request (the per-IP one above),
  // so a second rateLimit() preHandler never counted.
  const codeCounter = app.createRateLimit({
    max: limits.submitPerCodePerHour,
    timeWindow: 3_600_000,
    keyGenerator: (request) =>
      `code:${String((request.query as { code?: string }).code ?? (request.body as { code?: string } | undefined)?.code ?? '').toUpperCase()}`,
  })
  const perCode = async (request: FastifyRequest) => {
    const r = await codeCounter(request)
    if (!r.isAllowed && r.isExceeded)
      throw new AppError('RATE_LIMITED', 'Too many submissions for this code; try again later.', { retryAfterSeconds: Math.max(1, r.ttlInSeconds) })
  }
  app.post(
    '/api/v1/public/cases',
    {
      config: { access: 'public', html: 'negotiate', rateLimit: { max: limits.submitPerIpPerHour, timeWindow: 3_600_000 } },
      preHandler: perCode,
      schema: {
        tags: ['public'],
        summary: 'Submit a request from a scanned code (plain form post, multipart or JSON)',
        description:
          'Fields: code, description (5–2000), location, lat/lng/accuracy (optional: −90…90, −180…180, metres ≥ 0), phone (+ consent), categoryId, memberId (station codes), photo1–3 (multipart), keptPhoto1–3 (photos kept from a form shown again), confirmNew, joinCase, seenDuplicate (the public number of a duplicate hint already shown: a plain resend then creates). Browsers posting the form get HTML (303 to the tracking page); scripts get JSON.',
        querystring: Type.Object({ code: Type.Optional(Type.String({ maxLength: 40 })), lang: Type.Optional(Type.String({ maxLength: 16 })) }),
        response: {
          201: PublicSubmissionResult,
          200: PublicSubmissionResult,
          303: Type.Null({ description: 'Form posts: to the tracking page' }),
          ...problems(400, 404, 409, 413, 415, 429),
        },
      },
    },
    async (request, reply) => {
      const parsed = await parseSubmission(request)
      const code = parsed.raw.code ?? request.query.code ?? ''
      const html = wantsHtml(request)
      const ctx = pageContext(request, reply)
      // A language switch on a form shown again (it re-posts the form, see layout.tsx): the same form in the
      // chosen language with everything kept; nothing validated, nothing created.
      if (html && parsed.raw.relang) {
        const keptPhotos = await submissions.keepForRelang(code, parsed.raw, parsed.photos)
        const model = await formModel(code)
        return sendHtml(reply, renderPage(ScanPage({ ctx, model, values: parsed.raw, keptPhotos, reposted: true })))
      }
      const outcome = await submissions.submit({
        code,
        raw: parsed.raw,
        photos: parsed.photos,
        parseIssues: parsed.issues,
        locale: ctx.locale,
        ip: request.ip,
        idempotency: idempotencyValue(request),
      })

      if (outcome.kind === 'created' || outcome.kind === 'joined') {
        // Stored: this browser's next submission is a new one, not a retry of this.
        rotateSubmitCookie(reply)
        const trackingUrl = `/t/${outcome.trackingSecret}`
        if (html)
          return reply
            .code(303)
            .header('location', `${trackingUrl}?${outcome.kind === 'created' ? 'new' : 'joined'}=1`)
            .send(null)
        return reply.code(201).send({ status: outcome.kind, publicNo: outcome.publicNo, trackingUrl, trackingSecret: outcome.trackingSecret })
      }
      if (!html) {
        if (outcome.kind === 'duplicate') {
          const { similar } = outcome
          return reply.code(200).send({
            status: 'duplicate',
            publicNo: similar.publicNo,
            excerpt: similar.excerpt,
            categoryNames: similar.categoryNames,
            createdAt: similar.createdAt.toISOString(),
          })
        }
        const t = translator(ctx.locale)
        throw validationFailed(outcome.issues.map((i) => ({ field: `body.${i.field}`, message: t(i.key, i.values), keyword: i.key })))
      }
      // The form again, with what the resident typed, each problem next to its field, and the photos kept.
      const model = await formModel(code)
      const page =
        outcome.kind === 'duplicate'
          ? ScanPage({ ctx, model, values: parsed.raw, duplicate: outcome.similar, keptPhotos: outcome.keptPhotos, reposted: true })
          : ScanPage({ ctx, model, values: parsed.raw, issues: outcome.issues, keptPhotos: outcome.keptPhotos, reposted: true })
      return sendHtml(reply, renderPage(page), outcome.kind === 'duplicate' ? 200 : 400)
    },
  )

  // Browsers land here only by mistake (an old language link, a reload after a post): back to the code's scan
  // page, keeping the language; without a known code, the friendly not-found page (HTML to browsers).
  app.get(
    '/api/v1/public/cases',
    {
      config: { access: 'public', html: 'negotiate', rateLimit: { max: limits.scanPerIpPerMinute, timeWindow: 60_000 } },
      schema: {
        hide: true,
        querystring: Type.Object({ code: Type.Optional(Type.String({ maxLength: 40 })), lang: Type.Optional(Type.String({ maxLength: 16 })) }),
      },
    },
    async (request, reply) => {
      const { code, lang } = request.query
      const model = code ? await scan.resolve(code) : undefined
      if (!model || model.kind === 'unknown') throw new AppError('NOT_FOUND', 'Submissions are posted here; scan a code to open its form.')
      const query = lang && isLocale(lang) ? `?lang=${lang}` : ''
      return reply
        .code(303)
        .header('location', `/q/${encodeURIComponent(normalizeQrCode(code!))}${query}`)
        .send(null)
    },
  )

  // The tracking page and its actions (/t/*, /api/v1/public/tracking/*): tracking-routes.ts.
}

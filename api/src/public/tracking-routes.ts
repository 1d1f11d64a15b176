import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { RATINGS, translator, type Rating } from '@mashangjian/shared'
import { problems } from '../errors/problem-responses'
import { AppError, validationFailed } from '../errors/app-error'
import { readPhotoForm } from '../attachments/photo-form'
import type { TrackingModel, TrackingService } from './tracking-service'
import type { TrackingFollowUp } from './tracking-followup-service'
import { MAX_PHOTO_WIDTH, PHOTO_WIDTHS, type TrackingPhotos } from './tracking-photos'
import { pageContext, sendHtml } from './html-reply'
import { renderPage } from './pages/layout'
import {
  COPY_SCRIPT,
  COPY_SCRIPT_PATH,
  FollowUpRefusedPage,
  TrackingNotFoundPage,
  TrackingPage,
  photoAlt,
  photoUrl,
  type TrackingNotice,
} from './pages/tracking-page'
import { TrackingView } from './public-schemas'
import type { PhoneWithdrawalService } from '../privacy/phone-withdrawal-service'

export interface TrackingRouteOptions {
  tracking: TrackingService
  followUp: TrackingFollowUp
  photos: TrackingPhotos
  /** PUBLIC_BASE_URL: the confirmation shows the link in full (WeChat hides the address bar). */
  publicBaseUrl: string
  /** Page views per address per minute (the scan page's allowance). */
  perIpPerMinute: number
  /** Follow-ups per hour: per address (as many as submissions), and per link (one link cannot flood its member). */
  followUps: { perIpPerHour: number; perLinkPerHour: number }
  /** issue 19: the holder's own phone, shown with the way to remove it (phone-withdrawal-routes.ts). */
  withdrawal?: PhoneWithdrawalService
}

const SecretParams = Type.Object({ secret: Type.String({ maxLength: 100 }) })
const Lang = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 16 })) })

const TrackingViewWithPhotos = Type.Object({
  ...TrackingView.properties,
  canAddInfo: Type.Boolean(),
  photos: Type.Array(Type.Object({ id: Type.String(), by: Type.Enum(['resident', 'member']), alt: Type.String(), url: Type.String() })),
})

const FollowUpResult = Type.Object({ status: Type.Literal('added'), photos: Type.Integer() })

/** The secret is in the URL: keep it out of Referer headers, search engines and shared caches. */
const secretHeaders = (reply: FastifyReply) => reply.header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex')

const langSuffix = (lang: string | undefined) => (lang ? `&lang=${encodeURIComponent(lang)}` : '')

/**
 * The resident's side after submitting (DESIGN.md §7, issue 16): the tracking page behind the secret link, the
 * rating, the follow-up (补充情况) with photos, and the photos themselves, downscaled. Pages work without
 * JavaScript; the same actions answer JSON under /api/v1/public/tracking/*.
 */
export const trackingRoutes: FastifyPluginAsyncTypebox<TrackingRouteOptions> = async (app, opts) => {
  const { tracking, followUp, photos, publicBaseUrl, perIpPerMinute, followUps, withdrawal } = opts
  const pageLimit = { max: perIpPerMinute, timeWindow: 60_000 }

  /** A link that opens nothing gets the tracking page's own "not found" (with the way to recover), not the scan page's. */
  async function orNotFound(request: FastifyRequest, reply: FastifyReply, render: () => Promise<FastifyReply>): Promise<FastifyReply> {
    try {
      return await render()
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'NOT_FOUND') throw err
      return sendHtml(secretHeaders(reply), renderPage(TrackingNotFoundPage({ ctx: pageContext(request, reply) })), 404)
    }
  }

  /** JSON readers get the alt text the page shows, in their language (?lang=, cookie, Accept-Language). */
  const trackingJson = (request: FastifyRequest, reply: FastifyReply, secret: string, m: TrackingModel) => ({
    ...m,
    expectedBy: m.expectedBy?.toISOString() ?? null,
    events: m.events.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
    mergedIntoPublicNo: m.mergedInto?.publicNo ?? null,
    photos: m.photos.map((p) => ({
      id: p.id,
      by: p.by,
      alt: photoAlt(pageContext(request, reply).t, m.photos, p),
      url: photoUrl(secret, p.id, MAX_PHOTO_WIDTH),
    })),
  })

  app.get(COPY_SCRIPT_PATH, { config: { access: 'public' }, schema: { hide: true } }, (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(COPY_SCRIPT),
  )

  app.get(
    '/t/:secret',
    {
      config: { access: 'public', html: 'always', rateLimit: pageLimit },
      schema: {
        hide: true,
        params: SecretParams,
        querystring: Type.Object({
          lang: Type.Optional(Type.String()),
          new: Type.Optional(Type.String()),
          joined: Type.Optional(Type.String()),
          rated: Type.Optional(Type.String()),
          missing: Type.Optional(Type.String()),
          added: Type.Optional(Type.String()),
          phoneRemoved: Type.Optional(Type.String()),
          phone: Type.Optional(Type.String()),
          erased: Type.Optional(Type.String()),
        }),
      },
    },
    (request, reply) =>
      orNotFound(request, reply, async () => {
        const ctx = pageContext(request, reply)
        const q = request.query
        const notice: TrackingNotice | undefined = q.new
          ? 'created'
          : q.joined
            ? 'joined'
            : q.rated
              ? 'rated'
              : q.missing
                ? 'rate-missing'
                : q.added
                  ? 'added'
                  : q.phoneRemoved
                    ? 'phone-removed'
                    : q.erased
                      ? 'erased'
                      : undefined
        const { secret } = request.params
        const model = await tracking.view(secret)
        const phone = withdrawal ? await withdrawal.phoneOf(secret) : undefined
        const trackingUrl = notice === 'created' || notice === 'joined' ? `${publicBaseUrl}/t/${secret}` : undefined
        return sendHtml(secretHeaders(reply), renderPage(TrackingPage({ ctx, model, secret, notice, trackingUrl, phone })))
      }),
  )

  // 并单: a merged request's own link leads on to the progress of the request it went into.
  app.get(
    '/t/:secret/merged',
    {
      config: { access: 'public', html: 'always', rateLimit: pageLimit },
      schema: { hide: true, params: SecretParams, querystring: Lang },
    },
    (request, reply) =>
      orNotFound(request, reply, async () => {
        const ctx = pageContext(request, reply)
        const model = await tracking.viewMerged(request.params.secret)
        return sendHtml(secretHeaders(reply), renderPage(TrackingPage({ ctx, model, secret: request.params.secret })))
      }),
  )

  app.post(
    '/t/:secret/rating',
    {
      config: { access: 'public', html: 'always', rateLimit: { max: 20, timeWindow: 60_000 } },
      schema: {
        hide: true,
        params: SecretParams,
        querystring: Lang,
        body: Type.Object({ rating: Type.Optional(Type.String()), comment: Type.Optional(Type.String({ maxLength: 500 })) }),
      },
    },
    (request, reply) =>
      orNotFound(request, reply, async () => {
        const lang = langSuffix(request.query.lang)
        const rating = request.body.rating
        if (!RATINGS.includes(rating as Rating)) return reply.code(303).header('location', `/t/${request.params.secret}?missing=1${lang}`).send()
        await tracking.rate(request.params.secret, rating as Rating, request.body.comment?.trim() || null, request.ip)
        return reply.code(303).header('location', `/t/${request.params.secret}?rated=1${lang}`).send()
      }),
  )

  // Follow-ups are counted per address (the route's limit) and per link: one link cannot flood its member from
  // many addresses. createRateLimit, not rateLimit(): the plugin runs only the first limiter of a request.
  const linkCounter = app.createRateLimit({
    max: followUps.perLinkPerHour,
    timeWindow: 3_600_000,
    keyGenerator: (request) => `followup:${(request.params as { secret?: string }).secret ?? ''}`,
  })
  const perLink = async (request: FastifyRequest) => {
    const r = await linkCounter(request)
    if (!r.isAllowed && r.isExceeded)
      throw new AppError('RATE_LIMITED', 'Too many follow-ups on this request; try again later.', { retryAfterSeconds: Math.max(1, r.ttlInSeconds) })
  }
  const followUpLimit = { max: followUps.perIpPerHour, timeWindow: 3_600_000 }

  app.post(
    '/t/:secret/info',
    {
      // Multipart (with photos) or urlencoded; read by readPhotoForm, so no body schema here.
      config: { access: 'public', html: 'always', rateLimit: followUpLimit },
      preHandler: perLink,
      schema: { hide: true, params: SecretParams, querystring: Lang },
    },
    (request, reply) =>
      orNotFound(request, reply, async () => {
        const { secret } = request.params
        const ctx = pageContext(request, reply)
        const form = await readPhotoForm(request)
        const outcome = await followUp.add(secret, form, request.ip)
        secretHeaders(reply)
        switch (outcome.kind) {
          case 'added':
            return reply
              .code(303)
              .header('location', `/t/${secret}?added=1${langSuffix(request.query.lang)}`)
              .send()
          case 'closed':
          case 'not_owner':
            return sendHtml(reply, renderPage(FollowUpRefusedPage({ ctx, secret, reason: outcome.kind })), outcome.kind === 'closed' ? 409 : 403)
          case 'invalid': {
            const model = await tracking.view(secret)
            return sendHtml(reply, renderPage(TrackingPage({ ctx, model, secret, followUp: { issues: outcome.issues, text: outcome.text } })), 400)
          }
        }
      }),
  )

  app.get(
    '/t/:secret/photos/:attachmentId',
    {
      config: { access: 'public', html: 'always', rateLimit: { max: perIpPerMinute * 4, timeWindow: 60_000 } },
      schema: {
        hide: true,
        params: Type.Object({ secret: Type.String({ maxLength: 100 }), attachmentId: Type.String({ maxLength: 40 }) }),
        querystring: Type.Object({ w: Type.Optional(Type.Integer({ minimum: 1, maximum: 4000 })) }),
      },
    },
    (request, reply) =>
      orNotFound(request, reply, async () => {
        const { row, role } = await tracking.find(request.params.secret)
        const data = await photos.downscaled(row.id, role === 'owner', request.params.attachmentId, request.query.w ?? PHOTO_WIDTHS[0])
        if (!data) throw new AppError('NOT_FOUND', 'No such photo on this request.')
        // Residents' data: the phone may keep it, shared caches may not; the link's page never changes a stored photo.
        return secretHeaders(reply).type('image/jpeg').header('cache-control', 'private, max-age=86400').send(data)
      }),
  )

  app.get(
    '/api/v1/public/tracking/:secret',
    {
      config: { access: 'public', rateLimit: pageLimit },
      schema: {
        tags: ['public'],
        summary: 'A request seen through its tracking secret (public timeline only)',
        params: SecretParams,
        response: { 200: TrackingViewWithPhotos, ...problems(404, 429) },
      },
    },
    async (request, reply) => trackingJson(request, reply, request.params.secret, await tracking.view(request.params.secret)),
  )

  app.get(
    '/api/v1/public/tracking/:secret/merged',
    {
      config: { access: 'public', rateLimit: pageLimit },
      schema: {
        tags: ['public'],
        summary: 'A merged request seen through its own tracking secret: the progress of the request it went into',
        params: SecretParams,
        response: { 200: TrackingViewWithPhotos, ...problems(404, 429) },
      },
    },
    async (request, reply) => trackingJson(request, reply, request.params.secret, await tracking.viewMerged(request.params.secret)),
  )

  app.post(
    '/api/v1/public/tracking/:secret/rating',
    {
      config: { access: 'public', rateLimit: { max: 20, timeWindow: 60_000 } },
      schema: {
        tags: ['public'],
        summary: 'Rate a resolved request; "unsatisfied" reopens it once',
        params: SecretParams,
        body: Type.Object({ rating: Type.Enum(RATINGS), comment: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ status: Type.String() }), ...problems(400, 404, 409, 429) },
      },
    },
    (request) => tracking.rate(request.params.secret, request.body.rating, request.body.comment?.trim() || null, request.ip),
  )

  app.post(
    '/api/v1/public/tracking/:secret/info',
    {
      config: { access: 'public', rateLimit: followUpLimit },
      preHandler: perLink,
      schema: {
        tags: ['public'],
        summary: 'The submitter adds information and up to 3 photos to their open request (multipart: text, photo1–3; or JSON {text})',
        description: "Only the submitter's link adds (403 for a follower's); an ended request answers 409 and stores nothing.",
        params: SecretParams,
        querystring: Lang,
        consumes: ['multipart/form-data', 'application/json', 'application/x-www-form-urlencoded'],
        response: { 201: FollowUpResult, ...problems(400, 403, 404, 409, 413, 429) },
      },
    },
    async (request, reply) => {
      const form = await readPhotoForm(request)
      const outcome = await followUp.add(request.params.secret, form, request.ip)
      switch (outcome.kind) {
        case 'added':
          return reply.code(201).send({ status: 'added', photos: outcome.photos })
        case 'closed':
          throw new AppError('CONFLICT', 'This request has ended; nothing can be added.')
        case 'not_owner':
          throw new AppError('FORBIDDEN', "Only the submitter's link can add information.")
        case 'invalid': {
          const t = translator(pageContext(request, reply).locale)
          throw validationFailed(outcome.issues.map((i) => ({ field: `body.${i.field}`, message: t(i.key, i.values), keyword: i.key })))
        }
      }
    },
  )
}

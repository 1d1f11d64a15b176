import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyError, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { isLocale, type Locale } from '@mashangjian/shared'
import { sha256 } from '../auth/tokens'
import { AppError } from '../errors/app-error'
import { drainRequest } from '../errors/drain-request'
import { localeFromAcceptLanguage } from '../public/locale'
import { formatOf, Open311Error, sendOpen311, sendOpen311Errors, splitFile, type Open311Format } from './open311-format'
import type { Open311Service, PostRequestInput, RequestsQuery } from './open311-service'

export interface Open311Limits {
  /** Per address, for every GET (the scan page's allowance). */
  readsPerIpPerMinute: number
  /** Per address, for POST (the scan page's submission allowance). */
  postsPerIpPerHour: number
  /** Per API key, for POST: a client relays many residents, but a runaway script must not flood a station. */
  postsPerKeyPerHour: number
}

/** Per API key and hour: a client relays many residents, but a runaway script must not flood a station's queue. */
export const OPEN311_POSTS_PER_KEY_PER_HOUR = 120

/** Where GeoReport v2 lives; the routes below are relative to it. */
export const OPEN311_PREFIX = '/open311/v2'
const SUFFIXES = ['.json', '.xml', ''] as const
const suffixFormat = (s: (typeof SUFFIXES)[number]) => (s ? (s.slice(1) as Open311Format) : undefined)

const Text = (maxLength: number) => Type.Optional(Type.String({ maxLength }))
const JurisdictionQuery = Type.Object({ jurisdiction_id: Text(40), lang: Text(16) })
const RequestsQuerySchema = Type.Object({
  jurisdiction_id: Text(40),
  lang: Text(16),
  service_request_id: Text(20_000),
  service_code: Text(4000),
  start_date: Text(40),
  end_date: Text(40),
  status: Text(40),
})
// The spec's POST fields, as form-urlencoded text; attribute[…] and anything else are accepted and ignored.
const PostBody = Type.Object({
  api_key: Text(200),
  jurisdiction_id: Text(40),
  service_code: Text(100),
  lat: Text(40),
  long: Text(40),
  address_string: Text(1000),
  address_id: Text(200),
  email: Text(320),
  device_id: Text(200),
  account_id: Text(200),
  first_name: Text(200),
  last_name: Text(200),
  phone: Text(40),
  description: Text(20_000),
  media_url: Text(2000),
})
const FileParams = Type.Object({ file: Type.String({ maxLength: 200 }) })
const hide = true

/** The suffix of the URL an error came from decides its format, as for the answer it replaces. */
function formatOfUrl(request: FastifyRequest): Open311Format {
  const path = request.url.split('?')[0] ?? ''
  return formatOf(/\.(json|xml)$/.exec(path)?.[1], request)
}

function localeOf(request: FastifyRequest): Locale | undefined {
  const asked = (request.query as { lang?: unknown } | undefined)?.lang
  return isLocale(asked) ? asked : localeFromAcceptLanguage(request.headers['accept-language'])
}

const apiKeyOf = (request: FastifyRequest) =>
  (request.body as { api_key?: unknown } | undefined)?.api_key ?? (request.query as { api_key?: unknown } | undefined)?.api_key

/**
 * Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) for civic apps: discovery, services, requests (read and
 * POST), tokens, each as `.json`, `.xml` or (no suffix) by Accept. Reading is public — `config.access: 'public'`,
 * the house's only choice besides staff roles — and POST authenticates by the client's `api_key` (issued in the
 * console, open311-clients-*.ts) inside the service. Errors leave in the spec's shape, not problem+json: this
 * plugin has its own error and not-found handlers, so nothing a client sends gets our house format here.
 */
export const open311Routes: FastifyPluginAsyncTypebox<{ open311: Open311Service; limits: Open311Limits }> = async (app, { open311, limits }) => {
  app.setErrorHandler(async (err: FastifyError | AppError | Open311Error, request, reply) => {
    // A body refused for its size: read the rest first, so the client gets to read the 413 (as the house handler does).
    if ((err as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') await drainRequest(request.raw)
    const format = formatOfUrl(request)
    if (err instanceof Open311Error) return sendOpen311Errors(reply, format, [{ code: err.status, description: err.description }], err.status)
    if (err instanceof AppError) {
      if (err.extra.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.extra.retryAfterSeconds))
      const status = err.status >= 500 ? 500 : err.status
      return sendOpen311Errors(reply, format, [{ code: status, description: err.detail ?? err.message }], status)
    }
    const fe = err as FastifyError
    if (fe.validation) {
      const description = fe.validation
        .map((v) => `${v.instancePath.replace(/^\//, '') || fe.validationContext || 'request'}: ${v.message ?? v.keyword}`)
        .join('; ')
      return sendOpen311Errors(reply, format, [{ code: 400, description }], 400)
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
      return sendOpen311Errors(reply, format, [{ code: fe.statusCode, description: fe.message }], fe.statusCode)
    request.log.error({ err }, 'open311 request failed')
    return sendOpen311Errors(reply, format, [{ code: 500, description: 'General service error; quote the x-request-id header when you report it.' }], 500)
  })
  app.setNotFoundHandler((request, reply) =>
    sendOpen311Errors(
      reply,
      formatOfUrl(request),
      [{ code: 404, description: `${request.method} ${request.url.split('?')[0]} is not a GeoReport v2 resource` }],
      404,
    ),
  )

  const read = { access: 'public' as const, rateLimit: { max: limits.readsPerIpPerMinute, timeWindow: 60_000 } }
  const tags = ['open311']
  // Not `app.rateLimit()`: the plugin runs only the first of its limiters per request, and the per-address one
  // (config.rateLimit) has run by then. createRateLimit counts regardless.
  const keyLimit = app.createRateLimit({
    max: limits.postsPerKeyPerHour,
    timeWindow: 3_600_000,
    keyGenerator: (request) => `open311-key:${sha256(String(apiKeyOf(request)))}`,
    // Without a key the request is refused (403) anyway; it must not use up a shared bucket.
    allowList: (request) => !apiKeyOf(request),
  })
  const perKey = async (request: FastifyRequest) => {
    const result = await keyLimit(request)
    if (!result.isAllowed && result.isExceeded) {
      throw new AppError('RATE_LIMITED', `Limit of ${result.max} requests per API key and hour reached; try again later.`, {
        retryAfterSeconds: Math.max(1, result.ttlInSeconds),
      })
    }
  }

  for (const suffix of SUFFIXES) {
    const fixed = suffixFormat(suffix)
    app.get(
      `/discovery${suffix}`,
      {
        config: read,
        schema: { tags, hide, summary: 'Service discovery (Open311)' },
      },
      (request, reply) => {
        const d = open311.discovery()
        const value = { ...d, endpoints: { endpoint: d.endpoints.map((e) => ({ ...e, formats: { format: e.formats } })) } }
        return sendOpen311(reply, formatOf(fixed, request), d, { root: 'discovery', value })
      },
    )

    app.get(
      `/services${suffix}`,
      {
        config: read,
        schema: { tags, hide, summary: "GET services: the committee's active categories", querystring: JurisdictionQuery },
      },
      async (request, reply) =>
        sendOpen311(reply, formatOf(fixed, request), await open311.services(request.query.jurisdiction_id, localeOf(request) ?? 'zh-CN'), {
          root: 'services',
          item: 'service',
        }),
    )

    app.get(
      `/requests${suffix}`,
      {
        config: read,
        schema: { tags, hide, summary: 'GET service requests (public fields only)', querystring: RequestsQuerySchema },
      },
      async (request, reply) =>
        sendOpen311(
          reply,
          formatOf(fixed, request),
          await open311.requests(request.query.jurisdiction_id, request.query as RequestsQuery, localeOf(request) ?? 'zh-CN'),
          { root: 'service_requests', item: 'request' },
        ),
    )

    app.post(
      `/requests${suffix}`,
      {
        // Public at the guard; the service admits only a live api_key of the jurisdiction's committee.
        config: { access: 'public', rateLimit: { max: limits.postsPerIpPerHour, timeWindow: 3_600_000 } },
        preHandler: perKey,
        schema: {
          tags,
          hide,
          summary: 'POST a service request (api_key required)',
          querystring: Type.Object({ api_key: Text(200), jurisdiction_id: Text(40), lang: Text(16) }),
          body: Type.Optional(PostBody),
        },
      },
      async (request, reply) => {
        const input: PostRequestInput = {
          ...request.body,
          api_key: request.body?.api_key ?? request.query.api_key,
          jurisdiction_id: request.body?.jurisdiction_id ?? request.query.jurisdiction_id,
        }
        const created = await open311.postRequest(input, localeOf(request), request.ip)
        return sendOpen311(reply, formatOf(fixed, request), created, { root: 'service_requests', item: 'request' }, 201)
      },
    )
  }

  app.get(
    '/services/:file',
    {
      config: read,
      schema: { tags, hide, summary: 'GET a service definition (no category has attributes)', params: FileParams, querystring: JurisdictionQuery },
    },
    async (request, reply) => {
      const { id, suffix } = splitFile(request.params.file)
      const definition = await open311.serviceDefinition(request.query.jurisdiction_id, id)
      // XML: an empty <attributes/> list rather than no element, as the spec's example nests <attribute> in it.
      return sendOpen311(reply, formatOf(suffix, request), definition, {
        root: 'service_definition',
        value: { service_code: definition.service_code, attributes: '' },
      })
    },
  )

  app.get(
    '/requests/:file',
    {
      config: read,
      schema: { tags, hide, summary: 'GET one service request by its public number', params: FileParams, querystring: JurisdictionQuery },
    },
    async (request, reply) => {
      const { id, suffix } = splitFile(request.params.file)
      return sendOpen311(reply, formatOf(suffix, request), await open311.request(request.query.jurisdiction_id, id, localeOf(request) ?? 'zh-CN'), {
        root: 'service_requests',
        item: 'request',
      })
    },
  )

  app.get(
    '/tokens/:file',
    {
      config: read,
      schema: { tags, hide, summary: 'GET the service_request_id of a token', params: FileParams, querystring: JurisdictionQuery },
    },
    async (request, reply) => {
      const { id, suffix } = splitFile(request.params.file)
      return sendOpen311(reply, formatOf(suffix, request), await open311.token(request.query.jurisdiction_id, id), {
        root: 'service_requests',
        item: 'request',
      })
    },
  )
}

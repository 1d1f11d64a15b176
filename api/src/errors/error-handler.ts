import { drainRequest } from './drain-request'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ERRORS, problemType, type ErrorCode, type FieldError, type Problem } from '@mashangjian/shared'
import { AppError } from './app-error'

/** Fastify's own error codes that a client can cause, and what we call them. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_REQUEST',
  FST_JWT_NO_AUTHORIZATION_IN_HEADER: 'UNAUTHENTICATED',
  FST_JWT_AUTHORIZATION_TOKEN_INVALID: 'UNAUTHENTICATED',
  FST_JWT_AUTHORIZATION_TOKEN_UNTRUSTED: 'UNAUTHENTICATED',
  FST_JWT_BAD_REQUEST: 'UNAUTHENTICATED',
  FST_JWT_AUTHORIZATION_TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  FST_REQ_FILE_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_FILES_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_PARTS_LIMIT: 'PAYLOAD_TOO_LARGE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
}

/** Fallback by status for 4xx errors raised by plugins without a code we know. */
const BY_STATUS: Record<number, ErrorCode> = {
  400: 'MALFORMED_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
}

interface ValidationIssue {
  instancePath: string
  message?: string
  keyword: string
  params?: Record<string, unknown>
}

/** `/body/username` style paths → `body.username`; names the missing or extra property when there is one. */
export function fieldErrors(context: string | undefined, issues: ValidationIssue[]): FieldError[] {
  const seen = new Set<string>()
  const out: FieldError[] = []
  for (const issue of issues) {
    // TypeBox reports a rejected extra property twice; the `additionalProperties` entry names it.
    if (issue.keyword === 'boolean') continue
    const base = [context, ...issue.instancePath.split('/').filter(Boolean)].filter(Boolean)
    const named = (issue.params?.requiredProperties ?? issue.params?.additionalProperties ?? issue.params?.missingProperty) as string[] | string | undefined
    const names = named === undefined ? [undefined] : [named].flat()
    for (const name of names) {
      const field = [...base, name].filter(Boolean).join('.')
      const message = issue.message ?? issue.keyword
      if (seen.has(`${field}|${message}`)) continue
      seen.add(`${field}|${message}`)
      out.push({ field, message, keyword: issue.keyword })
    }
  }
  return out
}

function toProblem(err: FastifyError | AppError, request: FastifyRequest): Problem {
  if (err instanceof AppError) {
    return {
      type: problemType(err.code),
      title: ERRORS[err.code].title,
      status: err.status,
      code: err.code,
      detail: err.detail,
      reqId: String(request.id),
      ...err.extra,
    }
  }
  const fe = err as FastifyError & { validation?: ValidationIssue[]; validationContext?: string }
  let code: ErrorCode
  let detail: string | undefined
  let errors: FieldError[] | undefined
  if (fe.validation) {
    code = 'VALIDATION_FAILED'
    errors = fieldErrors(fe.validationContext, fe.validation)
    detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ')
  } else if (fe.code && FASTIFY_CODES[fe.code]) {
    code = FASTIFY_CODES[fe.code]!
    detail = fe.message
  } else if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    code = BY_STATUS[fe.statusCode] ?? 'MALFORMED_REQUEST'
    detail = fe.message
  } else {
    code = 'INTERNAL'
    detail = 'Something went wrong on our side; quote the reqId when you report it.'
  }
  const { status, title } = ERRORS[code]
  return { type: problemType(code), title, status, code, detail, reqId: String(request.id), ...(errors && { errors }) }
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  if (problem.retryAfterSeconds !== undefined) reply.header('retry-after', String(problem.retryAfterSeconds))
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(JSON.stringify(problem))
}

export interface HtmlErrors {
  /** Whether this request came from a person's browser page that should get a page, not problem+json. */
  wants(request: FastifyRequest): boolean
  render(problem: Problem, request: FastifyRequest, reply: FastifyReply): string
}

/**
 * Every error, thrown anywhere, leaves as problem+json with a stable code; 5xx details stay in the log.
 * Resident pages (see `html`) get the same problem rendered as a friendly page in their language.
 */
export function registerErrorHandling(app: FastifyInstance, html?: HtmlErrors): void {
  app.setErrorHandler(async (err: FastifyError | AppError, request, reply) => {
    // A body refused for its size: read the rest first, so the client gets to read the 413 (see drain-request.ts).
    if ((err as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') await drainRequest(request.raw)
    const problem = toProblem(err, request)
    if (problem.status >= 500) request.log.error({ err }, 'request failed')
    else request.log.info({ code: problem.code, detail: problem.detail }, 'request rejected')
    if (html?.wants(request)) {
      let page: string | undefined
      try {
        page = html.render(problem, request, reply)
      } catch (renderErr) {
        // A broken error page must not hide the error: fall back to problem+json.
        request.log.error({ err: renderErr }, 'error page failed to render')
      }
      if (page !== undefined) {
        if (problem.retryAfterSeconds !== undefined) reply.header('retry-after', String(problem.retryAfterSeconds))
        return reply.code(problem.status).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page)
      }
    }
    return sendProblem(reply, problem)
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, toProblem(new AppError('ROUTE_NOT_FOUND', `${request.method} ${request.url.split('?')[0]} is not an endpoint`), request)),
  )
}

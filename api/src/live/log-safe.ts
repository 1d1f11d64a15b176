import type { FastifyRequest } from 'fastify'
import { redactSecretLinks } from '../privacy/redact-links'

/**
 * Fastify's default request log fields, with `access_token=`, Open311's `api_key=` and secret links (/t/…, /d/…) masked: EventSource can only send the token in the
 * URL (see stream-routes.ts), and request logs are kept far longer than a token lives.
 * Use as `logger: { serializers: { req: logSafeRequest } }`.
 */
export function logSafeRequest(req: FastifyRequest) {
  return {
    method: req.method,
    url: redactSecretLinks(req.url.replace(/([?&](?:access_token|api_key)=)[^&#]*/gi, '$1***')),
    version: req.headers?.['accept-version'] as string | undefined,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }
}

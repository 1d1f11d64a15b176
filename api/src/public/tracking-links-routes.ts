import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, TrackingLinksRevokeBody, TrackingLinksRevoked } from '@mashangjian/shared'
import { actorOf, ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { TrackingLinkRevocation } from './tracking-link-revocation'

/** Staff end a case's tracking links (tracking-link-revocation.ts). */
export const trackingLinksRoutes: FastifyPluginAsyncTypebox<{ revocation: TrackingLinkRevocation }> = async (app, { revocation }) => {
  app.post(
    '/api/v1/cases/:id/tracking-links/revoke',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['cases'],
        summary: 'End the case’s recovery links (找回我的诉求), and with `original` the submitter’s first link too',
        description: 'The resident can ask for a new link with the public number and their phone; it is sent only to that phone. Audit-logged.',
        params: IdParams,
        body: TrackingLinksRevokeBody,
        response: { 200: TrackingLinksRevoked, ...problems(400, 404) },
      },
    },
    (request) => revocation.revoke(actorOf(request), request.params.id, { original: request.body.original ?? false }, request.ip),
  )
}

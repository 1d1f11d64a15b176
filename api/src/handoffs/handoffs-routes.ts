import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HandoffLinkResult, IdParams } from '@mashangjian/shared'
import { actorOf, SIGNED_IN } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { HandoffsService } from './handoffs-service'

/** The staff's side of a department's link (交办); creating and withdrawing hand-offs are case actions. */
export const handoffsRoutes: FastifyPluginAsyncTypebox<{ handoffs: HandoffsService }> = async (app, { handoffs }) => {
  const tags = ['handoffs']
  app.post(
    '/api/v1/handoffs/:id/link',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags,
        summary: 'A new link for the department (the old one stops working); only while the hand-off is open. The URL is shown once; audit-logged',
        params: IdParams,
        response: { 200: HandoffLinkResult, ...problems(400, 404, 409) },
      },
    },
    (request) => handoffs.issueLink(actorOf(request), request.params.id, request.ip),
  )

  app.delete(
    '/api/v1/handoffs/:id/link',
    {
      config: { access: SIGNED_IN },
      schema: { tags, summary: "Revoke the department's link (audit-logged)", params: IdParams, response: { 204: Type.Null(), ...problems(400, 404) } },
    },
    async (request, reply) => {
      await handoffs.revokeLink(actorOf(request), request.params.id, request.ip)
      return reply.code(204).send(null)
    },
  )
}

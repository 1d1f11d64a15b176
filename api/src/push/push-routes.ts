import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { PushKey, PushSubscriptionBody, PushSubscriptionView, PushUnsubscribeBody } from '@mashangjian/shared'
import { actorOf, SIGNED_IN } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { PushService } from './push-service'

export const pushRoutes: FastifyPluginAsyncTypebox<{ push: PushService }> = async (app, { push }) => {
  app.get(
    '/api/v1/push/key',
    {
      config: { access: SIGNED_IN },
      schema: { tags: ['push'], summary: 'The VAPID public key to subscribe with (applicationServerKey)', response: { 200: PushKey } },
    },
    () => push.key(),
  )

  app.post(
    '/api/v1/push/subscriptions',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['push'],
        summary: "Register this browser's push subscription for me (again from the same browser: updated)",
        description:
          "An endpoint belongs to the user who registered it until they remove it (or the push service reports it gone); another user's registration of it is refused with 409 PUSH_ENDPOINT_TAKEN.",
        body: PushSubscriptionBody,
        response: { 201: PushSubscriptionView, ...problems(400, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await push.subscribe(actorOf(request), request.body, request.headers['user-agent'])),
  )

  app.delete(
    '/api/v1/push/subscriptions',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['push'],
        summary: "Stop pushes to this browser (e.g. on sign-out); only the caller's own subscription is removed",
        body: PushUnsubscribeBody,
        response: { 204: Type.Null({ description: 'Removed, or there was nothing of yours to remove' }), ...problems(400) },
      },
    },
    async (request, reply) => {
      await push.unsubscribe(actorOf(request), request.body.endpoint)
      return reply.code(204).send(null)
    },
  )
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Activity, ActivityBody, ActivityListQuery, ActivityPage, ActivityPatch, IdParams } from '@mashangjian/shared'
import { actorOf, SIGNED_IN } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { ActivitiesService } from './activities-service'

/** Members' 履职 records: members their own, admins within their scope (rules in the service). */
export const activitiesRoutes: FastifyPluginAsyncTypebox<{ activities: ActivitiesService }> = async (app, { activities }) => {
  app.get(
    '/api/v1/activities',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['ledger'],
        summary: '履职 records you can see, newest first',
        querystring: ActivityListQuery,
        response: { 200: ActivityPage, ...problems(400) },
      },
    },
    (request) => activities.list(actorOf(request), request.query),
  )

  app.post(
    '/api/v1/activities',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['ledger'],
        summary: 'Record a meeting, reception day, visit, proposal… for a member',
        body: ActivityBody,
        response: { 201: Activity, ...problems(400, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await activities.create(actorOf(request), request.body, request.ip)),
  )

  app.get(
    '/api/v1/activities/:id',
    {
      config: { access: SIGNED_IN },
      schema: { tags: ['ledger'], summary: 'One 履职 record', params: IdParams, response: { 200: Activity, ...problems(400, 404) } },
    },
    (request) => activities.get(actorOf(request), request.params.id),
  )

  app.patch(
    '/api/v1/activities/:id',
    {
      config: { access: SIGNED_IN },
      schema: { tags: ['ledger'], summary: 'Correct a 履职 record', params: IdParams, body: ActivityPatch, response: { 200: Activity, ...problems(400, 404) } },
    },
    (request) => activities.update(actorOf(request), request.params.id, request.body, request.ip),
  )

  app.delete(
    '/api/v1/activities/:id',
    {
      config: { access: SIGNED_IN },
      schema: { tags: ['ledger'], summary: 'Remove a 履职 record (audit-logged)', params: IdParams, response: { 204: Type.Null(), ...problems(400, 404) } },
    },
    async (request, reply) => {
      await activities.remove(actorOf(request), request.params.id, request.ip)
      return reply.code(204).send(null)
    },
  )
}

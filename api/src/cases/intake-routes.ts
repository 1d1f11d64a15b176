import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { StaffIntakeBody, StaffIntakeResult } from '@mashangjian/shared'
import { actorOf, ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { StaffIntakeService } from './staff-intake-service'

/** 电话受理 / 来访: staff record a case at the desk. Which stations each admin may record for is the service's rule. */
export const intakeRoutes: FastifyPluginAsyncTypebox<{ intake: StaffIntakeService }> = async (app, { intake }) => {
  app.post(
    '/api/v1/cases/intake',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['cases'],
        summary:
          'Record a case for a resident who called or came in: routed like a scan of the station code unless a member is chosen; the tracking link is answered once; the same opId again answers the first case (replayed, no link)',
        body: StaffIntakeBody,
        response: { 201: StaffIntakeResult, 200: StaffIntakeResult, ...problems(400, 404, 409) },
      },
    },
    async (request, reply) => {
      const result = await intake.intake(actorOf(request), request.body, request.ip)
      return reply.code(result.replayed ? 200 : 201).send(result)
    },
  )
}

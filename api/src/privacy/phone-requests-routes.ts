import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { PhoneDataExport, PhoneErasureBody, PhoneErasureResult, PhoneLookupResult, PhoneRequestBody } from '@mashangjian/shared'
import { actorOf, COMMITTEE_ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { PhoneRequestsService } from './phone-requests-service'

/**
 * Requests from people (issue 19), committee admins only. POST throughout: the number goes in the body, never in a
 * URL (access logs keep URLs). Rules in phone-requests-service.ts.
 */
export const phoneRequestsRoutes: FastifyPluginAsyncTypebox<{ requests: PhoneRequestsService }> = async (app, { requests }) => {
  app.post(
    '/api/v1/privacy/phone-lookup',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags: ['privacy'],
        summary: 'Every case (as resident), follower entry and contact in your scope stored with this phone number (audit-logged with the reason)',
        body: PhoneRequestBody,
        response: { 200: PhoneLookupResult, ...problems(400, 403) },
      },
    },
    (request) => requests.lookup(actorOf(request), request.body, request.ip),
  )

  app.post(
    '/api/v1/privacy/phone-export',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags: ['privacy'],
        summary: 'What is stored about this phone number in your scope, as a JSON file for the person (the number in full; audit-logged)',
        body: PhoneRequestBody,
        response: { 200: PhoneDataExport, ...problems(400, 403, 404) },
      },
    },
    async (request, reply) => {
      const file = await requests.export(actorOf(request), request.body, request.ip)
      const day = file.generatedAt.slice(0, 10)
      return reply.header('content-disposition', `attachment; filename="personal-data-${day}.json"`).header('cache-control', 'no-store').send(file)
    },
  )

  app.post(
    '/api/v1/privacy/phone-erasure',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags: ['privacy'],
        summary: 'Erase this phone number from every case, follower entry and contact in your scope; mentions in free text become a marker (audit-logged)',
        body: PhoneErasureBody,
        response: { 200: PhoneErasureResult, ...problems(400, 403, 404) },
      },
    },
    (request) => requests.erase(actorOf(request), request.body, request.ip),
  )
}

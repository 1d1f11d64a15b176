import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CaseDestinations, CasePhoneSearchBody, CaseSearchResult, IdParams } from '@mashangjian/shared'
import { actorOf, ADMINS, SIGNED_IN } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { DeskService } from './desk-service'

/** Station desk reads: phone search (admins) and hand-over destinations (admins, and the assignee for 转办). */
export const deskRoutes: FastifyPluginAsyncTypebox<{ desk: DeskService }> = async (app, { desk }) => {
  app.post(
    '/api/v1/cases/search',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['cases'],
        summary:
          "Find the cases of a resident's phone (their own and those they follow) within your scope, newest first, at most 50; every search is audit-logged",
        body: CasePhoneSearchBody,
        response: { 200: CaseSearchResult, ...problems(400) },
      },
    },
    (request) => desk.searchByPhone(actorOf(request), request.body.phone, request.ip),
  )

  app.get(
    '/api/v1/cases/:id/destinations',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['cases'],
        summary: 'Who this case can be assigned or transferred to by you: members (on duty first, then lightest load) and stations',
        params: IdParams,
        response: { 200: CaseDestinations, ...problems(400, 404) },
      },
    },
    (request) => desk.destinations(actorOf(request), request.params.id),
  )
}

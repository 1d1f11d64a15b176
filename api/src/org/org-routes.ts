import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CommitteeDetail, IdParams, Station } from '@mashangjian/shared'
import { actorOf, ADMINS, COMMITTEE_ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { OrgService } from './org-service'

export const orgRoutes: FastifyPluginAsyncTypebox<{ org: OrgService }> = async (app, { org }) => {
  app.get('/api/v1/committees/:id', {
    config: { access: COMMITTEE_ADMINS },
    schema: {
      tags: ['organisation'], summary: 'A committee in your subtree, with its direct children',
      params: IdParams, response: { 200: CommitteeDetail, ...problems(400, 404) },
    },
  }, (request) => org.getCommittee(actorOf(request), request.params.id))

  app.get('/api/v1/stations/:id', {
    config: { access: ADMINS },
    schema: {
      tags: ['organisation'], summary: 'A station you administer or that lies in your committee subtree',
      params: IdParams, response: { 200: Station, ...problems(400, 404) },
    },
  }, (request) => org.getStation(actorOf(request), request.params.id))
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CreateSectorBody, IdParams, Sector, SectorListQuery, SectorPage, UpdateSectorBody } from '@mashangjian/shared'
import { actorOf, ADMINS, COMMITTEE_ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { SectorsService } from './sectors-service'

export const sectorsRoutes: FastifyPluginAsyncTypebox<{ sectors: SectorsService }> = async (app, { sectors }) => {
  const tags = ['sectors']
  app.get(
    '/api/v1/sectors',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: 'Sectors (界别) of your committee or of one in your subtree',
        querystring: SectorListQuery,
        response: { 200: SectorPage, ...problems(400) },
      },
    },
    (request) => sectors.list(actorOf(request), request.query),
  )

  app.get(
    '/api/v1/sectors/:id',
    {
      config: { access: ADMINS },
      schema: { tags, summary: 'One sector', params: IdParams, response: { 200: Sector, ...problems(400, 404) } },
    },
    (request) => sectors.get(actorOf(request), request.params.id),
  )

  app.post(
    '/api/v1/sectors',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: { tags, summary: 'Add a sector', body: CreateSectorBody, response: { 201: Sector, ...problems(400) } },
    },
    async (request, reply) => reply.code(201).send(await sectors.create(actorOf(request), request.body, request.ip)),
  )

  app.patch(
    '/api/v1/sectors/:id',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: { tags, summary: 'Rename or reorder a sector', params: IdParams, body: UpdateSectorBody, response: { 200: Sector, ...problems(400, 404) } },
    },
    (request) => sectors.update(actorOf(request), request.params.id, request.body, request.ip),
  )

  app.delete(
    '/api/v1/sectors/:id',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: { tags, summary: 'Delete a sector nobody is filed under', params: IdParams, response: { 204: Type.Null(), ...problems(400, 404, 409) } },
    },
    async (request, reply) => {
      await sectors.remove(actorOf(request), request.params.id, request.ip)
      return reply.code(204).send(null)
    },
  )
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CreateStationBody, IdParams, StationDetail, StationListQuery, StationPage, UpdateStationBody } from '@mashangjian/shared'
import { actorOf, ADMINS, COMMITTEE_ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { StationsService } from './stations-service'

export const stationsRoutes: FastifyPluginAsyncTypebox<{ stations: StationsService }> = async (app, { stations }) => {
  const tags = ['stations']
  app.get(
    '/api/v1/stations',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: 'Stations you administer, or those of your committee subtree',
        querystring: StationListQuery,
        response: { 200: StationPage, ...problems(400) },
      },
    },
    (request) => stations.list(actorOf(request), request.query),
  )

  app.get(
    '/api/v1/stations/:id',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: 'A station you administer or that lies in your committee subtree',
        params: IdParams,
        response: { 200: StationDetail, ...problems(400, 404) },
      },
    },
    (request) => stations.get(actorOf(request), request.params.id),
  )

  app.post(
    '/api/v1/stations',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: { tags, summary: 'Open a station', body: CreateStationBody, response: { 201: StationDetail, ...problems(400) } },
    },
    async (request, reply) => reply.code(201).send(await stations.create(actorOf(request), request.body, request.ip)),
  )

  app.patch(
    '/api/v1/stations/:id',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: 'Change a station: kind, name, address, open hours, position, active',
        params: IdParams,
        body: UpdateStationBody,
        response: { 200: StationDetail, ...problems(400, 404) },
      },
    },
    (request) => stations.update(actorOf(request), request.params.id, request.body, request.ip),
  )

  app.delete(
    '/api/v1/stations/:id',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: 'Delete a station that has no history (else deactivate it)',
        params: IdParams,
        response: { 204: Type.Null(), ...problems(400, 404, 409) },
      },
    },
    async (request, reply) => {
      await stations.remove(actorOf(request), request.params.id, request.ip)
      return reply.code(204).send(null)
    },
  )
}

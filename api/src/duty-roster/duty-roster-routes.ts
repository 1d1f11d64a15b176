import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  DutyException,
  DutyExceptionBody,
  DutyExceptionParams,
  DutyRoster,
  DutyRule,
  DutyRuleBody,
  DutyRuleParams,
  IdParams,
  UpcomingShifts,
  UpcomingShiftsQuery,
} from '@mashangjian/shared'
import { actorOf, ADMINS } from '../auth/access-guard'
import type { Clock } from '../clock'
import { notFound } from '../errors/app-error'
import { problems } from '../errors/problem-responses'
import type { DutyRosterService } from './duty-roster-service'
import { receptionCalendar } from './reception-ics'

/**
 * A station's reception-day roster (接待日): its station admins and the admins of its committee (subtree) set
 * the rules; others get 404 for a station they cannot see, members 403. The calendar feed is public, like the
 * reception days the scan page shows.
 */
export const dutyRosterRoutes: FastifyPluginAsyncTypebox<{ roster: DutyRosterService; clock: Clock; publicHost: string }> = async (
  app,
  { roster, clock, publicHost },
) => {
  const tags = ['duty roster']
  const access = ADMINS
  app.get(
    '/api/v1/stations/:id/duty-roster',
    {
      config: { access },
      schema: { tags, summary: "A station's reception-day rules and cancelled days", params: IdParams, response: { 200: DutyRoster, ...problems(400, 404) } },
    },
    (request) => roster.roster(actorOf(request), request.params.id),
  )
  app.get(
    '/api/v1/stations/:id/duty-shifts',
    {
      config: { access },
      schema: {
        tags,
        summary: 'The next reception days of a station (today included), as the rules generate them',
        params: IdParams,
        querystring: UpcomingShiftsQuery,
        response: { 200: UpcomingShifts, ...problems(400, 404) },
      },
    },
    (request) => roster.upcoming(actorOf(request), request.params.id, request.query.limit ?? 10),
  )
  app.post(
    '/api/v1/stations/:id/duty-rules',
    {
      config: { access },
      schema: { tags, summary: 'Add a reception-day rule', params: IdParams, body: DutyRuleBody, response: { 201: DutyRule, ...problems(400, 404) } },
    },
    async (request, reply) => reply.code(201).send(await roster.createRule(actorOf(request), request.params.id, request.body, request.ip)),
  )
  app.put(
    '/api/v1/stations/:id/duty-rules/:ruleId',
    {
      config: { access },
      schema: { tags, summary: 'Change a reception-day rule', params: DutyRuleParams, body: DutyRuleBody, response: { 200: DutyRule, ...problems(400, 404) } },
    },
    (request) => roster.updateRule(actorOf(request), request.params.id, request.params.ruleId, request.body, request.ip),
  )
  app.delete(
    '/api/v1/stations/:id/duty-rules/:ruleId',
    {
      config: { access },
      schema: { tags, summary: 'Delete a reception-day rule', params: DutyRuleParams, response: { 204: Type.Null(), ...problems(400, 404) } },
    },
    async (request, reply) => {
      await roster.deleteRule(actorOf(request), request.params.id, request.params.ruleId, request.ip)
      return reply.code(204).send(null)
    },
  )
  app.post(
    '/api/v1/stations/:id/duty-exceptions',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Cancel reception on a day: for the whole station (a holiday) or for one rule',
        params: IdParams,
        body: DutyExceptionBody,
        response: { 201: DutyException, ...problems(400, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await roster.createException(actorOf(request), request.params.id, request.body, request.ip)),
  )
  app.delete(
    '/api/v1/stations/:id/duty-exceptions/:exceptionId',
    {
      config: { access },
      schema: { tags, summary: 'Restore a cancelled day', params: DutyExceptionParams, response: { 204: Type.Null(), ...problems(400, 404) } },
    },
    async (request, reply) => {
      await roster.deleteException(actorOf(request), request.params.id, request.params.exceptionId, request.ip)
      return reply.code(204).send(null)
    },
  )
  app.get(
    '/api/v1/stations/:id/reception.ics',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: "A station's reception days as an iCalendar feed (public, like the scan page that shows them)",
        params: IdParams,
        response: { 200: { content: { 'text/calendar': { schema: Type.String() } } }, ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const feed = await roster.feed(request.params.id)
      if (!feed) throw notFound('station')
      const body = receptionCalendar({ ...feed, now: clock.now(), host: publicHost })
      return reply.type('text/calendar; charset=utf-8').header('cache-control', 'public, max-age=300').send(body)
    },
  )
}

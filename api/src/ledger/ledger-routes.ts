import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  IdParams,
  LedgerListQuery,
  LedgerPage,
  LedgerPageQuery,
  LedgerQuery,
  LedgerTargetsBody,
  LedgerTargetsView,
  MemberLedgerReport,
} from '@mashangjian/shared'
import { actorOf, ADMINS, COMMITTEE_ADMINS, SIGNED_IN } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { LedgerService } from './ledger-service'

/** The 履职 ledger: one member's year, a committee's or station's members, the committee's targets, the printable 档案. */
export const ledgerRoutes: FastifyPluginAsyncTypebox<{ ledger: LedgerService }> = async (app, { ledger }) => {
  app.get(
    '/api/v1/members/:id/ledger',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['ledger'],
        summary: 'A member’s 履职 ledger for a year against their committee’s targets (members: their own)',
        params: IdParams,
        querystring: LedgerQuery,
        response: { 200: MemberLedgerReport, ...problems(400, 404) },
      },
    },
    (request) => ledger.memberLedger(actorOf(request), request.params.id, request.query.year),
  )

  app.get(
    '/api/v1/members/:id/ledger.html',
    {
      config: { access: SIGNED_IN, queryToken: true }, // a Bearer header, or ?access_token= from a browser tab
      schema: {
        tags: ['ledger'],
        summary: 'The printable 履职档案 of a member for a year (HTML with print styles)',
        params: IdParams,
        querystring: LedgerPageQuery,
        produces: ['text/html'],
        security: [{ bearerAuth: [] }],
        response: { 200: Type.String(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request)
      const html = await ledger.page(actor, request.params.id, request.query.year)
      // Personal records: never kept by a shared cache.
      return reply.header('cache-control', 'private, no-store').type('text/html; charset=utf-8').send(html)
    },
  )

  app.get(
    '/api/v1/ledgers',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['ledger'],
        summary: 'Ledgers of every member of a committee subtree or a station for a year, by name (keyset-paginated)',
        querystring: LedgerListQuery,
        response: { 200: LedgerPage, ...problems(400, 404) },
      },
    },
    (request) => ledger.list(actorOf(request), request.query),
  )

  app.get(
    '/api/v1/committees/:id/ledger-targets',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags: ['ledger'],
        summary: 'The yearly 履职 targets that apply to a committee (its own or inherited) and the presets to choose from',
        params: IdParams,
        response: { 200: LedgerTargetsView, ...problems(400, 404) },
      },
    },
    (request) => ledger.targets(actorOf(request), request.params.id),
  )

  app.put(
    '/api/v1/committees/:id/ledger-targets',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags: ['ledger'],
        summary: 'Choose a target preset (阿克塞“六个一”, 古浪“22111”, ≥ 10 contacts) or a custom list for a committee and those below it',
        params: IdParams,
        body: LedgerTargetsBody,
        response: { 200: LedgerTargetsView, ...problems(400, 404) },
      },
    },
    (request) => ledger.setTargets(actorOf(request), request.params.id, request.body, request.ip),
  )
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  Contact,
  ContactBody,
  ContactCreated,
  ContactListQuery,
  ContactPage,
  ContactPatch,
  ContactPhone,
  ContactToCaseBody,
  ContactToCaseResult,
  ContactToReportBody,
  ContactToReportResult,
  ContactTotals,
  ContactTotalsQuery,
  IdParams,
} from '@mashangjian/shared'
import { actorOf, ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { ContactsService } from './contacts-service'

/** 界别群众 contacts: members record their own; admins read counts per member (rules in the service). */
export const contactsRoutes: FastifyPluginAsyncTypebox<{ contacts: ContactsService }> = async (app, { contacts }) => {
  app.get(
    '/api/v1/contacts',
    {
      config: { access: ['member'] },
      schema: {
        tags: ['contacts'],
        summary: 'Your 界别群众 contacts, newest meeting first',
        querystring: ContactListQuery,
        response: { 200: ContactPage, ...problems(400) },
      },
    },
    (request) => contacts.list(actorOf(request), request.query),
  )

  app.post(
    '/api/v1/contacts',
    {
      config: { access: ['member'] },
      schema: {
        tags: ['contacts'],
        summary: 'Record a contact. The same opId again answers the first result (200, replayed); with a different body, 409 OP_ID_REUSED',
        body: ContactBody,
        response: { 200: ContactCreated, 201: ContactCreated, ...problems(400, 404, 409) },
      },
    },
    async (request, reply) => {
      const created = await contacts.create(actorOf(request), request.body, request.ip)
      return reply.code(created.replayed ? 200 : 201).send(created)
    },
  )

  app.get(
    '/api/v1/contacts/totals',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['contacts'],
        summary: 'Contacts per member of a committee subtree or a station in a year, against each member’s yearly target (counts only)',
        querystring: ContactTotalsQuery,
        response: { 200: ContactTotals, ...problems(400, 403, 404) },
      },
    },
    (request) => contacts.totals(actorOf(request), request.query),
  )

  app.get(
    '/api/v1/contacts/:id',
    {
      config: { access: ['member'] },
      schema: { tags: ['contacts'], summary: 'One of your contacts', params: IdParams, response: { 200: Contact, ...problems(400, 404) } },
    },
    (request) => contacts.get(actorOf(request), request.params.id),
  )

  app.patch(
    '/api/v1/contacts/:id',
    {
      config: { access: ['member'] },
      schema: {
        tags: ['contacts'],
        summary: 'Correct one of your contacts',
        params: IdParams,
        body: ContactPatch,
        response: { 200: Contact, ...problems(400, 404) },
      },
    },
    (request) => contacts.update(actorOf(request), request.params.id, request.body, request.ip),
  )

  app.post(
    '/api/v1/contacts/:id/phone',
    {
      config: { access: ['member'] },
      schema: {
        tags: ['contacts'],
        summary: 'The full phone number of one of your contacts (audit-logged). POST so the number is never cached',
        params: IdParams,
        response: { 200: ContactPhone, ...problems(400, 404) },
      },
    },
    (request) => contacts.revealPhone(actorOf(request), request.params.id, request.ip),
  )

  app.post(
    '/api/v1/contacts/:id/case',
    {
      config: { access: ['member'] },
      schema: {
        tags: ['contacts'],
        summary: '转为诉求: file a case for the person, assigned to you (idempotent by opId, as a desk intake)',
        params: IdParams,
        body: ContactToCaseBody,
        response: { 200: ContactToCaseResult, ...problems(400, 404, 409) },
      },
    },
    (request) => contacts.toCase(actorOf(request), request.params.id, request.body, request.ip),
  )

  app.post(
    '/api/v1/contacts/:id/report',
    {
      config: { access: ['member'] },
      schema: {
        tags: ['contacts'],
        summary: '转为社情民意: a 社情民意 draft from what was raised (once per contact)',
        params: IdParams,
        body: ContactToReportBody,
        response: { 200: ContactToReportResult, ...problems(400, 404, 409) },
      },
    },
    (request) => contacts.toReport(actorOf(request), request.params.id, request.body, request.ip),
  )
}

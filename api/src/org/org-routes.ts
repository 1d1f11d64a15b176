import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  Committee,
  CommitteeDetail,
  CommitteeListQuery,
  CommitteePage,
  CommitteeSettingsBody,
  CommitteeSettingsView,
  CreateCommitteeBody,
  IdParams,
  UpdateCommitteeBody,
} from '@mashangjian/shared'
import { Type } from 'typebox'
import { actorOf, COMMITTEE_ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { OrgService } from './org-service'

export const orgRoutes: FastifyPluginAsyncTypebox<{ org: OrgService }> = async (app, { org }) => {
  const tags = ['organisation']
  app.get(
    '/api/v1/committees',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: 'Committees in your subtree, in tree order (by path)',
        querystring: CommitteeListQuery,
        response: { 200: CommitteePage, ...problems(400) },
      },
    },
    (request) => org.list(actorOf(request), request.query),
  )

  app.get(
    '/api/v1/committees/:id',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: 'A committee in your subtree, with its direct children',
        params: IdParams,
        response: { 200: CommitteeDetail, ...problems(400, 404) },
      },
    },
    (request) => org.getCommittee(actorOf(request), request.params.id),
  )

  app.post(
    '/api/v1/committees',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: 'Add a committee under one in your subtree (a root: system admins only)',
        body: CreateCommitteeBody,
        response: { 201: Committee, ...problems(400) },
      },
    },
    async (request, reply) => reply.code(201).send(await org.create(actorOf(request), request.body, request.ip)),
  )

  app.patch(
    '/api/v1/committees/:id',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: 'Rename a committee, change its case-number prefix or default language',
        params: IdParams,
        body: UpdateCommitteeBody,
        response: { 200: Committee, ...problems(400, 404) },
      },
    },
    (request) => org.update(actorOf(request), request.params.id, request.body, request.ip),
  )

  app.delete(
    '/api/v1/committees/:id',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: { tags, summary: 'Delete an empty committee below yours', params: IdParams, response: { 204: Type.Null(), ...problems(400, 403, 404, 409) } },
    },
    async (request, reply) => {
      await org.remove(actorOf(request), request.params.id, request.ip)
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/api/v1/committees/:id/settings',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: 'Deadline settings: SLA hours per class and days before an unrated case closes',
        params: IdParams,
        response: { 200: CommitteeSettingsView, ...problems(400, 404) },
      },
    },
    (request) => org.getSettings(actorOf(request), request.params.id),
  )

  app.put(
    '/api/v1/committees/:id/settings',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: 'Replace the deadline settings; what is left out falls back to the defaults',
        params: IdParams,
        body: CommitteeSettingsBody,
        response: { 200: CommitteeSettingsView, ...problems(400, 404) },
      },
    },
    (request) => org.putSettings(actorOf(request), request.params.id, request.body, request.ip),
  )
}

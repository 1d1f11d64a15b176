import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CreateUserBody, IdParams, Me, UpdateUserBody, UserListQuery, UserPage, UserView } from '@mashangjian/shared'
import { actorOf, COMMITTEE_ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { UsersService } from './users-service'

export const usersRoutes: FastifyPluginAsyncTypebox<{ users: UsersService }> = async (app, { users }) => {
  app.get(
    '/api/v1/users',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags: ['users'],
        summary: 'Sign-in accounts in your committee subtree',
        querystring: UserListQuery,
        response: { 200: UserPage, ...problems(400) },
      },
    },
    (request) => users.list(actorOf(request), request.query),
  )

  app.get(
    '/api/v1/users/:id',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: { tags: ['users'], summary: 'One account in your committee subtree', params: IdParams, response: { 200: UserView, ...problems(400, 404) } },
    },
    (request) => users.get(actorOf(request), request.params.id),
  )

  app.post(
    '/api/v1/users',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags: ['users'],
        summary: 'Create a sign-in account inside your committee subtree',
        body: CreateUserBody,
        response: { 201: Me, ...problems(400, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await users.createUser(actorOf(request), request.body, request.ip)),
  )

  app.post(
    '/api/v1/users/:id/unlock',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags: ['users'],
        summary: 'Lift a sign-in lock after failed sign-ins (and every address’s delay); audit-logged',
        params: IdParams,
        response: { 200: UserView, ...problems(400, 403, 404) },
      },
    },
    (request) => users.unlock(actorOf(request), request.params.id, request.ip),
  )

  app.patch(
    '/api/v1/users/:id',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags: ['users'],
        summary: 'Change an account: name, language, a station admin’s stations, disable, reset the password (ends its sessions)',
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: UserView, ...problems(400, 403, 404) },
      },
    },
    (request) => users.update(actorOf(request), request.params.id, request.body, request.ip),
  )
}

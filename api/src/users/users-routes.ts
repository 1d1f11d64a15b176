import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CreateUserBody, Me } from '@mashangjian/shared'
import { actorOf, COMMITTEE_ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { UsersService } from './users-service'

export const usersRoutes: FastifyPluginAsyncTypebox<{ users: UsersService }> = async (app, { users }) => {
  app.post('/api/v1/users', {
    config: { access: COMMITTEE_ADMINS },
    schema: {
      tags: ['users'], summary: 'Create a sign-in account inside your committee subtree',
      body: CreateUserBody, response: { 201: Me, ...problems(400, 409) },
    },
  }, async (request, reply) => reply.code(201).send(await users.createUser(actorOf(request), request.body)))
}

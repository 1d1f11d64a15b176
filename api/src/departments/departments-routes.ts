import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CreateDepartmentBody, DepartmentListQuery, DepartmentPage, DepartmentView, IdParams, UpdateDepartmentBody } from '@mashangjian/shared'
import { actorOf, ADMINS, COMMITTEE_ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { DepartmentsService } from './departments-service'

export const departmentsRoutes: FastifyPluginAsyncTypebox<{ departments: DepartmentsService }> = async (app, { departments }) => {
  const tags = ['departments']
  app.get(
    '/api/v1/departments',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: 'Departments (职能部门) of your committee subtree; station admins: of their committee',
        querystring: DepartmentListQuery,
        response: { 200: DepartmentPage, ...problems(400) },
      },
    },
    (request) => departments.list(actorOf(request), request.query),
  )

  app.get(
    '/api/v1/departments/:id',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: 'A department in your scope (contact phone masked)',
        params: IdParams,
        response: { 200: DepartmentView, ...problems(400, 404) },
      },
    },
    (request) => departments.get(actorOf(request), request.params.id),
  )

  app.post(
    '/api/v1/departments',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: { tags, summary: 'Add a department', body: CreateDepartmentBody, response: { 201: DepartmentView, ...problems(400, 409) } },
    },
    async (request, reply) => reply.code(201).send(await departments.create(actorOf(request), request.body, request.ip)),
  )

  app.patch(
    '/api/v1/departments/:id',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: 'Change a department: kind, name, contact, robot channel, active',
        params: IdParams,
        body: UpdateDepartmentBody,
        response: { 200: DepartmentView, ...problems(400, 404, 409) },
      },
    },
    (request) => departments.update(actorOf(request), request.params.id, request.body, request.ip),
  )

  app.delete(
    '/api/v1/departments/:id',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: 'Delete a department nothing refers to (else deactivate it)',
        params: IdParams,
        response: { 204: Type.Null(), ...problems(400, 404, 409) },
      },
    },
    async (request, reply) => {
      await departments.remove(actorOf(request), request.params.id, request.ip)
      return reply.code(204).send(null)
    },
  )
}

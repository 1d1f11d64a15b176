import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CategoryListQuery, CategoryPage, CategoryView, CreateCategoryBody, IdParams, UpdateCategoryBody } from '@mashangjian/shared'
import { actorOf, ADMINS, COMMITTEE_ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { CategoriesService } from './categories-service'

export const categoriesRoutes: FastifyPluginAsyncTypebox<{ categories: CategoriesService }> = async (app, { categories }) => {
  const tags = ['categories']
  app.get(
    '/api/v1/categories',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: 'Case categories of your committee or one in your subtree',
        querystring: CategoryListQuery,
        response: { 200: CategoryPage, ...problems(400) },
      },
    },
    (request) => categories.list(actorOf(request), request.query),
  )

  app.get(
    '/api/v1/categories/:id',
    {
      config: { access: ADMINS },
      schema: { tags, summary: 'One category', params: IdParams, response: { 200: CategoryView, ...problems(400, 404) } },
    },
    (request) => categories.get(actorOf(request), request.params.id),
  )

  app.post(
    '/api/v1/categories',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: 'Add a category: names per language (zh-CN required), sector affinity, SLA class',
        body: CreateCategoryBody,
        response: { 201: CategoryView, ...problems(400) },
      },
    },
    async (request, reply) => reply.code(201).send(await categories.create(actorOf(request), request.body, request.ip)),
  )

  app.patch(
    '/api/v1/categories/:id',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: { tags, summary: 'Change a category', params: IdParams, body: UpdateCategoryBody, response: { 200: CategoryView, ...problems(400, 404) } },
    },
    (request) => categories.update(actorOf(request), request.params.id, request.body, request.ip),
  )

  app.delete(
    '/api/v1/categories/:id',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: 'Delete a category no case is filed under (else deactivate it)',
        params: IdParams,
        response: { 204: Type.Null(), ...problems(400, 404, 409) },
      },
    },
    async (request, reply) => {
      await categories.remove(actorOf(request), request.params.id, request.ip)
      return reply.code(204).send(null)
    },
  )
}

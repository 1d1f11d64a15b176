import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { DepartmentFigures, DepartmentFiguresQuery } from '@mashangjian/shared'
import { actorOf, ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { DepartmentFiguresService } from './department-figures-service'

/** The dashboard's 职能部门 figures: who may read them is the dashboard's rule (department-figures-service.ts). */
export const departmentFiguresRoutes: FastifyPluginAsyncTypebox<{ departmentFigures: DepartmentFiguresService }> = async (app, { departmentFigures }) => {
  app.get(
    '/api/v1/dashboard/departments',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['dashboard'],
        summary: '职能部门 figures of a period: hand-offs, 签收 and reply medians, 按时答复率, 退回率, ranked like 12345’s 承办单位',
        querystring: DepartmentFiguresQuery,
        response: { 200: DepartmentFigures, ...problems(400, 403, 404) },
      },
    },
    (request) => departmentFigures.figures(actorOf(request), request.query),
  )
}

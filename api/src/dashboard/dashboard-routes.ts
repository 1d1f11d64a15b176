import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { DashboardQuery, DashboardSummary, OverduePage, OverdueQuery, RankingPage, RankingQuery } from '@mashangjian/shared'
import { actorOf, ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { DashboardService } from './dashboard-service'

/** The admin dashboard: station admins their stations, committee admins their subtree (scope rules in the service). */
export const dashboardRoutes: FastifyPluginAsyncTypebox<{ dashboard: DashboardService }> = async (app, { dashboard }) => {
  app.get(
    '/api/v1/dashboard/summary',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['dashboard'],
        summary: '三率 of a period and of its comparison period (环比 or 同比), monthly trend, category heat, overdue counts',
        querystring: DashboardQuery,
        response: { 200: DashboardSummary, ...problems(400, 404) },
      },
    },
    (request) => dashboard.summary(actorOf(request), request.query),
  )

  app.get(
    '/api/v1/dashboard/rankings',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['dashboard'],
        summary: 'Stations, sectors (界别) or members ranked by a rate or a count over a period',
        querystring: RankingQuery,
        response: { 200: RankingPage, ...problems(400, 404) },
      },
    },
    (request) => dashboard.rankings(actorOf(request), request.query),
  )

  app.get(
    '/api/v1/dashboard/overdue',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['dashboard'],
        summary: 'Open cases past their accept or resolve deadline, most overdue first (keyset-paginated)',
        querystring: OverdueQuery,
        response: { 200: OverduePage, ...problems(400, 404) },
      },
    },
    (request) => dashboard.overdue(actorOf(request), request.query),
  )
}

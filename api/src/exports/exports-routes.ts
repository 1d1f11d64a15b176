import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CaseExportQuery, DepartmentExportQuery, LedgerExportQuery, type ExportFormat } from '@mashangjian/shared'
import { actorOf, ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { ExportsService } from './exports-service'
import { sendTable } from './table-stream'

const PRODUCES: Record<ExportFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

/**
 * Streamed downloads for admins: `.csv` (UTF-8 with BOM) or `.xlsx`, phones masked, each export audit-logged. A
 * download link cannot send a header, so the token may come as `?access_token=` (config.queryToken); it is
 * taken out of the filters before anything records them.
 */
export const exportsRoutes: FastifyPluginAsyncTypebox<{ exports: ExportsService }> = async (app, { exports }) => {
  for (const format of ['csv', 'xlsx'] as const) {
    app.get(
      `/api/v1/exports/cases.${format}`,
      {
        config: { access: ADMINS, queryToken: true },
        // An XLSX is a zip already; gzip would only cost CPU.
        ...(format === 'xlsx' ? { compress: false as const } : {}),
        schema: {
          tags: ['exports'],
          summary: `Cases you can see, with the inbox's filters, as ${format.toUpperCase()} (streamed; phones masked)`,
          querystring: CaseExportQuery,
          produces: [PRODUCES[format]],
          security: [{ bearerAuth: [] }],
          response: { 200: Type.Unknown(), ...problems(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const { access_token: _token, ...filters } = request.query
        const actor = actorOf(request)
        return sendTable(reply, exports.cases(actor, filters, format, request.ip))
      },
    )

    app.get(
      `/api/v1/exports/ledgers.${format}`,
      {
        config: { access: ADMINS, queryToken: true },
        ...(format === 'xlsx' ? { compress: false as const } : {}),
        schema: {
          tags: ['exports'],
          summary: `履职 ledgers of a committee subtree or a station for a year as ${format.toUpperCase()} (streamed)`,
          querystring: LedgerExportQuery,
          produces: [PRODUCES[format]],
          security: [{ bearerAuth: [] }],
          response: { 200: Type.Unknown(), ...problems(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const { access_token: _token, ...filters } = request.query
        const actor = actorOf(request)
        return sendTable(reply, await exports.ledgers(actor, filters, format, request.ip))
      },
    )

    app.get(
      `/api/v1/exports/departments.${format}`,
      {
        config: { access: ADMINS, queryToken: true },
        ...(format === 'xlsx' ? { compress: false as const } : {}),
        schema: {
          tags: ['exports'],
          summary: `The dashboard’s 职能部门 figures of a committee subtree or a station for a period as ${format.toUpperCase()}, ranked`,
          querystring: DepartmentExportQuery,
          produces: [PRODUCES[format]],
          security: [{ bearerAuth: [] }],
          response: { 200: Type.Unknown(), ...problems(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const { access_token: _token, ...filters } = request.query
        const actor = actorOf(request)
        return sendTable(reply, await exports.departments(actor, filters, format, request.ip))
      },
    )
  }
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type {} from '@fastify/multipart'
import { Type } from 'typebox'
import { ConfirmImportBody, IdParams, ImportListQuery, ImportUploadQuery, MemberImportPage, MemberImportView } from '@mashangjian/shared'
import { actorOf, ADMINS } from '../auth/access-guard'
import { AppError, validationFailed } from '../errors/app-error'
import { problems } from '../errors/problem-responses'
import type { ImportsService } from './imports-service'
import { MAX_ROSTER_BYTES } from './roster-file'

const TEMPLATE_NAME = '委员名单导入模板'
const TYPES = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', csv: 'text/csv; charset=utf-8' } as const

/** Roster import: upload (dry run) → poll → confirm; and the template to fill in. Rules live in imports-service.ts. */
export const importsRoutes: FastifyPluginAsyncTypebox<{ imports: ImportsService }> = async (app, { imports }) => {
  const tags = ['imports']
  // Large files are still being worked on after their answer: let that finish before the database closes.
  app.addHook('onClose', async () => imports.drain())

  app.post(
    '/api/v1/imports/members',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary:
          'Dry run of a member roster (CSV in UTF-8 or GBK, or XLSX): multipart with one file. Answers the diff (201), or 202 and progress to poll for a large file',
        querystring: ImportUploadQuery,
        consumes: ['multipart/form-data'],
        response: { 201: MemberImportView, 202: MemberImportView, ...problems(400, 413, 415) },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send multipart/form-data with the roster file.')
      const part = await request.file({ limits: { fileSize: MAX_ROSTER_BYTES, files: 1 } })
      if (!part) throw validationFailed([{ field: 'file', message: 'required: a CSV or XLSX file', keyword: 'required' }])
      const data = await part.toBuffer()
      if (part.file.truncated) throw validationFailed([{ field: 'file', message: `larger than ${MAX_ROSTER_BYTES / 1024 / 1024} MB`, keyword: 'maxSize' }])
      const result = await imports.upload(actorOf(request), request.query, { fileName: part.filename || 'roster', data }, request.ip)
      return reply.code(result.status === 'validating' ? 202 : 201).send(result)
    },
  )

  app.get(
    '/api/v1/imports',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: 'Recent roster imports you may see, newest first (open one for its diff)',
        querystring: ImportListQuery,
        response: { 200: MemberImportPage, ...problems(400) },
      },
    },
    (request) => imports.list(actorOf(request), request.query),
  )

  app.get(
    '/api/v1/imports/:id',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: 'An import: status, progress counters, and the diff once checked',
        params: IdParams,
        response: { 200: MemberImportView, ...problems(400, 404) },
      },
    },
    (request) => imports.get(actorOf(request), request.params.id),
  )

  app.post(
    '/api/v1/imports/:id/confirm',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: 'Apply a dry run in one transaction. mode all: nothing if any row has errors; valid_rows: skip them. 202 and progress for a large file',
        params: IdParams,
        body: ConfirmImportBody,
        response: { 200: MemberImportView, 202: MemberImportView, ...problems(400, 404, 409) },
      },
    },
    async (request, reply) => {
      const result = await imports.confirm(actorOf(request), request.params.id, request.body, request.ip)
      return reply.code(result.status === 'applying' ? 202 : 200).send(result)
    },
  )

  for (const kind of ['xlsx', 'csv'] as const) {
    app.get(
      `/api/v1/imports/members/template.${kind}`,
      {
        config: { access: ADMINS },
        schema: {
          tags,
          summary: `The roster template (${kind.toUpperCase()}): Chinese headers and an example row`,
          querystring: ImportUploadQuery,
          produces: [TYPES[kind]],
          response: { 200: Type.Unknown({ description: `${kind.toUpperCase()} file` }), ...problems(400) },
        },
      },
      async (request, reply) => {
        const file = await imports.template(actorOf(request), kind, request.query.committeeId)
        return reply
          .type(TYPES[kind])
          .header(
            'content-disposition',
            `attachment; filename="member-roster-template.${kind}"; filename*=UTF-8''${encodeURIComponent(`${TEMPLATE_NAME}.${kind}`)}`,
          )
          .header('cache-control', 'private, no-cache')
          .send(file)
      },
    )
  }
}

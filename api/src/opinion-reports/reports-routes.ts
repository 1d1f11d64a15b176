import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { IdParams, ReportBody, ReportDetail, ReportDocumentQuery, ReportListQuery, ReportPage, ReportPatch, ReportTransitionBody } from '@mashangjian/shared'
import { actorOf, SIGNED_IN } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { ReportsService } from './reports-service'

/** `attachment` with an ASCII fallback and the Chinese title for browsers that read RFC 5987 names. */
function download(reply: FastifyReply, title: string, ext: 'pdf' | 'docx', type: string): FastifyReply {
  const name = `${
    title
      .replace(/[\\/:*?"<>|\r\n]+/g, ' ')
      .trim()
      .slice(0, 80) || 'report'
  }.${ext}`
  return reply
    .type(type)
    .header('cache-control', 'private, no-store')
    .header('content-disposition', `attachment; filename="opinion-report.${ext}"; filename*=UTF-8''${encodeURIComponent(name)}`)
}

/** 社情民意信息 reports: writers draft and submit, committees decide; scope and state rules live in the service. */
export const reportsRoutes: FastifyPluginAsyncTypebox<{ reports: ReportsService }> = async (app, { reports }) => {
  app.get(
    '/api/v1/opinion-reports',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['reports'],
        summary: 'Reports you can see, newest change first, with counts per status',
        querystring: ReportListQuery,
        response: { 200: ReportPage, ...problems(400) },
      },
    },
    (request) => reports.list(actorOf(request), request.query),
  )

  app.post(
    '/api/v1/opinion-reports',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['reports'],
        summary: 'Draft a report from one or more cases you can see',
        body: ReportBody,
        response: { 201: ReportDetail, ...problems(400, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await reports.create(actorOf(request), request.body, request.ip)),
  )

  app.get(
    '/api/v1/opinion-reports/:id',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['reports'],
        summary: 'A report with the linked cases you can see',
        params: IdParams,
        response: { 200: ReportDetail, ...problems(400, 404) },
      },
    },
    (request) => reports.get(actorOf(request), request.params.id),
  )

  app.patch(
    '/api/v1/opinion-reports/:id',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['reports'],
        summary: 'Edit a draft (title, text, linked cases, credited member)',
        params: IdParams,
        body: ReportPatch,
        response: { 200: ReportDetail, ...problems(400, 404, 409) },
      },
    },
    (request) => reports.update(actorOf(request), request.params.id, request.body, request.ip),
  )

  app.delete(
    '/api/v1/opinion-reports/:id',
    {
      config: { access: SIGNED_IN },
      schema: { tags: ['reports'], summary: 'Delete a draft', params: IdParams, response: { 204: Type.Null(), ...problems(400, 404, 409) } },
    },
    async (request, reply) => {
      await reports.remove(actorOf(request), request.params.id, request.ip)
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/api/v1/opinion-reports/:id/transition',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['reports'],
        summary: 'Submit a draft, or record that a submitted report was adopted or rejected (decidedBy names the body)',
        params: IdParams,
        body: ReportTransitionBody,
        response: { 200: ReportDetail, ...problems(400, 404, 409) },
      },
    },
    (request) => reports.transition(actorOf(request), request.params.id, request.body, request.ip),
  )

  // Documents are opened by a download link: the token may come as ?access_token= (config.queryToken).
  app.get(
    '/api/v1/opinion-reports/:id/document.pdf',
    {
      config: { access: SIGNED_IN, queryToken: true },
      schema: {
        tags: ['reports'],
        summary: 'The report as an A4 PDF (embedded Chinese font)',
        params: IdParams,
        querystring: ReportDocumentQuery,
        produces: ['application/pdf'],
        security: [{ bearerAuth: [] }],
        response: { 200: Type.Unknown(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request)
      const { title, stream } = await reports.pdf(actor, request.params.id)
      return download(reply, title, 'pdf', 'application/pdf').send(stream)
    },
  )

  app.get(
    '/api/v1/opinion-reports/:id/document.docx',
    {
      config: { access: SIGNED_IN, queryToken: true },
      schema: {
        tags: ['reports'],
        summary: 'The report as a Word document',
        params: IdParams,
        querystring: ReportDocumentQuery,
        security: [{ bearerAuth: [] }],
        produces: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
        response: { 200: Type.Unknown(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request)
      const { title, buffer } = await reports.docx(actor, request.params.id)
      return download(reply, title, 'docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document').send(buffer)
    },
  )
}

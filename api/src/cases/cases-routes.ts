import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CaseActionBody, CaseActionResult, CaseDetail, CaseListPage, CaseListQuery, IdParams } from '@mashangjian/shared'
import { actorOf, SIGNED_IN } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import { notFound } from '../errors/app-error'
import type { BlobStore } from '../attachments/blob-store'
import type { CasesService } from './cases-service'
import type { CaseActionsService } from './case-actions-service'
import { readActionUpload } from './action-upload'

/** Member and admin case API: inbox, one case, actions. Scope and rules live in the services. */
export const casesRoutes: FastifyPluginAsyncTypebox<{ cases: CasesService; actions: CaseActionsService; blobs: BlobStore }> = async (
  app,
  { cases, actions, blobs },
) => {
  app.get(
    '/api/v1/me/cases',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['cases'],
        summary: 'My inbox: cases assigned to me (members) or in my stations/committee (admins), newest first',
        querystring: CaseListQuery,
        response: { 200: CaseListPage, ...problems(400) },
      },
    },
    (request) => cases.list(actorOf(request), request.query),
  )

  app.get(
    '/api/v1/cases/:id',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['cases'],
        summary: 'A case with its whole timeline; the phone in full only for the assignee (audit-logged)',
        params: IdParams,
        response: { 200: CaseDetail, ...problems(400, 404) },
      },
    },
    (request) => cases.detail(actorOf(request), request.params.id, request.ip),
  )

  app.post(
    '/api/v1/cases/:id/actions',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['cases'],
        summary:
          'Act on a case: accept, decline, note, resolve… The same opId twice answers the first result (409 OP_ID_REUSED if the second request differs); a stale baseVersion answers 409 with the current case',
        params: IdParams,
        body: CaseActionBody,
        response: { 200: CaseActionResult, ...problems(400, 404, 409) },
      },
    },
    (request) => actions.act(actorOf(request), request.params.id, request.body, request.ip),
  )

  app.post(
    '/api/v1/cases/:id/actions/with-photos',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['cases'],
        summary:
          "The same actions with up to 3 photos: multipart/form-data with `action` (the JSON body of /actions), image files, and optionally `public=true` to show them on the resident's tracking page",
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 200: CaseActionResult, ...problems(400, 404, 409, 413, 415) },
      },
    },
    async (request) => {
      const { action, photos, photosPublic } = await readActionUpload(request)
      return actions.act(actorOf(request), request.params.id, action, request.ip, photos, { photosPublic })
    },
  )

  app.get(
    '/api/v1/attachments/:id',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['cases'],
        summary: 'A photo of a case (re-encoded, EXIF stripped)',
        params: IdParams,
        produces: ['image/jpeg'],
        response: { 200: Type.Unknown(), ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const a = await cases.attachment(actorOf(request), request.params.id)
      const data = await blobs.get(a.storageKey)
      if (!data) throw notFound('attachment file')
      // Photos never change once stored; private because they are residents' data.
      return reply.type(a.mime).header('cache-control', 'private, max-age=31536000, immutable').send(data)
    },
  )
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Activity, ActivityPhotoParams, ActivityReviewBody, IdParams, MemberActivityResult } from '@mashangjian/shared'
import { actorOf, ADMINS, SIGNED_IN } from '../auth/access-guard'
import type { BlobStore } from '../attachments/blob-store'
import { notFound } from '../errors/app-error'
import { problems } from '../errors/problem-responses'
import type { ActivitiesService } from './activities-service'
import { readActivityUpload } from './activity-upload'

/** issue 15: members log their own 履职 from the phone; station and committee admins review them. */
export const memberActivitiesRoutes: FastifyPluginAsyncTypebox<{ activities: ActivitiesService; blobs: BlobStore }> = async (app, { activities, blobs }) => {
  app.post(
    '/api/v1/me/activities',
    {
      config: { access: ['member'] },
      schema: {
        tags: ['ledger'],
        summary:
          'Log one of your own activities (pending until reviewed): JSON, or multipart with `activity` (the same JSON) and photo1–3. The same opId again answers the first result; a different request with it answers 409 OP_ID_REUSED',
        consumes: ['application/json', 'multipart/form-data'],
        response: { 200: MemberActivityResult, 201: MemberActivityResult, ...problems(400, 403, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const { body, photos } = await readActivityUpload(request)
      const result = await activities.logOwn(actorOf(request), body, photos, request.ip)
      return reply.code(result.replayed ? 200 : 201).send(result)
    },
  )

  app.post(
    '/api/v1/activities/:id/review',
    {
      config: { access: ADMINS },
      schema: {
        tags: ['ledger'],
        summary: 'Confirm, correct (changes, then confirm) or reject (with a reason) a member’s pending activity',
        params: IdParams,
        body: ActivityReviewBody,
        response: { 200: Activity, ...problems(400, 403, 404, 409) },
      },
    },
    (request) => activities.review(actorOf(request), request.params.id, request.body, request.ip),
  )

  app.get(
    '/api/v1/activities/:id/photos/:photoId',
    {
      config: { access: SIGNED_IN },
      schema: {
        tags: ['ledger'],
        summary: 'A photo of an activity (the member and admins in scope)',
        params: ActivityPhotoParams,
        produces: ['image/jpeg'],
        response: { 200: Type.Unknown(), ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const p = await activities.photo(actorOf(request), request.params.id, request.params.photoId)
      const data = await blobs.get(p.storageKey)
      if (!data) throw notFound('photo file')
      return reply.type(p.mime).header('cache-control', 'private, max-age=31536000, immutable').send(data)
    },
  )
}

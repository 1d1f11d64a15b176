import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type {} from '@fastify/multipart'
import { Type } from 'typebox'
import { CreateMemberBody, IdParams, MemberListQuery, MemberPage, MemberView, UpdateMemberBody } from '@mashangjian/shared'
import { actorOf, ADMINS, COMMITTEE_ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import { AppError, validationFailed } from '../errors/app-error'
import { MAX_IMAGE_BYTES } from '../attachments/image-processing'
import type { MembersService } from './members-service'

export const membersRoutes: FastifyPluginAsyncTypebox<{ members: MembersService }> = async (app, { members }) => {
  const tags = ['members']
  app.get(
    '/api/v1/members',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: 'Members you manage (your stations’, or your committee subtree’s), by name',
        querystring: MemberListQuery,
        response: { 200: MemberPage, ...problems(400) },
      },
    },
    (request) => members.list(actorOf(request), request.query),
  )

  app.get(
    '/api/v1/members/:id',
    {
      config: { access: ADMINS },
      schema: { tags, summary: 'A member you manage; the phone masked', params: IdParams, response: { 200: MemberView, ...problems(400, 404) } },
    },
    (request) => members.get(actorOf(request), request.params.id),
  )

  app.post(
    '/api/v1/members',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: 'Add a member (station admins: to at least one of their stations)',
        body: CreateMemberBody,
        response: { 201: MemberView, ...problems(400) },
      },
    },
    async (request, reply) => reply.code(201).send(await members.create(actorOf(request), request.body, request.ip)),
  )

  app.patch(
    '/api/v1/members/:id',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: 'Change a member; `stationIds` replaces only the stations you manage; `phone: null` removes the number',
        params: IdParams,
        body: UpdateMemberBody,
        response: { 200: MemberView, ...problems(400, 404) },
      },
    },
    (request) => members.update(actorOf(request), request.params.id, request.body, request.ip),
  )

  app.delete(
    '/api/v1/members/:id',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: 'Delete a member without history (else set status inactive)',
        params: IdParams,
        response: { 204: Type.Null(), ...problems(400, 404, 409) },
      },
    },
    async (request, reply) => {
      await members.remove(actorOf(request), request.params.id, request.ip)
      return reply.code(204).send(null)
    },
  )

  app.put(
    '/api/v1/members/:id/photo',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: 'Set the portrait: multipart/form-data with one image file (re-encoded, EXIF stripped)',
        params: IdParams,
        consumes: ['multipart/form-data'],
        response: { 200: MemberView, ...problems(400, 404, 413, 415) },
      },
    },
    async (request) => {
      if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send multipart/form-data with one image file.')
      const part = await request.file({ limits: { fileSize: MAX_IMAGE_BYTES, files: 1 } })
      if (!part) throw validationFailed([{ field: 'body.photo', message: 'required: an image file', keyword: 'required' }])
      const data = await part.toBuffer()
      if (part.file.truncated) throw validationFailed([{ field: 'body.photo', message: 'too large (at most 8 MB)', keyword: 'size' }])
      return members.setPhoto(actorOf(request), request.params.id, data, request.ip)
    },
  )

  app.delete(
    '/api/v1/members/:id/photo',
    {
      config: { access: ADMINS },
      schema: { tags, summary: 'Remove the portrait', params: IdParams, response: { 200: MemberView, ...problems(400, 404) } },
    },
    (request) => members.removePhoto(actorOf(request), request.params.id, request.ip),
  )

  app.get(
    '/api/v1/public/members/:id/photo',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'A member’s portrait as the scan page shows it',
        params: IdParams,
        produces: ['image/jpeg'],
        response: { 200: Type.Unknown({ description: 'JPEG image' }), ...problems(400, 404) },
      },
    },
    async (request, reply) => {
      const data = await members.publicPhoto(request.params.id)
      return reply.type('image/jpeg').header('cache-control', 'public, max-age=3600').send(data)
    },
  )
}

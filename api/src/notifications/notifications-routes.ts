import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  ChannelBody,
  ChannelList,
  ChannelListQuery,
  ChannelTestBody,
  ChannelTestResult,
  ChannelView,
  IdParams,
  NotificationList,
  NotificationListQuery,
  NotificationPage,
  NotificationPreferences,
  NotificationPreferencesView,
  NotificationView,
  SmsOptOutBody,
} from '@mashangjian/shared'
import { actorOf, ADMINS, COMMITTEE_ADMINS } from '../auth/access-guard'
import { problems } from '../errors/problem-responses'
import type { ChannelsService } from './channels-service'
import type { NotificationsService } from './notifications-service'

export const notificationsRoutes: FastifyPluginAsyncTypebox<{ channels: ChannelsService; notifications: NotificationsService }> = async (
  app,
  { channels, notifications },
) => {
  const tags = ['notifications']

  app.get(
    '/api/v1/notification-channels',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: "A committee's notification channels (secrets are never returned)",
        querystring: ChannelListQuery,
        response: { 200: ChannelList, ...problems(400, 404) },
      },
    },
    (request) => channels.list(actorOf(request), request.query.committeeId),
  )

  app.post(
    '/api/v1/notification-channels',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: { tags, summary: 'Add an SMS account, a group robot or a webhook', body: ChannelBody, response: { 201: ChannelView, ...problems(400, 404) } },
    },
    async (request, reply) => reply.code(201).send(await channels.create(actorOf(request), request.body, request.ip)),
  )

  app.put(
    '/api/v1/notification-channels/:id',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: 'Change a channel; secrets not given keep their saved values',
        params: IdParams,
        body: ChannelBody,
        response: { 200: ChannelView, ...problems(400, 404) },
      },
    },
    (request) => channels.update(actorOf(request), request.params.id, request.body, request.ip),
  )

  app.delete(
    '/api/v1/notification-channels/:id',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: { tags, summary: 'Remove a channel', params: IdParams, response: { 204: Type.Null(), ...problems(400, 404) } },
    },
    async (request, reply) => {
      await channels.remove(actorOf(request), request.params.id, request.ip)
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/api/v1/notification-channels/:id/test',
    {
      config: { access: COMMITTEE_ADMINS },
      schema: {
        tags,
        summary: "Send a test message now and see the provider's answer",
        params: IdParams,
        body: ChannelTestBody,
        response: { 200: ChannelTestResult, ...problems(400, 404) },
      },
    },
    (request) => channels.test(actorOf(request), request.params.id, request.body, request.ip),
  )

  app.get(
    '/api/v1/notifications',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: 'Notices in your scope, newest first (status=failed: the ones that gave up)',
        querystring: NotificationListQuery,
        response: { 200: NotificationPage, ...problems(400) },
      },
    },
    (request) => notifications.list(actorOf(request), request.query),
  )

  app.post(
    '/api/v1/notifications/:id/retry',
    {
      config: { access: ADMINS },
      schema: { tags, summary: 'Send a failed or skipped notice again', params: IdParams, response: { 200: NotificationView, ...problems(400, 404) } },
    },
    (request) => notifications.retry(actorOf(request), request.params.id, request.ip),
  )

  app.get(
    '/api/v1/cases/:id/notifications',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: "A case's delivery log: every notice, its attempts and the providers' answers",
        params: IdParams,
        response: { 200: NotificationList, ...problems(400, 404) },
      },
    },
    (request) => notifications.ofCase(actorOf(request), request.params.id),
  )

  app.get(
    '/api/v1/me/notification-preferences',
    {
      config: { access: ['member'] },
      schema: { tags, summary: 'How new cases, reminders and 督办 reach you', response: { 200: NotificationPreferencesView, ...problems(404) } },
    },
    (request) => notifications.preferences(actorOf(request)),
  )

  app.put(
    '/api/v1/me/notification-preferences',
    {
      config: { access: ['member'] },
      schema: { tags, summary: 'Choose SMS and/or push', body: NotificationPreferences, response: { 200: NotificationPreferencesView, ...problems(400, 404) } },
    },
    (request) => notifications.setPreferences(actorOf(request), request.body),
  )

  app.post(
    '/api/v1/sms-opt-outs',
    {
      config: { access: ADMINS },
      schema: {
        tags,
        summary: "Record a resident's 回复TD: no more SMS to this number",
        body: SmsOptOutBody,
        response: { 204: Type.Null(), ...problems(400) },
      },
    },
    async (request, reply) => {
      await notifications.optOut(actorOf(request), request.body, request.ip)
      return reply.code(204).send(null)
    },
  )
}

import { Type, type Static } from 'typebox'
import { CHANNEL_PROVIDERS, NOTIFICATION_STATUSES, NOTIFY_MEDIA, RECIPIENT_KINDS, SMS_TEMPLATE_KEYS, TEMPLATE_KEYS } from '../notifications'
import { Nullable, Page, PageQuery, Timestamp, Uuid } from './common'

/** An http(s) URL; optional on the providers (the provider's public endpoint is the default), required on the webhook. */
const HttpUrl = Type.String({ maxLength: 500, pattern: '^https?://[^\\s/?#]+[^\\s]*$', description: 'must be an http(s) URL' })
const Short = (max: number, description: string) => Type.String({ minLength: 1, maxLength: max, description })

/** Template key → the provider's template code (Alibaba `SMS_123456`) or id (Tencent `1234567`). */
const SmsTemplates = Type.Partial(
  Type.Object(Object.fromEntries(SMS_TEMPLATE_KEYS.map((k) => [k, Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_]+$' })]))),
  { additionalProperties: false },
)

export type AliyunSmsSettings = Static<typeof AliyunSmsSettings>
export const AliyunSmsSettings = Type.Object(
  {
    provider: Type.Literal('aliyun_sms'),
    accessKeyId: Short(128, 'the AccessKey ID'),
    signName: Short(32, 'the approved signature (签名), without 【】'),
    regionId: Type.Optional(Short(32, 'e.g. cn-hangzhou')),
    endpoint: Type.Optional(HttpUrl),
    templates: SmsTemplates,
  },
  { additionalProperties: false },
)

export type TencentSmsSettings = Static<typeof TencentSmsSettings>
export const TencentSmsSettings = Type.Object(
  {
    provider: Type.Literal('tencent_sms'),
    secretId: Short(128, 'the SecretId'),
    sdkAppId: Type.String({ pattern: '^\\d{6,12}$', description: 'the SmsSdkAppId (digits)' }),
    signName: Short(32, 'the approved signature (签名), without 【】'),
    region: Type.Optional(Short(32, 'e.g. ap-guangzhou')),
    endpoint: Type.Optional(HttpUrl),
    templates: SmsTemplates,
  },
  { additionalProperties: false },
)

export type WecomRobotSettings = Static<typeof WecomRobotSettings>
export const WecomRobotSettings = Type.Object(
  {
    provider: Type.Literal('wecom_robot'),
    msgtype: Type.Optional(Type.Enum(['markdown', 'text'])),
    endpoint: Type.Optional(HttpUrl),
  },
  { additionalProperties: false },
)

export type DingtalkRobotSettings = Static<typeof DingtalkRobotSettings>
export const DingtalkRobotSettings = Type.Object(
  {
    provider: Type.Literal('dingtalk_robot'),
    endpoint: Type.Optional(HttpUrl),
  },
  { additionalProperties: false },
)

export type WebhookSettings = Static<typeof WebhookSettings>
export const WebhookSettings = Type.Object(
  {
    provider: Type.Literal('webhook'),
    url: HttpUrl,
  },
  { additionalProperties: false },
)

/** Non-secret settings of one channel, by provider. */
export const ChannelSettings = Type.Union([AliyunSmsSettings, TencentSmsSettings, WecomRobotSettings, DingtalkRobotSettings, WebhookSettings])
export type ChannelSettings = Static<typeof ChannelSettings>

/** Secret values by name (PROVIDER_CREDENTIALS); omitted names keep what was saved. */
const Credentials = Type.Record(Type.String({ pattern: '^[A-Za-z]+$' }), Type.String({ minLength: 1, maxLength: 512 }))

export const ChannelBody = Type.Object(
  {
    /** On create: the committee (defaults to the caller's own); ignored on update. */
    committeeId: Type.Optional(Uuid),
    name: Type.String({ minLength: 1, maxLength: 64 }),
    /** Robots can belong to a station (queue arrivals, escalations, 督办 there); null: the committee's own. */
    stationId: Type.Optional(Nullable(Uuid)),
    enabled: Type.Optional(Type.Boolean()),
    settings: ChannelSettings,
    credentials: Type.Optional(Credentials),
  },
  { additionalProperties: false },
)
export type ChannelBody = Static<typeof ChannelBody>

export const ChannelView = Type.Object({
  id: Uuid,
  committeeId: Uuid,
  stationId: Nullable(Uuid),
  stationName: Nullable(Type.String()),
  provider: Type.Enum([...CHANNEL_PROVIDERS]),
  name: Type.String(),
  enabled: Type.Boolean(),
  settings: ChannelSettings,
  /** Names of the secrets saved; their values are never returned. */
  credentialsSet: Type.Array(Type.String()),
  updatedAt: Timestamp,
})
export type ChannelView = Static<typeof ChannelView>
export const ChannelList = Type.Object({ items: Type.Array(ChannelView) })
export type ChannelList = Static<typeof ChannelList>

export const ChannelListQuery = Type.Object({ committeeId: Type.Optional(Uuid) }, { additionalProperties: false })

export const ChannelTestBody = Type.Object(
  {
    /** SMS channels: the mainland mobile to send the test to. */
    phone: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false },
)
export type ChannelTestBody = Static<typeof ChannelTestBody>

/** What the provider answered, shown as is in the console. */
export const DeliveryAnswer = Type.Object({
  ok: Type.Boolean(),
  retryable: Type.Boolean(),
  httpStatus: Nullable(Type.Integer()),
  providerCode: Nullable(Type.String()),
  providerMessage: Nullable(Type.String()),
  providerMessageId: Nullable(Type.String()),
})
export type DeliveryAnswer = Static<typeof DeliveryAnswer>
export const ChannelTestResult = Type.Intersect([DeliveryAnswer, Type.Object({ provider: Type.Enum([...CHANNEL_PROVIDERS]) })])
export type ChannelTestResult = Static<typeof ChannelTestResult>

export const NotificationAttemptView = Type.Object({
  at: Timestamp,
  provider: Type.String(),
  ok: Type.Boolean(),
  httpStatus: Nullable(Type.Integer()),
  providerCode: Nullable(Type.String()),
  providerMessage: Nullable(Type.String()),
  durationMs: Type.Integer(),
})
export type NotificationAttemptView = Static<typeof NotificationAttemptView>

export const NotificationView = Type.Object({
  id: Uuid,
  caseId: Nullable(Uuid),
  publicNo: Nullable(Type.String()),
  templateKey: Type.Enum([...TEMPLATE_KEYS]),
  recipientKind: Type.Enum([...RECIPIENT_KINDS]),
  /** Whom, as staff may see it: a member's or station's name, a masked phone, a channel's name. */
  recipientLabel: Type.String(),
  channel: Type.Enum([...NOTIFY_MEDIA]),
  status: Type.Enum([...NOTIFICATION_STATUSES]),
  /** Why skipped or failed, in words. */
  statusReason: Nullable(Type.String()),
  attempts: Type.Integer(),
  createdAt: Timestamp,
  /** Held until then (quiet hours) or the next retry. */
  nextAttemptAt: Nullable(Timestamp),
  sentAt: Nullable(Timestamp),
  segments: Nullable(Type.Integer()),
  attemptLog: Type.Array(NotificationAttemptView),
})
export type NotificationView = Static<typeof NotificationView>
export const NotificationList = Type.Object({ items: Type.Array(NotificationView) })
export type NotificationList = Static<typeof NotificationList>
export const NotificationPage = Page(NotificationView)
export type NotificationPage = Static<typeof NotificationPage>

export const NotificationListQuery = Type.Object(
  {
    committeeId: Type.Optional(Uuid),
    status: Type.Optional(Type.Enum([...NOTIFICATION_STATUSES])),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type NotificationListQuery = Static<typeof NotificationListQuery>

/** A member's own choice of how new cases, reminders and 督办 reach them. */
export const NotificationPreferences = Type.Object(
  {
    sms: Type.Boolean(),
    push: Type.Boolean(),
  },
  { additionalProperties: false },
)
export type NotificationPreferences = Static<typeof NotificationPreferences>
export const NotificationPreferencesView = Type.Intersect([
  NotificationPreferences,
  Type.Object({
    /** Masked; SMS needs a phone on the member's record (admins keep it). */
    phoneMasked: Nullable(Type.String()),
  }),
])
export type NotificationPreferencesView = Static<typeof NotificationPreferencesView>

/** A resident's "回复TD" recorded by staff or an SMS gateway: no more messages to this number. */
export const SmsOptOutBody = Type.Object(
  {
    phone: Type.String({ minLength: 5, maxLength: 20 }),
    source: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
)
export type SmsOptOutBody = Static<typeof SmsOptOutBody>

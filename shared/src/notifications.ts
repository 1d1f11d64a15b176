/**
 * The notification contract: which notices exist (template keys), who they go to, by which medium, and how a
 * committee configures the providers behind each medium. The outbox (api/src/notifications) stores one row per
 * notice × recipient × medium; adapters turn a row into a provider's request.
 */

/** Every kind of notice; also the template key a committee maps to its SMS provider's approved template. */
export const TEMPLATE_KEYS = [
  // to the member who holds the case
  'member.assigned',
  'member.accept_reminder',
  'member.resolve_reminder',
  'member.overdue',
  'member.chased',
  'member.reopened',
  'member.digest',
  // 交办 came back: the department answered or returned it (to the member who holds the case)
  'member.handoff_answered',
  'member.handoff_returned',
  // issue 16: the resident added information or photos to their open case (push only: no SMS template)
  'member.resident_added_info',
  // to a department (its group robot, or its contact's mobile): a hand-off with its reply link, a reminder, overdue
  'department.handoff',
  'department.reminder',
  'department.overdue',
  // to a station's work group (robot) and its admins (push)
  'station.queued',
  'station.escalated',
  'station.chased',
  // to residents who left a phone (the submitter and everyone who joined the case)
  'resident.received',
  'resident.accepted',
  'resident.resolved',
  'resident.merged',
  'resident.invalid',
  // to a committee's work group: the morning summary
  'committee.digest',
  // to integrators (generic webhook): every case notice as an event
  'case.event',
  // a console "send a test"
  'test',
] as const
export type TemplateKey = (typeof TEMPLATE_KEYS)[number]

/** SMS template keys a committee maps to provider template codes (Alibaba `SMS_…`, Tencent numeric ids). */
export const SMS_TEMPLATE_KEYS = [
  'member.assigned',
  'member.accept_reminder',
  'member.resolve_reminder',
  'member.overdue',
  'member.chased',
  'member.reopened',
  'member.digest',
  'resident.received',
  'resident.accepted',
  'resident.resolved',
  'resident.merged',
  'resident.invalid',
  'test',
  'member.handoff_answered',
  'member.handoff_returned',
  'department.handoff',
  'department.reminder',
  'department.overdue',
] as const satisfies readonly TemplateKey[]
export type SmsTemplateKey = (typeof SMS_TEMPLATE_KEYS)[number]

/**
 * The parameters each SMS template receives, in order. Alibaba Cloud gets them by name as JSON
 * (`{"publicNo":"…","url":"…"}`); Tencent Cloud by position (`TemplateParamSet`), in this order. A committee's
 * approved templates must use these variables (README "Notifications").
 */
export const SMS_TEMPLATE_PARAMS: Record<SmsTemplateKey, readonly string[]> = {
  'member.assigned': ['publicNo', 'url'],
  'member.accept_reminder': ['publicNo', 'url'],
  'member.resolve_reminder': ['publicNo', 'url'],
  'member.overdue': ['publicNo', 'url'],
  'member.chased': ['publicNo', 'url'],
  'member.reopened': ['publicNo', 'url'],
  'member.digest': ['waiting', 'working', 'overdue'],
  'resident.received': ['publicNo', 'url'],
  'resident.accepted': ['publicNo', 'member', 'url'],
  'resident.resolved': ['publicNo', 'url'],
  'resident.merged': ['publicNo', 'intoPublicNo', 'url'],
  'resident.invalid': ['publicNo', 'url'],
  test: ['code'],
  'member.handoff_answered': ['publicNo', 'department', 'url'],
  'member.handoff_returned': ['publicNo', 'department', 'url'],
  'department.handoff': ['department', 'publicNo', 'due', 'url'],
  'department.reminder': ['publicNo', 'due', 'url'],
  'department.overdue': ['publicNo', 'url'],
}

/** Who a notice is for; the address (phone, group, URL) is looked up when it is delivered, never stored in the row. */
export const RECIPIENT_KINDS = ['member', 'station', 'resident', 'committee', 'department'] as const
export type RecipientKind = (typeof RECIPIENT_KINDS)[number]

/** The medium of one outbox row; which provider carries it is the committee's configuration at delivery time. */
export const NOTIFY_MEDIA = ['sms', 'push', 'robot', 'webhook', 'log'] as const
export type NotifyMedium = (typeof NOTIFY_MEDIA)[number]

/** pending → sending → sent | pending (retry) | failed (gave up); skipped: nobody to send to (opted out, no phone, no subscription). */
export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number]

/** Providers a committee (or, for robots, a station) can configure in the console. */
export const CHANNEL_PROVIDERS = ['aliyun_sms', 'tencent_sms', 'wecom_robot', 'dingtalk_robot', 'webhook'] as const
export type ChannelProvider = (typeof CHANNEL_PROVIDERS)[number]

/** The medium each provider serves. */
export const PROVIDER_MEDIUM: Record<ChannelProvider, NotifyMedium> = {
  aliyun_sms: 'sms',
  tencent_sms: 'sms',
  wecom_robot: 'robot',
  dingtalk_robot: 'robot',
  webhook: 'webhook',
}

/** Secret fields per provider: written once, stored encrypted, never returned by the API. */
export const PROVIDER_CREDENTIALS: Record<ChannelProvider, readonly string[]> = {
  aliyun_sms: ['accessKeySecret'],
  tencent_sms: ['secretKey'],
  wecom_robot: ['key'],
  dingtalk_robot: ['accessToken', 'secret'],
  webhook: ['signingSecret'],
}

/** Quiet hours for members' SMS, Beijing time: held until 07:00 unless the case is urgent. */
export const QUIET_HOURS = { from: 22, until: 7 } as const

/** Mainland China mobile numbers only (SMS providers here are configured for domestic templates). */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/

/**
 * Length and segment count of an SMS as Chinese carriers bill it: the signature 【…】 counts, every character
 * (Chinese or Latin) counts as one; up to 70 is one message, longer ones are split into 67-character parts.
 */
export function smsSegments(text: string, signName = ''): { length: number; segments: number } {
  const length = [...((signName ? `【${signName}】` : '') + text)].length
  return { length, segments: length <= 70 ? 1 : Math.ceil(length / 67) }
}

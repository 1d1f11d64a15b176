import { sql } from 'drizzle-orm'
import { pgTable, text, uuid, integer, boolean, jsonb, timestamp, index, uniqueIndex } from 'drizzle-orm/pg-core'
import { CHANNEL_PROVIDERS, NOTIFICATION_STATUSES, NOTIFY_MEDIA, RECIPIENT_KINDS, TEMPLATE_KEYS } from '@mashangjian/shared'
import { id, createdAt, updatedAt, oneOf } from './columns'
import { committee, station } from './org'
import { cases, caseFollower } from './cases'

/**
 * A provider a committee configured (SMS account, a station's or the committee's group robot, an integrator's
 * webhook). Secrets live in `credentials_enc` (AES-GCM, like residents' phones) and never leave the server.
 */
export const notificationChannel = pgTable(
  'notification_channel',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committee.id),
    /** Robots may belong to one station (its queue, escalations, 督办); null: the committee's own. */
    stationId: uuid('station_id').references(() => station.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: CHANNEL_PROVIDERS }).notNull(),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull(),
    credentialsEnc: text('credentials_enc'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [oneOf('notification_channel_provider_check', t.provider, CHANNEL_PROVIDERS), index('notification_channel_committee_idx').on(t.committeeId)],
)

/**
 * The outbox: one row per notice × recipient × medium, written in the transaction of the event that causes it
 * and delivered after commit by the delivery worker (notifications/delivery.ts). The recipient's address is
 * looked up at delivery, so no phone number or link is stored here.
 */
export const notification = pgTable(
  'notification',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committee.id),
    caseId: uuid('case_id').references(() => cases.id),
    templateKey: text('template_key', { enum: TEMPLATE_KEYS }).notNull(),
    recipientKind: text('recipient_kind', { enum: RECIPIENT_KINDS }).notNull(),
    /** The member, station or committee; for a resident, the case (the first resident) … */
    recipientId: uuid('recipient_id').notNull(),
    /** … or the follower who joined it. */
    followerId: uuid('follower_id').references(() => caseFollower.id),
    channel: text('channel', { enum: NOTIFY_MEDIA }).notNull(),
    /** Robots and webhooks: the configured channel the row goes to. */
    channelId: uuid('channel_id').references(() => notificationChannel.id, { onDelete: 'set null' }),
    params: jsonb('params').$type<Record<string, string>>().notNull().default({}),
    urgent: boolean('urgent').notNull().default(false),
    /** Event × recipient × medium: writing the same notice twice (a retried transaction, a replayed job) adds nothing. */
    idempotencyKey: text('idempotency_key').notNull(),
    status: text('status', { enum: NOTIFICATION_STATUSES }).notNull().default('pending'),
    statusReason: text('status_reason'),
    attempts: integer('attempts').notNull().default(0),
    /** Not before then: quiet hours, or the next retry after a backoff. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    /** A worker holds a row it is sending until then; a worker killed mid-send loses it when this passes. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    provider: text('provider'),
    segments: integer('segments'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    oneOf('notification_template_check', t.templateKey, TEMPLATE_KEYS),
    oneOf('notification_recipient_check', t.recipientKind, RECIPIENT_KINDS),
    oneOf('notification_channel_check', t.channel, NOTIFY_MEDIA),
    oneOf('notification_status_check', t.status, NOTIFICATION_STATUSES),
    uniqueIndex('notification_idempotency_key').on(t.idempotencyKey),
    // The worker's queue: what is due (pending) or abandoned by a dead worker (sending).
    index('notification_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`status = 'pending'`),
    index('notification_leased_idx')
      .on(t.leaseUntil)
      .where(sql`status = 'sending'`),
    index('notification_case_idx').on(t.caseId),
    index('notification_committee_status_idx').on(t.committeeId, t.status, t.createdAt),
  ],
)

/** Every try at delivering a notification, with what the provider answered. */
export const notificationAttempt = pgTable(
  'notification_attempt',
  {
    id: id(),
    notificationId: uuid('notification_id')
      .notNull()
      .references(() => notification.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    provider: text('provider').notNull(),
    ok: boolean('ok').notNull(),
    httpStatus: integer('http_status'),
    providerCode: text('provider_code'),
    providerMessage: text('provider_message'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('notification_attempt_notification_idx').on(t.notificationId)],
)

/** Numbers that replied 回复TD (or asked staff): no more SMS to them. Keyed by the residents' phone hash. */
export const smsOptOut = pgTable('sms_opt_out', {
  phoneHash: text('phone_hash').primaryKey(),
  source: text('source').notNull().default(''),
  createdAt: createdAt(),
})

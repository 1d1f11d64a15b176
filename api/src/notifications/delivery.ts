import { createHmac } from 'node:crypto'
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import { MAINLAND_MOBILE, smsSegments, type ChannelProvider, type TemplateKey } from '@mashangjian/shared'
import type { Clock } from '../clock'
import type { Db } from '../db/database'
import {
  caseFollower,
  cases,
  department,
  handoff,
  member,
  notification,
  notificationAttempt,
  notificationChannel,
  smsOptOut,
  station,
  trackingLink,
} from '../db/schema'
import type { PiiCipher } from '../privacy/pii-cipher'
import { maskPhone } from '../privacy/pii-cipher'
import { redactSecretLinks } from '../privacy/redact-links'
import type { PhoneLookup } from '../privacy/phone-lookup'
import type { MemberNotice, MemberNoticeKind } from '../push/push-notifier'
import { adapters } from './channels'
import { networkFailure, PROVIDER_TIMEOUT_MS, type ChannelConfig, type DeliveryResult, type OutboundMessage } from './channels/channel'
import { render } from './render'
import { releaseAfterQuietHours } from './quiet-hours'

type Row = typeof notification.$inferSelect

/** A worker holds a claimed row this long; far longer than one provider request may take (PROVIDER_TIMEOUT_MS). */
export const LEASE_MS = 60_000
/** Retries back off 30 s, 1, 2, 4 … minutes, at most an hour apart, and give up a day after the notice was written. */
const FIRST_RETRY_MS = 30_000
const MAX_RETRY_MS = 3_600_000
export const GIVE_UP_AFTER_MS = 24 * 3_600_000
const BATCH = 20

export function nextRetryAt(attempts: number, now: Date): Date {
  return new Date(now.getTime() + Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1)))
}

/** A member's SMS retried after backoff still keeps the quiet hours (unless urgent), like its first try. */
function retryAt(row: Pick<Row, 'attempts' | 'recipientKind' | 'channel' | 'urgent'>, now: Date): Date {
  const next = nextRetryAt(row.attempts, now)
  return row.recipientKind === 'member' && row.channel === 'sms' && !row.urgent ? releaseAfterQuietHours(next) : next
}

/** What delivery needs besides the database: push sender, the deployment-wide SMS gateway (NOTIFY_WEBHOOK_URL) and secrets. */
export interface DeliveryDeps {
  db: Db
  clock: Clock
  cipher: PiiCipher
  residentPhones: PhoneLookup
  publicBaseUrl: string
  log: FastifyBaseLogger
  push: { deliver(notice: MemberNotice): Promise<DeliveryResult | null> }
  smsGateway?: { url: string; secret?: string | undefined } | undefined
  /** issue 19: monitoring — told each attempt's outcome per channel (metrics). */
  onDelivered?: (channel: Row['channel'], outcome: 'sent' | 'retry' | 'failed' | 'skipped') => void
}

/** The outcome written back to a row. */
type Outcome = { provider: string; result: DeliveryResult; segments?: number } | { skip: string }

const PUSH_KINDS: Partial<Record<TemplateKey, MemberNoticeKind>> = {
  'member.assigned': 'assigned',
  'member.accept_reminder': 'accept_reminder',
  'member.resolve_reminder': 'resolve_reminder',
  'member.overdue': 'overdue',
  'member.chased': 'chased',
  'member.reopened': 'reopened',
  'member.digest': 'digest',
  'member.handoff_answered': 'handoff_answered',
  'member.handoff_returned': 'handoff_returned',
  'member.resident_added_info': 'resident_added_info',
  'station.queued': 'escalated',
  'station.escalated': 'escalated',
  'station.chased': 'chased',
}

/**
 * Delivers the outbox: claims due rows (FOR UPDATE SKIP LOCKED, so two processes never take the same row),
 * looks up each recipient's address, sends through the medium's provider, records the attempt, and marks the
 * row sent, pending again (backoff) or failed (gave up). Nothing here runs inside a request.
 */
export function createDelivery(deps: DeliveryDeps) {
  const { db, clock, cipher, log } = deps

  async function claim(now: Date): Promise<Row[]> {
    const due = sql`(select id from notification where (status = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz)
      or (status = 'sending' and lease_until < ${now.toISOString()}::timestamptz)
      order by next_attempt_at limit ${BATCH} for update skip locked)`
    return db
      .update(notification)
      .set({
        status: 'sending',
        leaseUntil: new Date(now.getTime() + LEASE_MS),
        attempts: sql`${notification.attempts} + 1`,
        updatedAt: now,
      })
      .where(inArray(notification.id, due))
      .returning()
  }

  async function channelConfig(id: string | null): Promise<{ provider: ChannelProvider; config: ChannelConfig; enabled: boolean } | null> {
    if (!id) return null
    const [c] = await db.select().from(notificationChannel).where(eq(notificationChannel.id, id))
    if (!c) return null
    return {
      provider: c.provider,
      enabled: c.enabled,
      config: { settings: c.settings, credentials: c.credentialsEnc ? (JSON.parse(cipher.decrypt(c.credentialsEnc)) as Record<string, string>) : {} },
    }
  }

  /** The committee's SMS account: the first enabled one it configured. */
  async function smsChannel(committeeId: string) {
    const [c] = await db
      .select({ id: notificationChannel.id })
      .from(notificationChannel)
      .where(
        and(
          eq(notificationChannel.committeeId, committeeId),
          eq(notificationChannel.enabled, true),
          inArray(notificationChannel.provider, ['aliyun_sms', 'tencent_sms']),
        ),
      )
      .orderBy(asc(notificationChannel.createdAt))
      .limit(1)
    return c ? channelConfig(c.id) : null
  }

  /** The resident's phone, language and own tracking link (the submitter's or the follower's). */
  async function resident(row: Row) {
    if (row.followerId) {
      const [f] = await db
        .select({ phoneEnc: caseFollower.residentPhoneEnc, locale: caseFollower.residentLocale, secretEnc: caseFollower.trackingSecretEnc })
        .from(caseFollower)
        .where(eq(caseFollower.id, row.followerId))
      return f
    }
    const [c] = await db
      .select({ phoneEnc: cases.residentPhoneEnc, locale: cases.residentLocale, secretEnc: cases.trackingSecretEnc })
      .from(cases)
      .where(eq(cases.id, row.recipientId))
    return c
  }

  async function sendSms(row: Row, phone: string, message: OutboundMessage): Promise<Outcome> {
    if (!MAINLAND_MOBILE.test(phone)) return { skip: 'not a mainland mobile number' }
    const sms = await smsChannel(row.committeeId)
    if (sms) {
      const signName = String((sms.config.settings as { signName?: string }).signName ?? '')
      // The provider adds its own 【signature】; ours would be counted twice.
      const counted = smsSegments(message.text.replace(/^【[^】]*】/, ''), signName)
      return { provider: sms.provider, result: await adapters[sms.provider].send(message, sms.config, wallClock()), segments: counted.segments }
    }
    const segments = smsSegments(message.text).segments
    if (deps.smsGateway)
      return { provider: 'sms_gateway', result: await gateway(deps.smsGateway, { to: phone, text: message.text, caseId: row.caseId }), segments }
    log.info({ to: maskPhone(phone), caseId: row.caseId, text: redactSecretLinks(message.text) }, 'sms (log channel: no SMS provider configured)')
    return { provider: 'log', result: okResult('logged'), segments }
  }

  async function resolveAndSend(row: Row): Promise<Outcome> {
    const base = deps.publicBaseUrl
    const params: Record<string, string> = { ...row.params }
    if (row.caseId && !params.url) {
      params.url = row.recipientKind === 'member' ? `${base}/app/cases/${row.caseId}` : `${base}/app/admin/cases/${row.caseId}`
    }
    if (row.recipientKind === 'station') {
      const [s] = await db.select({ name: station.name }).from(station).where(eq(station.id, row.recipientId))
      if (s) params.stationName = s.name
    }
    let locale: string | null = null
    let phone: string | null = null
    if (row.recipientKind === 'department') {
      // The link is the hand-off's own secret, read now: a closed hand-off or a revoked link sends nothing.
      const [h] = await db
        .select({ status: handoff.status, secretEnc: handoff.secretEnc, revoked: handoff.linkRevokedAt, phoneEnc: department.contactPhoneEnc })
        .from(handoff)
        .innerJoin(department, eq(department.id, handoff.departmentId))
        .where(eq(handoff.id, row.recipientId))
      if (!h || !['sent', 'acknowledged'].includes(h.status)) return { skip: 'hand-off closed' }
      if (h.revoked) return { skip: 'link revoked' }
      params.url = `${base}/d/${cipher.decrypt(h.secretEnc)}`
      phone = h.phoneEnc ? cipher.decrypt(h.phoneEnc) : null
    }
    if (row.recipientKind === 'resident') {
      const r = await resident(row)
      if (!r?.phoneEnc) return { skip: 'no phone' }
      phone = cipher.decrypt(r.phoneEnc)
      const [out] = await db
        .select({ at: smsOptOut.createdAt })
        .from(smsOptOut)
        .where(eq(smsOptOut.phoneHash, deps.residentPhones.hash(phone)))
      if (out) return { skip: 'opted out (回复TD)' }
      locale = r.locale
      params.url = r.secretEnc ? `${base}/t/${cipher.decrypt(r.secretEnc)}` : `${base}/`
      if (params.trackingLinkId) {
        // 找回我的诉求 (issue 16): the new link's own secret, read now; a revoked link sends nothing.
        const [l] = await db
          .select({ secretEnc: trackingLink.secretEnc, revokedAt: trackingLink.revokedAt })
          .from(trackingLink)
          .where(eq(trackingLink.id, params.trackingLinkId))
        if (!l || l.revokedAt) return { skip: 'link revoked' }
        params.url = `${base}/t/${cipher.decrypt(l.secretEnc)}`
      }
    }
    const words = render(row.templateKey, params, locale)
    // Markers for our own wording and link, not for providers or integrators.
    delete params.trackingLinkId
    delete params.notice
    const message: OutboundMessage = {
      idempotencyKey: row.idempotencyKey,
      templateKey: row.templateKey,
      params,
      text: words.text,
      title: words.title,
      url: params.url,
      caseId: row.caseId ?? undefined,
      publicNo: params.publicNo,
      occurredAt: row.createdAt,
    }
    switch (row.channel) {
      case 'sms': {
        if (row.recipientKind === 'member') {
          const [m] = await db.select({ phoneEnc: member.phoneEnc, sms: member.notifySms }).from(member).where(eq(member.id, row.recipientId))
          if (!m?.phoneEnc) return { skip: 'no phone' }
          if (!m.sms) return { skip: 'member turned SMS off' }
          phone = cipher.decrypt(m.phoneEnc)
        }
        if (!phone) return { skip: 'no phone' }
        return sendSms(row, phone, { ...message, phone })
      }
      case 'push': {
        const kind = PUSH_KINDS[row.templateKey]
        if (!kind) return { skip: 'no push for this notice' }
        const result = await deps.push.deliver({
          kind,
          memberId: row.recipientKind === 'member' ? row.recipientId : null,
          stationId: row.recipientKind === 'station' ? row.recipientId : null,
          caseId: row.caseId ?? undefined,
          publicNo: params.publicNo,
          text: words.text,
        })
        return result ? { provider: 'web_push', result } : { skip: 'no push subscription' }
      }
      case 'robot':
      case 'webhook': {
        const ch = await channelConfig(row.channelId)
        if (!ch) return { skip: 'channel deleted' }
        if (!ch.enabled) return { skip: 'channel disabled' }
        return { provider: ch.provider, result: await adapters[ch.provider].send(message, ch.config, wallClock()) }
      }
      case 'log':
        log.info(
          { templateKey: row.templateKey, recipient: row.recipientKind, caseId: row.caseId, text: redactSecretLinks(words.text) },
          'notification (log channel)',
        )
        return { provider: 'log', result: okResult('logged') }
    }
  }

  async function finish(row: Row, outcome: Outcome, startedAt: number): Promise<'sent' | 'retry' | 'failed' | 'skipped'> {
    const now = clock.now()
    if ('skip' in outcome) {
      await db.update(notification).set({ status: 'skipped', statusReason: outcome.skip, leaseUntil: null, updatedAt: now }).where(eq(notification.id, row.id))
      return 'skipped'
    }
    const { result } = outcome
    const giveUp = !result.ok && (!result.retryable || now.getTime() - row.createdAt.getTime() >= GIVE_UP_AFTER_MS)
    await db.transaction(async (tx) => {
      await tx.insert(notificationAttempt).values({
        notificationId: row.id,
        at: now,
        provider: outcome.provider,
        ok: result.ok,
        httpStatus: result.httpStatus,
        providerCode: result.providerCode,
        providerMessage: result.providerMessage,
        durationMs: Math.max(0, Math.round(performance.now() - startedAt)),
      })
      await tx
        .update(notification)
        .set(
          result.ok
            ? {
                status: 'sent',
                sentAt: now,
                leaseUntil: null,
                provider: outcome.provider,
                segments: outcome.segments ?? null,
                statusReason: null,
                updatedAt: now,
              }
            : giveUp
              ? {
                  status: 'failed',
                  leaseUntil: null,
                  provider: outcome.provider,
                  statusReason: `${result.providerCode ?? result.httpStatus ?? 'error'}: ${result.providerMessage ?? ''}`.slice(0, 300),
                  updatedAt: now,
                }
              : {
                  status: 'pending',
                  leaseUntil: null,
                  provider: outcome.provider,
                  nextAttemptAt: retryAt(row, now),
                  statusReason: `${result.providerCode ?? result.httpStatus ?? 'error'}: ${result.providerMessage ?? ''}`.slice(0, 300),
                  updatedAt: now,
                },
        )
        .where(eq(notification.id, row.id))
    })
    return result.ok ? 'sent' : giveUp ? 'failed' : 'retry'
  }

  async function deliverOne(row: Row) {
    const started = performance.now()
    let outcome: Outcome
    try {
      outcome = await resolveAndSend(row)
    } catch (err) {
      log.warn({ err, notification: row.id }, 'notification delivery failed')
      outcome = { provider: 'internal', result: networkFailure(err) }
    }
    const result = await finish(row, outcome, started)
    deps.onDelivered?.(row.channel, result)
    return result
  }

  return {
    /** Delivers everything due now, batch by batch; answers what happened. */
    async deliverDue(): Promise<Record<'sent' | 'retry' | 'failed' | 'skipped', number>> {
      const report = { sent: 0, retry: 0, failed: 0, skipped: 0 }
      for (;;) {
        const rows = await claim(clock.now())
        if (rows.length === 0) return report
        for (const r of await Promise.all(rows.map(deliverOne))) report[r]++
      }
    },
  }
}
export type Delivery = ReturnType<typeof createDelivery>

/**
 * Providers check request timestamps against their own clocks (Alibaba 15 min, Tencent 5 min, DingTalk 1 h):
 * signatures take the machine's real time, never the domain clock that tests move.
 */
export const wallClock = () => new Date()

const okResult = (message: string): DeliveryResult => ({
  ok: true,
  retryable: false,
  httpStatus: null,
  providerCode: null,
  providerMessage: message,
  providerMessageId: null,
})

/**
 * The deployment-wide SMS gateway (NOTIFY_WEBHOOK_URL) for a committee without its own SMS account: JSON
 * `{to, text, caseId}`, signed like the integrators' webhook when NOTIFY_WEBHOOK_SECRET is set.
 */
async function gateway(
  target: { url: string; secret?: string | undefined },
  body: { to: string; text: string; caseId: string | null },
): Promise<DeliveryResult> {
  const raw = JSON.stringify(body)
  const timestamp = String(Math.floor(Date.now() / 1000))
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (target.secret) {
    headers['x-mashangjian-timestamp'] = timestamp
    headers['x-mashangjian-signature'] = `sha256=${createHmac('sha256', target.secret).update(`${timestamp}.${raw}`).digest('hex')}`
  }
  try {
    const res = await fetch(target.url, { method: 'POST', headers, body: raw, redirect: 'error', signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS) })
    const text = (await res.text()).slice(0, 300)
    return {
      ok: res.ok,
      retryable: res.status === 429 || res.status >= 500,
      httpStatus: res.status,
      providerCode: null,
      providerMessage: text || null,
      providerMessageId: null,
    }
  } catch (err) {
    return networkFailure(err)
  }
}

import { randomInt } from 'node:crypto'
import { and, asc, eq } from 'drizzle-orm'
import {
  PROVIDER_CREDENTIALS,
  PROVIDER_MEDIUM,
  type ChannelBody,
  type ChannelList,
  type ChannelTestBody,
  type ChannelTestResult,
  type ChannelView,
} from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { committeeInScope } from '../auth/scope'
import type { Clock } from '../clock'
import type { Db } from '../db/database'
import { committee, notificationChannel, station } from '../db/schema'
import { notFound, validationFailed } from '../errors/app-error'
import type { AuditWriter } from '../audit/audit-log'
import type { PiiCipher } from '../privacy/pii-cipher'
import { normalizeMainlandMobile } from '../public/submission-rules'
import { adapters } from './channels'
import { render } from './render'
import { wallClock } from './delivery'

type ChannelRow = typeof notificationChannel.$inferSelect

/**
 * Committees' notification channels in the console. Secrets are encrypted with the PII key as one JSON object
 * and never returned: a view lists only which secrets are saved. Committee admins manage their subtree's.
 */
export function createChannelsService({ db, cipher, audit, clock }: { db: Db; cipher: PiiCipher; audit: AuditWriter; clock: Clock }) {
  async function committeeOf(actor: Actor, id: string | undefined) {
    const committeeId = id ?? actor.committeeId
    if (!committeeId) throw validationFailed([{ field: 'committeeId', message: 'is required for a system administrator' }])
    const [c] = await db.select({ id: committee.id, path: committee.path }).from(committee).where(eq(committee.id, committeeId))
    if (!c || !committeeInScope(actor, c.path)) throw notFound('committee')
    return c
  }

  async function load(actor: Actor, id: string): Promise<ChannelRow> {
    const [row] = await db
      .select({ ch: notificationChannel, path: committee.path })
      .from(notificationChannel)
      .innerJoin(committee, eq(committee.id, notificationChannel.committeeId))
      .where(eq(notificationChannel.id, id))
    if (!row || !committeeInScope(actor, row.path)) throw notFound('notification channel')
    return row.ch
  }

  const secretsOf = (row: Pick<ChannelRow, 'credentialsEnc'>): Record<string, string> =>
    row.credentialsEnc ? (JSON.parse(cipher.decrypt(row.credentialsEnc)) as Record<string, string>) : {}

  async function view(row: ChannelRow): Promise<ChannelView> {
    const [s] = row.stationId ? await db.select({ name: station.name }).from(station).where(eq(station.id, row.stationId)) : []
    return {
      id: row.id,
      committeeId: row.committeeId,
      stationId: row.stationId,
      stationName: s?.name ?? null,
      provider: row.provider,
      name: row.name,
      enabled: row.enabled,
      settings: row.settings as ChannelView['settings'],
      credentialsSet: Object.keys(secretsOf(row)).sort(),
      updatedAt: row.updatedAt.toISOString(),
    }
  }

  /** Checks what the schema cannot: the secrets a provider has, stations only for robots and only of this committee. */
  async function checked(committeeId: string, body: ChannelBody, saved: Record<string, string>) {
    const provider = body.settings.provider
    const names = PROVIDER_CREDENTIALS[provider]
    const given = body.credentials ?? {}
    const errors = [
      ...Object.keys(given)
        .filter((k) => !names.includes(k))
        .map((k) => ({ field: `body.credentials.${k}`, message: `is not a secret of ${provider} (${names.join(', ')})` })),
      ...names.filter((k) => !given[k] && !saved[k]).map((k) => ({ field: `body.credentials.${k}`, message: 'is required' })),
    ]
    if (body.stationId) {
      if (PROVIDER_MEDIUM[provider] !== 'robot') errors.push({ field: 'body.stationId', message: 'only group robots belong to a station' })
      else {
        const [s] = await db
          .select({ id: station.id })
          .from(station)
          .where(and(eq(station.id, body.stationId), eq(station.committeeId, committeeId)))
        if (!s) errors.push({ field: 'body.stationId', message: 'is not a station of this committee' })
      }
    }
    if (errors.length) throw validationFailed(errors)
    const credentials = { ...saved, ...given }
    return { credentialsEnc: cipher.encrypt(JSON.stringify(credentials)) }
  }

  return {
    async list(actor: Actor, committeeId: string | undefined): Promise<ChannelList> {
      const c = await committeeOf(actor, committeeId)
      const rows = await db.select().from(notificationChannel).where(eq(notificationChannel.committeeId, c.id)).orderBy(asc(notificationChannel.createdAt))
      return { items: await Promise.all(rows.map(view)) }
    },

    async create(actor: Actor, body: ChannelBody, ip: string | null): Promise<ChannelView> {
      const c = await committeeOf(actor, body.committeeId)
      const { credentialsEnc } = await checked(c.id, body, {})
      const now = clock.now()
      const row = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(notificationChannel)
          .values({
            committeeId: c.id,
            stationId: body.stationId ?? null,
            provider: body.settings.provider,
            name: body.name,
            enabled: body.enabled ?? true,
            settings: body.settings,
            credentialsEnc,
            createdAt: now,
            updatedAt: now,
          })
          .returning()
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'notification_channel.create',
          targetKind: 'notification_channel',
          targetId: row!.id,
          detail: { provider: row!.provider, name: row!.name },
        })
        return row!
      })
      return view(row)
    },

    async update(actor: Actor, id: string, body: ChannelBody, ip: string | null): Promise<ChannelView> {
      const existing = await load(actor, id)
      if (body.settings.provider !== existing.provider)
        throw validationFailed([
          { field: 'body.settings.provider', message: `cannot change (this channel is ${existing.provider}); add a new channel instead` },
        ])
      const { credentialsEnc } = await checked(existing.committeeId, body, secretsOf(existing))
      const row = await db.transaction(async (tx) => {
        const [row] = await tx
          .update(notificationChannel)
          .set({
            name: body.name,
            stationId: body.stationId ?? null,
            enabled: body.enabled ?? existing.enabled,
            settings: body.settings,
            credentialsEnc,
            updatedAt: clock.now(),
          })
          .where(eq(notificationChannel.id, id))
          .returning()
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'notification_channel.update',
          targetKind: 'notification_channel',
          targetId: id,
          detail: { secretsReplaced: Object.keys(body.credentials ?? {}) },
        })
        return row!
      })
      return view(row)
    },

    async remove(actor: Actor, id: string, ip: string | null): Promise<void> {
      await load(actor, id)
      await db.transaction(async (tx) => {
        await tx.delete(notificationChannel).where(eq(notificationChannel.id, id))
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'notification_channel.delete',
          targetKind: 'notification_channel',
          targetId: id,
        })
      })
    },

    /** Sends one test message now and answers what the provider said (not through the outbox: the admin waits for it). */
    async test(actor: Actor, id: string, body: ChannelTestBody, ip: string | null): Promise<ChannelTestResult> {
      const row = await load(actor, id)
      let phone: string | undefined
      if (PROVIDER_MEDIUM[row.provider] === 'sms') {
        phone = body.phone ? (normalizeMainlandMobile(body.phone) ?? undefined) : undefined
        if (!phone) throw validationFailed([{ field: 'body.phone', message: 'a mainland mobile number to send the test to', keyword: 'format' }])
      }
      const now = clock.now()
      const params = { code: String(randomInt(1000, 10000)) }
      const words = render('test', params)
      const result = await adapters[row.provider].send(
        {
          idempotencyKey: `test:${id}:${now.getTime()}`,
          templateKey: 'test',
          params,
          text: words.text,
          title: words.title,
          phone,
          occurredAt: now,
        },
        { settings: row.settings, credentials: secretsOf(row) },
        wallClock(),
      )
      await db.transaction((tx) =>
        audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'notification_channel.test',
          targetKind: 'notification_channel',
          targetId: id,
          detail: { ok: result.ok, providerCode: result.providerCode },
        }),
      )
      return { ...result, provider: row.provider }
    },
  }
}
export type ChannelsService = ReturnType<typeof createChannelsService>

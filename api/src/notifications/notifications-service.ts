import { and, eq } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import type {
  NotificationList,
  NotificationListQuery,
  NotificationPage,
  NotificationPreferences,
  NotificationPreferencesView,
  NotificationView,
  SmsOptOutBody,
} from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import type { Clock } from '../clock'
import type { Db } from '../db/database'
import { cases, member, smsOptOut } from '../db/schema'
import { notFound, validationFailed } from '../errors/app-error'
import { visibleCases } from '../cases/member-cases-repo'
import type { AuditWriter } from '../audit/audit-log'
import type { PhoneLookup } from '../privacy/phone-lookup'
import { maskPhone } from '../privacy/pii-cipher'
import { normalizeMainlandMobile } from '../public/submission-rules'
import type { Delivery } from './delivery'
import type { NotificationRow, NotificationsRepo } from './notifications-repo'

export interface NotificationsDeps {
  db: Db
  repo: NotificationsRepo
  delivery: Delivery
  audit: AuditWriter
  clock: Clock
  residentPhones: PhoneLookup
  log: FastifyBaseLogger
  /** False in an API-only process (NOTIFY_DELIVERY=false): rows wait for a process that delivers. */
  deliverHere: boolean
}

/**
 * The outbox seen from outside: `kick()` after a commit delivers what it wrote (one run at a time per process;
 * the job runner's minute tick catches retries and whatever a dead process left), and the console's views:
 * a case's delivery log, failed notices with retry, members' preferences, residents' opt-outs.
 */
export function createNotificationsService({ db, repo, delivery, audit, clock, residentPhones, log, deliverHere }: NotificationsDeps) {
  let running: Promise<void> | null = null
  let again = false

  function kick(): void {
    if (!deliverHere) return
    if (running) {
      again = true
      return
    }
    running = (async () => {
      do {
        again = false
        try {
          await delivery.deliverDue()
        } catch (err) {
          log.warn({ err }, 'notification delivery run failed')
        }
      } while (again)
    })().finally(() => (running = null))
  }

  async function views(rows: NotificationRow[]): Promise<NotificationView[]> {
    const attempts = await repo.attemptsOf(rows.map((r) => r.id))
    return rows.map((r) => ({
      id: r.id,
      caseId: r.caseId,
      publicNo: r.publicNo,
      templateKey: r.templateKey,
      recipientKind: r.recipientKind,
      recipientLabel: labelOf(r),
      channel: r.channel,
      status: r.status,
      statusReason: r.statusReason,
      attempts: r.attempts,
      createdAt: r.createdAt.toISOString(),
      nextAttemptAt: r.status === 'pending' ? r.nextAttemptAt.toISOString() : null,
      sentAt: r.sentAt?.toISOString() ?? null,
      segments: r.segments,
      attemptLog: (attempts.get(r.id) ?? []).map((a) => ({
        at: a.at.toISOString(),
        provider: a.provider,
        ok: a.ok,
        httpStatus: a.httpStatus,
        providerCode: a.providerCode,
        providerMessage: a.providerMessage,
        durationMs: a.durationMs,
      })),
    }))
  }

  return {
    kick,
    /** Resolves when this process's current delivery run ends (shutdown, tests). */
    idle: async () => {
      while (running) await running
    },
    deliverDue: () => delivery.deliverDue(),

    async ofCase(actor: Actor, caseId: string): Promise<NotificationList> {
      const [visible] = await db
        .select({ id: cases.id })
        .from(cases)
        .where(and(eq(cases.id, caseId), visibleCases(actor)))
      if (!visible) throw notFound('case')
      return { items: await views(await repo.ofCase(caseId)) }
    },

    async list(actor: Actor, q: NotificationListQuery): Promise<NotificationPage> {
      const limit = q.limit ?? 50
      const offset = q.offset ?? 0
      const { items, total } = await repo.list(actor, { committeeId: q.committeeId, status: q.status, limit, offset })
      return { items: await views(items), total, limit, offset }
    },

    /** A failed (or skipped) notice goes out again now. */
    async retry(actor: Actor, id: string, ip: string | null): Promise<NotificationView> {
      const row = await repo.findInScope(actor, id)
      if (!row) throw notFound('notification')
      if (row.status !== 'failed' && row.status !== 'skipped') {
        throw validationFailed([{ field: 'id', message: `only a failed or skipped notice can be retried (this one is ${row.status})` }])
      }
      await db.transaction(async (tx) => {
        await repo.requeue(id, clock.now(), tx)
        await audit.record(tx, { actorUserId: actor.userId, actorIp: ip, action: 'notification.retry', targetKind: 'notification', targetId: id })
      })
      // Read before kicking: the answer is the requeued notice (pending), not whatever the run got to by then.
      const [view] = await views([(await repo.findInScope(actor, id))!])
      kick()
      return view!
    },

    async preferences(actor: Actor): Promise<NotificationPreferencesView> {
      if (!actor.memberId) throw notFound('member')
      const [m] = await db
        .select({ sms: member.notifySms, push: member.notifyPush, phoneMasked: member.phoneMasked })
        .from(member)
        .where(eq(member.id, actor.memberId))
      if (!m) throw notFound('member')
      return m
    },

    async setPreferences(actor: Actor, body: NotificationPreferences): Promise<NotificationPreferencesView> {
      if (!actor.memberId) throw notFound('member')
      await db.update(member).set({ notifySms: body.sms, notifyPush: body.push, updatedAt: clock.now() }).where(eq(member.id, actor.memberId))
      return this.preferences(actor)
    },

    /** 回复TD: no more SMS to this number, whichever case it was given for. Keyed by the residents' phone hash. */
    async optOut(actor: Actor, body: SmsOptOutBody, ip: string | null): Promise<void> {
      const phone = normalizeMainlandMobile(body.phone)
      if (!phone) throw validationFailed([{ field: 'body.phone', message: 'must be a mainland mobile number', keyword: 'format' }])
      const hash = residentPhones.hash(phone)
      await db.transaction(async (tx) => {
        await tx
          .insert(smsOptOut)
          .values({ phoneHash: hash, source: body.source ?? 'staff', createdAt: clock.now() })
          .onConflictDoNothing()
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'sms.opt_out',
          targetKind: 'phone',
          targetId: hash.slice(0, 16),
          detail: { phone: maskPhone(phone), source: body.source ?? 'staff' },
        })
      })
    },
  }
}
export type NotificationsService = ReturnType<typeof createNotificationsService>

function labelOf(r: NotificationRow): string {
  switch (r.recipientKind) {
    case 'member':
      return r.memberName ?? '委员'
    case 'station':
      return r.channelName ? `${r.stationName ?? '工作站'} · ${r.channelName}` : (r.stationName ?? '工作站')
    case 'resident':
      return (r.followerId ? r.followerPhoneMasked : r.residentPhoneMasked) ?? '群众'
    case 'committee':
      return r.channelName ?? '委员会'
    case 'department':
      return r.channelName ?? '职能部门'
  }
}

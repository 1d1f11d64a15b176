import { and, eq, isNotNull, isNull } from 'drizzle-orm'
import { formatDate, type CaseAction, type TemplateKey } from '@mashangjian/shared'
import type { DbOrTx } from '../db/database'
import { caseFollower, cases, department, member, notificationChannel } from '../db/schema'
import type { CaseRow } from '../cases/cases-repo'
import { OPEN_CASE_STATUSES } from '../cases/cases-repo'
import { enqueue, type Notice } from './outbox'
import { releaseAfterQuietHours } from './quiet-hours'
import { RECOVERY_NOTICE } from './render'

/** What a notice needs to know of its case. */
export type CaseFacts = Pick<CaseRow, 'id' | 'committeeId' | 'publicNo' | 'memberId' | 'stationId' | 'priority' | 'status' | 'residentPhoneEnc'> & {
  memberName?: string | null
}

const isOpen = (status: string) => (OPEN_CASE_STATUSES as readonly string[]).includes(status)

/** What a department notice needs to know of its hand-off. */
export interface HandoffFacts {
  id: string
  departmentId: string
  departmentName: string
  dueAt: Date
}

/** A deadline as departments read it: 12月9日18:00 (Beijing time). */
function dueWords(d: Date): string {
  // No space between day and time: SMS templates count characters.
  return `${formatDate(d, 'zh-CN', 'monthDay')}${formatDate(d, 'zh-CN', 'time')}`
}

/** A resident status change → the message residents get (every one carries their tracking link). */
const RESIDENT_KEYS: Partial<Record<string, TemplateKey>> = {
  accepted: 'resident.accepted',
  resolved: 'resident.resolved',
  invalid: 'resident.invalid',
}

/**
 * Who gets what (issue 13): members by SMS (if they have a phone and want it) and push on a new case, reminders
 * and 督办, SMS held through quiet hours unless urgent; stations' group robots and admins on queue arrivals,
 * escalations and 督办; residents (the submitter and everyone who joined) by SMS on received, accepted, resolved,
 * merge and invalid; integrators' webhooks on every case event. Runs inside the event's transaction.
 */
export function createNoticePlanner() {
  /** `c` null: not about one case (the digest). */
  async function toMember(
    tx: DbOrTx,
    c: CaseFacts | null,
    memberId: string,
    templateKey: TemplateKey,
    eventKey: string,
    now: Date,
    params: Record<string, string> = {},
  ): Promise<Notice[]> {
    const [m] = await tx
      .select({ committeeId: member.committeeId, sms: member.notifySms, push: member.notifyPush, hasPhone: isNotNull(member.phoneEnc) })
      .from(member)
      .where(eq(member.id, memberId))
    if (!m) return []
    const urgent = c?.priority === 'urgent'
    const base = {
      committeeId: c?.committeeId ?? m.committeeId,
      caseId: c?.id ?? null,
      templateKey,
      recipientKind: 'member' as const,
      recipientId: memberId,
      params: c ? { publicNo: c.publicNo, ...params } : params,
      urgent,
      eventKey,
    }
    const out: Notice[] = []
    if (m.sms && m.hasPhone) out.push({ ...base, channel: 'sms', notBefore: urgent ? now : releaseAfterQuietHours(now) })
    if (m.push) out.push({ ...base, channel: 'push' })
    // Nothing chosen: the log keeps a trace (and is what development sees).
    if (out.length === 0) out.push({ ...base, channel: 'log' })
    return out
  }

  async function robots(tx: DbOrTx, committeeId: string, stationId: string | null) {
    return tx
      .select({ id: notificationChannel.id, provider: notificationChannel.provider })
      .from(notificationChannel)
      .where(
        and(
          eq(notificationChannel.committeeId, committeeId),
          eq(notificationChannel.enabled, true),
          stationId ? eq(notificationChannel.stationId, stationId) : isNull(notificationChannel.stationId),
        ),
      )
  }

  async function toStation(
    tx: DbOrTx,
    c: CaseFacts,
    stationId: string,
    templateKey: TemplateKey,
    eventKey: string,
    params: Record<string, string> = {},
  ): Promise<Notice[]> {
    const base = {
      committeeId: c.committeeId,
      caseId: c.id,
      templateKey,
      recipientKind: 'station' as const,
      recipientId: stationId,
      params: { publicNo: c.publicNo, ...params },
      urgent: c.priority === 'urgent',
      eventKey,
    }
    const groups = (await robots(tx, c.committeeId, stationId)).filter((r) => r.provider === 'wecom_robot' || r.provider === 'dingtalk_robot')
    return [...groups.map((g) => ({ ...base, channel: 'robot' as const, channelId: g.id })), { ...base, channel: 'push' as const }]
  }

  async function toResidents(
    tx: DbOrTx,
    c: CaseFacts,
    templateKey: TemplateKey,
    eventKey: string,
    params: Record<string, string>,
    followers?: { id: string; residentPhoneEnc: string | null }[],
  ): Promise<Notice[]> {
    const base = {
      committeeId: c.committeeId,
      caseId: c.id,
      templateKey,
      recipientKind: 'resident' as const,
      recipientId: c.id,
      channel: 'sms' as const,
      params: { publicNo: c.publicNo, ...params },
      eventKey,
    }
    const others =
      followers ??
      (await tx.select({ id: caseFollower.id, residentPhoneEnc: caseFollower.residentPhoneEnc }).from(caseFollower).where(eq(caseFollower.caseId, c.id)))
    // 并单: the submitters of cases merged into this one follow it too (their own links lead here).
    const mergedIn = followers
      ? []
      : await tx
          .select({ id: cases.id })
          .from(cases)
          .where(and(eq(cases.mergedInto, c.id), isNotNull(cases.residentPhoneEnc)))
    return [
      ...(c.residentPhoneEnc ? [base] : []),
      ...others.filter((f) => f.residentPhoneEnc).map((f) => ({ ...base, followerId: f.id })),
      ...mergedIn.map((m) => ({ ...base, recipientId: m.id })),
    ]
  }

  async function toWebhooks(tx: DbOrTx, c: CaseFacts, event: string, eventKey: string): Promise<Notice[]> {
    const hooks = (await robots(tx, c.committeeId, null)).filter((r) => r.provider === 'webhook')
    return hooks.map((h) => ({
      committeeId: c.committeeId,
      caseId: c.id,
      templateKey: 'case.event' as const,
      recipientKind: 'committee' as const,
      recipientId: c.committeeId,
      channel: 'webhook' as const,
      channelId: h.id,
      params: { event, publicNo: c.publicNo, status: c.status },
      eventKey,
    }))
  }

  /**
   * A department's notice about one hand-off (its link is added at delivery, from the hand-off's own secret):
   * the department's group robot when it has one, else its contact's mobile by SMS, else the log.
   */
  async function toDepartment(tx: DbOrTx, c: CaseFacts, h: HandoffFacts, templateKey: TemplateKey, eventKey: string): Promise<Notice[]> {
    const [d] = await tx
      .select({ robot: department.robotChannelId, phoneEnc: department.contactPhoneEnc, robotEnabled: notificationChannel.enabled })
      .from(department)
      .leftJoin(notificationChannel, eq(notificationChannel.id, department.robotChannelId))
      .where(eq(department.id, h.departmentId))
    const base = {
      committeeId: c.committeeId,
      caseId: c.id,
      templateKey,
      recipientKind: 'department' as const,
      recipientId: h.id,
      params: { publicNo: c.publicNo, department: h.departmentName, due: dueWords(h.dueAt) },
      urgent: c.priority === 'urgent',
      eventKey,
    }
    if (d?.robot && d.robotEnabled) return [{ ...base, channel: 'robot', channelId: d.robot }]
    // Delivery checks that it is a mobile (a landline gets nothing by SMS: the log keeps the trace then).
    if (d?.phoneEnc) return [{ ...base, channel: 'sms' }]
    return [{ ...base, channel: 'log' }]
  }

  /** Where a case waits when nobody holds it: a new assignee, or the station's queue. */
  async function arrival(tx: DbOrTx, c: CaseFacts, eventKey: string, now: Date, reason: string): Promise<Notice[]> {
    if (c.memberId) return toMember(tx, c, c.memberId, 'member.assigned', eventKey, now)
    if (c.stationId) return toStation(tx, c, c.stationId, 'station.queued', eventKey, { reason })
    return []
  }

  return {
    /** A new case (scan, desk intake): its assignee or queue, the resident's receipt with their link, integrators. */
    async created(tx: DbOrTx, c: CaseFacts, now: Date, routingReason: string): Promise<void> {
      const eventKey = `case:${c.id}:created`
      await enqueue(
        tx,
        [
          ...(await arrival(tx, c, eventKey, now, routingReason)),
          ...(await toResidents(tx, c, 'resident.received', eventKey, {}, [])),
          ...(await toWebhooks(tx, c, 'submitted', eventKey)),
        ],
        now,
      )
    },

    /** A resident joined an open case: their own receipt, with their own link. */
    async joined(tx: DbOrTx, c: CaseFacts, follower: { id: string; residentPhoneEnc: string | null }, now: Date): Promise<void> {
      const eventKey = `follower:${follower.id}:joined`
      await enqueue(
        tx,
        [
          ...(await toResidents(tx, { ...c, residentPhoneEnc: null }, 'resident.received', eventKey, {}, [follower])),
          ...(await toWebhooks(tx, c, 'joined', eventKey)),
        ],
        now,
      )
    },

    /**
     * 找回我的诉求 (issue 16): a new tracking link (tracking_link row, its secret read at delivery) by SMS to the phone
     * that matched, the submitter's or a follower's; only through the outbox, so the answer never waits on a provider.
     */
    async recovered(tx: DbOrTx, c: CaseFacts, link: { id: string; followerId: string | null }, now: Date): Promise<void> {
      await enqueue(
        tx,
        [
          {
            committeeId: c.committeeId,
            caseId: c.id,
            templateKey: 'resident.received',
            recipientKind: 'resident',
            recipientId: c.id,
            followerId: link.followerId,
            channel: 'sms',
            params: { publicNo: c.publicNo, notice: RECOVERY_NOTICE, trackingLinkId: link.id },
            eventKey: `recovery:${link.id}`,
          },
        ],
        now,
      )
    },

    /** After an applied action, in its transaction: `before`/`after` are the case rows around it. */
    async changed(
      tx: DbOrTx,
      change: {
        before: CaseFacts
        after: CaseFacts
        action: CaseAction | string
        opId: string
        actorMemberId: string | null
        note?: string | undefined
        merged?: { intoPublicNo: string; followers: { id: string; residentPhoneEnc: string | null }[] } | null | undefined
      },
      now: Date,
    ): Promise<void> {
      const { before, after, action, opId } = change
      const eventKey = `op:${opId}`
      const notices: Notice[] = []
      if (action === 'chase') {
        const params: Record<string, string> = change.note ? { note: change.note } : {}
        if (after.memberId) notices.push(...(await toMember(tx, after, after.memberId, 'member.chased', eventKey, now, params)))
        else if (after.stationId) notices.push(...(await toStation(tx, after, after.stationId, 'station.chased', eventKey, params)))
      } else if (after.memberId && after.memberId !== before.memberId && after.memberId !== change.actorMemberId) {
        notices.push(...(await toMember(tx, after, after.memberId, 'member.assigned', eventKey, now)))
      } else if (after.memberId && after.status === 'reopened' && before.status !== 'reopened' && after.memberId !== change.actorMemberId) {
        notices.push(...(await toMember(tx, after, after.memberId, 'member.reopened', eventKey, now)))
      } else if (!after.memberId && after.stationId && isOpen(after.status) && (before.memberId || before.stationId !== after.stationId)) {
        // Declined, transferred to a station, unassigned: it now waits in that station's queue.
        notices.push(...(await toStation(tx, after, after.stationId, 'station.queued', eventKey, { reason: String(action) })))
      }
      if (change.merged && after.status === 'merged' && before.status !== 'merged') {
        notices.push(...(await toResidents(tx, before, 'resident.merged', eventKey, { intoPublicNo: change.merged.intoPublicNo }, change.merged.followers)))
      } else if (before.status !== after.status && RESIDENT_KEYS[after.status]) {
        notices.push(...(await toResidents(tx, after, RESIDENT_KEYS[after.status]!, eventKey, after.memberName ? { member: after.memberName } : {})))
      }
      notices.push(...(await toWebhooks(tx, after, String(action), eventKey)))
      await enqueue(tx, dedupe(notices), now)
    },

    /** The resident rated: unsatisfied the first time reopens the case for its member (重办). */
    async rated(tx: DbOrTx, before: CaseFacts, after: CaseFacts, eventKey: string, now: Date): Promise<void> {
      const notices: Notice[] = []
      if (after.status === 'reopened' && after.memberId) notices.push(...(await toMember(tx, after, after.memberId, 'member.reopened', eventKey, now)))
      notices.push(...(await toWebhooks(tx, after, after.status === 'reopened' ? 'reopen' : 'rate', eventKey)))
      await enqueue(tx, notices, now)
    },

    /** The deadline sweep: reminders, escalations into the queue, overdue marks. */
    async deadline(
      tx: DbOrTx,
      c: CaseFacts,
      kind: 'accept_reminder' | 'resolve_reminder' | 'escalated' | 'overdue',
      eventKey: string,
      now: Date,
      fromMemberId?: string | null,
    ): Promise<void> {
      const notices: Notice[] = []
      if (kind === 'escalated') {
        if (c.stationId) notices.push(...(await toStation(tx, c, c.stationId, 'station.escalated', eventKey)))
        notices.push(...(await toWebhooks(tx, c, 'escalated', eventKey)))
      } else {
        const memberId = c.memberId ?? fromMemberId
        if (memberId) notices.push(...(await toMember(tx, c, memberId, `member.${kind}`, eventKey, now)))
        if (kind === 'overdue') notices.push(...(await toWebhooks(tx, c, 'overdue', eventKey)))
      }
      await enqueue(tx, notices, now)
    },

    /** 交办: the department gets the question's link; integrators hear of it. */
    async handoffSent(tx: DbOrTx, c: CaseFacts, h: HandoffFacts, eventKey: string, now: Date): Promise<void> {
      await enqueue(tx, [...(await toDepartment(tx, c, h, 'department.handoff', eventKey)), ...(await toWebhooks(tx, c, 'handoff', eventKey))], now)
    },

    /** The department answered or returned it: the member who holds the case (or the station's desk when nobody does). */
    async handoffReplied(tx: DbOrTx, c: CaseFacts, h: HandoffFacts, kind: 'answered' | 'returned', eventKey: string, now: Date): Promise<void> {
      const key = kind === 'answered' ? ('member.handoff_answered' as const) : ('member.handoff_returned' as const)
      const notices: Notice[] = []
      if (c.memberId) notices.push(...(await toMember(tx, c, c.memberId, key, eventKey, now, { department: h.departmentName })))
      else if (c.stationId)
        notices.push({
          committeeId: c.committeeId,
          caseId: c.id,
          templateKey: key,
          recipientKind: 'station',
          recipientId: c.stationId,
          channel: 'push',
          params: { publicNo: c.publicNo, department: h.departmentName },
          eventKey,
        })
      notices.push(...(await toWebhooks(tx, c, `handoff_${kind}`, eventKey)))
      await enqueue(tx, notices, now)
    },

    /**
     * issue 16: the resident added information or photos to their open case. Its holder hears of it (push, or the
     * log when they have none; no SMS: a resident may add several times a day), else the station's desk.
     */
    async residentAddedInfo(tx: DbOrTx, c: CaseFacts, photos: number, eventKey: string, now: Date): Promise<void> {
      const params = { photos: String(photos) }
      const notices: Notice[] = []
      if (c.memberId) {
        const all = await toMember(tx, c, c.memberId, 'member.resident_added_info', eventKey, now, params)
        const kept = all.filter((n) => n.channel !== 'sms')
        // SMS only chosen: the log keeps the trace, as for a member who chose nothing.
        notices.push(...(kept.length > 0 || all.length === 0 ? kept : [{ ...withoutDelay(all[0]!), channel: 'log' as const }]))
      } else if (c.stationId)
        notices.push({
          committeeId: c.committeeId,
          caseId: c.id,
          templateKey: 'member.resident_added_info',
          recipientKind: 'station',
          recipientId: c.stationId,
          channel: 'push',
          params: { publicNo: c.publicNo, ...params },
          eventKey,
        })
      notices.push(...(await toWebhooks(tx, c, 'resident_added_info', eventKey)))
      await enqueue(tx, notices, now)
    },

    /** The hand-off deadline sweep: a reminder before the reply deadline, the overdue notice after it (to the department). */
    async handoffDeadline(tx: DbOrTx, c: CaseFacts, h: HandoffFacts, kind: 'reminder' | 'overdue', eventKey: string, now: Date): Promise<void> {
      const notices = await toDepartment(tx, c, h, kind === 'reminder' ? 'department.reminder' : 'department.overdue', eventKey)
      if (kind === 'overdue') notices.push(...(await toWebhooks(tx, c, 'handoff_overdue', eventKey)))
      await enqueue(tx, notices, now)
    },

    /** 08:00 digest: a member's open work (SMS and push), held by nothing (08:00 is outside quiet hours). */
    async memberDigest(tx: DbOrTx, d: { memberId: string; waiting: number; working: number; overdue: number }, day: string, now: Date): Promise<void> {
      await enqueue(
        tx,
        await toMember(tx, null, d.memberId, 'member.digest', `digest:${day}`, now, {
          waiting: String(d.waiting),
          working: String(d.working),
          overdue: String(d.overdue),
        }),
        now,
      )
    },

    /** 08:00 digest to a committee's own group robots. */
    async committeeDigest(tx: DbOrTx, committeeId: string, params: Record<string, string>, day: string, now: Date): Promise<void> {
      const groups = (await robots(tx, committeeId, null)).filter((r) => r.provider === 'wecom_robot' || r.provider === 'dingtalk_robot')
      await enqueue(
        tx,
        groups.map((g) => ({
          committeeId,
          caseId: null,
          templateKey: 'committee.digest' as const,
          recipientKind: 'committee' as const,
          recipientId: committeeId,
          channel: 'robot' as const,
          channelId: g.id,
          params,
          eventKey: `digest:${day}`,
        })),
        now,
      )
    },
  }
}
export type NoticePlanner = ReturnType<typeof createNoticePlanner>

/** A reassignment that is also a status change must not tell the same person twice by the same medium. */
/** A log row is written at once (quiet hours concern SMS only). */
function withoutDelay({ notBefore: _held, ...n }: Notice): Notice {
  return n
}

function dedupe(notices: Notice[]): Notice[] {
  const seen = new Set<string>()
  return notices.filter((n) => {
    const k = [n.templateKey, n.recipientKind, n.followerId ?? n.recipientId, n.channel, n.channelId ?? ''].join(':')
    return seen.has(k) ? false : (seen.add(k), true)
  })
}

import webpush from 'web-push'
import type { FastifyBaseLogger } from 'fastify'
import type { PushPayload } from '@mashangjian/shared'
import type { Clock } from '../clock'
import type { DeliveryResult } from '../notifications/channels/channel'
import type { PushRepo, PushTarget } from './push-repo'

export type MemberNoticeKind =
  | 'assigned'
  | 'accept_reminder'
  | 'resolve_reminder'
  | 'overdue'
  | 'escalated'
  | 'chased'
  | 'reopened'
  | 'digest'
  | 'handoff_answered'
  | 'handoff_returned'
  | 'resident_added_info'

/** A push to a member's browsers, or (memberId null, stationId set) to a station's admins. */
export interface MemberNotice {
  kind: MemberNoticeKind
  memberId: string | null
  stationId?: string | null
  caseId?: string
  publicNo?: string
  text: string
}

export interface VapidDetails {
  /** Contact for push services: an https URL or mailto: (RFC 8292). */
  subject: string
  publicKey: string
  privateKey: string
}

export interface PushNotifierDeps {
  repo: PushRepo
  vapid: VapidDetails
  log: FastifyBaseLogger
  clock: Clock
  /** Deadline for one push request; a hanging push service must not hold up the job that notifies. */
  timeoutMs?: number
}

const TITLES: Record<MemberNoticeKind, string> = {
  assigned: '新的群众诉求',
  accept_reminder: '接单提醒',
  resolve_reminder: '办结提醒',
  overdue: '诉求已超期',
  escalated: '超时未接单（督办）',
  chased: '督办提醒',
  handoff_answered: '部门已答复',
  handoff_returned: '部门退回交办',
  reopened: '诉求重办',
  digest: '今日待办',
  resident_added_info: '群众补充了情况',
}
/** A reminder is worthless after a day; push services drop it rather than deliver it late. */
const TTL_SECONDS = 24 * 3600

/** PUBLIC_BASE_URL when it is https; otherwise (intranet http) a mailto: on its host, which RFC 8292 also allows. */
export function vapidSubject(publicBaseUrl: string): string {
  return publicBaseUrl.startsWith('https://') ? publicBaseUrl : `mailto:push@${new URL(publicBaseUrl).hostname}`
}

export function pushPayload(notice: MemberNotice): PushPayload {
  return {
    title: notice.publicNo ? `${TITLES[notice.kind]} ${notice.publicNo}` : TITLES[notice.kind],
    // Push services cap payloads at about 4 KB after encryption; a digest must not make the send fail.
    body: notice.text.slice(0, 500),
    url: notice.caseId ? `/app/cases/${notice.caseId}` : '/app',
    kind: notice.kind,
  }
}

/**
 * Member notices as Web Push to every browser the member (or, for a station's queue, its admins) subscribed.
 * web-push builds the encrypted, VAPID-signed request; we send it with fetch because web-push's own sender
 * always uses https.request and has only an idle-socket timeout, while a notifier needs a hard deadline.
 * Never throws: a push is a courtesy, the inbox and sync feed are the record.
 */
export function createPushNotifier({ repo, vapid, log, clock, timeoutMs = 10_000 }: PushNotifierDeps) {
  /** One browser: `ok`, or whether trying again later could help (a gone subscription never will). */
  async function send(target: PushTarget, payload: string, urgency: 'normal' | 'high'): Promise<{ ok: boolean; retryable: boolean; status: number | null }> {
    const host = safeHost(target.endpoint)
    try {
      const details = webpush.generateRequestDetails({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, payload, {
        vapidDetails: vapid,
        TTL: TTL_SECONDS,
        urgency,
      })
      // fetch sets Content-Length from the body itself.
      const headers = Object.fromEntries(
        Object.entries(details.headers)
          .filter(([k]) => k.toLowerCase() !== 'content-length')
          .map(([k, v]) => [k, String(v)]),
      )
      // No redirects: a push service never sends one, and following it could reach hosts the endpoint check never saw.
      const res = await fetch(details.endpoint, {
        method: details.method,
        headers,
        body: new Uint8Array(details.body),
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      })
      await res.body?.cancel()
      if (res.status === 404 || res.status === 410) {
        // The browser unsubscribed or the subscription expired: it will never work again.
        await repo.removeGone(target.id)
        log.info({ host, status: res.status }, 'push subscription gone; removed')
        return { ok: false, retryable: false, status: res.status }
      } else if (!res.ok) {
        log.warn({ host, status: res.status }, 'push service refused a notification')
        return { ok: false, retryable: res.status === 429 || res.status >= 500, status: res.status }
      }
      await repo.markUsed(target.id, clock.now())
      return { ok: true, retryable: false, status: res.status }
    } catch (err) {
      log.warn({ err, host }, 'push notification failed')
      return { ok: false, retryable: true, status: null }
    }
  }

  /** Every browser of the recipient; `null` when there is none (nothing to deliver to). */
  async function deliver(notice: MemberNotice): Promise<DeliveryResult | null> {
    const targets = notice.memberId ? await repo.ofMember(notice.memberId) : notice.stationId ? await repo.ofStationAdmins(notice.stationId) : []
    if (targets.length === 0) return null
    const payload = JSON.stringify(pushPayload(notice))
    const results = await Promise.all(targets.map((t) => send(t, payload, notice.kind === 'digest' ? 'normal' : 'high')))
    const ok = results.filter((r) => r.ok).length
    return {
      ok: ok > 0,
      retryable: ok === 0 && results.some((r) => r.retryable),
      httpStatus: results.find((r) => r.ok)?.status ?? results[0]?.status ?? null,
      providerCode: null,
      providerMessage: `${ok}/${targets.length} browsers`,
      providerMessageId: null,
    }
  }

  return {
    deliver,
    async notify(notice: MemberNotice) {
      try {
        await deliver(notice)
      } catch (err) {
        log.warn({ err, kind: notice.kind }, 'push notification failed')
      }
    },
  }
}

/** Endpoint paths are per-subscription secrets; logs get the host only. */
function safeHost(endpoint: string): string {
  try {
    return new URL(endpoint).host
  } catch {
    return '?'
  }
}

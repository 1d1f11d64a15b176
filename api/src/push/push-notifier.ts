import webpush from 'web-push'
import type { FastifyBaseLogger } from 'fastify'
import type { PushPayload } from '@mashangjian/shared'
import type { Clock } from '../clock'
import type { MemberNotice, MemberNoticeKind, MemberNotifier } from '../notify/member-notifier'
import type { PushRepo, PushTarget } from './push-repo'

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
  digest: '今日待办',
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
export function createPushNotifier({ repo, vapid, log, clock, timeoutMs = 10_000 }: PushNotifierDeps): MemberNotifier {
  async function send(target: PushTarget, payload: string, urgency: 'normal' | 'high'): Promise<void> {
    const host = safeHost(target.endpoint)
    try {
      const details = webpush.generateRequestDetails(
        { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
        payload, { vapidDetails: vapid, TTL: TTL_SECONDS, urgency },
      )
      // fetch sets Content-Length from the body itself.
      const headers = Object.fromEntries(Object.entries(details.headers).filter(([k]) => k.toLowerCase() !== 'content-length').map(([k, v]) => [k, String(v)]))
      // No redirects: a push service never sends one, and following it could reach hosts the endpoint check never saw.
      const res = await fetch(details.endpoint, {
        method: details.method, headers, body: new Uint8Array(details.body), redirect: 'error', signal: AbortSignal.timeout(timeoutMs),
      })
      await res.body?.cancel()
      if (res.status === 404 || res.status === 410) {
        // The browser unsubscribed or the subscription expired: it will never work again.
        await repo.removeGone(target.id)
        log.info({ host, status: res.status }, 'push subscription gone; removed')
      } else if (!res.ok) {
        log.warn({ host, status: res.status }, 'push service refused a notification')
      } else {
        await repo.markUsed(target.id, clock.now())
      }
    } catch (err) {
      log.warn({ err, host }, 'push notification failed')
    }
  }

  return {
    async notify(notice) {
      try {
        const targets = notice.memberId ? await repo.ofMember(notice.memberId)
          : notice.stationId ? await repo.ofStationAdmins(notice.stationId) : []
        if (targets.length === 0) return
        const payload = JSON.stringify(pushPayload(notice))
        const urgency = notice.kind === 'digest' ? 'normal' : 'high'
        await Promise.all(targets.map((t) => send(t, payload, urgency)))
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

import { createHmac, timingSafeEqual } from 'node:crypto'
import type { WebhookSettings } from '@mashangjian/shared'
import { PROVIDER_TIMEOUT_MS, networkFailure, safeText, type ChannelAdapter, type DeliveryResult, type OutboundMessage } from './channel'

/**
 * Our generic webhook for integrators. Each case notice is POSTed as JSON with:
 *   X-Mashangjian-Timestamp: unix seconds
 *   X-Mashangjian-Signature: sha256=hex(HMAC-SHA256(signingSecret, timestamp + "." + rawBody))
 *   X-Mashangjian-Delivery:  the notice's idempotency key (also the body's `id`) — the same on every retry, so a
 *                            receiver can drop repeats
 * The timestamp is inside the signed string so a captured request cannot be replayed later (receivers check it
 * is recent); the body is signed as raw bytes, so receivers must verify before parsing.
 */

export const SIGNATURE_HEADER = 'X-Mashangjian-Signature'
export const TIMESTAMP_HEADER = 'X-Mashangjian-Timestamp'
export const DELIVERY_HEADER = 'X-Mashangjian-Delivery'

export function webhookSignature(secret: string, timestamp: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex')}`
}

/**
 * For integrators (README "Webhook"): true when `header` is our signature of this exact body and the timestamp is
 * within `toleranceSeconds` of `now`. Compared in constant time so the answer's timing reveals nothing.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string,
  rawBody: string,
  header: string | null | undefined,
  now: Date = new Date(),
  toleranceSeconds = 300,
): boolean {
  if (!header || !/^\d{1,12}$/.test(timestamp)) return false
  if (Math.abs(Math.floor(now.getTime() / 1000) - Number(timestamp)) > toleranceSeconds) return false
  const expected = Buffer.from(webhookSignature(secret, timestamp, rawBody), 'utf8')
  const given = Buffer.from(header, 'utf8')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

export const signedWebhook: ChannelAdapter<WebhookSettings> = {
  provider: 'webhook',
  async send(message: OutboundMessage, { settings, credentials }, now: Date): Promise<DeliveryResult> {
    const secret = credentials.signingSecret
    if (!secret)
      return {
        ok: false,
        retryable: false,
        httpStatus: null,
        providerCode: 'NO_CREDENTIALS',
        providerMessage: 'signingSecret is not set',
        providerMessageId: null,
      }
    const rawBody = JSON.stringify({
      id: message.idempotencyKey,
      type: message.templateKey,
      occurredAt: message.occurredAt.toISOString(),
      caseId: message.caseId ?? null,
      publicNo: message.publicNo ?? null,
      title: message.title,
      text: message.text,
      url: message.url ?? null,
      params: message.params,
    })
    const timestamp = String(Math.floor(now.getTime() / 1000))

    let res: Response
    let text: string
    try {
      res = await fetch(settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: webhookSignature(secret, timestamp, rawBody),
          [DELIVERY_HEADER]: message.idempotencyKey,
        },
        body: rawBody,
        // A redirect could carry the signed event somewhere the committee never configured.
        redirect: 'error',
        signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
      })
      text = await res.text()
    } catch (err) {
      return networkFailure(err, credentials)
    }
    const ok = res.status >= 200 && res.status < 300
    return {
      ok,
      // 429 and 5xx: the receiver is busy or broken for now; any other 4xx is its final word on this event.
      retryable: !ok && (res.status === 429 || res.status >= 500),
      httpStatus: res.status,
      providerCode: ok ? null : `HTTP_${res.status}`,
      providerMessage: safeText(text, credentials),
      providerMessageId: null,
    }
  },
}

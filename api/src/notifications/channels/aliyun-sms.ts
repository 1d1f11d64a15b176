import { createHmac, randomUUID } from 'node:crypto'
import type { AliyunSmsSettings } from '@mashangjian/shared'
import { PROVIDER_TIMEOUT_MS, networkFailure, safeText, type ChannelAdapter, type DeliveryResult, type OutboundMessage } from './channel'
import { smsPreflight } from './sms-preflight'

/**
 * Alibaba Cloud SMS `SendSms` (dysmsapi, API version 2017-05-25), signed with the RPC-style signature
 * (SignatureVersion 1.0, HMAC-SHA1) described in Alibaba Cloud's "签名机制 / Signature mechanism" pages:
 *
 *   StringToSign = HTTPMethod + "&" + percentEncode("/") + "&" + percentEncode(CanonicalizedQueryString)
 *   Signature    = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))
 *
 * We POST the parameters as an application/x-www-form-urlencoded body (the method goes into the string to sign), so
 * the resident's phone and the template values stay out of URLs that proxies and access logs keep.
 */

const DEFAULT_ENDPOINT = 'https://dysmsapi.aliyuncs.com/'

/**
 * Codes where trying again later can help: flow control (Alibaba's default is per number per minute/hour),
 * the POP gateway's `Throttling*`, and the platform's own transient errors. The daily/monthly quota codes
 * (`isv.DAY_LIMIT_CONTROL`, `isv.MONTH_LIMIT_CONTROL`) are limits an admin set in the console: retrying tomorrow
 * would deliver a stale notice, so they are final and show in the console instead.
 */
function retryableCode(code: string): boolean {
  return (
    code === 'isv.BUSINESS_LIMIT_CONTROL' ||
    code.startsWith('Throttling') ||
    code === 'isp.SYSTEM_ERROR' ||
    code === 'ServiceUnavailable' ||
    code === 'InternalError' ||
    code === 'SignatureNonceUsed'
  )
}

/**
 * RFC 3986 encoding as Alibaba specifies it: only A–Z a–z 0–9 - _ . ~ stay as they are, space is %20 (never +).
 * encodeURIComponent already leaves exactly those plus ! ' ( ) *, which we encode by hand.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** ISO 8601 in UTC without milliseconds, e.g. 2026-12-04T08:00:00Z (Alibaba rejects it if 15+ minutes off). */
const timestamp = (now: Date) => now.toISOString().replace(/\.\d{3}Z$/, 'Z')

export function signRpc(method: 'GET' | 'POST', params: Record<string, string>, accessKeySecret: string): string {
  // Sort by parameter name (code-unit order; all names are ASCII), then encode names and values.
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&')
  const stringToSign = `${method}&${percentEncode('/')}&${percentEncode(canonical)}`
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64')
}

export const aliyunSms: ChannelAdapter<AliyunSmsSettings> = {
  provider: 'aliyun_sms',
  async send(message: OutboundMessage, { settings, credentials }, now: Date): Promise<DeliveryResult> {
    const checked = smsPreflight(message, settings.templates, 'accessKeySecret', credentials.accessKeySecret)
    if ('refused' in checked) return checked.refused
    const { template: templateCode, names, secret } = checked

    // Only the variables the key declares, so nothing else in `params` leaves for a provider's logs. Values pass
    // as they are: Alibaba's 20-character limit applies to some variable types only, and it reports a breach itself.
    const templateParam = JSON.stringify(Object.fromEntries(names.map((n) => [n, message.params[n]!])))
    const params: Record<string, string> = {
      AccessKeyId: settings.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      RegionId: settings.regionId ?? 'cn-hangzhou',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      Timestamp: timestamp(now),
      Version: '2017-05-25',
      PhoneNumbers: checked.phone,
      SignName: settings.signName,
      TemplateCode: templateCode,
      TemplateParam: templateParam,
      // Our outbox row id comes back in delivery receipts; Alibaba has no idempotency, so the outbox owns that.
      OutId: message.idempotencyKey.slice(0, 256),
    }
    params.Signature = signRpc('POST', params, secret)
    const body = Object.entries(params)
      .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
      .join('&')

    let res: Response
    let text: string
    try {
      res = await fetch(settings.endpoint ?? DEFAULT_ENDPOINT, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json' },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
      })
      text = await res.text()
    } catch (err) {
      return networkFailure(err, credentials)
    }

    let answer: { Code?: unknown; Message?: unknown; BizId?: unknown } = {}
    try {
      answer = JSON.parse(text)
    } catch {
      /* a proxy's HTML error page: judged by status below */
    }
    const code = typeof answer.Code === 'string' ? answer.Code : null
    if (res.ok && code === 'OK') {
      return {
        ok: true,
        retryable: false,
        httpStatus: res.status,
        providerCode: 'OK',
        providerMessage: safeText(answer.Message, credentials),
        providerMessageId: typeof answer.BizId === 'string' ? answer.BizId : null,
      }
    }
    return {
      ok: false,
      retryable: res.status >= 500 || res.status === 429 || (code !== null && retryableCode(code)),
      httpStatus: res.status,
      providerCode: code ?? `HTTP_${res.status}`,
      providerMessage: safeText(typeof answer.Message === 'string' ? answer.Message : text, credentials),
      providerMessageId: null,
    }
  },
}

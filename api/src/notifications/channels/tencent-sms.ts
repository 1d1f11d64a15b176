import { createHash, createHmac } from 'node:crypto'
import type { TencentSmsSettings } from '@mashangjian/shared'
import { PROVIDER_TIMEOUT_MS, networkFailure, safeText, type ChannelAdapter, type DeliveryResult, type OutboundMessage } from './channel'
import { smsPreflight } from './sms-preflight'

/**
 * Tencent Cloud SMS `SendSms` (API 2021-01-11) signed with TC3-HMAC-SHA256 ("签名方法 v3"):
 *
 *   CanonicalRequest = POST \n / \n (empty query) \n content-type:…\nhost:…\n \n content-type;host \n hex(sha256(body))
 *   StringToSign     = TC3-HMAC-SHA256 \n timestamp \n date/sms/tc3_request \n hex(sha256(CanonicalRequest))
 *   key              = HMAC(HMAC(HMAC("TC3" + SecretKey, date), "sms"), "tc3_request")
 *   Authorization    = TC3-HMAC-SHA256 Credential=SecretId/date/sms/tc3_request, SignedHeaders=content-type;host, Signature=hex
 *
 * Tencent refuses a timestamp more than 5 minutes off, so `now` must be the real clock in production.
 */

const DEFAULT_ENDPOINT = 'https://sms.tencentcloudapi.com'
const SERVICE = 'sms'
const CONTENT_TYPE = 'application/json; charset=utf-8'

/**
 * Worth retrying: API rate limits, Tencent's transient internal errors, and the per-number frequency limits
 * (30 s, 1 h, the console's frequency policy) that lift by themselves. Daily limits (per number, per app,
 * same content) are final: a retry tomorrow would be a stale notice. `InternalError.Sig*` and
 * `InternalError.RestApiInterfaceNotExist` are request faults despite their prefix.
 */
export function tencentRetryable(code: string): boolean {
  if (code.startsWith('InternalError')) {
    return !code.startsWith('InternalError.Sig') && code !== 'InternalError.RestApiInterfaceNotExist'
  }
  return (
    code.startsWith('RequestLimitExceeded') ||
    code === 'LimitExceeded.PhoneNumberThirtySecondLimit' ||
    code === 'LimitExceeded.PhoneNumberOneHourLimit' ||
    code === 'LimitExceeded.DeliveryFrequencyLimit'
  )
}

const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex')
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest()

/** The Authorization header for one request; `host` is exactly the Host header fetch will send (with its port). */
export function tc3Authorization(input: { secretId: string; secretKey: string; host: string; payload: string; timestamp: number }): string {
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10) // UTC date of the timestamp
  const signedHeaders = 'content-type;host'
  const canonicalRequest = ['POST', '/', '', `content-type:${CONTENT_TYPE}\nhost:${input.host}\n`, signedHeaders, sha256Hex(input.payload)].join('\n')
  const scope = `${date}/${SERVICE}/tc3_request`
  const stringToSign = ['TC3-HMAC-SHA256', String(input.timestamp), scope, sha256Hex(canonicalRequest)].join('\n')
  const key = hmac(hmac(hmac(`TC3${input.secretKey}`, date), SERVICE), 'tc3_request')
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex')
  return `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`
}

interface TencentAnswer {
  Response?: {
    Error?: { Code?: string; Message?: string }
    SendStatusSet?: { SerialNo?: string; Code?: string; Message?: string }[]
    RequestId?: string
  }
}

export const tencentSms: ChannelAdapter<TencentSmsSettings> = {
  provider: 'tencent_sms',
  async send(message: OutboundMessage, { settings, credentials }, now: Date): Promise<DeliveryResult> {
    const checked = smsPreflight(message, settings.templates, 'secretKey', credentials.secretKey)
    if ('refused' in checked) return checked.refused
    const { template: templateId, values, secret: secretKey } = checked

    // Tencent's CanonicalURI is always "/": post to the endpoint's root whatever path was configured.
    const url = new URL('/', settings.endpoint ?? DEFAULT_ENDPOINT)
    const payload = JSON.stringify({
      PhoneNumberSet: [`+86${checked.phone}`],
      SmsSdkAppId: settings.sdkAppId,
      SignName: settings.signName,
      TemplateId: templateId,
      // Positional: the template's {1}, {2}, … in SMS_TEMPLATE_PARAMS order.
      TemplateParamSet: values,
      // Echoed back in receipts (limit < 512 bytes); our row id is far shorter.
      SessionContext: message.idempotencyKey,
    })
    const timestamp = Math.floor(now.getTime() / 1000)
    const headers = {
      authorization: tc3Authorization({ secretId: settings.secretId, secretKey, host: url.host, payload, timestamp }),
      'content-type': CONTENT_TYPE,
      'x-tc-action': 'SendSms',
      'x-tc-version': '2021-01-11',
      'x-tc-timestamp': String(timestamp),
      'x-tc-region': settings.region ?? 'ap-guangzhou',
    }

    let res: Response
    let text: string
    try {
      res = await fetch(url, { method: 'POST', headers, body: payload, redirect: 'error', signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS) })
      text = await res.text()
    } catch (err) {
      return networkFailure(err, credentials)
    }

    let answer: TencentAnswer = {}
    try {
      answer = JSON.parse(text) as TencentAnswer
    } catch {
      /* judged by status below */
    }
    const response = answer.Response
    // A request-level failure (signature, template, rate limit) comes as Response.Error with HTTP 200.
    const error = response?.Error
    // A per-number result (this number's frequency limit, blacklist, bad number) comes in SendStatusSet.
    const status = response?.SendStatusSet?.[0]
    const code = error?.Code ?? status?.Code ?? null
    if (res.ok && !error && code === 'Ok') {
      return {
        ok: true,
        retryable: false,
        httpStatus: res.status,
        providerCode: 'Ok',
        providerMessage: safeText(status?.Message, credentials),
        providerMessageId: status?.SerialNo ?? null,
      }
    }
    return {
      ok: false,
      retryable: res.status >= 500 || res.status === 429 || (code !== null && tencentRetryable(code)),
      httpStatus: res.status,
      providerCode: code ?? `HTTP_${res.status}`,
      providerMessage: safeText(error?.Message ?? status?.Message ?? text, credentials),
      providerMessageId: null,
    }
  },
}

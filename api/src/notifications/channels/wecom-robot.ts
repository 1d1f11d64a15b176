import type { WecomRobotSettings } from '@mashangjian/shared'
import { PROVIDER_TIMEOUT_MS, networkFailure, safeText, type ChannelAdapter, type DeliveryResult, type OutboundMessage } from './channel'

/**
 * 企业微信 group robot ("群机器人配置说明"): POST JSON to /cgi-bin/webhook/send?key=KEY. There is no signature — the
 * key in the URL is the secret, so it never appears in anything we return. The answer is always HTTP 200 with
 * `{errcode, errmsg}`; errcode 0 is success.
 */

const DEFAULT_ENDPOINT = 'https://qyapi.weixin.qq.com'
/** Documented limits: markdown.content ≤ 4096 bytes, text.content ≤ 2048 bytes (UTF-8); longer is refused (40058). */
const MAX_BYTES = { markdown: 4096, text: 2048 } as const
/** 45009: over 20 messages a minute for this robot; -1: WeCom busy. Both pass if we wait. */
const RETRYABLE = new Set([45009, -1])

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8')

/** The longest prefix of `s` (whole code points, so no broken character) that fits in `max` bytes with an ellipsis. */
export function truncateUtf8(s: string, max: number): string {
  if (utf8Length(s) <= max) return s
  const budget = max - utf8Length('…')
  let used = 0
  let out = ''
  for (const ch of s) {
    const n = utf8Length(ch)
    if (used + n > budget) break
    used += n
    out += ch
  }
  return `${out}…`
}

/** Message text shrunk so that head + body + tail fit: the title and the link survive a long body. */
function fit(head: string, body: string, tail: string, max: number): string {
  const room = max - utf8Length(head) - utf8Length(tail)
  if (room <= 1) return truncateUtf8(head + tail, max)
  return head + truncateUtf8(body, room) + tail
}

/** A URL inside markdown `(…)`: parentheses and spaces would end the link early (encodeURIComponent keeps `()`). */
export const markdownUrl = (url: string) => url.replace(/[()\s]/g, (c) => (c === '(' ? '%28' : c === ')' ? '%29' : encodeURIComponent(c)))

export function wecomContent(message: OutboundMessage, msgtype: 'markdown' | 'text'): string {
  if (msgtype === 'text') {
    return fit(`${message.title}\n`, message.text, message.url ? `\n${message.url}` : '', MAX_BYTES.text)
  }
  // Every line of the body quoted, so a multi-line message stays one grey block under the bold title.
  const quoted = message.text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n')
  return fit(`**${message.title}**\n`, quoted, message.url ? `\n[打开](${markdownUrl(message.url)})` : '', MAX_BYTES.markdown)
}

export const wecomRobot: ChannelAdapter<WecomRobotSettings> = {
  provider: 'wecom_robot',
  async send(message: OutboundMessage, { settings, credentials }, _now: Date): Promise<DeliveryResult> {
    const key = credentials.key
    if (!key)
      return { ok: false, retryable: false, httpStatus: null, providerCode: 'NO_CREDENTIALS', providerMessage: 'key is not set', providerMessageId: null }
    // Read as a plain string: the schema's literal union currently types as `undefined` (shared `lit()` helper).
    const msgtype: 'markdown' | 'text' = (settings.msgtype as string | undefined) === 'text' ? 'text' : 'markdown'
    const content = wecomContent(message, msgtype)
    const body = msgtype === 'text' ? { msgtype, text: { content } } : { msgtype, markdown: { content } }
    const url = new URL('/cgi-bin/webhook/send', settings.endpoint ?? DEFAULT_ENDPOINT)
    url.searchParams.set('key', key)

    let res: Response
    let text: string
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
      })
      text = await res.text()
    } catch (err) {
      return networkFailure(err, credentials)
    }
    return robotAnswer(res.status, text, RETRYABLE, credentials)
  },
}

/** Reads the `{errcode, errmsg}` answer both Chinese robot APIs use. */
export function robotAnswer(httpStatus: number, text: string, retryable: Set<number>, credentials: Record<string, string>): DeliveryResult {
  let answer: { errcode?: unknown; errmsg?: unknown } = {}
  try {
    answer = JSON.parse(text)
  } catch {
    /* judged by status below */
  }
  const errcode = typeof answer.errcode === 'number' ? answer.errcode : null
  const ok = httpStatus >= 200 && httpStatus < 300 && errcode === 0
  return {
    ok,
    retryable: !ok && (httpStatus >= 500 || httpStatus === 429 || (errcode !== null && retryable.has(errcode))),
    httpStatus,
    providerCode: errcode !== null ? String(errcode) : `HTTP_${httpStatus}`,
    providerMessage: safeText(typeof answer.errmsg === 'string' ? answer.errmsg : text, credentials),
    providerMessageId: null,
  }
}

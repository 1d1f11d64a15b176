import { createHmac } from 'node:crypto'
import type { DingtalkRobotSettings } from '@mashangjian/shared'
import { PROVIDER_TIMEOUT_MS, networkFailure, type ChannelAdapter, type DeliveryResult, type OutboundMessage } from './channel'
import { markdownUrl, robotAnswer } from './wecom-robot'

/**
 * DingTalk custom robot (自定义机器人) with the "加签" security setting:
 *   POST /robot/send?access_token=TOKEN&timestamp=MS&sign=SIGN
 *   SIGN = urlEncode(base64(HMAC-SHA256(key = secret, data = timestamp + "\n" + secret)))
 * DingTalk refuses a timestamp more than an hour off. Robots secured by keyword or IP only have no secret: then
 * timestamp and sign are left out. Answers are HTTP 200 with `{errcode, errmsg}`.
 */

const DEFAULT_ENDPOINT = 'https://oapi.dingtalk.com'
/**
 * 130101: over 20 messages a minute (DingTalk then holds the robot for 10 minutes); -1: system busy.
 * 310000 (sign, keyword or IP refused) and 300001 (no such token) need an admin, not a retry.
 */
const RETRYABLE = new Set([130101, -1])

export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64')
}

/** The markdown DingTalk shows: the title as a heading (also the notification preview), the body, the link. */
export function dingtalkMarkdown(message: OutboundMessage): { title: string; text: string } {
  const link = message.url ? `\n\n[打开](${markdownUrl(message.url)})` : ''
  return { title: message.title, text: `#### ${message.title}\n\n${message.text}${link}` }
}

export const dingtalkRobot: ChannelAdapter<DingtalkRobotSettings> = {
  provider: 'dingtalk_robot',
  async send(message: OutboundMessage, { settings, credentials }, now: Date): Promise<DeliveryResult> {
    const token = credentials.accessToken
    if (!token)
      return {
        ok: false,
        retryable: false,
        httpStatus: null,
        providerCode: 'NO_CREDENTIALS',
        providerMessage: 'accessToken is not set',
        providerMessageId: null,
      }
    const url = new URL('/robot/send', settings.endpoint ?? DEFAULT_ENDPOINT)
    url.searchParams.set('access_token', token)
    if (credentials.secret) {
      const timestamp = now.getTime()
      url.searchParams.set('timestamp', String(timestamp))
      // URLSearchParams applies the URL encoding DingTalk asks for (+ / = become %2B %2F %3D).
      url.searchParams.set('sign', dingtalkSign(credentials.secret, timestamp))
    }

    let res: Response
    let text: string
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ msgtype: 'markdown', markdown: dingtalkMarkdown(message) }),
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

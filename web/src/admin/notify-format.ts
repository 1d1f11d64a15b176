import type { NotificationAttemptView, NotificationView } from '@mashangjian/shared'
import { at } from './admin-text'

/** The provider's last answer to a notice (the attempt log is oldest first), or null before any try. */
export const lastAttempt = (n: NotificationView): NotificationAttemptView | null => n.attemptLog.at(-1) ?? null

/**
 * What the provider said, in one line: "isv.BUSINESS_LIMIT_CONTROL：触发分钟级流控（HTTP 400）". For a notice nobody
 * was asked about (skipped, or failed before a try) the outbox's own reason.
 */
export function answerLine(n: NotificationView): string {
  const a = lastAttempt(n)
  if (!a) return n.statusReason ?? '—'
  const said = [a.providerCode, a.providerMessage].filter(Boolean).join('：')
  const http = a.httpStatus !== null ? `HTTP ${a.httpStatus}` : ''
  if (!said) return http || (a.ok ? at.notify.statuses.sent! : (n.statusReason ?? '—'))
  return http ? `${said}（${http}）` : said
}

/** "新派单（委员）", or the key itself for a kind this console does not know yet. */
export const templateName = (key: string) => at.notify.templates[key] ?? key

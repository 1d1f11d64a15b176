import type { FastifyBaseLogger } from 'fastify'
import { maskPhone } from '../privacy/pii-cipher'

/** Messages to residents (SMS in production). Sending never blocks or fails the action that caused it. */
export interface ResidentNotifier {
  send(message: { phone: string; text: string; caseId: string }): Promise<void>
}

/** Development and demo: the message goes to the log, with the number masked. */
export function consoleNotifier(log: FastifyBaseLogger): ResidentNotifier {
  return {
    async send({ phone, text, caseId }) {
      log.info({ to: maskPhone(phone), caseId, text }, 'resident notification (console notifier)')
    },
  }
}

/** Hands each message to an SMS gateway of the committee's choice as JSON `{to, text, caseId}`. */
export function webhookNotifier(url: string, log: FastifyBaseLogger): ResidentNotifier {
  return {
    async send({ phone, text, caseId }) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ to: phone, text, caseId }),
          signal: AbortSignal.timeout(5000),
        })
        if (!res.ok) log.warn({ status: res.status, caseId }, 'notification webhook refused the message')
      } catch (err) {
        log.warn({ err, caseId }, 'notification webhook unreachable')
      }
    },
  }
}

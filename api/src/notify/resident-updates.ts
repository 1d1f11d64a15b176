import type { FastifyBaseLogger } from 'fastify'
import { LOCALES, translator, type Locale, type MessageKey } from '@mashangjian/shared'
import type { CaseChangeListener } from '../cases/case-actions-service'
import type { PiiCipher } from '../privacy/pii-cipher'
import type { ResidentNotifier } from './resident-notifier'

/** Status changes a resident who left a phone number is told about; the rest they see on the tracking page. */
const MESSAGES: Partial<Record<string, MessageKey>> = {
  accepted: 'sms.accepted',
  resolved: 'sms.resolved',
  invalid: 'sms.closed',
  merged: 'sms.closed',
}

/**
 * Tells the resident (SMS through the notifier) when their case is accepted, resolved ("please rate") or ended.
 * The tracking link itself cannot be resent: only its hash is stored, by design.
 */
export function residentUpdates({ cipher, notifier, log }: { cipher: PiiCipher; notifier: ResidentNotifier; log: FastifyBaseLogger }): CaseChangeListener {
  return ({ before, after }) => {
    const key = before.status !== after.status ? MESSAGES[after.status] : undefined
    if (!key || !before.residentPhoneEnc) return
    const locale = (LOCALES as readonly string[]).includes(before.residentLocale) ? (before.residentLocale as Locale) : 'zh-CN'
    const text = translator(locale)(key, { publicNo: after.publicNo, member: after.memberName ?? '' })
    let phone: string
    try {
      phone = cipher.decrypt(before.residentPhoneEnc)
    } catch (err) {
      log.error({ err, caseId: after.id }, 'resident phone could not be decrypted')
      return
    }
    void notifier.send({ phone, caseId: after.id, text }).catch((err) => log.warn({ err, caseId: after.id }, 'resident update not sent'))
  }
}

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
}

const localeOf = (l: string): Locale => ((LOCALES as readonly string[]).includes(l) ? (l as Locale) : 'zh-CN')

/**
 * Tells the resident (SMS through the notifier) when their case is accepted, resolved ("please rate") or ended.
 * A 并单 tells the submitter and everyone who followed the merged case which public number it is handled under
 * now; their old links keep working (they open the survivor or point to it).
 * The tracking link itself cannot be resent: only its hash is stored, by design.
 */
export function residentUpdates({ cipher, notifier, log }: { cipher: PiiCipher; notifier: ResidentNotifier; log: FastifyBaseLogger }): CaseChangeListener {
  const send = (phoneEnc: string, caseId: string, text: string) => {
    let phone: string
    try {
      phone = cipher.decrypt(phoneEnc)
    } catch (err) {
      log.error({ err, caseId }, 'resident phone could not be decrypted')
      return
    }
    void notifier.send({ phone, caseId, text }).catch((err) => log.warn({ err, caseId }, 'resident update not sent'))
  }
  return ({ before, after, merged }) => {
    if (merged && after.status === 'merged' && before.status !== 'merged') {
      const residents = [{ residentPhoneEnc: before.residentPhoneEnc, residentLocale: before.residentLocale }, ...merged.followers]
      for (const r of residents) {
        if (r.residentPhoneEnc) send(r.residentPhoneEnc, after.id, translator(localeOf(r.residentLocale))('sms.merged', { publicNo: after.publicNo, intoPublicNo: merged.intoPublicNo }))
      }
      return
    }
    const key = before.status !== after.status ? MESSAGES[after.status] : undefined
    if (!key || !before.residentPhoneEnc) return
    send(before.residentPhoneEnc, after.id, translator(localeOf(before.residentLocale))(key, { publicNo: after.publicNo, member: after.memberName ?? '' }))
  }
}

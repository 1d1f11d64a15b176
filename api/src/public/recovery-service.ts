import { randomBytes } from 'node:crypto'
import type { Clock } from '../clock'
import type { Db } from '../db/database'
import { sha256 } from '../auth/tokens'
import { AppError } from '../errors/app-error'
import type { AuditWriter } from '../audit/audit-log'
import type { PiiCipher } from '../privacy/pii-cipher'
import type { PhoneLookup } from '../privacy/phone-lookup'
import type { NoticePlanner } from '../notifications/notice-plan'
import type { PublicThrottle } from './public-throttle'
import type { RecoveryRepo } from './recovery-repo'
import { normalizeMainlandMobile, type SubmissionIssue } from './submission-rules'

/**
 * Per address 10 an hour; per number-and-phone pair and per phone 5 a day (DESIGN.md §7, issue 16). The pair, not
 * the number alone: public numbers are public (the similar-case prompt, Open311), and a stranger's wrong guesses
 * must not use up the real resident's tries. Guessing gains nothing anyway: every answer is the same, and an SMS
 * only ever goes to the phone given with the case.
 */
export const RECOVERY_LIMITS = {
  perIp: { max: 10, windowMs: 3_600_000 },
  perPair: { max: 5, windowMs: 86_400_000 },
  perPhone: { max: 5, windowMs: 86_400_000 },
}
export type RecoveryLimits = typeof RECOVERY_LIMITS

/** `DEMO-2026-000012`: the committee's short code (2–10, see the org schema), the year, six digits. */
const PUBLIC_NO = /^[A-Z][A-Z0-9]{1,9}-\d{4}-\d{6}$/
export const MAX_FIELD = 40

export interface RecoveryInput {
  publicNo?: string | undefined
  phone?: string | undefined
  ip: string | null
}
/** A field problem of the recovery form (same shape as the scan form's, other field names). */
export type RecoveryIssue = Omit<SubmissionIssue, 'field'> & { field: 'publicNo' | 'phone' }
export type RecoveryOutcome =
  /** The one answer a resident gets, matched or not, limited per number/phone or not. */
  { kind: 'answered' } | { kind: 'invalid'; issues: RecoveryIssue[] }

/**
 * 找回我的诉求: the public number plus the phone given with it sends a new tracking link to that phone by SMS.
 * Nothing in the answer says whether the pair matched: the same words, and the SMS only ever through the outbox
 * (never a provider call in the request). Attempts are counted before the lookup, per address (over the limit:
 * 429), per number and per phone (over the limit: the same answer and nothing sent, so the limits cannot be used
 * to probe either). The case's existing links keep working.
 */
export function createRecoveryService(deps: {
  db: Db
  repo: RecoveryRepo
  throttle: PublicThrottle
  clock: Clock
  audit: AuditWriter
  cipher: PiiCipher
  residentPhones: PhoneLookup
  notices: NoticePlanner
  onNotices: () => void
  limits?: RecoveryLimits
}) {
  const { db, repo, throttle, clock, audit } = deps
  const limits = deps.limits ?? RECOVERY_LIMITS

  function validate(input: RecoveryInput): { publicNo: string; phone: string } | { issues: RecoveryIssue[] } {
    const issues: RecoveryIssue[] = []
    // Case-insensitive, spaces and full-width dashes tolerated: people copy it from an SMS or type it from a screenshot.
    const publicNo = (input.publicNo ?? '')
      .normalize('NFKC')
      .replace(/\s+/g, '')
      .replace(/[‐-―－]/g, '-')
      .toUpperCase()
    if (!PUBLIC_NO.test(publicNo)) issues.push({ field: 'publicNo', key: 'error.recover.number' })
    const phoneText = (input.phone ?? '').trim()
    // Normalised exactly as the scan page does, so the keyed hash is the one stored with the case.
    const phone = phoneText.length <= MAX_FIELD ? normalizeMainlandMobile(phoneText) : null
    if (!phone) issues.push({ field: 'phone', key: phoneText ? 'error.phone.format' : 'error.recover.phone' })
    return issues.length > 0 ? { issues } : { publicNo, phone: phone! }
  }

  return {
    async recover(input: RecoveryInput): Promise<RecoveryOutcome> {
      const valid = validate(input)
      if ('issues' in valid) return { kind: 'invalid', issues: valid.issues }
      const now = clock.now()
      const ip = input.ip ?? 'unknown'
      const byIp = await throttle.hit(`recovery:ip:${ip}`, limits.perIp.max, limits.perIp.windowMs, now)
      if (!byIp.allowed) {
        await audit.record(db, {
          actorUserId: null,
          actorIp: input.ip,
          action: 'case.recovery_attempt',
          targetKind: 'recovery',
          targetId: valid.publicNo,
          detail: { outcome: 'ip_throttled' },
        })
        throw new AppError('RECOVERY_THROTTLED', `Too many attempts from this address; try again in ${byIp.retryAfterSeconds} s.`, {
          retryAfterSeconds: byIp.retryAfterSeconds,
        })
      }
      const phoneHash = deps.residentPhones.hash(valid.phone)
      const [byNumber, byPhone] = await Promise.all([
        throttle.hit(`recovery:pair:${valid.publicNo}:${phoneHash}`, limits.perPair.max, limits.perPair.windowMs, now),
        throttle.hit(`recovery:phone:${phoneHash}`, limits.perPhone.max, limits.perPhone.windowMs, now),
      ])
      const attempt = (detail: Record<string, unknown>) =>
        audit.record(db, { actorUserId: null, actorIp: input.ip, action: 'case.recovery_attempt', targetKind: 'recovery', targetId: valid.publicNo, detail })
      if (!byNumber.allowed || !byPhone.allowed) {
        await attempt({ outcome: !byNumber.allowed ? 'number_throttled' : 'phone_throttled' })
        return { kind: 'answered' }
      }

      // Both lookups always run (a miss costs what a hit does); the submitter's phone wins over a follower's.
      const [c, joined] = await Promise.all([repo.caseByPublicNo(valid.publicNo), repo.followerWithPhone(valid.publicNo, phoneHash)])
      const follower = c && c.residentPhoneHash !== phoneHash ? joined : undefined
      if (!c || (c.residentPhoneHash !== phoneHash && !follower)) {
        await attempt({ outcome: 'no_match' })
        return { kind: 'answered' }
      }
      // A new ≥128-bit secret like the submission's (192 bits, base64url); only its hash opens the case.
      const secret = randomBytes(24).toString('base64url')
      const followerId = follower?.id ?? null
      await db.transaction(async (tx) => {
        const link = await repo.insertLink(tx, {
          caseId: c.id,
          followerId,
          secretHash: sha256(secret),
          secretEnc: deps.cipher.encrypt(secret),
          reason: 'recovery',
          createdAt: now,
        })
        await audit.record(tx, {
          actorUserId: null,
          actorIp: input.ip,
          action: 'case.recovery_attempt',
          targetKind: 'recovery',
          targetId: valid.publicNo,
          detail: { outcome: 'matched' },
        })
        await audit.record(tx, {
          actorUserId: null,
          actorIp: input.ip,
          action: 'tracking_link.issued',
          targetKind: 'case',
          targetId: c.id,
          detail: { linkId: link.id, holder: followerId ? 'follower' : 'owner', followerId, reason: 'recovery' },
        })
        await deps.notices.recovered(tx, c, { id: link.id, followerId }, now)
      })
      deps.onNotices()
      return { kind: 'answered' }
    },
  }
}
export type RecoveryService = ReturnType<typeof createRecoveryService>

import type { Clock } from '../clock'
import type { Db } from '../db/database'
import type { AuditWriter } from '../audit/audit-log'
import { sha256 } from '../auth/tokens'
import { AppError } from '../errors/app-error'
import type { PhoneWithdrawalRepo } from './phone-withdrawal-repo'

/** What the tracking page says about the holder's own phone. */
export type HolderPhone = 'on_file' | 'withdrawn' | 'none'

const SECRET = /^[A-Za-z0-9_-]{20,64}$/

/**
 * The resident withdraws consent for their phone (PIPL art. 15, issue 19) through the secret link they hold: the
 * number goes from the case (or their follower row) and from the case's follower rows with the same number; the
 * row keeps when it happened, so the member reads "居民已撤回手机号" and no SMS is planned or delivered to it (the
 * planner and the delivery read the ciphertext, now gone). Doing it again changes nothing and writes no second
 * audit row. The secret in the URL is the form's CSRF defence, as for the page's other forms: a third-party site
 * cannot post to a link it does not know.
 */
export function createPhoneWithdrawalService({ db, repo, audit, clock }: { db: Db; repo: PhoneWithdrawalRepo; audit: AuditWriter; clock: Clock }) {
  async function holder(secret: string) {
    const found = SECRET.test(secret) ? await repo.holderOf(sha256(secret)) : undefined
    if (!found) throw new AppError('NOT_FOUND', 'No request has this tracking link.')
    return found
  }

  return {
    async phoneOf(secret: string): Promise<HolderPhone> {
      const h = await holder(secret)
      return h.phoneHash ? 'on_file' : h.withdrawnAt ? 'withdrawn' : 'none'
    },

    async withdraw(secret: string, ip: string | null): Promise<{ status: 'withdrawn' | 'already' | 'no_phone' }> {
      const h = await holder(secret)
      const phoneHash = h.phoneHash
      if (!phoneHash) return { status: h.withdrawnAt ? 'already' : 'no_phone' }
      const now = clock.now()
      await db.transaction(async (tx) => {
        const changed = await repo.withdraw(tx, { ...h, phoneHash }, now)
        await audit.record(tx, {
          actorUserId: null,
          actorIp: ip,
          action: 'case.resident_phone_withdrawn',
          targetKind: 'case',
          targetId: h.caseId,
          // The hash names the number for a later lookup's audit trail; the number itself is never written.
          detail: { reason: 'resident withdrew consent on the tracking page', by: h.followerId ? 'follower' : 'submitter', phoneHash, ...changed },
        })
      })
      return { status: 'withdrawn' }
    },
  }
}
export type PhoneWithdrawalService = ReturnType<typeof createPhoneWithdrawalService>

import { randomBytes } from 'node:crypto'
import type { Db } from '../db/database'
import type { Clock } from '../clock'
import type { Actor } from '../auth/actor'
import type { AuditWriter } from '../audit/audit-log'
import { sha256 } from '../auth/tokens'
import { caseRoleOf } from '../cases/case-access'
import { notFound } from '../errors/app-error'
import type { RecoveryRepo } from './recovery-repo'

/**
 * Staff end a case's tracking links (a recovery SMS forwarded to the wrong person, a link shared in a group):
 * the recovery links only, or the submitter's original link as well. The resident can still ask for a new link
 * with the number and their phone (找回我的诉求), which goes only to the phone given with the case.
 */
export function createTrackingLinkRevocation({ db, repo, audit, clock }: { db: Db; repo: RecoveryRepo; audit: AuditWriter; clock: Clock }) {
  return {
    async revoke(actor: Actor, caseId: string, { original }: { original: boolean }, ip: string | null): Promise<{ recoveryLinks: number; original: boolean }> {
      const c = await repo.caseScope(caseId)
      // Admins within scope; a member cannot reach this route (access), and another scope's case does not exist.
      if (!c || !caseRoleOf(actor, c)) throw notFound('case')
      const now = clock.now()
      return db.transaction(async (tx) => {
        const recoveryLinks = await repo.revokeLinks(tx, caseId, now)
        if (original) await repo.replaceOriginal(tx, caseId, sha256(randomBytes(24).toString('base64url')))
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'case.tracking_links_revoked',
          targetKind: 'case',
          targetId: caseId,
          detail: { recoveryLinks, original },
        })
        return { recoveryLinks, original }
      })
    },
  }
}
export type TrackingLinkRevocation = ReturnType<typeof createTrackingLinkRevocation>

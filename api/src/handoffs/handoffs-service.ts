import { isOpenHandoff, type HandoffLinkResult } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import type { AuditWriter } from '../audit/audit-log'
import { caseRoleOf } from '../cases/case-access'
import type { MemberCasesRepo } from '../cases/member-cases-repo'
import type { Clock } from '../clock'
import type { Db } from '../db/database'
import { AppError, notFound } from '../errors/app-error'
import type { PiiCipher } from '../privacy/pii-cipher'
import { handoffLinkPath, newHandoffSecret } from './handoff-secret'
import { photosByHandoff, toHandoffView } from './handoff-views'
import type { HandoffsRepo } from './handoffs-repo'

export interface HandoffsServiceDeps {
  db: Db
  repo: HandoffsRepo
  cases: MemberCasesRepo
  audit: AuditWriter
  cipher: PiiCipher
  clock: Clock
  publicBaseUrl: string
}

/**
 * The staff's hold on a department's link (交办): a new link when the old one was lost or went to the wrong
 * person, or none at all. Whoever may see the case (its assignee, the desk in scope) may do it; anyone else
 * learns nothing (404). Both are audit-logged, never with the secret.
 */
export function createHandoffsService({ db, repo, cases, audit, cipher, clock, publicBaseUrl }: HandoffsServiceDeps) {
  async function load(actor: Actor, id: string) {
    const h = await repo.find(id)
    const c = h && (await cases.load(h.caseId))
    const role = c ? caseRoleOf(actor, c) : null
    if (!h || !role) throw notFound('hand-off')
    return { h, role }
  }

  return {
    /** Revokes the old link and issues a new one (only while the department still has the question); the URL is shown once. */
    async issueLink(actor: Actor, id: string, ip: string | null): Promise<HandoffLinkResult> {
      const { h, role } = await load(actor, id)
      if (!isOpenHandoff(h.status))
        throw new AppError('CONFLICT', `This hand-off is ${h.status}; a link is only issued while the department still has the question.`)
      const now = clock.now()
      const { secret, secretHash, secretEnc } = newHandoffSecret(cipher)
      await db.transaction(async (tx) => {
        if (!(await repo.replaceSecret(tx, id, { secretHash, secretEnc }, now)))
          throw new AppError('CONFLICT', 'The hand-off ended meanwhile; no link was issued.')
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'handoff.link_issued',
          targetKind: 'handoff',
          targetId: id,
          detail: { caseId: h.caseId, departmentId: h.departmentId, replacedRevoked: h.linkRevokedAt !== null },
        })
      })
      const after = (await repo.find(id))!
      const photos = photosByHandoff(await repo.answerPhotos(h.caseId)).get(id)
      return { url: `${publicBaseUrl}${handoffLinkPath(secret)}`, handoff: toHandoffView(after, role, photos) }
    },

    /** The link stops working at once (the hand-off itself stays as it is; a new link may be issued while it is open). */
    async revokeLink(actor: Actor, id: string, ip: string | null): Promise<void> {
      const { h } = await load(actor, id)
      const now = clock.now()
      await db.transaction(async (tx) => {
        await repo.revokeLink(tx, id, now)
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'handoff.link_revoked',
          targetKind: 'handoff',
          targetId: id,
          detail: { caseId: h.caseId, departmentId: h.departmentId, status: h.status },
        })
      })
    },
  }
}
export type HandoffsService = ReturnType<typeof createHandoffsService>

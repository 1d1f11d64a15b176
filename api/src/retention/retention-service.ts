import { DEFAULT_RETENTION_YEARS, MAX_RETENTION_YEARS, MIN_RETENTION_YEARS, type RetentionBody, type RetentionView } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { committeeInScope } from '../auth/scope'
import { notFound } from '../errors/app-error'
import type { Db } from '../db/database'
import type { AuditWriter } from '../audit/audit-log'
import type { CommitteeSettings } from '../db/schema'
import type { OrgRepo } from '../org/org-repo'
import { retentionYearsOf } from './retention-rules'

const viewOf = (committeeId: string, settings: CommitteeSettings): RetentionView => ({
  committeeId,
  years: retentionYearsOf(settings),
  own: settings.retentionYears !== undefined,
  defaultYears: DEFAULT_RETENTION_YEARS,
  minYears: MIN_RETENTION_YEARS,
  maxYears: MAX_RETENTION_YEARS,
})

/**
 * A committee's retention years (issue 19), kept in committee.settings beside the deadlines but saved on their
 * own (the deadlines' PUT keeps them): committee admins of the committee or above change it, audited with the
 * value before and after. The scan page reads it for its privacy notice, the retention job for its cut-off.
 */
export function createRetentionService({
  db,
  committees,
  audit,
  onChange = () => {},
}: {
  db: Db
  committees: OrgRepo
  audit: AuditWriter
  /** The scan pages this process has cached show the old number: they are dropped. */
  onChange?: () => void
}) {
  async function inScope(actor: Actor, id: string) {
    const found = await committees.findCommittee(id)
    if (!found || !committeeInScope(actor, found.path)) throw notFound('committee')
    return found
  }
  return {
    async get(actor: Actor, id: string): Promise<RetentionView> {
      return viewOf(id, (await inScope(actor, id)).settings)
    },

    async set(actor: Actor, id: string, body: RetentionBody, ip?: string): Promise<RetentionView> {
      const before = await inScope(actor, id)
      const { retentionYears: previous, ...rest } = before.settings
      const next: CommitteeSettings = body.years === null ? rest : { ...rest, retentionYears: body.years }
      await db.transaction(async (tx) => {
        await committees.setSettings(tx, id, next)
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'committee.retention_changed',
          targetKind: 'committee',
          targetId: id,
          detail: { before: previous ?? null, after: next.retentionYears ?? null },
        })
      })
      onChange()
      return viewOf(id, next)
    },
  }
}
export type RetentionService = ReturnType<typeof createRetentionService>

import type { SyncPage } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import type { CasesService } from '../cases/cases-service'
import type { Cursor, SyncRepo } from './sync-repo'

const parse = (since: string): Cursor => {
  if (since === '0') return { xid: '0', id: '0' }
  const [xid, id] = since.split('.')
  return { xid: xid!, id: id! }
}

/**
 * Delta feed for offline clients: every change to a case the caller can see (or could see until the change)
 * after their cursor, in commit-safe order, with the current state of those cases.
 */
export function createSyncService({ repo, cases }: { repo: SyncRepo; cases: CasesService }) {
  return {
    async since(actor: Actor, since: string | undefined, limit = 500): Promise<SyncPage> {
      // Without a cursor the client only learns where "now" is; it loads its inbox and syncs from there.
      if (since === undefined) return { changes: [], cases: [], removed: [], cursor: `${await repo.watermark()}.0`, more: false }
      const { rows, watermark } = await repo.page(actor, parse(since), limit + 1)
      const more = rows.length > limit
      const served = rows.slice(0, limit)
      const ids = [...new Set(served.map((r) => r.case_id))]
      const { visible, hidden } = await cases.summaries(actor, ids)
      const gone = new Set(hidden)
      const last = served.at(-1)
      return {
        changes: served.map((r) => ({ caseId: r.case_id, version: r.version, change: gone.has(r.case_id) ? ('removed' as const) : ('upsert' as const) })),
        cases: visible,
        removed: hidden,
        // A full page stops at its last row; otherwise everything below the watermark was seen.
        cursor: more && last ? `${last.xid}.${last.id}` : `${watermark}.0`,
        more,
      }
    },
  }
}
export type SyncService = ReturnType<typeof createSyncService>

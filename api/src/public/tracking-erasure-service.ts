import type { CaseErasure } from '../privacy/case-erasure'
import type { TrackingService } from './tracking-service'
import { ERASABLE } from './tracking-service'

export type ErasureOutcome = 'erased' | 'already' | 'not_ended' | 'not_owner'

/**
 * The resident's own erasure (issue 19, PIPL art. 47): through the submitter's tracking link, once the case is
 * closed, its personal data goes at once (privacy/case-erasure.ts, audited with the reason and the address). A
 * follower's link cannot (the case is not theirs). Asking twice changes nothing.
 */
export function createTrackingErasure({ tracking, erasure }: { tracking: TrackingService; erasure: CaseErasure }) {
  return {
    /** Whether this link may ask now (the confirm page shows only then). */
    async check(secret: string): Promise<Exclude<ErasureOutcome, 'erased'> | 'allowed'> {
      const { row, role } = await tracking.find(secret)
      if (role !== 'owner') return 'not_owner'
      if (row.personalDataErasedAt) return 'already'
      return ERASABLE.includes(row.status) ? 'allowed' : 'not_ended'
    },

    async erase(secret: string, ip: string | null): Promise<ErasureOutcome> {
      const allowed = await this.check(secret)
      if (allowed !== 'allowed') return allowed
      const { row } = await tracking.find(secret)
      const result = await erasure.eraseNow(row.id, { reason: 'resident_request', actor: { userId: null, ip, kind: 'resident' } })
      return result.erased ? 'erased' : 'already'
    },
  }
}
export type TrackingErasure = ReturnType<typeof createTrackingErasure>

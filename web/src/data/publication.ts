import type { PublicationView } from '@mashangjian/shared'
import { data } from './index'

/** GET/PUT /api/v1/cases/:id/publication (api/src/transparency/transparency-routes.ts), schemas in shared. */
export type { PublicationView }

/**
 * Whether a resolved case is shown on the committee's public transparency page (issue 16). Online only, like the
 * member's notification preferences: it is no step of the case (its version does not change), so it is not worth
 * the outbox, and the person switching it sees at once whether it took. Offline this throws an OfflineError.
 */
export const publicationApi = {
  read: (caseId: string) => data.request<PublicationView>(`/api/v1/cases/${caseId}/publication`),
  save: (caseId: string, body: { publishable: boolean; publicText: string | null }) =>
    data.request<PublicationView>(`/api/v1/cases/${caseId}/publication`, { method: 'PUT', json: body }),
}

import type { PublicUrlReach } from '@mashangjian/shared'
import { adminApi } from '../admin-api'
import { at } from '../admin-text'
import { useRemote } from '../use-remote'

/**
 * A warning box when the URL placards encode (PUBLIC_BASE_URL) cannot be reached from residents' phones
 * (localhost, a loopback or private address): the server decides (GET /api/v1/placards/settings, the same check as
 * its start banner). Nothing is shown while loading, on error, or when the URL is fine.
 */
export function PublicUrlWarning() {
  const reach = useRemote(() => adminApi.get<PublicUrlReach>('/api/v1/placards/settings'), [])
  const r = reach.value
  if (!r || r.reachable) return null
  return (
    <p class="warning-box" role="note" data-testid="public-url-warning" data-reason={r.reason ?? undefined}>
      {at.publicUrlWarning(r.publicBaseUrl, at.publicUrlReasons[r.reason ?? 'invalid'] ?? '')}
    </p>
  )
}

import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { data } from '../data'
import { dateTime, t } from '../i18n'
import { applyUpdate, onSwState, swState } from '../sw-bridge'
import { useStatus } from '../use-data'
import { trimSlash } from '../paths'

/** Header with sync state, the offline banner, the service worker's two notices, and the bottom navigation. */
export function Shell({ children }: { children: ComponentChildren }) {
  const status = useStatus()
  const { path } = useLocation()
  const [sw, setSw] = useState(swState())
  const [readyShown, setReadyShown] = useState(false)
  useEffect(() => onSwState(setSw), [])
  useEffect(() => {
    if (!sw.offlineReady) return
    setReadyShown(true)
    const id = setTimeout(() => setReadyShown(false), 6000)
    return () => clearTimeout(id)
  }, [sw.offlineReady])

  const base = import.meta.env.BASE_URL
  const syncLine = status.syncing
    ? t.syncing
    : status.pending
      ? t.pendingCount(status.pending)
      : status.lastSyncedAt
        ? t.lastSynced(dateTime(status.lastSyncedAt))
        : t.neverSynced

  return (
    <div class="shell">
      <header class="top" data-offline-ready={String(sw.offlineReady)}>
        <h1>{t.appName}</h1>
        <button
          type="button"
          class="sync-chip"
          onClick={() => void data.syncNow()}
          disabled={status.syncing}
          aria-label={`${t.syncNow}: ${syncLine}`}
          data-testid="sync-state"
          data-pending={status.pending}
          data-online={String(status.online)}
          data-last-synced={status.lastSyncedAt ?? ''}
        >
          {syncLine}
        </button>
      </header>
      {!status.online && (
        <p class="banner offline" role="status" data-testid="offline-banner">
          {t.offlineBanner}
        </p>
      )}
      {status.attention > 0 && (
        <a class="banner attention" href={`${base}#outbox`} data-testid="attention-banner">
          {t.attentionCount(status.attention)}
        </a>
      )}
      {sw.updateAvailable && (
        <button
          type="button"
          class="banner update"
          data-testid="update-available"
          onClick={() => void applyUpdate(status.pending, (n) => window.confirm(t.updateWithPending(n)))}
        >
          {t.updateAvailable}
        </button>
      )}
      {readyShown && !sw.updateAvailable && (
        <p class="toast" role="status" data-testid="offline-ready">
          {t.readyOffline}
        </p>
      )}
      <main>{children}</main>
      <nav class="bottom" aria-label={t.appName}>
        <a href={base} aria-current={path === trimSlash(base) ? 'page' : undefined}>
          {t.nav.inbox}
        </a>
        {status.user?.role === 'member' && (
          <a href={`${base}activities`} aria-current={path === `${base}activities` ? 'page' : undefined}>
            {t.activitiesNav}
          </a>
        )}
        <a href={`${base}contacts`} aria-current={path === `${base}contacts` ? 'page' : undefined} data-testid="nav-contacts">
          {t.contactsNav}
        </a>
        <a href={`${base}me`} aria-current={path === `${base}me` ? 'page' : undefined}>
          {t.nav.me}
        </a>
      </nav>
    </div>
  )
}

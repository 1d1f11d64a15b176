import type { ComponentChildren } from 'preact'
import { useRef, useState } from 'preact/hooks'
import { t } from '../i18n'

const THRESHOLD = 70

/** Pull down at the top of the list to sync (touch screens); the sync chip in the header does the same. */
export function PullToRefresh({ onRefresh, children }: { onRefresh: () => Promise<unknown>; children: ComponentChildren }) {
  const start = useRef<number | null>(null)
  const [pull, setPull] = useState(0)
  const [busy, setBusy] = useState(false)
  return (
    <div
      onTouchStart={(e) => {
        start.current = window.scrollY <= 0 ? e.touches[0]!.clientY : null
      }}
      onTouchMove={(e) => {
        if (start.current !== null) setPull(Math.max(0, Math.min(120, e.touches[0]!.clientY - start.current)))
      }}
      onTouchEnd={() => {
        if (pull >= THRESHOLD && !busy) {
          setBusy(true)
          void onRefresh().finally(() => setBusy(false))
        }
        start.current = null
        setPull(0)
      }}
    >
      {(pull > 0 || busy) && (
        <p class="pull" role="status" style={{ height: busy ? '2.5rem' : `${pull / 2}px` }}>
          {busy ? t.syncing : pull >= THRESHOLD ? t.releaseToRefresh : t.pullToRefresh}
        </p>
      )}
      {children}
    </div>
  )
}

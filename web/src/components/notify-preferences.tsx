import { useEffect, useState } from 'preact/hooks'
import type { NotificationPreferences, NotificationPreferencesView } from '@mashangjian/shared'
import { ApiError, OfflineError, data } from '../data'
import { errorText, t } from '../i18n'
import { useStatus } from '../use-data'

/**
 * 通知方式: two switches, 短信通知 (only with a phone on the member's record) and 浏览器推送, each saved the moment it is
 * flipped. Online only: offline the switches show the last known choice and cannot be changed.
 */
export function NotifyPreferences() {
  const { online } = useStatus()
  const [view, setView] = useState<NotificationPreferencesView | null | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null)

  // Read on opening the page and again when the connection comes back (not on every sync).
  useEffect(() => {
    let live = true
    data.notificationPreferences().then(
      (r) => {
        if (live) setView(r.view)
      },
      (e: unknown) => {
        if (!live) return
        setView((v) => v ?? null)
        setMessage({ text: e instanceof ApiError ? errorText(e.code, e.message) : t.unknownError, error: true })
      },
    )
    return () => {
      live = false
    }
  }, [online])

  async function change(key: keyof NotificationPreferences, value: boolean) {
    if (!view) return
    const before = view
    setView({ ...view, [key]: value })
    setBusy(true)
    setMessage(null)
    try {
      setView(await data.saveNotificationPreferences({ sms: before.sms, push: before.push, [key]: value }))
      setMessage({ text: t.notifySaved })
    } catch (e) {
      setView(before)
      setMessage({ text: e instanceof OfflineError ? t.notifyOffline : e instanceof ApiError ? errorText(e.code, e.message) : t.unknownError, error: true })
    } finally {
      setBusy(false)
    }
  }

  const noPhone = view?.phoneMasked === null
  return (
    <section class="notify-prefs" aria-labelledby="notify-title" data-testid="notify-prefs" aria-busy={view === undefined ? 'true' : undefined}>
      <h3 id="notify-title">{t.notifyTitle}</h3>
      <p class="hint">{t.notifyHint}</p>
      {view === undefined && <p class="skeleton-block">{t.loading}</p>}
      {view === null && (
        <p class="hint" data-testid="notify-unavailable">
          {t.notifyUnavailable}
        </p>
      )}
      {view && (
        <>
          <div class="switch-row">
            <label class="switch" for="notify-sms">
              <input
                id="notify-sms"
                type="checkbox"
                role="switch"
                checked={view.sms && !noPhone}
                disabled={busy || noPhone || !online}
                aria-describedby="notify-sms-hint"
                onChange={(e) => void change('sms', (e.currentTarget as HTMLInputElement).checked)}
                data-testid="notify-sms"
              />
              <span>{t.notifySms}</span>
            </label>
            <p class="hint" id="notify-sms-hint" data-testid="notify-sms-hint">
              {view.phoneMasked ? t.notifySmsTo(view.phoneMasked) : t.notifyNoPhone}
            </p>
          </div>
          <div class="switch-row">
            <label class="switch" for="notify-push">
              <input
                id="notify-push"
                type="checkbox"
                role="switch"
                checked={view.push}
                disabled={busy || !online}
                aria-describedby="notify-push-hint"
                onChange={(e) => void change('push', (e.currentTarget as HTMLInputElement).checked)}
                data-testid="notify-push"
              />
              <span>{t.notifyPush}</span>
            </label>
            <p class="hint" id="notify-push-hint">
              {t.notifyPushHint}
            </p>
          </div>
          {!online && (
            <p class="hint" data-testid="notify-offline">
              {t.notifyOffline}
            </p>
          )}
        </>
      )}
      <p role="status" class={message?.error ? 'error' : 'hint'} data-testid="notify-message">
        {message?.text ?? ''}
      </p>
    </section>
  )
}

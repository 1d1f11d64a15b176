import { useState } from 'preact/hooks'
import { beijingYear } from '@mashangjian/shared'
import { data } from '../data'
import { LOCALES, LOCALE_INFO, currentLocale, setLocale, t, type Locale } from '../i18n'
import { NotifyPreferences } from '../components/notify-preferences'
import { subscribePush } from '../sw-bridge'
import { useData, useStatus } from '../use-data'

const pct = (r: number | null | undefined) => (r === null || r === undefined ? '—' : `${Math.round(r * 1000) / 10}%`)

/** This year's 履职 figures, new-case alerts, language, sign-out. */
export function Profile() {
  const status = useStatus()
  const { value: report, error } = useData(() => data.myYear(), [])
  const [push, setPush] = useState<string | null>(null)
  const totals = report?.totals

  async function enablePush() {
    try {
      const { publicKey } = await data.pushKey()
      const sub = await subscribePush(publicKey)
      if (sub === 'unsupported') return setPush(t.pushUnsupported)
      if (sub === 'denied') return setPush(t.pushDenied)
      await data.savePushSubscription(sub)
      setPush(t.pushEnabled)
    } catch {
      setPush(t.unknownError)
    }
  }

  return (
    <section class="profile">
      <h2>{status.user?.displayName}</h2>
      <h3>{t.thisYear(beijingYear(Date.now()))}</h3>
      {!status.online && report && <p class="hint">{t.statsOffline}</p>}
      {error || (!report && report !== undefined) ? (
        <p class="hint">{t.statsUnavailable}</p>
      ) : !totals ? (
        <p class="skeleton-block" aria-busy="true">
          {t.loading}
        </p>
      ) : (
        <dl class="stats" data-testid="stats">
          <div>
            <dt>{t.statAssigned}</dt>
            <dd>{totals.counts.assigned}</dd>
          </div>
          <div>
            <dt>{t.statAcceptedOnTime}</dt>
            <dd>{totals.counts.acceptedOnTime}</dd>
          </div>
          <div>
            <dt>{t.statResolved}</dt>
            <dd>{totals.counts.resolved}</dd>
          </div>
          <div>
            <dt>{t.statSatisfied}</dt>
            <dd>{totals.counts.satisfied + totals.counts.basicallySatisfied}</dd>
          </div>
          <div>
            <dt>{t.statResponseRate}</dt>
            <dd>{pct(totals.rates.responseRate)}</dd>
          </div>
          <div>
            <dt>{t.statResolutionRate}</dt>
            <dd>{pct(totals.rates.resolutionRate)}</dd>
          </div>
          <div>
            <dt>{t.statSatisfactionRate}</dt>
            <dd>{pct(totals.rates.satisfactionRate)}</dd>
          </div>
        </dl>
      )}
      <NotifyPreferences />
      <h3>{t.pushTitle}</h3>
      <button type="button" class="button" onClick={() => void enablePush()}>
        {t.pushEnable}
      </button>
      {push && <p role="status">{push}</p>}
      <h3>
        <label for="lang">{t.language}</label>
      </h3>
      <select
        id="lang"
        data-testid="language"
        value={currentLocale()}
        onChange={(e) => {
          setLocale((e.currentTarget as HTMLSelectElement).value as Locale)
          location.reload()
        }}
      >
        {LOCALES.map((l) => (
          // Each language named in itself, marked as that language (a screen reader then reads it right).
          <option key={l} value={l} lang={l} dir={LOCALE_INFO[l].dir}>
            {LOCALE_INFO[l].name}
          </option>
        ))}
      </select>
      <p>
        <button
          type="button"
          class="button danger"
          onClick={() => {
            if (status.pending === 0 || window.confirm(t.signOutPending(status.pending))) void data.signOut()
          }}
        >
          {t.signOut}
        </button>
      </p>
    </section>
  )
}

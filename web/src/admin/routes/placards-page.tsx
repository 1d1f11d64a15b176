import { useState } from 'preact/hooks'
import { PLACARD_LAYOUTS, PLACARD_SUBJECTS, type PlacardLayout, type PlacardSubject, type QrCodeView, type StationDetail } from '@mashangjian/shared'
import { adminApi } from '../admin-api'
import { at } from '../admin-text'
import { ProblemText } from '../components/problem-text'
import { PublicUrlWarning } from '../components/public-url-warning'
import { useRemote } from '../use-remote'

const SECOND_LANGUAGES = ['zh-CN', 'ug', 'kk-Arab-CN', 'en'] as const

/**
 * Print a station's QR placards: its members' (one each) or the station's own (its station code); pick station,
 * layout and second language; preview (HTML) or download the PDF. Warns when the address on the codes cannot be
 * reached from residents' phones, and when the station has no code of its own to print.
 */
export function PlacardsPage() {
  const stations = useRemote(() => adminApi.get<{ items: StationDetail[] }>('/api/v1/stations?limit=200&active=true'), [])
  const [stationId, setStationId] = useState('')
  const [layout, setLayout] = useState<PlacardLayout>('cards')
  const [lang, setLang] = useState('zh-CN')
  const [subject, setSubject] = useState<PlacardSubject>('members')
  const [error, setError] = useState<unknown>(null)
  const chosen = stationId || stations.value?.items[0]?.id || ''
  // The station's own placard needs an active station code: say so before the admin prints (never issued here).
  const stationCodes = useRemote(
    () => (subject === 'station' && chosen ? adminApi.get<QrCodeView[]>(`/api/v1/qr-codes?stationId=${chosen}`) : Promise.resolve(null)),
    [subject, chosen],
  )
  const noStationCode = subject === 'station' && stationCodes.value != null && !stationCodes.value.some((c) => c.status === 'active')

  async function open(kind: 'pdf' | 'html') {
    setError(null)
    try {
      // The token rides in the query (a tab cannot send a header). The PDF is a download, whose progress the
      // browser shows as it streams; the preview opens in a new tab.
      const url = await adminApi.placardUrl(kind, { stationId: chosen, layout, lang, ...(subject === 'station' && { subject }) })
      if (kind === 'html') {
        window.open(url, '_blank', 'noopener')
        return
      }
      const a = document.createElement('a')
      a.href = url
      a.download = `placards-${subject === 'station' ? 'station-' : ''}${layout}.pdf`
      document.body.append(a)
      a.click()
      a.remove()
    } catch (err) {
      setError(err)
    }
  }

  if (stations.error) return <ProblemText error={stations.error} />
  if (!stations.value) return <p aria-busy="true">{at.loading}</p>
  if (stations.value.items.length === 0) return <p class="empty">{at.noStations}</p>
  return (
    <section class="admin-page" data-testid="placards-page">
      <h2>{at.placardsTitle}</h2>
      <PublicUrlWarning />
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault()
          void open('pdf')
        }}
      >
        <label for="station">{at.station}</label>
        <select id="station" value={chosen} onChange={(e) => setStationId((e.currentTarget as HTMLSelectElement).value)} data-testid="placard-station">
          {stations.value.items.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}（{s.memberCount}）
            </option>
          ))}
        </select>
        <fieldset>
          <legend>{at.placardSubject}</legend>
          {PLACARD_SUBJECTS.map((k) => (
            <label key={k} class="choice">
              <input type="radio" name="subject" value={k} checked={subject === k} onChange={() => setSubject(k)} data-testid={`placard-subject-${k}`} />{' '}
              {at.placardSubjects[k]}
            </label>
          ))}
        </fieldset>
        {noStationCode && (
          <p class="warning-box" role="alert" data-testid="station-no-code">
            {at.stationNoCode}
          </p>
        )}
        <fieldset>
          <legend>{at.layout}</legend>
          {PLACARD_LAYOUTS.map((l) => (
            <label key={l} class="choice">
              <input type="radio" name="layout" value={l} checked={layout === l} onChange={() => setLayout(l)} /> {at.layouts[l]}
            </label>
          ))}
        </fieldset>
        <label for="lang">{at.secondLanguage}</label>
        <select id="lang" value={lang} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value)}>
          {SECOND_LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {at.languages[l]}
            </option>
          ))}
        </select>
        <div class="buttons">
          <button type="button" class="button" onClick={() => void open('html')} disabled={noStationCode} data-testid="placard-preview">
            {at.preview}
          </button>
          <button type="submit" class="button primary" disabled={noStationCode} data-testid="placard-pdf">
            {at.downloadPdf}
          </button>
        </div>
      </form>
      <p class="hint">{at.placardsHint}</p>
      <ProblemText error={error} />
    </section>
  )
}

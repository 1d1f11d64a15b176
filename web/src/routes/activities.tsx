import { useState } from 'preact/hooks'
import { ACTIVITY_KINDS, beijingDay, formatDay, type ActivityKind } from '@mashangjian/shared'
import { data } from '../data'
import { currentLocale, errorText, t } from '../i18n'
import { useData, useStatus } from '../use-data'

const MAX_PHOTOS = 3

/** A logged day in the member's language and order ("2026年12月4日", "4.12.2026"); a malformed one as it came. */
const dayText = (d: string) => (/^\d{4}-\d{2}-\d{2}$/.test(d) ? formatDay(d, currentLocale(), 'date') : d)

/** "我的履职" (issue 15): the member logs meetings, visits, reception days… (offline too) and sees their review. */
export function Activities() {
  const status = useStatus()
  const { value: mine } = useData(() => data.myActivities(), [])
  const today = beijingDay(new Date())
  const [kind, setKind] = useState<ActivityKind>('visit')
  const [day, setDay] = useState(today)
  const [place, setPlace] = useState('')
  const [note, setNote] = useState('')
  const [photos, setPhotos] = useState<File[]>([])
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null)
  const [saving, setSaving] = useState(false)

  async function save(e: Event) {
    e.preventDefault()
    if (!place.trim()) return setMessage({ text: t.activityPlaceRequired, error: true })
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || day > today) return setMessage({ text: t.activityFuture, error: true })
    setSaving(true)
    try {
      await data.logActivity({ kind, occurredOn: day, place: place.trim(), notes: note.trim() }, photos)
      setPlace('')
      setNote('')
      setPhotos([])
      setMessage({ text: t.activitySaved, error: false })
    } catch {
      setMessage({ text: t.unknownError, error: true })
    } finally {
      setSaving(false)
    }
  }

  return (
    <section class="activities">
      <h2>{t.activitiesTitle}</h2>
      <form class="activity-form" onSubmit={(e) => void save(e)} data-testid="activity-form">
        <h3>{t.activityLogTitle}</h3>
        <label>
          {t.activityKind}
          <select value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as ActivityKind)} name="kind">
            {ACTIVITY_KINDS.map((k) => (
              <option key={k} value={k}>
                {t.activityKinds[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.activityDate}
          <input type="date" name="occurredOn" max={today} value={day} required onInput={(e) => setDay((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          {t.activityPlace}
          <input name="place" maxLength={200} value={place} required onInput={(e) => setPlace((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          {t.activityNote}
          <textarea name="notes" maxLength={2000} rows={3} value={note} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
        </label>
        <label>
          {t.activityPhotos}
          <input
            type="file"
            accept="image/*"
            multiple
            data-testid="activity-photo-input"
            disabled={photos.length >= MAX_PHOTOS}
            onChange={(e) => {
              const files = [...((e.currentTarget as HTMLInputElement).files ?? [])]
              setPhotos([...photos, ...files].slice(0, MAX_PHOTOS))
              ;(e.currentTarget as HTMLInputElement).value = ''
            }}
          />
        </label>
        {photos.length > 0 && <p class="hint">{t.activityPhotosChosen(photos.length)}</p>}
        <button type="submit" class="button primary" disabled={saving}>
          {t.activitySave}
        </button>
        {message && (
          <p role={message.error ? 'alert' : 'status'} class={message.error ? 'error' : 'hint'} data-testid="activity-message">
            {message.text}
          </p>
        )}
      </form>
      <p class="hint">{t.activitiesCountNote}</p>
      {!status.online && mine?.fetchedAt && <p class="hint">{t.activitiesOffline}</p>}
      <ul class="activity-list" data-testid="activity-list">
        {mine?.queued.map((q) => (
          <li key={q.opId} data-status={q.state === 'pending' ? 'queued' : 'refused'} data-testid="activity-item">
            <strong>{t.activityKinds[q.body.kind]}</strong> <bdi dir="ltr">{dayText(q.body.occurredOn)}</bdi> · <bdi>{q.body.place}</bdi>
            <span class="badge">{q.state === 'pending' ? t.activityQueued : t.activityRefused}</span>
            {q.problem && <p class="error">{errorText(q.problem.code, q.problem.detail)}</p>}
            {q.state !== 'pending' && (
              <button type="button" class="button" onClick={() => void data.dropActivity(q.opId)}>
                {t.activityDrop}
              </button>
            )}
          </li>
        ))}
        {mine?.items.map((a) => (
          <li key={a.id} data-status={a.status} data-testid="activity-item">
            <strong>{t.activityKinds[a.kind]}</strong> <bdi dir="ltr">{dayText(a.occurredOn)}</bdi>
            {a.place && (
              <>
                {' · '}
                <bdi>{a.place}</bdi>
              </>
            )}
            <span class="badge">{t.activityStatus[a.status]}</span>
            {a.photos.length > 0 && (
              <span class="hint">
                {' '}
                📷 <bdi dir="ltr">{a.photos.length}</bdi>
              </span>
            )}
            {a.notes && <p class="hint">{a.notes}</p>}
            {a.status === 'rejected' && a.rejectReason && <p class="error">{t.activityRejectedBecause(a.rejectReason)}</p>}
          </li>
        ))}
      </ul>
      {mine && mine.items.length === 0 && mine.queued.length === 0 && <p class="hint">{t.activitiesEmpty}</p>}
    </section>
  )
}

import { useEffect, useState } from 'preact/hooks'
import { ACTIVITY_KINDS, beijingDay, type Activity, type ActivityPage, type ActivityReviewBody } from '@mashangjian/shared'
import { data } from '../../data'
import { adminApi } from '../admin-api'
import { at } from '../admin-text'
import { ProblemText } from '../components/problem-text'
import { useRemote } from '../use-remote'

const r = () => at.activityReview

/**
 * issue 15: activities members logged from the phone, waiting for review. The API lists only those of members in
 * the admin's scope (station admins: their stations' members; committee admins: their subtree).
 */
export function ActivityReviewPage() {
  const pending = useRemote(() => adminApi.get<ActivityPage>('/api/v1/activities?status=pending&limit=100'), [])
  return (
    <section class="admin-page" data-testid="activity-review-page" aria-labelledby="activity-review-title">
      <h2 id="activity-review-title">{r().title}</h2>
      <p class="hint">{r().intro}</p>
      <ProblemText error={pending.error} />
      {pending.loading && !pending.value && (
        <p class="skeleton-block" aria-busy="true">
          {at.loading}
        </p>
      )}
      {pending.value && pending.value.items.length === 0 && <p class="empty">{r().empty}</p>}
      <ul class="activity-review-list">
        {pending.value?.items.map((a) => (
          <ReviewItem key={a.id} activity={a} onDone={pending.reload} />
        ))}
      </ul>
    </section>
  )
}

function ReviewItem({ activity: a, onDone }: { activity: Activity; onDone: () => void }) {
  const [mode, setMode] = useState<'view' | 'correct' | 'reject'>('view')
  const [kind, setKind] = useState(a.kind)
  const [day, setDay] = useState(a.occurredOn)
  const [place, setPlace] = useState(a.place)
  const [notes, setNotes] = useState(a.notes)
  const [reason, setReason] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  async function send(body: ActivityReviewBody) {
    setBusy(true)
    setError(null)
    try {
      await adminApi.post<Activity>(`/api/v1/activities/${a.id}/review`, body)
      onDone()
    } catch (e) {
      setError(e)
    } finally {
      setBusy(false)
    }
  }

  function correct(e: Event) {
    e.preventDefault()
    const changes: NonNullable<ActivityReviewBody['changes']> = {}
    if (kind !== a.kind) changes.kind = kind
    if (day !== a.occurredOn) changes.occurredOn = day
    if (place !== a.place) changes.place = place
    if (notes !== a.notes) changes.notes = notes
    void send(Object.keys(changes).length ? { decision: 'confirm', changes } : { decision: 'confirm' })
  }

  return (
    <li class="card" data-testid="activity-review-item" data-activity-id={a.id}>
      <p>
        <strong>{a.memberName}</strong> · {r().kinds[a.kind]} · {a.occurredOn}
        {a.place ? ` · ${a.place}` : ''}
        {a.stationName ? ` · ${a.stationName}` : ''}
      </p>
      {a.notes && <p class="hint">{a.notes}</p>}
      {a.photos.length > 0 && (
        <p class="activity-photos" aria-label={r().photos(a.photos.length)}>
          {a.photos.map((p) => (
            <Photo key={p.id} url={p.url} />
          ))}
        </p>
      )}
      {mode === 'view' && (
        <p class="actions">
          <button type="button" class="button primary" disabled={busy} onClick={() => void send({ decision: 'confirm' })} data-testid="activity-confirm">
            {r().confirm}
          </button>
          <button type="button" class="button" onClick={() => setMode('correct')}>
            {r().correct}
          </button>
          <button type="button" class="button danger" onClick={() => setMode('reject')}>
            {r().reject}
          </button>
        </p>
      )}
      {mode === 'correct' && (
        <form onSubmit={correct}>
          <div class="field">
            <label for={`k-${a.id}`}>{r().kind}</label>
            <select id={`k-${a.id}`} value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as Activity['kind'])}>
              {ACTIVITY_KINDS.map((k) => (
                <option key={k} value={k}>
                  {r().kinds[k]}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for={`d-${a.id}`}>{r().date}</label>
            <input id={`d-${a.id}`} type="date" max={beijingDay(new Date())} value={day} onInput={(e) => setDay((e.currentTarget as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for={`p-${a.id}`}>{r().place}</label>
            <input id={`p-${a.id}`} maxLength={200} value={place} onInput={(e) => setPlace((e.currentTarget as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for={`n-${a.id}`}>{r().notes}</label>
            <textarea id={`n-${a.id}`} maxLength={2000} value={notes} onInput={(e) => setNotes((e.currentTarget as HTMLTextAreaElement).value)} />
          </div>
          <button type="submit" class="button primary" disabled={busy}>
            {r().saveCorrect}
          </button>
          <button type="button" class="button" onClick={() => setMode('view')}>
            {r().cancel}
          </button>
        </form>
      )}
      {mode === 'reject' && (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void send({ decision: 'reject', reason: reason.trim() })
          }}
        >
          <div class="field">
            <label for={`r-${a.id}`}>{r().reason}</label>
            <input id={`r-${a.id}`} required maxLength={500} value={reason} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
          </div>
          <button type="submit" class="button danger" disabled={busy || !reason.trim()}>
            {r().sendReject}
          </button>
          <button type="button" class="button" onClick={() => setMode('view')}>
            {r().cancel}
          </button>
        </form>
      )}
      <ProblemText error={error} />
    </li>
  )
}

/** A photo of the activity: fetched with the admin's token (an <img> cannot send it), shown from an object URL. */
function Photo({ url }: { url: string }) {
  const [src, setSrc] = useState<string | null>(null)
  useEffect(() => {
    let made: string | null = null
    let live = true
    data.request<ArrayBuffer>(url).then(
      (bytes) => {
        made = URL.createObjectURL(new Blob([bytes], { type: 'image/jpeg' }))
        if (live) setSrc(made)
        else URL.revokeObjectURL(made)
      },
      () => undefined,
    )
    return () => {
      live = false
      if (made) URL.revokeObjectURL(made)
    }
  }, [url])
  return src ? <img src={src} alt="" width={120} style={{ maxHeight: '120px', objectFit: 'cover', marginRight: '4px' }} /> : null
}

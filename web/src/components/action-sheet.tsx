import { useEffect, useRef, useState } from 'preact/hooks'
import type { CaseSummary } from '@mashangjian/shared'
import { data } from '../data'
import type { ActionInput } from '../data/outbox'
import { t } from '../i18n'
import { quickReplies } from '../i18n/quick-replies'

/** The actions a member can take from the phone, in the order the sheet offers them. */
export const MEMBER_ACTIONS = ['accept', 'note', 'contact_log', 'resolve', 'request_extension', 'transfer', 'decline'] as const
export type MemberAction = (typeof MEMBER_ACTIONS)[number]
const WITH_PHOTOS: readonly MemberAction[] = ['note', 'contact_log', 'resolve']
const MAX_PHOTOS = 3

/**
 * One action's form, in a native <dialog>. Submitting queues the action in the outbox (works offline) and closes;
 * the case then shows it as "待同步" until the server confirms.
 */
export function ActionSheet({ action, c, onClose }: { action: MemberAction; c: CaseSummary; onClose: (queued: boolean) => void }) {
  const [photos, setPhotos] = useState<File[]>([])
  const [error, setError] = useState<string | null>(null)
  const reply = useRef<HTMLTextAreaElement>(null)
  const sheet = useRef<HTMLDivElement>(null)
  const [busy, setBusy] = useState(false)
  // A modal sheet: focus moves into it, Escape closes it, and focus goes back to the button that opened it.
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null
    sheet.current?.querySelector<HTMLElement>('textarea, input, select, button[type=submit]')?.focus()
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') onClose(false) }
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('keydown', onKey)
      opener?.focus()
    }
  }, [])

  function input(form: FormData): ActionInput | string {
    const text = (name: string) => String(form.get(name) ?? '').trim()
    switch (action) {
      case 'accept': return { type: 'accept' }
      case 'decline': return text('reason').length < 2 ? t.reasonHint : { type: 'decline', reason: text('reason') }
      case 'note': return text('body') ? { type: 'note', body: text('body'), visibility: text('visibility') === 'public' ? 'public' : 'internal' } : t.noteBody
      case 'contact_log': return text('body') ? { type: 'contact_log', method: text('method') as 'phone', body: text('body') } : t.contactBody
      case 'transfer': return text('reason').length < 2 ? t.reasonHint : { type: 'transfer', reason: text('reason') }
      case 'request_extension': {
        const until = text('until')
        if (text('reason').length < 2) return t.reasonHint
        if (!until) return t.extendUntil
        // The date input gives a day; the new deadline is the end of that day in China Standard Time.
        return { type: 'request_extension', reason: text('reason'), until: new Date(`${until}T23:59:00+08:00`).toISOString() }
      }
      case 'resolve': return text('reply').length < 5 ? t.replyHint : { type: 'resolve', reply: text('reply') }
    }
  }

  async function submit(e: Event) {
    e.preventDefault()
    const result = input(new FormData(e.currentTarget as HTMLFormElement))
    if (typeof result === 'string') return setError(result)
    if (busy) return // a double tap queues one action, not two
    setBusy(true)
    try {
      await data.act(c.id, result, WITH_PHOTOS.includes(action) ? photos : [])
      onClose(true)
    } catch {
      setError(t.unknownError)
      setBusy(false)
    }
  }

  const id = `sheet-${action}`
  return (
    <div class="sheet-backdrop" onClick={(e) => { if (e.target === e.currentTarget) onClose(false) }}>
      <div class="sheet" role="dialog" aria-modal="true" aria-labelledby={id} ref={sheet}>
      <form onSubmit={submit} noValidate data-testid={`sheet-${action}`}>
        <h2 id={id}>{t.actions[action]}</h2>
        {(action === 'decline' || action === 'transfer' || action === 'request_extension') && (
          <>
            <label for="reason">{t.reason}</label>
            <textarea id="reason" name="reason" rows={3} required minLength={2} maxLength={500} placeholder={t.reasonHint} />
          </>
        )}
        {action === 'request_extension' && (
          <>
            <label for="until">{t.extendUntil}</label>
            <input id="until" name="until" type="date" required min={new Date().toISOString().slice(0, 10)} />
          </>
        )}
        {action === 'note' && (
          <>
            <label for="body">{t.noteBody}</label>
            <textarea id="body" name="body" rows={4} required maxLength={2000} />
            <fieldset>
              <legend>{t.visibility}</legend>
              <label class="choice"><input type="radio" name="visibility" value="internal" checked /> {t.visibilityInternal}</label>
              <label class="choice"><input type="radio" name="visibility" value="public" /> {t.visibilityPublic}</label>
            </fieldset>
          </>
        )}
        {action === 'contact_log' && (
          <>
            <label for="method">{t.contactMethod}</label>
            <select id="method" name="method">
              {Object.entries(t.contactMethods).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
            </select>
            <label for="body">{t.contactBody}</label>
            <textarea id="body" name="body" rows={4} required maxLength={2000} />
          </>
        )}
        {action === 'resolve' && (
          <>
            <label for="reply">{t.reply}</label>
            <textarea id="reply" name="reply" ref={reply} rows={5} required minLength={5} maxLength={2000} placeholder={t.replyHint} />
            <p class="label">{t.quickReplies}</p>
            <div class="quick">
              {quickReplies(c.categoryNames).map((q) => (
                <button type="button" key={q} class="chip" onClick={() => { if (reply.current) reply.current.value = q }}>{q}</button>
              ))}
            </div>
          </>
        )}
        {WITH_PHOTOS.includes(action) && (
          <div class="photo-pick">
            {photos.map((p, i) => (
              <button type="button" key={i} class="chip" onClick={() => setPhotos(photos.filter((_, j) => j !== i))}>
                {t.removePhoto} {i + 1} ({Math.round(p.size / 1024)} KB)
              </button>
            ))}
            {photos.length < MAX_PHOTOS && (
              <label class="button">
                {t.addPhoto}
                <input type="file" accept="image/*" class="visually-hidden" data-testid="photo-input"
                  onChange={(e) => {
                    const f = (e.currentTarget as HTMLInputElement).files?.[0]
                    if (f) setPhotos([...photos, f])
                    ;(e.currentTarget as HTMLInputElement).value = ''
                  }} />
              </label>
            )}
          </div>
        )}
        {error && <p class="error" role="alert">{error}</p>}
        <div class="buttons">
          <button type="button" class="button" onClick={() => onClose(false)}>{t.cancel}</button>
          <button type="submit" class="button primary" data-testid="sheet-submit" disabled={busy}>{t.submit}</button>
        </div>
      </form>
      </div>
    </div>
  )
}

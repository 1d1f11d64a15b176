import { useEffect, useRef, useState } from 'preact/hooks'
import { beijingInstant, type CaseActionBody, type CaseSummary } from '@mashangjian/shared'
import { data, type OutboxEntry } from '../data'
import type { ActionInput } from '../data/outbox'
import { deadlineText, errorText, t } from '../i18n'
import { quickReplies } from '../i18n/quick-replies'
import { beijingDay, handoffDueAtOfDay } from '../beijing-day'
import { HandoffFields } from './handoff-fields'
import { TransferPicker } from './transfer-picker'

/** The actions a member can take from the phone, in the order the sheet offers them. */
export const MEMBER_ACTIONS = ['accept', 'note', 'contact_log', 'handoff', 'resolve', 'request_extension', 'transfer', 'decline'] as const
export type MemberAction = (typeof MEMBER_ACTIONS)[number]
const WITH_PHOTOS: readonly MemberAction[] = ['note', 'contact_log', 'resolve']
/** Only the answer is public: notes and contact logs stay with staff, so their photos are never offered to residents. */
const PUBLIC_PHOTOS_ACTION: MemberAction = 'resolve'
const MAX_PHOTOS = 3

/** The sheet's fields, which the server's field paths (`body.reason`…) are shown against. */
type SheetField = 'reason' | 'until' | 'body' | 'method' | 'visibility' | 'reply' | 'target' | 'photos' | 'department' | 'question' | 'dueAt'
function sheetField(path: string): SheetField | null {
  const name = path.replace(/^body\./, '')
  if (name === 'toMemberId' || name === 'toStationId') return 'target'
  if (name === 'departmentId') return 'department'
  if (/^photo/.test(name)) return 'photos'
  return (['reason', 'until', 'body', 'method', 'visibility', 'reply', 'question', 'dueAt'] as const).find((f) => f === name) ?? null
}

/**
 * One action's form, in a modal sheet. Submitting queues the action in the outbox (works offline) and closes;
 * the case then shows it as "待同步" until the server confirms. With `revise` (修改后重发) the sheet opens on an
 * action the server refused, filled in as it was and with the server's messages by its fields; sending puts the
 * corrected action in the refused one's place.
 */
export function ActionSheet({
  action,
  caseId,
  c,
  revise,
  prefill,
  onClose,
}: {
  action: MemberAction
  caseId: string
  /** The case as the member sees it (absent when revising an action on a case no longer on the device). */
  c?: CaseSummary
  revise?: OutboxEntry
  /** Fields filled in to start with (转述答复并办结: the department's answer as the reply, to edit or send as is). */
  prefill?: Partial<Record<SheetField, string>>
  onClose: (queued?: OutboxEntry) => void
}) {
  const before = revise?.action as (Partial<Record<string, unknown>> & CaseActionBody) | undefined
  const prev = (name: string): string | undefined => (typeof before?.[name] === 'string' ? (before[name] as string) : prefill?.[name as SheetField])
  const [photos, setPhotos] = useState<File[]>(() => (revise?.photos ?? []).map((p, i) => new File([p.bytes], `photo${i + 1}.jpg`, { type: p.type })))
  // issue 16: the answer's photos may be shown to the resident on their tracking page; off unless ticked.
  const [photosPublic, setPhotosPublic] = useState(revise?.photosPublic ?? false)
  const [error, setError] = useState<string | null>(null)
  // The server's word on each field of the refused action; a field the member corrects loses its message.
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<SheetField, string>>>(() => {
    const out: Partial<Record<SheetField, string>> = {}
    for (const e of revise?.problem?.errors ?? []) {
      const f = sheetField(e.field)
      if (f && !out[f]) out[f] = t.fieldMessage(e.field, e.message)
    }
    return out
  })
  const serverErrors = revise?.problem
  const unplaced = (serverErrors?.errors ?? []).filter((e) => !sheetField(e.field))
  const reply = useRef<HTMLTextAreaElement>(null)
  const sheet = useRef<HTMLDivElement>(null)
  const [busy, setBusy] = useState(false)
  // A modal sheet: focus moves into it, Escape closes it, and focus goes back to the button that opened it.
  // The sheet opens once; Escape must call the latest onClose (a new function on each render of the parent).
  const closeRef = useRef(onClose)
  closeRef.current = onClose
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null
    const root = sheet.current
    ;(root?.querySelector<HTMLElement>('[aria-invalid=true]') ?? root?.querySelector<HTMLElement>('textarea, input, select, button[type=submit]'))?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeRef.current()
    }
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('keydown', onKey)
      opener?.focus()
    }
  }, [])

  function input(form: FormData): ActionInput | { field: SheetField | null; message: string } {
    const text = (name: string) => String(form.get(name) ?? '').trim()
    const bad = (field: SheetField | null, message: string) => ({ field, message })
    switch (action) {
      case 'accept':
        return { type: 'accept' }
      case 'decline':
        return text('reason').length < 2 ? bad('reason', t.reasonHint) : { type: 'decline', reason: text('reason') }
      case 'note':
        return text('body')
          ? { type: 'note', body: text('body'), visibility: text('visibility') === 'public' ? 'public' : 'internal' }
          : bad('body', t.noteBody)
      case 'contact_log':
        return text('body') ? { type: 'contact_log', method: text('method') as 'phone', body: text('body') } : bad('body', t.contactBody)
      case 'transfer': {
        const [kind, id] = text('target').split(':')
        if (!id || (kind !== 'station' && kind !== 'member')) return bad('target', t.transferPickHint)
        if (text('reason').length < 2) return bad('reason', t.reasonHint)
        return kind === 'station' ? { type: 'transfer', reason: text('reason'), toStationId: id } : { type: 'transfer', reason: text('reason'), toMemberId: id }
      }
      case 'request_extension': {
        const until = text('until')
        if (text('reason').length < 2) return bad('reason', t.reasonHint)
        if (!until) return bad('until', t.extendUntil)
        // The date input gives a day; the new deadline is the end of that day in China Standard Time.
        return { type: 'request_extension', reason: text('reason'), until: beijingInstant(until, '23:59').toISOString() }
      }
      case 'resolve':
        return text('reply').length < 5 ? bad('reply', t.replyHint) : { type: 'resolve', reply: text('reply') }
      case 'handoff': {
        if (!text('departmentId')) return bad('department', t.handoffPickHint)
        if (text('question').length < 5) return bad('question', t.handoffQuestionHint)
        if (!text('dueAt')) return { type: 'handoff', departmentId: text('departmentId'), question: text('question') }
        // The date input gives a Beijing day; the department has until the end of office hours (18:00) on it.
        const dueAt = handoffDueAtOfDay(text('dueAt'))
        if (!dueAt || Date.parse(dueAt) <= Date.now()) return bad('dueAt', t.handoffDueFuture)
        return { type: 'handoff', departmentId: text('departmentId'), question: text('question'), dueAt }
      }
    }
  }

  async function submit(e: Event) {
    e.preventDefault()
    const result = input(new FormData(e.currentTarget as HTMLFormElement))
    if ('message' in result) {
      if (result.field) setFieldErrors((f) => ({ ...f, [result.field!]: result.message }))
      return setError(result.message)
    }
    if (busy) return // a double tap queues one action, not two
    setBusy(true)
    try {
      const files = WITH_PHOTOS.includes(action) ? photos : []
      const shown = action === PUBLIC_PHOTOS_ACTION && files.length > 0 && photosPublic
      const entry = revise ? await data.revise(revise.seq!, result, files, shown) : await data.act(caseId, result, files, shown)
      onClose(entry)
    } catch {
      setError(t.unknownError)
      setBusy(false)
    }
  }

  /** Label, control and the field's message (server or ours), tied together for screen readers. */
  const invalid = (f: SheetField) => (fieldErrors[f] ? { 'aria-invalid': true, 'aria-describedby': `err-${f}` } : {})
  const fieldError = (f: SheetField) =>
    fieldErrors[f] && (
      <p class="field-msg" id={`err-${f}`} data-testid={`field-error-${f}`}>
        {fieldErrors[f]}
      </p>
    )
  const edited = (f: SheetField) => () => {
    if (fieldErrors[f]) setFieldErrors((all) => ({ ...all, [f]: undefined }))
  }

  const id = `sheet-${action}`
  return (
    <div
      class="sheet-backdrop"
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose()
      }}
    >
      <div class="sheet" role="dialog" aria-modal="true" aria-labelledby={id} ref={sheet}>
        <form onSubmit={submit} noValidate data-testid={`sheet-${action}`} data-revise={revise ? 'true' : undefined}>
          <h2 id={id}>
            {t.actions[action]}
            {revise ? ` · ${t.revise}` : ''}
          </h2>
          {revise && (
            <div class="revise-note" role="note">
              <p>{t.reviseHint}</p>
              {(unplaced.length > 0 || !serverErrors?.errors?.length) && <p class="error">{errorText(serverErrors?.code, serverErrors?.detail)}</p>}
              {unplaced.map((e) => (
                <p key={e.field} class="error">
                  {t.fieldMessage(e.field, e.message)}
                </p>
              ))}
            </div>
          )}
          {action === 'accept' && <AcceptCommitment c={c} />}
          {action === 'transfer' && (
            <TransferPicker
              caseId={caseId}
              initial={
                before?.type === 'transfer'
                  ? before.toStationId
                    ? `station:${before.toStationId}`
                    : before.toMemberId
                      ? `member:${before.toMemberId}`
                      : undefined
                  : undefined
              }
              error={fieldErrors.target}
              onPick={edited('target')}
            />
          )}
          {action === 'handoff' && (
            <HandoffFields
              caseId={caseId}
              initial={{ departmentId: prev('departmentId'), question: prev('question'), dueAt: prev('dueAt') }}
              errors={{ department: fieldErrors.department, question: fieldErrors.question, dueAt: fieldErrors.dueAt }}
              onEdit={(f) => edited(f)()}
            />
          )}
          {(action === 'decline' || action === 'transfer' || action === 'request_extension') && (
            <>
              <label for="reason">{t.reason}</label>
              <textarea
                id="reason"
                name="reason"
                rows={3}
                required
                minLength={2}
                maxLength={500}
                placeholder={t.reasonHint}
                defaultValue={prev('reason')}
                onInput={edited('reason')}
                {...invalid('reason')}
              />
              {fieldError('reason')}
            </>
          )}
          {action === 'request_extension' && (
            <>
              <label for="until">{t.extendUntil}</label>
              <input
                id="until"
                name="until"
                type="date"
                required
                min={beijingDay(Date.now())}
                defaultValue={prev('until') && beijingDay(prev('until')!)}
                onInput={edited('until')}
                {...invalid('until')}
              />
              {fieldError('until')}
            </>
          )}
          {action === 'note' && (
            <>
              <p class="hint" id="note-hint">
                {t.noteHint}
              </p>
              <label for="body">{t.noteBody}</label>
              <textarea
                id="body"
                name="body"
                rows={4}
                required
                maxLength={2000}
                defaultValue={prev('body')}
                onInput={edited('body')}
                aria-describedby="note-hint"
                {...invalid('body')}
              />
              {fieldError('body')}
              <fieldset>
                <legend>{t.visibility}</legend>
                <label class="choice">
                  <input type="radio" name="visibility" value="internal" defaultChecked={prev('visibility') !== 'public'} /> {t.visibilityInternal}
                </label>
                <label class="choice">
                  <input type="radio" name="visibility" value="public" defaultChecked={prev('visibility') === 'public'} /> {t.visibilityPublic}
                </label>
              </fieldset>
            </>
          )}
          {action === 'contact_log' && (
            <>
              <p class="hint" id="contact-hint">
                {t.contactHint}
              </p>
              <label for="method">{t.contactMethod}</label>
              <select id="method" name="method" {...invalid('method')}>
                {Object.entries(t.contactMethods).map(([k, v]) => (
                  <option key={k} value={k} selected={k === (prev('method') ?? 'phone')}>
                    {v}
                  </option>
                ))}
              </select>
              {fieldError('method')}
              <label for="body">{t.contactBody}</label>
              <textarea
                id="body"
                name="body"
                rows={4}
                required
                maxLength={2000}
                defaultValue={prev('body')}
                onInput={edited('body')}
                aria-describedby="contact-hint"
                {...invalid('body')}
              />
              {fieldError('body')}
            </>
          )}
          {action === 'resolve' && (
            <>
              <label for="reply">{t.reply}</label>
              <textarea
                id="reply"
                name="reply"
                ref={reply}
                rows={5}
                required
                minLength={5}
                maxLength={2000}
                placeholder={t.replyHint}
                defaultValue={prev('reply')}
                onInput={edited('reply')}
                {...invalid('reply')}
              />
              {fieldError('reply')}
              <p class="label">{t.quickReplies}</p>
              <div class="quick">
                {quickReplies(c?.categoryNames ?? null).map((q) => (
                  <button
                    type="button"
                    key={q}
                    class="chip"
                    onClick={() => {
                      if (reply.current) reply.current.value = q
                      edited('reply')()
                    }}
                  >
                    {q}
                  </button>
                ))}
              </div>
            </>
          )}
          {WITH_PHOTOS.includes(action) && (
            <div class="photo-pick">
              {photos.map((p, i) => (
                <button
                  type="button"
                  key={i}
                  class="chip"
                  onClick={() => {
                    setPhotos(photos.filter((_, j) => j !== i))
                    edited('photos')()
                  }}
                >
                  {t.removePhoto} {i + 1} ({Math.round(p.size / 1024)} KB)
                </button>
              ))}
              {photos.length < MAX_PHOTOS && (
                <label class="button">
                  {t.addPhoto}
                  <input
                    type="file"
                    accept="image/*"
                    class="visually-hidden"
                    data-testid="photo-input"
                    onChange={(e) => {
                      const f = (e.currentTarget as HTMLInputElement).files?.[0]
                      if (f) setPhotos([...photos, f])
                      ;(e.currentTarget as HTMLInputElement).value = ''
                      edited('photos')()
                    }}
                  />
                </label>
              )}
              {fieldError('photos')}
              {action === PUBLIC_PHOTOS_ACTION && photos.length > 0 && (
                <label class="photos-public" style={{ display: 'flex', gap: '.5rem', alignItems: 'center', minHeight: '44px' }}>
                  <input
                    type="checkbox"
                    data-testid="photos-public"
                    checked={photosPublic}
                    onChange={(e) => setPhotosPublic((e.currentTarget as HTMLInputElement).checked)}
                  />
                  {t.photosPublic}
                </label>
              )}
            </div>
          )}
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <div class="buttons">
            <button type="button" class="button" onClick={() => onClose()}>
              {t.cancel}
            </button>
            <button type="submit" class="button primary" data-testid="sheet-submit" disabled={busy}>
              {t.submit}
            </button>
          </div>
        </form>
      </div>
    </div>
  )
}

/**
 * What accepting commits the member to: the case's resolve deadline. The server does not move it on 接单 (it ran
 * from the assignment, by the category's SLA class), so the deadline the case carries is the one that counts.
 */
function AcceptCommitment({ c }: { c?: CaseSummary }) {
  const due = c?.resolveDueAt
  const text = !due ? t.acceptCommitNoDue : new Date(due).getTime() < Date.now() ? t.acceptCommitOverdue(deadlineText(due)) : t.acceptCommit(deadlineText(due))
  return (
    <div class="commitment" data-testid="accept-commitment">
      <p>
        <strong>{text}</strong>
      </p>
      <p class="hint">{t.acceptCommitHint}</p>
    </div>
  )
}

import { useEffect, useRef, useState } from 'preact/hooks'
import type { CaseActionResult, CaseDestinations, CaseDetail, CaseListPage, CaseSummary } from '@mashangjian/shared'
import { ratedThisRound } from '@mashangjian/shared'
import { v7 as uuidv7 } from 'uuid'
import { ApiError } from '../../data'
import { useStatus } from '../../use-data'
import { adminApi, withQuery } from '../admin-api'
import { dt } from '../desk-text'
import { beijingLocalNow, fromBeijingLocal, fullDateTime } from '../desk-format'
import { useRemote } from '../use-remote'
import { HandoffFormFields, readHandoff } from './handoff-form'
import { ProblemText } from './problem-text'

/** The desk's actions, in the order the case page offers them. */
export const DESK_ACTIONS = [
  'assign',
  'approve_extension',
  'deny_extension',
  'transfer',
  'handoff',
  'chase',
  'follow_up',
  'reopen',
  'merge',
  'mark_invalid',
  'note',
] as const
export type DeskAction = (typeof DESK_ACTIONS)[number]

/** The button's words: 派单 for a case nobody has, 改派 for one a member holds. */
export const deskActionLabel = (a: DeskAction, c: CaseSummary) => (a === 'assign' && c.memberId ? dt.actions.reassign! : dt.actions[a]!)

type Payload = Record<string, unknown> & { type: DeskAction }

/**
 * One desk action's form in a modal sheet. The action goes straight to the API (the desk works online) with an
 * opId made when the sheet opened: sending the same submission again (a lost answer, a double tap) is the same
 * action to the server. A 409 shows the case as it is now and offers to send the action again on that version
 * (a new opId: it is a new decision).
 */
export function DeskActionSheet({
  action,
  c,
  onClose,
  onDone,
}: {
  action: DeskAction
  c: CaseDetail
  onClose: () => void
  onDone: (result: CaseActionResult, label: string) => void
}) {
  const [opId, setOpId] = useState(() => uuidv7())
  const [base, setBase] = useState<CaseSummary>(c)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [invalid, setInvalid] = useState<string | null>(null)
  const [conflict, setConflict] = useState<{ current: CaseSummary; code: string } | null>(null)
  const [pending, setPending] = useState<Payload | null>(null)
  const sheet = useRef<HTMLDivElement>(null)
  const label = deskActionLabel(action, c)

  // The sheet opens once; Escape must call the latest onClose (a new function on each render of the parent).
  const closeRef = useRef(onClose)
  closeRef.current = onClose
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null
    sheet.current?.querySelector<HTMLElement>('h3')?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeRef.current()
    }
    document.addEventListener('keydown', onKey)
    return () => {
      document.removeEventListener('keydown', onKey)
      opener?.focus()
    }
  }, [])

  async function send(payload: Payload, on: CaseSummary, id: string) {
    if (busy) return
    setBusy(true)
    setError(null)
    setInvalid(null)
    setPending(payload)
    try {
      const result = await adminApi.post<CaseActionResult>(`/api/v1/cases/${c.id}/actions`, { ...payload, opId: id, baseVersion: on.version })
      onDone(result, label)
    } catch (err) {
      const current = err instanceof ApiError ? (err.problem.current as CaseSummary | undefined) : undefined
      if (err instanceof ApiError && (err.code === 'VERSION_CONFLICT' || err.code === 'INVALID_TRANSITION') && current) {
        setConflict({ current, code: err.code })
      } else {
        // Not answered, or refused for another reason: the same submission keeps its opId when sent again.
        setError(err)
      }
    } finally {
      setBusy(false)
    }
  }

  function submit(e: Event) {
    e.preventDefault()
    const payload = read(action, new FormData(e.currentTarget as HTMLFormElement), c)
    if (typeof payload === 'string') return setInvalid(payload)
    void send(payload, base, opId)
  }

  function redo() {
    if (!conflict || !pending) return
    const fresh = uuidv7()
    setOpId(fresh)
    setBase(conflict.current)
    setConflict(null)
    // The resident rated meanwhile: the call is still recorded, without a second rating the API would refuse.
    const payload = pending.type === 'follow_up' && ratedThisRound(conflict.current) ? { ...pending, rating: undefined } : pending
    void send(payload, conflict.current, fresh)
  }

  const id = `desk-sheet-${action}`
  return (
    <div
      class="sheet-backdrop"
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose()
      }}
    >
      <div class="sheet" role="dialog" aria-modal="true" aria-labelledby={id} ref={sheet}>
        <form onSubmit={submit} noValidate data-testid={`desk-sheet-${action}`} data-op-id={opId}>
          <h3 id={id} tabIndex={-1}>
            {label} · {c.publicNo}
          </h3>
          <Fields action={action} c={c} />
          {invalid && (
            <p class="error" role="alert" data-testid="sheet-invalid">
              {invalid}
            </p>
          )}
          <ProblemText error={error} />
          {conflict && (
            <div class="conflict-card" role="alert" data-testid="desk-conflict">
              <h4>{dt.conflictTitle}</h4>
              <p data-testid="desk-conflict-now">
                {dt.conflictNow(dt.statuses[conflict.current.status] ?? conflict.current.status, conflict.current.memberName)}
              </p>
              {conflict.code === 'INVALID_TRANSITION' && <p>{dt.conflictGone}</p>}
              <button type="button" class="button primary" data-testid="desk-conflict-retry" onClick={redo}>
                {dt.conflictRetry}
              </button>
            </div>
          )}
          <div class="buttons">
            <button type="button" class="button" onClick={onClose}>
              {dt.cancel}
            </button>
            {!conflict && (
              <button type="submit" class="button primary" data-testid="desk-sheet-submit" disabled={busy} aria-busy={busy}>
                {busy ? dt.submitting : action === 'merge' ? dt.mergeConfirm : dt.submit}
              </button>
            )}
          </div>
        </form>
      </div>
    </div>
  )
}

/** The form's values as the action's body, or what to fix. */
function read(action: DeskAction, form: FormData, c: CaseDetail): Payload | string {
  const text = (name: string) => String(form.get(name) ?? '').trim()
  switch (action) {
    case 'assign':
      return text('memberId') ? { type: 'assign', memberId: text('memberId') } : dt.pickOne
    case 'transfer':
      if (!text('toStationId')) return dt.pickOne
      return text('reason').length < 2 ? dt.atLeast2 : { type: 'transfer', toStationId: text('toStationId'), reason: text('reason') }
    case 'approve_extension':
      return { type: 'approve_extension' }
    case 'deny_extension': {
      const reason = text('reason')
      if (reason && reason.length < 2) return dt.atLeast2
      return reason ? { type: 'deny_extension', reason } : { type: 'deny_extension' }
    }
    case 'merge': {
      const into = text('intoCaseId')
      if (!into) return dt.mergeNone
      if (into === c.id) return dt.mergeSelf
      const reason = text('reason')
      if (reason && reason.length < 2) return dt.atLeast2
      return { type: 'merge', intoCaseId: into, ...(reason ? { reason } : {}) }
    }
    case 'mark_invalid':
      return text('reason').length < 2 ? dt.atLeast2 : { type: 'mark_invalid', reason: text('reason') }
    case 'reopen':
      return text('reason').length < 2 ? dt.atLeast2 : { type: 'reopen', reason: text('reason') }
    case 'chase':
      return { type: 'chase', body: text('body') || dt.chaseDefault }
    case 'note':
      return text('body') ? { type: 'note', body: text('body'), visibility: text('visibility') === 'public' ? 'public' : 'internal' } : dt.atLeast2
    case 'handoff':
      return readHandoff(form)
    case 'follow_up': {
      if (!text('caller') || !text('calledAt') || !text('outcome')) return dt.pickOne
      const calledAt = fromBeijingLocal(text('calledAt'))
      if (!calledAt) return dt.badCallTime
      if (Date.parse(calledAt) > Date.now() + 60_000) return dt.callInFuture
      const rating = text('rating')
      // A rating comes only from a call that reached the resident (the API refuses it otherwise).
      if (rating && text('outcome') !== 'reached') return dt.ratingNeedsReached
      return {
        type: 'follow_up',
        caller: text('caller'),
        calledAt,
        outcome: text('outcome'),
        ...(rating ? { rating } : {}),
        ...(text('body') ? { body: text('body') } : {}),
      }
    }
  }
}

function Fields({ action, c }: { action: DeskAction; c: CaseDetail }) {
  switch (action) {
    case 'assign':
      return <MemberPicker c={c} />
    case 'transfer':
      return <StationPicker c={c} />
    case 'approve_extension':
    case 'deny_extension':
      return (
        <>
          {c.extensionRequestedUntil && <p data-testid="extension-asked">{dt.extensionAsk(fullDateTime(c.extensionRequestedUntil))}</p>}
          {c.resolveDueAt && <p class="hint">{dt.extensionNow(fullDateTime(c.resolveDueAt))}</p>}
          {action === 'deny_extension' && <Reason id="desk-reason" label={dt.denyReason} optional />}
        </>
      )
    case 'merge':
      return <MergeTarget c={c} />
    case 'mark_invalid':
      return <Reason id="desk-reason" label={dt.invalidReason} hint={dt.invalidHint} />
    case 'reopen':
      return <Reason id="desk-reason" label={dt.reopenReason} />
    case 'chase':
      return (
        <div class="field">
          <label for="desk-chase">{dt.chaseBody}</label>
          <textarea id="desk-chase" name="body" rows={2} maxLength={500} placeholder={dt.chaseDefault} />
        </div>
      )
    case 'note':
      return (
        <>
          <div class="field">
            <label for="desk-note">{dt.actions.note}</label>
            <textarea id="desk-note" name="body" rows={3} maxLength={2000} />
          </div>
          <fieldset class="field">
            <legend>
              {dt.public} / {dt.internal}
            </legend>
            <label class="choice">
              <input type="radio" name="visibility" value="internal" defaultChecked /> {dt.internal}
            </label>
            <label class="choice">
              <input type="radio" name="visibility" value="public" /> {dt.public}
            </label>
          </fieldset>
        </>
      )
    case 'follow_up':
      return <FollowUpFields c={c} />
    case 'handoff':
      return <HandoffFormFields c={c} />
  }
}

function Reason({ id, label, hint, optional }: { id: string; label: string; hint?: string; optional?: boolean }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea
        id={id}
        name="reason"
        rows={3}
        minLength={optional ? undefined : 2}
        maxLength={500}
        required={!optional}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      {hint && (
        <p class="hint" id={`${id}-hint`} data-testid="reason-hint">
          {hint}
        </p>
      )}
    </div>
  )
}

/** 派单/改派: the members this case can go to, each with open load, on-duty-now and sector (from /destinations). */
function MemberPicker({ c }: { c: CaseDetail }) {
  const dest = useRemote(() => adminApi.get<CaseDestinations>(`/api/v1/cases/${c.id}/destinations`), [c.id])
  // On duty first, then the least loaded: the order the routing rules would try.
  const members = [...(dest.value?.members ?? [])]
    .filter((m) => m.id !== c.memberId)
    .sort((a, b) => Number(b.onDutyNow) - Number(a.onDutyNow) || a.openCases - b.openCases || a.name.localeCompare(b.name, 'zh-CN'))
  return (
    <fieldset class="field member-pick">
      <legend>{dt.pickMember}</legend>
      <ProblemText error={dest.error} />
      {dest.loading && <p aria-busy="true">…</p>}
      {dest.value && members.length === 0 && <p class="hint">{dt.noMembers}</p>}
      <ul class="pick-list">
        {members.map((m) => (
          <li key={m.id}>
            <label class="pick" data-testid="pick-member" data-member-name={m.name}>
              <input type="radio" name="memberId" value={m.id} />
              <span class="pick-main">
                <span class="pick-name">{m.name}</span>
                <span class="sub">
                  {m.sectorName ?? dt.noSector} · <span data-testid="member-load">{dt.memberLoad(m.openCases)}</span>
                  {m.onDutyNow && (
                    <>
                      {' '}
                      ·{' '}
                      <strong class="on-duty" data-testid="on-duty">
                        {dt.onDuty}
                      </strong>
                    </>
                  )}
                </span>
                {m.stations.length > 0 && <span class="sub">{m.stations.map((s) => s.name).join('、')}</span>}
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  )
}

/** 转办 to a station, with the reason the next desk reads. */
function StationPicker({ c }: { c: CaseDetail }) {
  const dest = useRemote(() => adminApi.get<CaseDestinations>(`/api/v1/cases/${c.id}/destinations`), [c.id])
  return (
    <>
      <div class="field">
        <label for="desk-station">{dt.transferTo}</label>
        <select id="desk-station" name="toStationId">
          <option value="">{dt.pickOne}</option>
          {(dest.value?.stations ?? [])
            .filter((s) => s.id !== c.stationId)
            .map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
        </select>
        <ProblemText error={dest.error} />
      </div>
      <Reason id="desk-reason" label={dt.transferReason} />
    </>
  )
}

/** 并单: find the case that stays by its number (the list's publicNo filter), then confirm. */
function MergeTarget({ c }: { c: CaseDetail }) {
  const [no, setNo] = useState('')
  const [found, setFound] = useState<CaseSummary | null | undefined>(undefined)
  const [error, setError] = useState<unknown>(null)
  async function find() {
    setError(null)
    setFound(undefined)
    if (!no.trim()) return
    try {
      const page = await adminApi.get<CaseListPage>(withQuery('/api/v1/me/cases', { filter: 'all', publicNo: no.trim().toUpperCase(), limit: 1 }))
      setFound(page.items[0] ?? null)
    } catch (err) {
      setError(err)
    }
  }
  return (
    <>
      <div class="field">
        <label for="desk-merge-no">{dt.mergeInto}</label>
        <div class="inline-find">
          <input
            id="desk-merge-no"
            value={no}
            maxLength={32}
            autoComplete="off"
            aria-describedby="desk-merge-hint"
            onInput={(e) => {
              setNo((e.currentTarget as HTMLInputElement).value)
              setFound(undefined)
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault()
                void find()
              }
            }}
          />
          <button type="button" class="button" data-testid="merge-find" onClick={() => void find()}>
            {dt.mergeFind}
          </button>
        </div>
        <p class="hint" id="desk-merge-hint">
          {dt.mergeIntoHint}
        </p>
      </div>
      <ProblemText error={error} />
      {found === null && (
        <p class="error" role="alert">
          {dt.mergeNone}
        </p>
      )}
      {found && found.id === c.id && (
        <p class="error" role="alert">
          {dt.mergeSelf}
        </p>
      )}
      {found && found.id !== c.id && (
        <p class="merge-found" role="status" data-testid="merge-found">
          <input type="hidden" name="intoCaseId" value={found.id} />
          {dt.mergeFound(found.publicNo, found.description.slice(0, 60))}
        </p>
      )}
      <Reason id="desk-reason" label={dt.reasonOptional} optional />
    </>
  )
}

/** 回访: who called (the admin by default), when (now by default), what came of it, a rating by phone, notes. */
function FollowUpFields({ c }: { c: CaseDetail }) {
  const { user } = useStatus()
  return (
    <>
      <div class="pair">
        <div class="field">
          <label for="desk-caller">{dt.caller}</label>
          <input id="desk-caller" name="caller" maxLength={64} defaultValue={user?.displayName ?? ''} required />
        </div>
        <div class="field">
          <label for="desk-called-at">{dt.calledAt}</label>
          <input id="desk-called-at" name="calledAt" type="datetime-local" defaultValue={beijingLocalNow()} required />
        </div>
      </div>
      <fieldset class="field">
        <legend>{dt.outcome}</legend>
        <div class="choices">
          {(['reached', 'unreachable', 'refused'] as const).map((o, i) => (
            <label key={o} class="choice">
              <input type="radio" name="outcome" value={o} defaultChecked={i === 0} data-testid={`outcome-${o}`} /> {dt.outcomes[o]}
            </label>
          ))}
        </div>
      </fieldset>
      {ratedThisRound(c) ? (
        <p class="hint">{dt.followUpRated}</p>
      ) : (
        <div class="field">
          <label for="desk-rating">{dt.phoneRating}</label>
          <select id="desk-rating" name="rating">
            <option value="">{dt.noRating}</option>
            {(['satisfied', 'basically_satisfied', 'unsatisfied'] as const).map((r) => (
              <option key={r} value={r}>
                {dt.ratings[r]}
              </option>
            ))}
          </select>
        </div>
      )}
      <div class="field">
        <label for="desk-follow-note">{dt.followUpNote}</label>
        <textarea id="desk-follow-note" name="body" rows={3} maxLength={1000} />
      </div>
    </>
  )
}

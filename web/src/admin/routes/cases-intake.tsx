import { useState } from 'preact/hooks'
import type { CategoryView, MemberView, StaffIntakeResult, StationDetail } from '@mashangjian/shared'
import { v7 as uuidv7 } from 'uuid'
import { ADMIN_BASE } from '../../paths'
import { adminApi, withQuery, type Paged } from '../admin-api'
import { dt } from '../desk-text'
import { announceDeskChange, categoryName } from '../desk-format'
import { Field, useAction, valueOf } from '../components/field'
import { fieldErrors, onlyFieldErrors, ProblemText } from '../components/problem-text'
import { useRemote } from '../use-remote'

interface Draft {
  channel: 'phone' | 'visit'
  stationId: string
  memberId: string
  categoryId: string
  description: string
  locationText: string
  consent: boolean
  residentPhone: string
}

/**
 * 电话/来访受理: an admin records what a resident raised by phone or at the station. The case is routed like a
 * scan of the station's code unless a member is chosen. The phone is taken only with the resident's consent.
 * The answer's tracking link is shown once (only its hash is kept), with a copy button.
 */
export function CasesIntake() {
  const stations = useRemote(() => adminApi.get<Paged<StationDetail>>('/api/v1/stations?limit=200&active=true'), [])
  const [draft, setDraft] = useState<Draft>({
    channel: 'phone',
    stationId: '',
    memberId: '',
    categoryId: '',
    description: '',
    locationText: '',
    consent: false,
    residentPhone: '',
  })
  const stationId = draft.stationId || stations.value?.items[0]?.id || ''
  // The station's committee's categories (a county admin may record a case at a town's station): the case
  // belongs to that committee, and only its categories are accepted.
  const stationCommitteeId = stations.value?.items.find((s) => s.id === stationId)?.committeeId ?? ''
  const categories = useRemote(
    () =>
      stationCommitteeId
        ? adminApi.get<Paged<CategoryView>>(withQuery('/api/v1/categories', { committeeId: stationCommitteeId, limit: 200 }))
        : Promise.resolve(null),
    [stationCommitteeId],
  )
  const members = useRemote(
    () => (stationId ? adminApi.get<Paged<MemberView>>(withQuery('/api/v1/members', { stationId, status: 'active', limit: 200 })) : Promise.resolve(null)),
    [stationId],
  )
  // One opId per intake: sending the same form again after a lost answer records one case, not two.
  const [opId, setOpId] = useState(() => uuidv7())
  const [result, setResult] = useState<StaffIntakeResult | null>(null)
  const [local, setLocal] = useState<Record<string, string>>({})
  const save = useAction()
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }))
  const errors = { ...fieldErrors(save.error), ...local }

  async function submit(e: Event) {
    e.preventDefault()
    const problems: Record<string, string> = {}
    if (draft.description.trim().length < 5) problems.description = dt.descriptionShort
    if (draft.residentPhone.trim() && !draft.consent) problems.residentPhone = dt.consentNeeded
    setLocal(problems)
    if (Object.keys(problems).length) return
    const phone = draft.consent ? draft.residentPhone.trim() : ''
    const out = await save.run(() =>
      adminApi.post<StaffIntakeResult>('/api/v1/cases/intake', {
        opId,
        channel: draft.channel,
        stationId,
        consent: draft.consent && !!phone,
        description: draft.description.trim(),
        ...(draft.memberId ? { memberId: draft.memberId } : {}),
        ...(draft.categoryId ? { categoryId: draft.categoryId } : {}),
        ...(draft.locationText.trim() ? { locationText: draft.locationText.trim() } : {}),
        ...(phone ? { residentPhone: phone } : {}),
      }),
    )
    if (out) {
      setResult(out)
      announceDeskChange()
    }
  }

  if (result) {
    return (
      <IntakeDone
        result={result}
        onAnother={() => {
          setResult(null)
          setOpId(uuidv7())
          setDraft((d) => ({ ...d, memberId: '', categoryId: '', description: '', locationText: '', consent: false, residentPhone: '' }))
        }}
      />
    )
  }
  return (
    <section class="admin-page" data-testid="intake-page">
      <a class="back" href={`${ADMIN_BASE}cases`}>
        ‹ {dt.back}
      </a>
      <h2>{dt.intakeTitle}</h2>
      <p class="hint">{dt.intakeHint}</p>
      <form class="inline-form" ref={save.form} onSubmit={(e) => void submit(e)} noValidate data-testid="intake-form">
        <fieldset class="field">
          <legend>{dt.intakeChannel}</legend>
          <div class="choices">
            {(['phone', 'visit'] as const).map((ch) => (
              <label key={ch} class="choice">
                <input
                  type="radio"
                  name="channel"
                  value={ch}
                  checked={draft.channel === ch}
                  data-testid={`intake-channel-${ch}`}
                  onChange={() => set('channel', ch)}
                />
                {ch === 'phone' ? dt.channelPhone : dt.channelVisit}
              </label>
            ))}
          </div>
        </fieldset>
        <Field id="intake-station" label={dt.intakeStation} error={errors.stationId} required>
          {(p) => (
            <select {...p} value={stationId} onChange={(e) => setDraft((d) => ({ ...d, stationId: valueOf(e), memberId: '', categoryId: '' }))}>
              {(stations.value?.items ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="intake-member" label={dt.intakeMember} error={errors.memberId}>
          {(p) => (
            <select {...p} value={draft.memberId} onChange={(e) => set('memberId', valueOf(e))}>
              <option value="">{dt.autoRoute}</option>
              {(members.value?.items ?? []).map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                  {m.sectorName ? ` · ${m.sectorName}` : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="intake-category" label={dt.intakeCategory} error={errors.categoryId}>
          {(p) => (
            <select {...p} value={draft.categoryId} onChange={(e) => set('categoryId', valueOf(e))}>
              <option value="">{dt.noCategory}</option>
              {(categories.value?.items ?? [])
                .filter((c) => c.active)
                .map((c) => (
                  <option key={c.id} value={c.id}>
                    {categoryName(c.names)}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Field id="intake-description" label={dt.intakeDescription} hint={dt.intakeDescriptionHint} error={errors.description} required>
          {(p) => <textarea {...p} rows={5} maxLength={2000} value={draft.description} onInput={(e) => set('description', valueOf(e))} />}
        </Field>
        <Field id="intake-location" label={dt.intakeLocation} error={errors.locationText}>
          {(p) => <input {...p} maxLength={200} value={draft.locationText} onInput={(e) => set('locationText', valueOf(e))} />}
        </Field>
        <label class="choice consent">
          <input
            type="checkbox"
            id="intake-consent"
            checked={draft.consent}
            data-testid="intake-consent"
            onChange={(e) =>
              setDraft((d) => ({
                ...d,
                consent: (e.currentTarget as HTMLInputElement).checked,
                residentPhone: (e.currentTarget as HTMLInputElement).checked ? d.residentPhone : '',
              }))
            }
          />
          <span>{dt.intakeConsent}</span>
        </label>
        <Field id="intake-phone" label={dt.intakePhone} hint={draft.consent ? undefined : dt.intakePhoneHint} error={errors.residentPhone ?? errors.consent}>
          {(p) => (
            <input
              {...p}
              type="tel"
              inputMode="tel"
              maxLength={32}
              autoComplete="off"
              disabled={!draft.consent}
              value={draft.residentPhone}
              onInput={(e) => set('residentPhone', valueOf(e))}
            />
          )}
        </Field>
        {save.error && !onlyFieldErrors(save.error) ? <ProblemText error={save.error} /> : null}
        <div class="buttons inline">
          <button type="submit" class="button primary" disabled={save.busy} aria-busy={save.busy} data-testid="intake-submit">
            {save.busy ? dt.submitting : dt.intakeSubmit}
          </button>
        </div>
      </form>
    </section>
  )
}

function IntakeDone({ result, onAnother }: { result: StaffIntakeResult; onAnother: () => void }) {
  const [copied, setCopied] = useState<boolean | null>(null)
  const c = result.case
  async function copy() {
    try {
      await navigator.clipboard.writeText(result.trackingUrl ?? '')
      setCopied(true)
    } catch {
      setCopied(false)
    }
  }
  return (
    <section class="admin-page" data-testid="intake-done" data-case-id={c.id}>
      <a class="back" href={`${ADMIN_BASE}cases`}>
        ‹ {dt.back}
      </a>
      <h2 data-testid="intake-public-no" data-public-no={c.publicNo}>
        {dt.intakeDone(c.publicNo)}
      </h2>
      <p role="status">{c.memberName ? dt.routedTo(c.memberName) : dt.routedToQueue}</p>
      {result.trackingUrl && (
        <div class="tracking-once">
          <p>
            <strong>{dt.trackingLink}</strong>
          </p>
          <p class="tracking-url">
            <a href={result.trackingUrl} target="_blank" rel="noopener" data-testid="intake-tracking-url">
              {result.trackingUrl}
            </a>
          </p>
          <p class="hint">{dt.trackingOnce}</p>
          <button type="button" class="button" data-testid="intake-copy" onClick={() => void copy()}>
            {dt.copy}
          </button>
          {copied === true && (
            <span class="hint" role="status">
              {' '}
              {dt.copied}
            </span>
          )}
          {copied === false && (
            <span class="error" role="status">
              {' '}
              {dt.copyFailed}
            </span>
          )}
        </div>
      )}
      <p class="links">
        <a class="button primary" href={`${ADMIN_BASE}cases/${c.id}`} data-testid="intake-open-case">
          {dt.openCase}
        </a>
        <button type="button" class="button" onClick={onAnother}>
          {dt.anotherIntake}
        </button>
      </p>
    </section>
  )
}

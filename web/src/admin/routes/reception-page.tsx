import { useState } from 'preact/hooks'
import { useRoute } from 'preact-iso'
import {
  formatDay,
  formatTimeRange,
  weekdayName,
  type DutyException,
  type DutyRoster,
  type DutyRule,
  type DutyRuleKind,
  type StationDetail,
  type UpcomingShifts,
} from '@mashangjian/shared'
import { ADMIN_BASE } from '../../paths'
import { adminApi, withQuery, type Paged } from '../admin-api'
import { at } from '../admin-text'
import { ConfirmButton } from '../components/confirm-button'
import { ChoiceGroup, Done, Field, useAction, valueOf } from '../components/field'
import { ProblemText, fieldErrors, onlyFieldErrors, SaveError } from '../components/problem-text'
import { useRemote } from '../use-remote'

const WEEK = [1, 2, 3, 4, 5, 6, 0]
const ORDINALS = [1, 2, 3, 4, 5, -1]
const d = at.duty

/** 每月第1、3个周四 09:00–11:30：张三、李四 — a rule as the station says it. */
export function ruleInWords(r: Pick<DutyRule, 'kind' | 'weekdays' | 'ordinals' | 'dates' | 'startsAt' | 'endsAt' | 'members' | 'validFrom' | 'validUntil'>) {
  const when = d.ruleWhen({
    kind: r.kind,
    weekdays: [...r.weekdays].sort((a, b) => WEEK.indexOf(a) - WEEK.indexOf(b)).map((w) => weekdayName(w, d.locale)),
    ordinals: r.ordinals,
    dates: r.dates.map((x) => formatDay(x, d.locale, 'monthDay')),
  })
  const day = (x: string | null) => (x ? formatDay(x, d.locale, 'date') : null)
  return (
    d.line(when, formatTimeRange(r.startsAt, r.endsAt, d.locale), r.members.map((m) => m.name).join(d.sep)) + d.validity(day(r.validFrom), day(r.validUntil))
  )
}

/**
 * A station's reception days (接待日): the rules in words, their editor, cancelled days, and the coming days the
 * rules give (what routing and the scan page use). Station admins of the station and its committee's admins.
 */
export function ReceptionPage() {
  const { params } = useRoute()
  const id = params.id!
  const [editing, setEditing] = useState<DutyRule | 'new' | null>(null)
  const [toast, setToast] = useState<string | null>(null)
  const station = useRemote(() => adminApi.get<StationDetail>(`/api/v1/stations/${id}`), [id])
  const roster = useRemote(() => adminApi.get<DutyRoster>(`/api/v1/stations/${id}/duty-roster`), [id])
  const upcoming = useRemote(() => adminApi.get<UpcomingShifts>(`/api/v1/stations/${id}/duty-shifts?limit=10`), [id])
  const members = useRemote(
    () => adminApi.get<Paged<{ id: string; name: string; status: string }>>(withQuery('/api/v1/members', { stationId: id, limit: 200 })),
    [id],
  )
  const removeRule = useAction()
  const removeException = useAction()

  function changed(message: string) {
    setToast(message)
    roster.reload()
    upcoming.reload()
  }
  const rules = roster.value?.rules ?? []
  return (
    <section class="admin-page" data-testid="reception-page" aria-labelledby="reception-title">
      <div class="page-head">
        <h2 id="reception-title">{d.title(station.value?.name ?? '')}</h2>
        <a class="button" href={`${ADMIN_BASE}stations`}>
          {d.back}
        </a>
      </div>
      <Done message={toast} />
      <ProblemText error={station.error ?? roster.error} />
      <section class="sub-section" aria-labelledby="reception-rules">
        <div class="page-head">
          <h3 id="reception-rules">{d.rules}</h3>
          <button
            type="button"
            class="button primary"
            data-testid="duty-rule-new"
            onClick={() => {
              setToast(null)
              setEditing('new')
            }}
          >
            {d.addRule}
          </button>
        </div>
        {roster.value && rules.length === 0 && <p class="empty">{d.noRules}</p>}
        <ul class="plain-list" data-testid="duty-rules">
          {rules.map((r) => (
            <li key={r.id} data-testid="duty-rule">
              <span data-testid="duty-rule-text">{ruleInWords(r)}</span>
              {r.note && <span class="sub"> {r.note}</span>}{' '}
              <button type="button" class="button" data-testid="duty-rule-edit" onClick={() => setEditing(r)}>
                {at.edit}
              </button>{' '}
              <ConfirmButton
                label={at.delete}
                question={d.deleteRuleQuestion}
                testId="duty-rule-delete"
                disabled={removeRule.busy}
                onConfirm={async () => {
                  const ok = await removeRule.run(async () => {
                    await adminApi.del(`/api/v1/stations/${id}/duty-rules/${r.id}`)
                    return true
                  })
                  if (ok) changed(d.ruleDeleted)
                }}
              />
            </li>
          ))}
        </ul>
        <ProblemText error={removeRule.error} />
        {editing && (
          <RuleEditor
            key={editing === 'new' ? 'new' : editing.id}
            stationId={id}
            rule={editing === 'new' ? null : editing}
            members={(members.value?.items ?? []).filter((m) => m.status === 'active')}
            onSaved={() => {
              setEditing(null)
              changed(d.ruleSaved)
            }}
            onClose={() => setEditing(null)}
          />
        )}
      </section>
      <ExceptionsSection
        stationId={id}
        rules={rules}
        exceptions={roster.value?.exceptions ?? []}
        onChanged={changed}
        remove={async (e) => {
          const ok = await removeException.run(async () => {
            await adminApi.del(`/api/v1/stations/${id}/duty-exceptions/${e.id}`)
            return true
          })
          if (ok) changed(d.exceptionRemoved)
        }}
      />
      <section class="sub-section" aria-labelledby="reception-upcoming">
        <h3 id="reception-upcoming">{d.upcoming}</h3>
        {upcoming.value && upcoming.value.items.length === 0 && <p class="empty">{d.noUpcoming}</p>}
        <ul class="plain-list" data-testid="duty-upcoming">
          {upcoming.value?.items.map((s) => (
            <li key={`${s.day}-${s.startsAt}`} data-testid="duty-upcoming-day">
              {`${formatDay(s.day, d.locale, 'weekdayMonthDay')} ${formatTimeRange(s.startsAt, s.endsAt, d.locale)} ${s.members.map((m) => m.name).join(d.sep)}`}
            </li>
          ))}
        </ul>
        <p>
          <a href={`/api/v1/stations/${id}/reception.ics`} data-testid="duty-ics">
            {d.calendar}
          </a>
        </p>
      </section>
    </section>
  )
}

function ExceptionsSection({
  stationId,
  rules,
  exceptions,
  onChanged,
  remove,
}: {
  stationId: string
  rules: DutyRule[]
  exceptions: DutyException[]
  onChanged: (message: string) => void
  remove: (e: DutyException) => Promise<void>
}) {
  const [draft, setDraft] = useState({ day: '', ruleId: '', note: '' })
  const save = useAction()
  const errors = fieldErrors(save.error)
  const ruleText = (ruleId: string | null) => {
    const r = rules.find((x) => x.id === ruleId)
    return r ? ruleInWords(r) : d.wholeStation
  }
  async function submit(e: Event) {
    e.preventDefault()
    const out = await save.run(() =>
      adminApi.post<DutyException>(`/api/v1/stations/${stationId}/duty-exceptions`, { day: draft.day, ruleId: draft.ruleId || null, note: draft.note.trim() }),
    )
    if (out) {
      setDraft({ day: '', ruleId: '', note: '' })
      onChanged(d.exceptionAdded)
    }
  }
  return (
    <section class="sub-section" aria-labelledby="reception-exceptions">
      <h3 id="reception-exceptions">{d.exceptions}</h3>
      {exceptions.length === 0 && <p class="empty">{d.noExceptions}</p>}
      <ul class="plain-list" data-testid="duty-exceptions">
        {exceptions.map((x) => (
          <li key={x.id} data-testid="duty-exception">
            {`${formatDay(x.day, d.locale, 'weekdayMonthDay')} · ${ruleText(x.ruleId)}${x.note ? ` · ${x.note}` : ''}`}{' '}
            <button type="button" class="button" onClick={() => void remove(x)}>
              {d.restore}
            </button>
          </li>
        ))}
      </ul>
      <form ref={save.form} onSubmit={(e) => void submit(e)} noValidate class="filters">
        <Field id="duty-exception-day" label={d.exceptionDay} error={errors.day} required>
          {(p) => <input {...p} type="date" value={draft.day} onInput={(e) => setDraft({ ...draft, day: valueOf(e) })} />}
        </Field>
        <Field id="duty-exception-rule" label={d.exceptionScope} error={errors.ruleId}>
          {(p) => (
            <select {...p} value={draft.ruleId} onChange={(e) => setDraft({ ...draft, ruleId: valueOf(e) })}>
              <option value="">{d.wholeStation}</option>
              {rules.map((r) => (
                <option key={r.id} value={r.id}>
                  {ruleInWords(r)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="duty-exception-note" label={d.note} error={errors.note}>
          {(p) => <input {...p} maxLength={200} value={draft.note} onInput={(e) => setDraft({ ...draft, note: valueOf(e) })} />}
        </Field>
        <div class="buttons">
          <button type="submit" class="button" disabled={save.busy} data-testid="duty-exception-save">
            {d.addException}
          </button>
        </div>
        {!onlyFieldErrors(save.error) && <ProblemText error={save.error} />}
      </form>
    </section>
  )
}

function RuleEditor({
  stationId,
  rule,
  members,
  onSaved,
  onClose,
}: {
  stationId: string
  rule: DutyRule | null
  members: { id: string; name: string }[]
  onSaved: () => void
  onClose: () => void
}) {
  const [draft, setDraft] = useState({
    kind: (rule?.kind ?? 'weekly') as DutyRuleKind,
    weekdays: rule?.weekdays ?? [],
    ordinals: rule?.ordinals ?? [],
    dates: rule?.dates.join(', ') ?? '',
    startsAt: rule?.startsAt ?? '09:00',
    endsAt: rule?.endsAt ?? '11:30',
    memberIds: rule?.members.map((m) => m.id) ?? [],
    validFrom: rule?.validFrom ?? '',
    validUntil: rule?.validUntil ?? '',
    note: rule?.note ?? '',
  })
  const save = useAction()
  const errors = fieldErrors(save.error)
  const toggle = <T,>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v])

  async function submit(e: Event) {
    e.preventDefault()
    const body = {
      kind: draft.kind,
      weekdays: draft.kind === 'dates' ? [] : draft.weekdays,
      ordinals: draft.kind === 'monthly' ? draft.ordinals : [],
      dates:
        draft.kind === 'dates'
          ? draft.dates
              .split(/[,，、\s]+/)
              .map((s) => s.trim())
              .filter(Boolean)
          : [],
      startsAt: draft.startsAt,
      endsAt: draft.endsAt,
      memberIds: draft.memberIds,
      validFrom: draft.validFrom || null,
      validUntil: draft.validUntil || null,
      note: draft.note.trim(),
    }
    const out = await save.run(() =>
      rule
        ? adminApi.put<DutyRule>(`/api/v1/stations/${stationId}/duty-rules/${rule.id}`, body)
        : adminApi.post<DutyRule>(`/api/v1/stations/${stationId}/duty-rules`, body),
    )
    if (out) onSaved()
  }

  return (
    <div class="editor" data-testid="duty-rule-editor">
      <h4>{rule ? d.editRule : d.addRule}</h4>
      <form ref={save.form} onSubmit={(e) => void submit(e)} noValidate>
        <Field id="duty-kind" label={d.kind} error={errors.kind}>
          {(p) => (
            <select {...p} value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: valueOf(e) as DutyRuleKind })}>
              {(['weekly', 'monthly', 'dates'] as const).map((k) => (
                <option key={k} value={k}>
                  {d.kinds[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {draft.kind === 'monthly' && (
          <ChoiceGroup id="duty-ordinals" legend={d.ordinals} error={errors.ordinals}>
            {ORDINALS.map((n) => (
              <label class="choice" key={n}>
                <input type="checkbox" checked={draft.ordinals.includes(n)} onChange={() => setDraft({ ...draft, ordinals: toggle(draft.ordinals, n) })} />{' '}
                {d.ordinal(n)}
              </label>
            ))}
          </ChoiceGroup>
        )}
        {draft.kind !== 'dates' && (
          <ChoiceGroup id="duty-weekdays" legend={d.weekdays} error={errors.weekdays}>
            {WEEK.map((w) => (
              <label class="choice" key={w}>
                <input type="checkbox" checked={draft.weekdays.includes(w)} onChange={() => setDraft({ ...draft, weekdays: toggle(draft.weekdays, w) })} />{' '}
                {weekdayName(w, d.locale)}
              </label>
            ))}
          </ChoiceGroup>
        )}
        {draft.kind === 'dates' && (
          <Field id="duty-dates" label={d.dates} hint={d.datesHint} error={errors.dates}>
            {(p) => <input {...p} value={draft.dates} onInput={(e) => setDraft({ ...draft, dates: valueOf(e) })} />}
          </Field>
        )}
        <div class="pair">
          <Field id="duty-starts" label={d.startsAt} error={errors.startsAt} required>
            {(p) => <input {...p} type="time" value={draft.startsAt} onInput={(e) => setDraft({ ...draft, startsAt: valueOf(e) })} />}
          </Field>
          <Field id="duty-ends" label={d.endsAt} error={errors.endsAt} required>
            {(p) => <input {...p} type="time" value={draft.endsAt} onInput={(e) => setDraft({ ...draft, endsAt: valueOf(e) })} />}
          </Field>
        </div>
        <ChoiceGroup id="duty-members" legend={d.members} error={errors.memberIds}>
          {members.length === 0 && <p class="hint">{d.noMembers}</p>}
          {members.map((m) => (
            <label class="choice" key={m.id}>
              <input
                type="checkbox"
                checked={draft.memberIds.includes(m.id)}
                onChange={() => setDraft({ ...draft, memberIds: toggle(draft.memberIds, m.id) })}
              />{' '}
              {m.name}
            </label>
          ))}
        </ChoiceGroup>
        <div class="pair">
          <Field id="duty-from" label={d.validFrom} error={errors.validFrom}>
            {(p) => <input {...p} type="date" value={draft.validFrom} onInput={(e) => setDraft({ ...draft, validFrom: valueOf(e) })} />}
          </Field>
          <Field id="duty-until" label={d.validUntil} error={errors.validUntil}>
            {(p) => <input {...p} type="date" value={draft.validUntil} onInput={(e) => setDraft({ ...draft, validUntil: valueOf(e) })} />}
          </Field>
        </div>
        <Field id="duty-note" label={d.note} error={errors.note}>
          {(p) => <input {...p} maxLength={200} value={draft.note} onInput={(e) => setDraft({ ...draft, note: valueOf(e) })} />}
        </Field>
        <SaveError error={save.error} />
        <div class="buttons">
          <button type="button" class="button" onClick={onClose}>
            {at.close}
          </button>
          <button type="submit" class="button primary" disabled={save.busy} data-testid="duty-rule-save">
            {save.busy ? at.saving : at.save}
          </button>
        </div>
      </form>
    </div>
  )
}

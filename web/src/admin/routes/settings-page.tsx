import { useState } from 'preact/hooks'
import {
  DEFAULT_HANDOFF_REPLY_DAYS,
  LEDGER_MEASURE_ZH,
  type CommitteeSettingsBody,
  type CommitteeSettingsView,
  type LedgerMeasure,
  type LedgerPresetId,
  type LedgerTarget,
  type LedgerTargetsView,
  type SlaClass,
} from '@mashangjian/shared'
import { adminApi } from '../admin-api'
import { at } from '../admin-text'
import { CommitteePicker } from '../components/committee-picker'
import { ChoiceGroup, Done, Field, useAction, valueOf } from '../components/field'
import { ProblemText, fieldErrors, SaveError } from '../components/problem-text'
import { SLA_CLASS_LIST as SLA_CLASSES } from '../sla-classes'
import { useRemote } from '../use-remote'
import { useCommitteeChoice } from '../use-scope'
import { RetentionSection } from './retention-section'

const MEASURES = Object.keys(LEDGER_MEASURE_ZH) as LedgerMeasure[]

/** A committee's settings: deadlines per SLA class and auto-close, the yearly 履职 targets of its members, and how long personal data is kept. */
export function SettingsPage() {
  const { committees, id, setId } = useCommitteeChoice()
  return (
    <section class="admin-page" data-testid="settings-page" aria-labelledby="settings-title">
      <h2 id="settings-title">{at.settingsTitle}</h2>
      <CommitteePicker committees={committees.value ?? []} value={id} onChange={setId} />
      <ProblemText error={committees.error} />
      {id && <Deadlines key={`d${id}`} committeeId={id} />}
      {id && <LedgerTargets key={`t${id}`} committeeId={id} />}
      {id && <RetentionSection key={`r${id}`} committeeId={id} />}
    </section>
  )
}

function Deadlines({ committeeId }: { committeeId: string }) {
  const settings = useRemote(() => adminApi.get<CommitteeSettingsView>(`/api/v1/committees/${committeeId}/settings`), [committeeId])
  const [toast, setToast] = useState<string | null>(null)
  return (
    <section class="sub-page" aria-labelledby="deadlines-title">
      <h3 id="deadlines-title">{at.deadlinesTitle}</h3>
      <p class="hint">{at.deadlinesHint}</p>
      <ProblemText error={settings.error} />
      {!settings.value && !settings.error && (
        <p class="skeleton-block" aria-busy="true">
          {at.loading}
        </p>
      )}
      <Done message={toast} />
      {settings.value && (
        <DeadlinesForm
          key={JSON.stringify([settings.value.overrides, settings.value.effective.handoff])}
          committeeId={committeeId}
          view={settings.value}
          onSaved={(m) => {
            setToast(m)
            settings.reload()
          }}
        />
      )}
    </section>
  )
}

type HoursDraft = Record<SlaClass, { accept: string; resolve: string }>

/**
 * Blank means "the default" (shown as the placeholder); a class with either box filled is the committee's own (the
 * other box keeps what is in force). The API tells the defaults only for classes the committee has not changed.
 */
function DeadlinesForm({ committeeId, view, onSaved }: { committeeId: string; view: CommitteeSettingsView; onSaved: (message: string) => void }) {
  const [hours, setHours] = useState<HoursDraft>(
    () =>
      Object.fromEntries(
        SLA_CLASSES.map((c) => {
          const o = view.overrides.slaHours[c]
          return [c, { accept: o ? String(o.accept) : '', resolve: o ? String(o.resolve) : '' }]
        }),
      ) as HoursDraft,
  )
  const [autoClose, setAutoClose] = useState(view.overrides.autoCloseDays?.toString() ?? '')
  // 交办: blank reply days is the default; the pause is the committee's own once set (or once it differs from the default).
  const handoffOwn = view.overrides.handoff ?? {}
  const handoffNow = {
    replyDays: view.effective.handoff?.replyDays ?? DEFAULT_HANDOFF_REPLY_DAYS,
    pauseResolveClock: view.effective.handoff?.pauseResolveClock ?? false,
  }
  const [replyDays, setReplyDays] = useState(handoffOwn.replyDays?.toString() ?? '')
  const [pause, setPause] = useState(handoffNow.pauseResolveClock)
  const save = useAction()
  const errors = fieldErrors(save.error)
  const num = (v: string) => Number(v)

  async function submit(e: Event) {
    e.preventDefault()
    const slaHours = Object.fromEntries(
      SLA_CLASSES.filter((c) => hours[c].accept.trim() || hours[c].resolve.trim()).map((c) => [
        c,
        {
          accept: hours[c].accept.trim() ? num(hours[c].accept) : view.effective.slaHours[c].accept,
          resolve: hours[c].resolve.trim() ? num(hours[c].resolve) : view.effective.slaHours[c].resolve,
        },
      ]),
    )
    // The PUT replaces all the committee's settings: the hand-off ones go with the deadlines, or saving would reset them.
    const handoff = {
      ...(replyDays.trim() ? { replyDays: num(replyDays) } : {}),
      ...(handoffOwn.pauseResolveClock !== undefined || pause ? { pauseResolveClock: pause } : {}),
    }
    const body: CommitteeSettingsBody = {
      slaHours,
      autoCloseDays: autoClose.trim() ? num(autoClose) : null,
      handoff: Object.keys(handoff).length ? handoff : null,
    }
    const ok = await save.run(() => adminApi.put(`/api/v1/committees/${committeeId}/settings`, body))
    if (ok) onSaved(at.settingsSaved)
  }
  async function reset() {
    const ok = await save.run(() => adminApi.put(`/api/v1/committees/${committeeId}/settings`, {}))
    if (ok) onSaved(at.settingsReset)
  }
  const set = (c: SlaClass, k: 'accept' | 'resolve', v: string) => setHours((h) => ({ ...h, [c]: { ...h[c], [k]: v } }))

  return (
    <form ref={save.form} onSubmit={(e) => void submit(e)} noValidate data-testid="deadlines-form">
      <div class="table-wrap">
        <table class="grid stack">
          <caption class="visually-hidden">{at.deadlinesTitle}</caption>
          <thead>
            <tr>
              <th scope="col">{at.slaClass}</th>
              <th scope="col">{at.acceptWithin}</th>
              <th scope="col">{at.resolveWithin}</th>
              <th scope="col">{at.inForce}</th>
            </tr>
          </thead>
          <tbody>
            {SLA_CLASSES.map((c) => (
              <tr key={c}>
                <th scope="row" data-label={at.slaClass}>
                  {at.slaClasses[c]}
                </th>
                <td data-label={at.acceptWithin}>
                  <Field
                    id={`sla-${c}-accept`}
                    label={
                      <span class="visually-hidden">
                        {at.slaClasses[c]} · {at.acceptWithin}
                      </span>
                    }
                    error={errors[`slaHours.${c}.accept`]}
                  >
                    {(p) => (
                      <input
                        {...p}
                        type="number"
                        inputMode="numeric"
                        min={1}
                        step={1}
                        placeholder={view.overrides.slaHours[c] ? '' : String(view.effective.slaHours[c].accept)}
                        value={hours[c].accept}
                        onInput={(e) => set(c, 'accept', valueOf(e))}
                      />
                    )}
                  </Field>
                </td>
                <td data-label={at.resolveWithin}>
                  <Field
                    id={`sla-${c}-resolve`}
                    label={
                      <span class="visually-hidden">
                        {at.slaClasses[c]} · {at.resolveWithin}
                      </span>
                    }
                    error={errors[`slaHours.${c}.resolve`]}
                  >
                    {(p) => (
                      <input
                        {...p}
                        type="number"
                        inputMode="numeric"
                        min={1}
                        step={1}
                        placeholder={view.overrides.slaHours[c] ? '' : String(view.effective.slaHours[c].resolve)}
                        value={hours[c].resolve}
                        onInput={(e) => set(c, 'resolve', valueOf(e))}
                      />
                    )}
                  </Field>
                </td>
                <td data-label={at.inForce}>
                  {at.hoursText(view.effective.slaHours[c].accept)} / {at.hoursText(view.effective.slaHours[c].resolve)}
                  {view.overrides.slaHours[c] ? '' : ` (${at.byDefault})`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Field
        id="auto-close"
        label={at.autoCloseDays}
        error={errors.autoCloseDays}
        hint={at.autoCloseHint(view.effective.autoCloseDays, view.overrides.autoCloseDays !== null)}
      >
        {(p) => (
          <input
            {...p}
            type="number"
            inputMode="numeric"
            min={1}
            max={90}
            step={1}
            placeholder={view.overrides.autoCloseDays === null ? String(view.effective.autoCloseDays) : ''}
            value={autoClose}
            onInput={(e) => setAutoClose(valueOf(e))}
          />
        )}
      </Field>
      <fieldset class="field" data-testid="handoff-settings">
        <legend>{at.handoffSettings}</legend>
        <Field
          id="handoff-reply-days"
          label={at.handoffReplyDays}
          error={errors['handoff.replyDays'] ?? errors.handoff}
          hint={at.handoffReplyDaysHint(handoffNow.replyDays, handoffOwn.replyDays !== undefined)}
        >
          {(p) => (
            <input
              {...p}
              type="number"
              inputMode="numeric"
              min={1}
              max={60}
              step={1}
              placeholder={handoffOwn.replyDays === undefined ? String(handoffNow.replyDays) : ''}
              value={replyDays}
              onInput={(e) => setReplyDays(valueOf(e))}
            />
          )}
        </Field>
        <label class="choice">
          <input
            type="checkbox"
            checked={pause}
            onChange={(e) => setPause((e.currentTarget as HTMLInputElement).checked)}
            aria-describedby="handoff-pause-hint"
            data-testid="handoff-pause"
          />{' '}
          {at.handoffPause}
        </label>
        <p class="hint" id="handoff-pause-hint">
          {at.handoffPauseHint}
        </p>
      </fieldset>
      <SaveError error={save.error} />
      <div class="buttons">
        <button type="button" class="button" onClick={() => void reset()} disabled={save.busy}>
          {at.resetDefaults}
        </button>
        <button type="submit" class="button primary" disabled={save.busy} data-testid="deadlines-save">
          {at.save}
        </button>
      </div>
    </form>
  )
}

function LedgerTargets({ committeeId }: { committeeId: string }) {
  const view = useRemote(() => adminApi.get<LedgerTargetsView>(`/api/v1/committees/${committeeId}/ledger-targets`), [committeeId])
  const [toast, setToast] = useState<string | null>(null)
  return (
    <section class="sub-page" aria-labelledby="targets-title">
      <h3 id="targets-title">{at.targetsTitle}</h3>
      <p class="hint">{at.targetsHint}</p>
      <ProblemText error={view.error} />
      {!view.value && !view.error && (
        <p class="skeleton-block" aria-busy="true">
          {at.loading}
        </p>
      )}
      <Done message={toast} />
      {view.value && (
        <TargetsForm
          key={JSON.stringify([view.value.preset, view.value.targets, view.value.inheritedFrom])}
          committeeId={committeeId}
          view={view.value}
          onSaved={(m) => {
            setToast(m)
            view.reload()
          }}
        />
      )}
    </section>
  )
}

/** Pick a preset (阿克塞“六个一”, 古浪“22111”, ≥ 10 contacts) or write the committee's own list. */
function TargetsForm({ committeeId, view, onSaved }: { committeeId: string; view: LedgerTargetsView; onSaved: (message: string) => void }) {
  const [preset, setPreset] = useState<LedgerPresetId>(view.preset)
  const [custom, setCustom] = useState<{ measure: LedgerMeasure; min: string; label: string }[]>(() => view.targets.map((t) => ({ ...t, min: String(t.min) })))
  const save = useAction()
  const errors = fieldErrors(save.error)
  const inherited = view.inheritedFrom !== committeeId

  function startCustom(from: LedgerTarget[]) {
    setCustom(from.map((t) => ({ ...t, min: String(t.min) })))
    setPreset('custom')
  }
  async function submit(e: Event) {
    e.preventDefault()
    const body = preset === 'custom' ? { preset, targets: custom.map((t) => ({ measure: t.measure, min: Number(t.min), label: t.label.trim() })) } : { preset }
    const ok = await save.run(() => adminApi.put(`/api/v1/committees/${committeeId}/ledger-targets`, body))
    if (ok) onSaved(at.targetsSaved)
  }
  const setRow = (i: number, patch: Partial<(typeof custom)[number]>) => setCustom((rows) => rows.map((r, j) => (i === j ? { ...r, ...patch } : r)))

  return (
    <form ref={save.form} onSubmit={(e) => void submit(e)} noValidate data-testid="targets-form">
      <p class="hint" data-testid="targets-source">
        {inherited ? (view.inheritedFrom ? at.targetsInherited : at.targetsDefault) : at.targetsOwn}
      </p>
      <ChoiceGroup id="targets-preset" legend={at.targetsPreset} error={errors.preset}>
        {view.presets.map((p) => (
          <div key={p.id} class="preset">
            <label class="choice">
              <input
                type="radio"
                name="targets-preset"
                value={p.id}
                checked={preset === p.id}
                onChange={() => setPreset(p.id)}
                data-testid={`preset-${p.id}`}
              />{' '}
              <strong>{p.name}</strong>
            </label>
            <p class="hint">{p.description}</p>
            <ul class="target-list">
              {p.targets.map((t) => (
                <li key={t.measure}>{t.label}</li>
              ))}
            </ul>
            <button type="button" class="button small" onClick={() => startCustom(p.targets)}>
              {at.copyToCustom}
            </button>
          </div>
        ))}
        <div class="preset">
          <label class="choice">
            <input
              type="radio"
              name="targets-preset"
              value="custom"
              checked={preset === 'custom'}
              onChange={() => setPreset('custom')}
              data-testid="preset-custom"
            />{' '}
            <strong>{at.customTargets}</strong>
          </label>
        </div>
      </ChoiceGroup>
      {preset === 'custom' && (
        <fieldset class="field" data-testid="custom-targets">
          <legend>{at.customTargets}</legend>
          {errors.targets && <p class="field-error">{errors.targets}</p>}
          {custom.map((t, i) => (
            <div key={i} class="target-row">
              <Field id={`target-${i}-measure`} label={at.measure} error={errors[`targets.${i}.measure`]}>
                {(p) => (
                  <select {...p} value={t.measure} onChange={(e) => setRow(i, { measure: valueOf(e) as LedgerMeasure })}>
                    {MEASURES.map((m) => (
                      <option key={m} value={m}>
                        {at.measures[m]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field id={`target-${i}-min`} label={at.atLeast} error={errors[`targets.${i}.min`]}>
                {(p) => <input {...p} type="number" inputMode="numeric" min={1} step={1} value={t.min} onInput={(e) => setRow(i, { min: valueOf(e) })} />}
              </Field>
              <Field id={`target-${i}-label`} label={at.targetLabel} error={errors[`targets.${i}.label`]}>
                {(p) => <input {...p} value={t.label} maxLength={100} onInput={(e) => setRow(i, { label: valueOf(e) })} />}
              </Field>
              <button
                type="button"
                class="button"
                onClick={() => setCustom((rows) => rows.filter((_, j) => j !== i))}
                aria-label={at.removeTarget(i + 1)}
                disabled={custom.length <= 1}
              >
                {at.remove}
              </button>
            </div>
          ))}
          {custom.length < 20 && (
            <button type="button" class="button" onClick={() => setCustom((rows) => [...rows, { measure: 'proposals', min: '1', label: '' }])}>
              {at.addTarget}
            </button>
          )}
        </fieldset>
      )}
      <SaveError error={save.error} />
      <div class="buttons">
        <button type="submit" class="button primary" disabled={save.busy} data-testid="targets-save">
          {at.save}
        </button>
      </div>
    </form>
  )
}

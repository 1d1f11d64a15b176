import { beijingDay, firstHandoffDay } from '../beijing-day'
import { t } from '../i18n'
import { DestinationsState, useDestinations } from './destinations-loader'

export type HandoffField = 'department' | 'question' | 'dueAt'

/**
 * 交办's fields in the action sheet: the department (radio buttons named `departmentId`, from the case's
 * destinations: read online when the sheet opens, else as kept with the case), the question for it, and the day it
 * should answer by (`dueAt`, a Beijing day; the default is the committee's reply time from now).
 */
export function HandoffFields({
  caseId,
  initial,
  errors,
  onEdit,
}: {
  caseId: string
  initial?: { departmentId?: string; question?: string; dueAt?: string }
  errors: Partial<Record<HandoffField, string>>
  onEdit: (f: HandoffField) => void
}) {
  const state = useDestinations(caseId)
  const invalid = (f: HandoffField) => (errors[f] ? { 'aria-invalid': true, 'aria-describedby': `err-${f}` } : {})
  const message = (f: HandoffField) =>
    errors[f] && (
      <p class="field-msg" id={`err-${f}`} data-testid={`field-error-${f}`}>
        {errors[f]}
      </p>
    )
  return (
    <>
      <p class="hint" id="handoff-hint">
        {t.handoffHint}
      </p>
      <fieldset
        class="transfer-picker"
        data-testid="handoff-picker"
        aria-describedby={errors.department ? 'err-department' : undefined}
        aria-busy={!state.loaded && !state.error}
      >
        <legend>{t.handoffDepartment}</legend>
        {message('department')}
        <DestinationsState
          state={state}
          testIdPrefix="handoff"
          texts={{ loading: t.handoffLoading, needsConnection: t.handoffNeedsConnection, offlineList: t.transferOfflineList }}
        >
          {(d) => {
            const departments = d.departments ?? []
            if (departments.length === 0)
              return (
                <p class="hint" data-testid="handoff-no-departments">
                  {t.handoffNoDepartments}
                </p>
              )
            return (
              <div class="dest-list">
                {departments.map((dep) => (
                  <label key={dep.id} class="choice dest" data-testid="dest-department">
                    <input
                      type="radio"
                      name="departmentId"
                      value={dep.id}
                      defaultChecked={initial?.departmentId === dep.id}
                      onChange={() => onEdit('department')}
                    />
                    <span>
                      {dep.name}
                      <span class="sub">{t.departmentKinds[dep.kind] ?? ''}</span>
                    </span>
                  </label>
                ))}
              </div>
            )
          }}
        </DestinationsState>
      </fieldset>
      <label for="question">{t.handoffQuestion}</label>
      <textarea
        id="question"
        name="question"
        rows={4}
        required
        minLength={5}
        maxLength={2000}
        placeholder={t.handoffQuestionHint}
        defaultValue={initial?.question}
        onInput={() => onEdit('question')}
        aria-describedby="handoff-hint"
        {...invalid('question')}
      />
      {message('question')}
      {/* Keyed by the default, so the date fills in when the destinations arrive (the member has not picked one yet). */}
      <DueDay
        key={state.loaded?.destinations?.handoffDueAt ?? ''}
        initial={initial?.dueAt ?? state.loaded?.destinations?.handoffDueAt}
        onEdit={() => onEdit('dueAt')}
        invalid={!!errors.dueAt}
      />
      {message('dueAt')}
    </>
  )
}

function DueDay({ initial, onEdit, invalid }: { initial?: string; onEdit: () => void; invalid: boolean }) {
  return (
    <>
      <label for="dueAt">{t.handoffDueDay}</label>
      <input
        id="dueAt"
        name="dueAt"
        type="date"
        min={firstHandoffDay()}
        defaultValue={initial ? beijingDay(initial) : undefined}
        onInput={onEdit}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? 'due-hint err-dueAt' : 'due-hint'}
      />
      <p class="hint" id="due-hint">
        {t.handoffDueHint}
      </p>
    </>
  )
}

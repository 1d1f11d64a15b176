import { useState } from 'preact/hooks'
import type { RetentionBody, RetentionView } from '@mashangjian/shared'
import { adminApi } from '../admin-api'
import { at } from '../admin-text'
import { Done, Field, useAction, valueOf } from '../components/field'
import { ProblemText, fieldErrors, SaveError } from '../components/problem-text'
import { useRemote } from '../use-remote'

/**
 * 个人信息保存期限 (issue 19): how many years after a case ends the daily job erases residents' personal data. The
 * scan page promises the same number, so changing it here changes what residents are told.
 */
export function RetentionSection({ committeeId }: { committeeId: string }) {
  const view = useRemote(() => adminApi.get<RetentionView>(`/api/v1/committees/${committeeId}/retention`), [committeeId])
  const [toast, setToast] = useState<string | null>(null)
  return (
    <section class="sub-page" aria-labelledby="retention-title" data-testid="retention-settings">
      <h3 id="retention-title">{at.retentionTitle}</h3>
      <p class="hint">{at.retentionHint}</p>
      <ProblemText error={view.error} />
      {!view.value && !view.error && (
        <p class="skeleton-block" aria-busy="true">
          {at.loading}
        </p>
      )}
      <Done message={toast} />
      {view.value && (
        <RetentionForm
          key={`${view.value.years}/${view.value.own}`}
          view={view.value}
          committeeId={committeeId}
          onSaved={(m) => {
            setToast(m)
            view.reload()
          }}
        />
      )}
    </section>
  )
}

function RetentionForm({ committeeId, view, onSaved }: { committeeId: string; view: RetentionView; onSaved: (message: string) => void }) {
  // Blank is the default (shown as the placeholder), like the deadlines above.
  const [years, setYears] = useState(view.own ? String(view.years) : '')
  const save = useAction()
  const errors = fieldErrors(save.error)
  async function submit(e: Event) {
    e.preventDefault()
    const body: RetentionBody = { years: years.trim() ? Number(years) : null }
    const ok = await save.run(() => adminApi.put(`/api/v1/committees/${committeeId}/retention`, body))
    if (ok) onSaved(at.retentionSaved)
  }
  return (
    <form ref={save.form} onSubmit={(e) => void submit(e)} noValidate data-testid="retention-form">
      <Field
        id="retention-years"
        label={at.retentionYears}
        error={errors.years}
        hint={at.retentionYearsHint(view.years, view.own, view.minYears, view.maxYears)}
      >
        {(p) => (
          <input
            {...p}
            type="number"
            inputMode="numeric"
            min={view.minYears}
            max={view.maxYears}
            step={1}
            placeholder={view.own ? '' : String(view.defaultYears)}
            value={years}
            onInput={(e) => setYears(valueOf(e))}
          />
        )}
      </Field>
      <SaveError error={save.error} />
      <div class="buttons">
        <button type="submit" class="button primary" disabled={save.busy} data-testid="retention-save">
          {at.save}
        </button>
      </div>
    </form>
  )
}

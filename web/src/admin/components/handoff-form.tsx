import type { CaseDestinations, CaseDetail } from '@mashangjian/shared'
import { beijingDay, firstHandoffDay, handoffDueAtOfDay } from '../../beijing-day'
import { adminApi } from '../admin-api'
import { at } from '../admin-text'
import { dt } from '../desk-text'
import { useRemote } from '../use-remote'
import { ProblemText } from './problem-text'

/** 交办's body from the desk sheet's form, or what to fix. A blank day leaves the deadline to the committee's default. */
export function readHandoff(form: FormData, now = Date.now()): { type: 'handoff'; departmentId: string; question: string; dueAt?: string } | string {
  const text = (name: string) => String(form.get(name) ?? '').trim()
  if (!text('departmentId')) return dt.handoffPickDepartment
  if (text('question').length < 5) return dt.handoffQuestionShort
  if (!text('dueAt')) return { type: 'handoff', departmentId: text('departmentId'), question: text('question') }
  const dueAt = handoffDueAtOfDay(text('dueAt'))
  if (!dueAt || Date.parse(dueAt) <= now) return dt.handoffDueFuture
  return { type: 'handoff', departmentId: text('departmentId'), question: text('question'), dueAt }
}

/**
 * 交办 at the desk: the department (the case committee's active departments, from /destinations), the question and
 * the day it should answer by (18:00 Beijing time; the default is the committee's reply time from now).
 */
export function HandoffFormFields({ c }: { c: CaseDetail }) {
  const dest = useRemote(() => adminApi.get<CaseDestinations>(`/api/v1/cases/${c.id}/destinations`), [c.id])
  const departments = dest.value?.departments ?? []
  const due = dest.value?.handoffDueAt
  return (
    <>
      <div class="field">
        <label for="desk-handoff-department">{dt.handoffDepartment}</label>
        <select id="desk-handoff-department" name="departmentId" data-testid="handoff-department" aria-busy={dest.loading}>
          <option value="">{dt.pickOne}</option>
          {departments.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}（{at.departments.kinds[d.kind] ?? d.kind}）
            </option>
          ))}
        </select>
        {dest.value && departments.length === 0 && (
          <p class="hint" data-testid="handoff-no-departments">
            {dt.handoffNoDepartments}
          </p>
        )}
        <ProblemText error={dest.error} />
      </div>
      <div class="field">
        <label for="desk-handoff-question">{dt.handoffQuestion}</label>
        <textarea id="desk-handoff-question" name="question" rows={4} minLength={5} maxLength={2000} required aria-describedby="desk-handoff-question-hint" />
        <p class="hint" id="desk-handoff-question-hint">
          {dt.handoffQuestionHint}
        </p>
      </div>
      <div class="field">
        <label for="desk-handoff-due">{dt.handoffDueDay}</label>
        {/* Keyed by the default, so it fills in when /destinations answers. */}
        <input
          key={due ?? ''}
          id="desk-handoff-due"
          name="dueAt"
          type="date"
          min={firstHandoffDay()}
          defaultValue={due ? beijingDay(due) : undefined}
          aria-describedby={due ? 'desk-handoff-due-hint' : undefined}
        />
        {due && (
          <p class="hint" id="desk-handoff-due-hint">
            {dt.handoffDueDefault(beijingDay(due))}
          </p>
        )}
      </div>
    </>
  )
}

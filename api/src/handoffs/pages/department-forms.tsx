/** @jsxRuntime automatic @jsxImportSource preact */
import type { ComponentChildren } from 'preact'
import { MAX_IMAGES } from '../../attachments/image-processing'
import { ANSWER_MAX, REASON_MAX } from '../department-input'
import type { DepartmentIssue } from '../department-input'

export type Issues = Map<string, DepartmentIssue>

/** A labelled control; its message (if any) sits right under it and is announced with it. */
function Field({
  id,
  label,
  hint,
  issues,
  children,
}: {
  id: string
  label: string
  hint?: string
  issues: Issues
  children: (aria: Record<string, string | undefined>) => ComponentChildren
}) {
  const issue = issues.get(id)
  const describedBy = [hint && `${id}-hint`, issue && `${id}-error`].filter(Boolean).join(' ') || undefined
  return (
    <div>
      <label for={id}>
        {label}
        {hint && (
          <span class="hint" id={`${id}-hint`}>
            <br />
            {hint}
          </span>
        )}
      </label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': issue ? 'true' : undefined })}
      {issue && (
        <p class="error" id={`${id}-error`}>
          {issue.message}
        </p>
      )}
    </div>
  )
}

export function AcknowledgeForm({ action }: { action: string }) {
  return (
    <form method="post" action={action} class="box">
      <h2>签收</h2>
      <p>确认本单位已收到这件交办事项，开始办理。</p>
      <button type="submit">签收</button>
    </form>
  )
}

/** 答复: multipart so photos can go with it (a plain post without photos works too). */
export function AnswerForm({
  action,
  values,
  issues,
  photosDropped,
}: {
  action: string
  values: Record<string, string>
  issues: Issues
  photosDropped: boolean
}) {
  const photoIssues = [...issues.values()].filter((i) => i.field === 'photos' || /^photo\d+$/.test(i.field))
  return (
    <form method="post" action={action} enctype="multipart/form-data" class="box">
      <h2>答复</h2>
      <Field id="answer" label="答复内容" hint={`5–${ANSWER_MAX}字：办理情况、结果或计划`} issues={issues}>
        {(aria) => (
          <textarea {...aria} name="answer" rows={6} maxLength={ANSWER_MAX} required>
            {values.answer ?? ''}
          </textarea>
        )}
      </Field>
      <Field id="responderName" label="答复人（可选）" hint="姓名或科室" issues={issues}>
        {(aria) => <input {...aria} name="responderName" maxLength={50} autocomplete="name" value={values.responderName ?? ''} />}
      </Field>
      <fieldset style="border:0;padding:0;margin:0">
        <legend>
          <b>照片（可选，最多{MAX_IMAGES}张）</b>
        </legend>
        {photosDropped && <p class="hint">上次选择的照片没有保存，请重新选择。</p>}
        {Array.from({ length: MAX_IMAGES }, (_, i) => (
          <Field id={`photo${i + 1}`} label={`第${i + 1}张照片`} issues={issues}>
            {(aria) => <input {...aria} type="file" name={`photo${i + 1}`} accept="image/*" />}
          </Field>
        ))}
        {photoIssues
          .filter((i) => i.field === 'photos')
          .map((i) => (
            <p class="error">{i.message}</p>
          ))}
      </fieldset>
      <button type="submit">提交答复</button>
    </form>
  )
}

/** 退回: not this department's matter, with the reason and (if known) the department it belongs to. */
export function ReturnForm({ action, values, issues }: { action: string; values: Record<string, string>; issues: Issues }) {
  return (
    <form method="post" action={action} class="box">
      <h2>退回</h2>
      <p class="hint">不属于本单位职责的，请说明理由退回。</p>
      <Field id="reason" label="退回理由" hint={`2–${REASON_MAX}字`} issues={issues}>
        {(aria) => (
          <textarea {...aria} name="reason" rows={3} maxLength={REASON_MAX} required>
            {values.reason ?? ''}
          </textarea>
        )}
      </Field>
      <Field id="suggestedDepartment" label="建议承办单位（可选）" issues={issues}>
        {(aria) => <input {...aria} name="suggestedDepartment" maxLength={100} value={values.suggestedDepartment ?? ''} />}
      </Field>
      <button type="submit" class="secondary">
        退回
      </button>
    </form>
  )
}

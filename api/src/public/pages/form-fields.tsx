/** @jsxRuntime automatic @jsxImportSource preact */
import type { ComponentChildren } from 'preact'
import type { Translate } from '@mashangjian/shared'
import type { SubmissionIssue } from '../submission-rules'

/** Issues keyed by field; each field shows its own message right under it (announced via aria-describedby). */
export type IssueMap = Map<string, SubmissionIssue>
export const issueMap = (issues: SubmissionIssue[] = []): IssueMap => new Map(issues.map((i) => [i.field, i]))

export function FieldError({ id, issue, t }: { id: string; issue?: SubmissionIssue; t: Translate }) {
  return issue ? (
    <p class="error" id={`${id}-error`}>
      {t(issue.key, issue.values)}
    </p>
  ) : null
}

/** A labelled control with hint and error wiring; `render` receives the aria attributes to spread. */
export function Field({
  id,
  label,
  hint,
  issue,
  t,
  render,
}: {
  id: string
  label: string
  hint?: string
  issue?: SubmissionIssue
  t: Translate
  render: (aria: Record<string, string | boolean | undefined>) => ComponentChildren
}) {
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
      {render({ id, 'aria-describedby': describedBy, 'aria-invalid': issue ? 'true' : undefined })}
      <FieldError id={id} issue={issue} t={t} />
    </div>
  )
}

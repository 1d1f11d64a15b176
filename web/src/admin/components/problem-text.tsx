import { ApiError, OfflineError } from '../../data'
import { errorText, t } from '../../i18n'
import { at } from '../admin-text'

/** One line for an error from the API, in the admin's language; per-field errors are shown by the form. */
export function ProblemText({ error }: { error: unknown }) {
  if (!error) return null
  const text =
    error instanceof ApiError
      ? (at.errors[error.code] ?? errorText(error.code, error.message))
      : error instanceof OfflineError
        ? errorText('OFFLINE')
        : t.unknownError
  return (
    <p class="error" role="alert">
      {text}
    </p>
  )
}

/**
 * Per-field messages of a VALIDATION_FAILED problem (or of another problem that names fields), keyed by the body
 * field (`body.name` → `name`, `body.names.zh-CN` → `names.zh-CN`). An item of a list (`stationIds.2`) is also
 * reported on the list (`stationIds`), where the form shows it. Messages are put in the admin's language.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !error.problem.errors) return {}
  const out: Record<string, string> = {}
  for (const e of error.problem.errors) {
    const field = e.field.replace(/^(body|querystring)\./, '')
    const message = at.fieldMessage(field, e.message)
    out[field] ??= message
    const list = field.match(/^(.+)\.\d+$/)
    if (list) out[list[1]!] ??= message
  }
  return out
}

/** Whether a failed save was only about fields (the form shows each next to its field; a summary line is enough). */
export const onlyFieldErrors = (error: unknown) => error instanceof ApiError && error.code === 'VALIDATION_FAILED' && (error.problem.errors?.length ?? 0) > 0

/**
 * Under a form's fields, above its buttons: why the save failed. Only field errors: one line asking to fix them
 * (each is shown at its field); anything else: the problem's own line.
 */
export function SaveError({ error }: { error: unknown }) {
  return onlyFieldErrors(error) ? (
    <p class="error" role="alert">
      {at.fixFields}
    </p>
  ) : (
    <ProblemText error={error} />
  )
}

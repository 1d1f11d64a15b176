import { ApiError, OfflineError } from '../../data'
import { errorText, t } from '../../i18n'

/** One line for an error from the API, in the admin's language; per-field errors are shown by the form. */
export function ProblemText({ error }: { error: unknown }) {
  if (!error) return null
  const text = error instanceof ApiError ? errorText(error.code, error.message)
    : error instanceof OfflineError ? errorText('OFFLINE') : t.unknownError
  return <p class="error" role="alert">{text}</p>
}

/** Per-field messages of a VALIDATION_FAILED problem, keyed by the body field (`body.name` → `name`). */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !error.problem.errors) return {}
  return Object.fromEntries(error.problem.errors.map((e) => [e.field.replace(/^body\./, ''), e.message]))
}

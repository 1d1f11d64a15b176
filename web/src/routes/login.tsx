import { useState } from 'preact/hooks'
import { data, ApiError, OfflineError } from '../data'
import { errorText, t } from '../i18n'

export function Login() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function submit(e: Event) {
    e.preventDefault()
    const form = new FormData(e.currentTarget as HTMLFormElement)
    setBusy(true)
    setError(null)
    try {
      await data.signIn(String(form.get('username') ?? '').trim(), String(form.get('password') ?? ''))
    } catch (err) {
      if (err instanceof ApiError && err.code === 'ACCOUNT_LOCKED') {
        setError(t.lockedUntil(Math.max(1, Math.ceil((err.problem.retryAfterSeconds ?? 1800) / 60))))
      } else if (err instanceof ApiError && err.code === 'LOGIN_THROTTLED') {
        setError(t.throttled(Math.max(1, err.problem.retryAfterSeconds ?? 1)))
      } else if (err instanceof ApiError) setError(errorText(err.code, err.message))
      else if (err instanceof OfflineError) setError(`${errorText('OFFLINE')} ${t.loginOfflineHint}`)
      else setError(t.unknownError)
    } finally {
      setBusy(false)
    }
  }

  return (
    <main class="login">
      <h1>{t.appName}</h1>
      <h2>{t.loginTitle}</h2>
      {/* One sign-in for members and admins (the console opens for admins): it does not say "members only". */}
      <p class="hint subtitle">{t.loginSubtitle}</p>
      <form onSubmit={submit} noValidate>
        <label for="username">{t.username}</label>
        <input id="username" name="username" autocomplete="username" required inputMode="text" />
        <label for="password">{t.password}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        {error && (
          <p class="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? t.signingIn : t.signIn}
        </button>
      </form>
      <p class="hint">{t.loginOfflineHint}</p>
    </main>
  )
}

import { useEffect, useState } from 'preact/hooks'
import { ApiError, OfflineError } from '../data'
import { publicationApi, type PublicationView } from '../data/publication'
import { errorText, t } from '../i18n'
import './publication-control.css'

/**
 * The per-case switch of the transparency page (default off) with an optional moderated text, for the desk's case
 * page and the member's resolved case. Reads and saves online through the data layer (data/publication.ts).
 */
export function PublicationControl({ caseId, idPrefix = 'pub', class: className }: { caseId: string; idPrefix?: string; class?: string }) {
  const x = t.publication
  const [view, setView] = useState<PublicationView | null>(null)
  const [publishable, setPublishable] = useState(false)
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)
  const describe = (e: unknown) =>
    e instanceof OfflineError
      ? x.offline
      : e instanceof ApiError && e.code === 'CASE_NOT_RESOLVED'
        ? x.notResolved
        : e instanceof ApiError
          ? errorText(e.code, e.message)
          : errorText(undefined)

  useEffect(() => {
    let live = true
    setView(null)
    setError(null)
    publicationApi.read(caseId).then(
      (v) => {
        if (!live) return
        setView(v)
        setPublishable(v.publishable)
        setText(v.publicText ?? '')
      },
      (e: unknown) => live && setError(describe(e)),
    )
    return () => {
      live = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [caseId])

  async function save(e: Event) {
    e.preventDefault()
    setBusy(true)
    setError(null)
    setSaved(false)
    try {
      const v = await publicationApi.save(caseId, { publishable, publicText: text.trim() || null })
      setView(v)
      setPublishable(v.publishable)
      setText(v.publicText ?? '')
      setSaved(true)
    } catch (err) {
      setError(describe(err))
    } finally {
      setBusy(false)
    }
  }

  const id = (s: string) => `${idPrefix}-${s}`
  return (
    <section aria-labelledby={id('title')} class={className ?? 'publication'} data-testid="publication">
      <h3 id={id('title')}>{x.title}</h3>
      {!view && !error && <p aria-busy="true">{x.loading}</p>}
      {view && (
        <form onSubmit={save}>
          <label class="pub-check" for={id('allow')}>
            <input
              id={id('allow')}
              type="checkbox"
              checked={publishable}
              disabled={!view.allowed && !view.publishable}
              aria-describedby={id('hint')}
              data-testid="publication-allow"
              onChange={(e) => {
                setPublishable((e.currentTarget as HTMLInputElement).checked)
                setSaved(false)
              }}
            />
            <span>{x.allow}</span>
          </label>
          <p class="hint" id={id('hint')}>
            {view.allowed ? x.hint : x.notResolved}
          </p>
          <label for={id('text')}>{x.text}</label>
          <textarea
            id={id('text')}
            rows={3}
            maxLength={2000}
            value={text}
            aria-describedby={id('text-hint')}
            data-testid="publication-text"
            onInput={(e) => {
              setText((e.currentTarget as HTMLTextAreaElement).value)
              setSaved(false)
            }}
          />
          <p class="hint" id={id('text-hint')}>
            {x.textHint}
          </p>
          {view.publishable && view.preview && (
            <p class="preview" data-testid="publication-preview">
              <strong>{x.preview}</strong> {view.preview}
            </p>
          )}
          <button type="submit" class="button" disabled={busy} data-testid="publication-save">
            {x.save}
          </button>
          {saved && (
            <span role="status" class="saved" data-testid="publication-saved">
              {' '}
              {x.saved}
            </span>
          )}
        </form>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}

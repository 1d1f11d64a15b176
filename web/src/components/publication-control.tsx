import { useEffect, useState } from 'preact/hooks'
import { ApiError, OfflineError } from '../data'
import { publicationApi, type PublicationView } from '../data/publication'
import { currentLocale, errorText } from '../i18n'
import './publication-control.css'

const ZH = {
  title: '公开展示',
  allow: '允许在公开页面展示',
  hint: '办结后，可在本会的“履职公开”页面展示类别、月份和答复（电话、身份证号自动隐去）。默认不展示。',
  text: '公开的文字（可不填）',
  textHint: '不填则展示给群众的答复。请去掉姓名、住址等个人信息。',
  preview: '公开页面将显示：',
  save: '保存',
  saved: '已保存',
  loading: '正在读取…',
  offline: '需要联网才能修改。',
  notResolved: '办结后才能公开。',
}
const EN: typeof ZH = {
  title: 'Public page',
  allow: 'Allow on the public page',
  hint: "Once resolved, the category, month and answer may be shown on the committee's public record page (phone and ID numbers are masked). Off by default.",
  text: 'Text for the public (optional)',
  textHint: 'Leave empty to show the answer given to the resident. Remove names, addresses and other personal details.',
  preview: 'The public page will show:',
  save: 'Save',
  saved: 'Saved',
  loading: 'Loading…',
  offline: 'A connection is needed to change this.',
  notResolved: 'Only a resolved case can be published.',
}

/**
 * The per-case switch of the transparency page (default off) with an optional moderated text, for the desk's case
 * page and the member's resolved case. Reads and saves online through the data layer (data/publication.ts).
 */
export function PublicationControl({ caseId, idPrefix = 'pub', class: className }: { caseId: string; idPrefix?: string; class?: string }) {
  const x = currentLocale() === 'en' ? EN : ZH
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

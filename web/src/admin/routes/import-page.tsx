import { useEffect, useState } from 'preact/hooks'
import type { MemberImportView } from '@mashangjian/shared'
import { adminApi } from '../admin-api'
import { at } from '../admin-text'
import { ProblemText } from '../components/problem-text'

const POLL_MS = 700
const busy = (v: MemberImportView) => v.status === 'validating' || v.status === 'applying'

/**
 * Roster import: upload → dry-run diff (to add / to update / unchanged / rows with errors) → confirm. Large files
 * are worked on by the server after it answers; the page polls and shows progress meanwhile.
 */
export function ImportPage() {
  const [file, setFile] = useState<File | null>(null)
  const [view, setView] = useState<MemberImportView | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [sending, setSending] = useState(false)

  // Follow a large file's progress until the server is done with it.
  useEffect(() => {
    if (!view || !busy(view)) return
    const id = setTimeout(() => {
      adminApi.importStatus(view.id).then(setView, setError)
    }, POLL_MS)
    return () => clearTimeout(id)
  }, [view])

  async function check(e: Event) {
    e.preventDefault()
    if (!file) return
    setSending(true)
    setError(null)
    try {
      setView(await adminApi.uploadRoster(file))
    } catch (err) {
      setError(err)
    } finally {
      setSending(false)
    }
  }

  async function confirm(mode: 'all' | 'valid_rows') {
    if (!view) return
    setError(null)
    try {
      setView(await adminApi.confirmImport(view.id, mode))
    } catch (err) {
      setError(err)
    }
  }

  const diff = view?.diff
  return (
    <section class="admin-page" data-testid="import-page">
      <h2>{at.importTitle}</h2>
      <p class="hint">{at.importIntro}</p>
      <p class="links">
        <a
          class="button"
          href="/api/v1/imports/members/template.xlsx"
          onClick={(e) => {
            e.preventDefault()
            void download('/api/v1/imports/members/template.xlsx')
          }}
        >
          {at.templateXlsx}
        </a>
        <a
          class="button"
          href="/api/v1/imports/members/template.csv"
          onClick={(e) => {
            e.preventDefault()
            void download('/api/v1/imports/members/template.csv')
          }}
        >
          {at.templateCsv}
        </a>
      </p>
      {!view && (
        <form onSubmit={check}>
          <label for="roster">{at.chooseFile}</label>
          <input
            id="roster"
            type="file"
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            data-testid="roster-file"
            onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
          />
          <button type="submit" class="button primary" disabled={!file || sending} data-testid="roster-check">
            {sending ? at.checking(0, 0) : at.check}
          </button>
        </form>
      )}
      <ProblemText error={error} />
      {view && busy(view) && (
        <div role="status" data-testid="import-progress">
          <progress max={view.progress.total || 1} value={view.progress.processed} />
          <p>
            {view.status === 'validating'
              ? at.checking(view.progress.processed, view.progress.total)
              : at.applying(view.progress.processed, view.progress.total)}
          </p>
        </div>
      )}
      {view?.status === 'applied' && (
        <p class="toast" role="status" data-testid="import-done">
          {view.applied && view.applied.added + view.applied.updated > 0 ? at.imported(view.applied.added, view.applied.updated) : at.nothingToImport}
        </p>
      )}
      {view?.status === 'failed' && (
        <p class="error" role="alert">
          {at.importFailed}
          {view.error?.message}
        </p>
      )}
      {diff && view && (
        <>
          <dl class="stats" data-testid="import-counts">
            <div>
              <dt>{at.toAdd}</dt>
              <dd data-testid="count-add">{view.counts.add}</dd>
            </div>
            <div>
              <dt>{at.toUpdate}</dt>
              <dd data-testid="count-update">{view.counts.update}</dd>
            </div>
            <div>
              <dt>{at.unchanged}</dt>
              <dd>{view.counts.unchanged}</dd>
            </div>
            <div>
              <dt>{at.withErrors}</dt>
              <dd data-testid="count-error">{view.counts.error}</dd>
            </div>
          </dl>
          {diff.errors.length > 0 && (
            <table class="grid" data-testid="import-errors">
              <caption>{at.withErrors}</caption>
              <thead>
                <tr>
                  <th>{at.row}</th>
                  <th>{at.name}</th>
                  <th>{at.reasons}</th>
                </tr>
              </thead>
              <tbody>
                {diff.errors.map((r) => (
                  <tr key={r.row}>
                    <td>{r.row}</td>
                    <td>{r.name ?? ''}</td>
                    <td>{r.errors.map((x) => x.message).join('；')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {diff.add.length > 0 && (
            <table class="grid">
              <caption>{at.toAdd}</caption>
              <thead>
                <tr>
                  <th>{at.row}</th>
                  <th>{at.name}</th>
                  <th>{at.changes}</th>
                </tr>
              </thead>
              <tbody>
                {diff.add.map((r) => (
                  <tr key={r.row}>
                    <td>{r.row}</td>
                    <td>{r.name}</td>
                    <td>{[r.phoneMasked, r.sector, r.stations.join('、'), r.title].filter(Boolean).join(' · ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {diff.update.length > 0 && (
            <table class="grid">
              <caption>{at.toUpdate}</caption>
              <thead>
                <tr>
                  <th>{at.row}</th>
                  <th>{at.name}</th>
                  <th>{at.changes}</th>
                </tr>
              </thead>
              <tbody>
                {diff.update.map((r) => (
                  <tr key={r.row}>
                    <td>{r.row}</td>
                    <td>{r.name}</td>
                    <td>{r.changes.map((c) => `${c.field}: ${c.from ?? '—'} → ${c.to ?? '—'}`).join('；')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {view.status === 'ready' && (
            <div class="buttons">
              {view.counts.error > 0 && <p class="hint">{at.allOrNothing}</p>}
              <button
                type="button"
                class="button"
                onClick={() => {
                  setView(null)
                  setFile(null)
                }}
              >
                {at.startOver}
              </button>
              {view.counts.error === 0 ? (
                <button type="button" class="button primary" data-testid="import-confirm" onClick={() => void confirm('all')}>
                  {at.importAll}
                </button>
              ) : (
                <button type="button" class="button primary" data-testid="import-valid" onClick={() => void confirm('valid_rows')}>
                  {at.importValid(view.counts.add + view.counts.update + view.counts.unchanged)}
                </button>
              )}
            </div>
          )}
        </>
      )}
      {view && !busy(view) && view.status !== 'ready' && (
        <button
          type="button"
          class="button"
          onClick={() => {
            setView(null)
            setFile(null)
          }}
        >
          {at.startOver}
        </button>
      )}
    </section>
  )
}

/** Templates need the token, which a plain link cannot send: fetch, then save the file. */
async function download(path: string) {
  const bytes = await adminApi.get<ArrayBuffer>(path)
  const a = document.createElement('a')
  a.href = URL.createObjectURL(new Blob([bytes]))
  a.download = path.split('/').pop()!
  a.click()
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
}

import { useEffect, useState } from 'preact/hooks'
import {
  REPORT_STATUSES,
  type CaseListPage,
  type CaseSummary,
  type ReportDetail,
  type ReportPage,
  type ReportStatus,
  type ReportSummary,
  type MemberView,
} from '@mashangjian/shared'
import { dateTime, t } from '../../i18n'
import { adminApi, withQuery, type Paged } from '../admin-api'
import { at } from '../admin-text'
import { ConfirmButton } from '../components/confirm-button'
import { Done, Field, useAction, useFocusOnMount, valueOf } from '../components/field'
import { ProblemText, fieldErrors, onlyFieldErrors, SaveError } from '../components/problem-text'
import { TokenLink } from '../components/token-link'
import { useRemote } from '../use-remote'

type Picked = Pick<CaseSummary, 'id' | 'publicNo' | 'status' | 'description' | 'stationName' | 'createdAt'>

/**
 * 社情民意信息: reports drafted from one or more cases, edited while a draft, submitted, then recorded as adopted or
 * not with the body that decided; each as a PDF or Word document.
 */
export function ReportsPage() {
  const [status, setStatus] = useState<ReportStatus | ''>('')
  const [open, setOpen] = useState<string | 'new' | null>(null)
  const [toast, setToast] = useState<string | null>(null)
  const [items, setItems] = useState<ReportSummary[] | null>(null)
  const [counts, setCounts] = useState<ReportPage['counts'] | null>(null)
  const [next, setNext] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(false)

  async function load(cursor: string | null) {
    setLoading(true)
    setError(null)
    try {
      const page = await adminApi.get<ReportPage>(withQuery('/api/v1/opinion-reports', { status, cursor, limit: 20 }))
      setItems((old) => (cursor && old ? [...old, ...page.items] : page.items))
      setCounts(page.counts)
      setNext(page.nextCursor)
    } catch (err) {
      setError(err)
    } finally {
      setLoading(false)
    }
  }
  useEffect(() => {
    void load(null)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- read again when the status filter changes; load is a new function on every render
  }, [status])
  function changed(message: string, id: string | null) {
    setToast(message)
    setOpen(id)
    void load(null)
  }

  const total = counts ? REPORT_STATUSES.reduce((n, s) => n + counts[s], 0) : 0
  return (
    <section class="admin-page" data-testid="reports-page" aria-labelledby="reports-title">
      <div class="page-head">
        <h2 id="reports-title">{at.reportsTitle}</h2>
        <button
          type="button"
          class="button primary"
          onClick={() => {
            setToast(null)
            setOpen('new')
          }}
          data-testid="report-new"
        >
          {at.draftReport}
        </button>
      </div>
      <div class="links status-filter" role="group" aria-label={at.filterByStatus}>
        <button type="button" class={status === '' ? 'button primary' : 'button'} aria-pressed={status === ''} onClick={() => setStatus('')}>
          {at.allStatuses} <span class="n">{total}</span>
        </button>
        {REPORT_STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            class={status === s ? 'button primary' : 'button'}
            aria-pressed={status === s}
            onClick={() => setStatus(s)}
            data-testid={`report-count-${s}`}
          >
            {at.reportStatuses[s]} <span class="n">{counts?.[s] ?? '…'}</span>
          </button>
        ))}
      </div>
      <Done message={toast} />
      <div class={open ? 'master-detail wide open' : 'master-detail wide'}>
        <div class="master">
          <ProblemText error={error} />
          {!items && !error && (
            <p class="skeleton-block" aria-busy="true">
              {at.loading}
            </p>
          )}
          {items && items.length === 0 && <p class="empty">{status ? at.noMatches : at.noReports}</p>}
          {items && items.length > 0 && (
            <ul class="rows" data-testid="report-list">
              {items.map((r) => (
                <li key={r.id} class={open === r.id ? 'row selected' : 'row'} data-testid="report-row" data-status={r.status}>
                  <span class="row-main">
                    <button
                      type="button"
                      class="link-button"
                      onClick={() => {
                        setToast(null)
                        setOpen(r.id)
                      }}
                      aria-current={open === r.id ? 'true' : undefined}
                    >
                      {r.title}
                    </button>
                    <span class="sub">
                      <span class={`pill r-${r.status}`}>{at.reportStatuses[r.status]}</span>{' '}
                      {[r.memberName, at.caseCount(r.caseCount), r.decidedBy, dateTime(r.updatedAt)].filter(Boolean).join(' · ')}
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          )}
          {next && (
            <button type="button" class="button" disabled={loading} onClick={() => void load(next)}>
              {loading ? at.loading : at.loadMore}
            </button>
          )}
        </div>
        {open && (
          <aside class="detail" aria-label={open === 'new' ? at.draftReport : at.reportDetail}>
            {open === 'new' ? (
              <ReportForm report={null} onSaved={(r) => changed(at.reportDrafted, r.id)} onClose={() => setOpen(null)} />
            ) : (
              <ReportView key={open} id={open} onChanged={changed} onClose={() => setOpen(null)} />
            )}
          </aside>
        )}
      </div>
    </section>
  )
}

function ReportView({ id, onChanged, onClose }: { id: string; onChanged: (message: string, id: string | null) => void; onClose: () => void }) {
  const report = useRemote(() => adminApi.get<ReportDetail>(`/api/v1/opinion-reports/${id}`), [id])
  const [editing, setEditing] = useState(false)
  const heading = useFocusOnMount<HTMLHeadingElement>()
  const r = report.value
  if (report.error)
    return (
      <>
        <ProblemText error={report.error} />
        <button type="button" class="button" onClick={onClose}>
          {at.close}
        </button>
      </>
    )
  if (!r)
    return (
      <p class="skeleton-block" aria-busy="true">
        {at.loading}
      </p>
    )
  if (editing)
    return (
      <ReportForm
        report={r}
        onSaved={() => {
          setEditing(false)
          report.reload()
          onChanged(at.reportSaved, r.id)
        }}
        onClose={() => setEditing(false)}
      />
    )
  return (
    <div class="editor" data-testid="report-view" data-status={r.status}>
      <h3 ref={heading} tabIndex={-1}>
        {r.title}
      </h3>
      <p>
        <span class={`pill r-${r.status}`} data-testid="report-status">
          {at.reportStatuses[r.status]}
        </span>
      </p>
      <dl class="facts">
        {r.memberName && (
          <>
            <dt>{at.creditedMember}</dt>
            <dd>{r.memberName}</dd>
          </>
        )}
        {r.authorName && (
          <>
            <dt>{at.author}</dt>
            <dd>{r.authorName}</dd>
          </>
        )}
        {r.submittedAt && (
          <>
            <dt>{at.submittedAt}</dt>
            <dd>{dateTime(r.submittedAt)}</dd>
          </>
        )}
        {r.decidedAt && (
          <>
            <dt>{at.decidedAt}</dt>
            <dd>{dateTime(r.decidedAt)}</dd>
          </>
        )}
        {r.decidedBy && (
          <>
            <dt>{at.decidedBy}</dt>
            <dd>{r.decidedBy}</dd>
          </>
        )}
      </dl>
      <h4>{at.reportSummary}</h4>
      <p class="prose">{r.summary || '—'}</p>
      <h4>{at.reportSuggestion}</h4>
      <p class="prose">{r.suggestion || '—'}</p>
      <h4>{at.linkedCases(r.cases.length + r.hiddenCases)}</h4>
      <ul class="rows">
        {r.cases.map((c) => (
          <li key={c.id} class="row">
            <CaseLine c={c} />
          </li>
        ))}
      </ul>
      {r.hiddenCases > 0 && <p class="hint">{at.hiddenCases(r.hiddenCases)}</p>}
      <div class="links" role="group" aria-label={at.documents}>
        <TokenLink path={`/api/v1/opinion-reports/${r.id}/document.pdf`} download testId="report-pdf">
          {at.downloadPdf}
        </TokenLink>
        <TokenLink path={`/api/v1/opinion-reports/${r.id}/document.docx`} download testId="report-docx">
          {at.downloadDocx}
        </TokenLink>
      </div>
      <Transitions
        report={r}
        onDone={(message) => {
          report.reload()
          onChanged(message, r.id)
        }}
        onEdit={() => setEditing(true)}
        onDeleted={(message) => onChanged(message, null)}
      />
      <div class="buttons">
        <button type="button" class="button" onClick={onClose}>
          {at.close}
        </button>
      </div>
    </div>
  )
}

/** What the caller may do next with the report (the API lists it in `nextStatuses`). */
function Transitions({
  report,
  onDone,
  onEdit,
  onDeleted,
}: {
  report: ReportDetail
  onDone: (message: string) => void
  onEdit: () => void
  onDeleted: (message: string) => void
}) {
  const [decidedBy, setDecidedBy] = useState('')
  const action = useAction()
  const errors = fieldErrors(action.error)
  const move = async (to: ReportStatus) => {
    const ok = await action.run(() =>
      adminApi.post<ReportDetail>(`/api/v1/opinion-reports/${report.id}/transition`, { to, ...(to !== 'submitted' && { decidedBy: decidedBy.trim() }) }),
    )
    if (ok) onDone(at.reportMoved(at.reportStatuses[to] ?? to))
  }
  const del = async () => {
    const ok = await action.run(async () => {
      await adminApi.del(`/api/v1/opinion-reports/${report.id}`)
      return true
    })
    if (ok) onDeleted(at.deletedWho(report.title))
  }
  const deciding = report.nextStatuses.includes('adopted') || report.nextStatuses.includes('rejected')
  return (
    <section class="sub-section" aria-labelledby="report-next-title">
      <h4 id="report-next-title">{at.nextStep}</h4>
      {report.status === 'draft' && (
        <>
          <p class="hint">{at.draftHint}</p>
          <div class="buttons">
            <ConfirmButton label={at.deleteDraft} question={at.deleteQuestion(report.title)} onConfirm={del} disabled={action.busy} />
            <button type="button" class="button" onClick={onEdit} data-testid="report-edit">
              {at.edit}
            </button>
            {report.nextStatuses.includes('submitted') && (
              <ConfirmButton
                label={at.submitReport}
                question={at.submitQuestion}
                onConfirm={() => move('submitted')}
                disabled={action.busy}
                testId="report-submit"
              />
            )}
          </div>
        </>
      )}
      {deciding && (
        <form ref={action.form} onSubmit={(e) => e.preventDefault()} noValidate>
          <Field id="report-decided-by" label={at.decidedBy} error={errors.decidedBy} hint={at.decidedByHint} required>
            {(p) => <input {...p} value={decidedBy} maxLength={100} onInput={(e) => setDecidedBy(valueOf(e))} />}
          </Field>
          <div class="buttons">
            {report.nextStatuses.includes('rejected') && (
              <button type="button" class="button" disabled={action.busy} onClick={() => void move('rejected')} data-testid="report-reject">
                {at.markRejected}
              </button>
            )}
            {report.nextStatuses.includes('adopted') && (
              <button type="button" class="button primary" disabled={action.busy} onClick={() => void move('adopted')} data-testid="report-adopt">
                {at.markAdopted}
              </button>
            )}
          </div>
        </form>
      )}
      {report.status !== 'draft' && !deciding && <p class="hint">{report.status === 'submitted' ? at.awaitingDecision : at.reportFinal}</p>}
      {!onlyFieldErrors(action.error) && <ProblemText error={action.error} />}
    </section>
  )
}

/** Draft a report, or edit a draft: title, the situation, the suggestion, the member credited, and its cases. */
function ReportForm({ report, onSaved, onClose }: { report: ReportDetail | null; onSaved: (r: ReportDetail) => void; onClose: () => void }) {
  const [title, setTitle] = useState(report?.title ?? '')
  const [summary, setSummary] = useState(report?.summary ?? '')
  const [suggestion, setSuggestion] = useState(report?.suggestion ?? '')
  const [memberId, setMemberId] = useState(report?.memberId ?? '')
  const [picked, setPicked] = useState<Picked[]>(report?.cases ?? [])
  const members = useRemote(() => adminApi.get<Paged<MemberView>>('/api/v1/members?limit=200'), [])
  const save = useAction()
  const heading = useFocusOnMount<HTMLHeadingElement>()
  const errors = fieldErrors(save.error)

  async function submit(e: Event) {
    e.preventDefault()
    const body = { title: title.trim(), summary: summary.trim(), suggestion: suggestion.trim(), memberId: memberId || null, caseIds: picked.map((c) => c.id) }
    const saved = await save.run(() =>
      report ? adminApi.patch<ReportDetail>(`/api/v1/opinion-reports/${report.id}`, body) : adminApi.post<ReportDetail>('/api/v1/opinion-reports', body),
    )
    if (saved) onSaved(saved)
  }

  return (
    <div class="editor" data-testid="report-form">
      <h3 ref={heading} tabIndex={-1}>
        {report ? at.editWho(report.title) : at.draftReport}
      </h3>
      <form ref={save.form} onSubmit={(e) => void submit(e)} noValidate>
        <Field id="report-title" label={at.reportTitle} error={errors.title} required>
          {(p) => <input {...p} value={title} maxLength={200} onInput={(e) => setTitle(valueOf(e))} />}
        </Field>
        <Field id="report-summary" label={at.reportSummary} error={errors.summary} hint={at.reportSummaryHint}>
          {(p) => <textarea {...p} rows={6} maxLength={10000} value={summary} onInput={(e) => setSummary(valueOf(e))} />}
        </Field>
        <Field id="report-suggestion" label={at.reportSuggestion} error={errors.suggestion}>
          {(p) => <textarea {...p} rows={4} maxLength={10000} value={suggestion} onInput={(e) => setSuggestion(valueOf(e))} />}
        </Field>
        <Field id="report-member" label={at.creditedMember} error={errors.memberId} hint={at.creditedMemberHint}>
          {(p) => (
            <select {...p} value={memberId} onChange={(e) => setMemberId(valueOf(e))}>
              <option value="">{at.noCreditedMember}</option>
              {(members.value?.items ?? []).map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <CasePicker picked={picked} setPicked={setPicked} error={errors.caseIds} />
        <SaveError error={save.error} />
        <div class="buttons">
          <button type="button" class="button" onClick={onClose}>
            {at.close}
          </button>
          <button type="submit" class="button primary" disabled={save.busy} data-testid="report-save">
            {report ? at.save : at.saveDraft}
          </button>
        </div>
      </form>
    </div>
  )
}

function CaseLine({ c }: { c: Picked }) {
  return (
    <span class="row-main case-line">
      <span class="no">{c.publicNo}</span> <span class="pill">{t.status[c.status] ?? c.status}</span>
      <span class="desc">{c.description}</span>
      <span class="sub">{[c.stationName, dateTime(c.createdAt)].filter(Boolean).join(' · ')}</span>
    </span>
  )
}

/**
 * The cases a report is drawn from: those picked (in order), and the admin's cases to pick from, newest first
 * (the inbox's list, `filter=all`), a page at a time.
 */
function CasePicker({ picked, setPicked, error }: { picked: Picked[]; setPicked: (p: Picked[]) => void; error?: string }) {
  const [cases, setCases] = useState<CaseSummary[] | null>(null)
  const [next, setNext] = useState<string | null>(null)
  const [loadError, setLoadError] = useState<unknown>(null)
  const [loading, setLoading] = useState(false)
  async function load(cursor: string | null) {
    setLoading(true)
    try {
      const page = await adminApi.get<CaseListPage>(withQuery('/api/v1/me/cases', { filter: 'all', limit: 20, cursor }))
      setCases((old) => (cursor && old ? [...old, ...page.items] : page.items))
      setNext(page.nextCursor)
    } catch (err) {
      setLoadError(err)
    } finally {
      setLoading(false)
    }
  }
  useEffect(() => {
    void load(null)
  }, [])
  const isPicked = (id: string) => picked.some((p) => p.id === id)
  const toggle = (c: Picked, on: boolean) => setPicked(on ? [...picked, c] : picked.filter((p) => p.id !== c.id))

  return (
    <fieldset
      id="report-cases"
      class={error ? 'field invalid' : 'field'}
      aria-invalid={error ? 'true' : undefined}
      aria-describedby={error ? 'report-cases-error' : undefined}
      data-testid="case-picker"
    >
      <legend>{at.linkedCases(picked.length)}</legend>
      {picked.length === 0 && <p class="hint">{at.pickCasesHint}</p>}
      <ul class="rows picked">
        {picked.map((c) => (
          <li key={c.id} class="row">
            <CaseLine c={c} />
            <button type="button" class="button" onClick={() => toggle(c, false)} aria-label={at.unpick(c.publicNo)}>
              {at.remove}
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p class="field-error" id="report-cases-error" data-testid="field-error-report-cases">
          {error}
        </p>
      )}
      <details class="pick-more" open={picked.length === 0}>
        <summary>{at.pickCases}</summary>
        <ProblemText error={loadError} />
        {!cases && !loadError && (
          <p class="skeleton-block" aria-busy="true">
            {at.loading}
          </p>
        )}
        {cases && cases.length === 0 && <p class="hint">{at.noCases}</p>}
        <ul class="rows">
          {(cases ?? []).map((c) => (
            <li key={c.id} class="row">
              <label class="choice case-choice">
                <input
                  type="checkbox"
                  checked={isPicked(c.id)}
                  onChange={(e) => toggle(c, (e.currentTarget as HTMLInputElement).checked)}
                  data-testid="pick-case"
                  data-case-id={c.id}
                />
                <CaseLine c={c} />
              </label>
            </li>
          ))}
        </ul>
        {next && (
          <button type="button" class="button" disabled={loading} onClick={() => void load(next)}>
            {loading ? at.loading : at.loadMore}
          </button>
        )}
      </details>
    </fieldset>
  )
}

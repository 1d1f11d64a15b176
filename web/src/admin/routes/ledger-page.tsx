import { useEffect, useState } from 'preact/hooks'
import {
  ACTIVITY_KINDS,
  beijingDay,
  formatDay,
  type ActivityPage,
  type Activity,
  type ContactTotals,
  type LedgerPage as LedgerList,
  type StationDetail,
} from '@mashangjian/shared'
import { currentLocale, dateTime } from '../../i18n'
import { useStatus } from '../../use-data'
import { adminApi, withQuery, type Paged } from '../admin-api'
import { at } from '../admin-text'
import { ConfirmButton } from '../components/confirm-button'
import { Done, Field, useAction, useFocusOnMount, valueOf } from '../components/field'
import { ProblemText, fieldErrors, SaveError } from '../components/problem-text'
import { TokenLink } from '../components/token-link'
import { useRemote } from '../use-remote'
import { isCommitteeAdmin, useCommittees, type Scope } from '../use-scope'

type Item = LedgerList['items'][number]
const LIMIT = 50
/** Today in China Standard Time, as the API counts days (YYYY-MM-DD). */
const todayInChina = () => beijingDay(Date.now())
const thisYear = () => Number(todayInChina().slice(0, 4))

/**
 * The 履职 ledger: each member's counts this year against their committee's targets, the printable 履职档案 per
 * member, an activity (meeting, reception day, visit, proposal…) recorded for a member, and the whole list as CSV
 * or Excel.
 */
export function LedgerPage() {
  const { user } = useStatus()
  const committees = useCommittees()
  const stationPage = useRemote(() => adminApi.get<Paged<StationDetail>>('/api/v1/stations?limit=200'), [])
  const stations = stationPage.value?.items ?? []
  // Wait for both lists, so the page does not show one scope and then jump to another.
  const ready = stationPage.value !== undefined && (!isCommitteeAdmin(user?.role) || committees.value !== undefined)
  // Committee admins: their committee (or one below) or a single station; station admins: one of their stations.
  const scopes: (Scope & { label: string })[] = [
    ...(isCommitteeAdmin(user?.role) ? (committees.value ?? []).map((c) => ({ scope: 'committee' as const, id: c.id, label: c.name })) : []),
    ...stations.map((s) => ({ scope: 'station' as const, id: s.id, label: s.name })),
  ]
  const [chosen, setChosen] = useState('')
  const [year, setYear] = useState(thisYear())
  const scope = scopes.find((s) => `${s.scope}:${s.id}` === chosen) ?? scopes[0]

  const years = Array.from({ length: 6 }, (_, i) => thisYear() - i)
  return (
    <section class="admin-page" data-testid="ledger-page" aria-labelledby="ledger-title">
      <h2 id="ledger-title">{at.ledgerTitle}</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="ledger-scope">{at.pickScope}</label>
          <select id="ledger-scope" value={scope ? `${scope.scope}:${scope.id}` : ''} onChange={(e) => setChosen(valueOf(e))}>
            {scopes.map((s) => (
              <option key={`${s.scope}:${s.id}`} value={`${s.scope}:${s.id}`}>
                {s.scope === 'committee' ? at.wholeCommittee(s.label) : s.label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="ledger-year">{at.year}</label>
          <select id="ledger-year" value={year} onChange={(e) => setYear(Number(valueOf(e)))} data-testid="ledger-year">
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
      </form>
      <ProblemText error={stationPage.error ?? committees.error} />
      {!ready && !stationPage.error && (
        <p class="skeleton-block" aria-busy="true">
          {at.loading}
        </p>
      )}
      {ready && !scope && <p class="empty">{at.noStations}</p>}
      {ready && scope && <LedgerFor key={`${scope.scope}:${scope.id}:${year}`} scope={scope} year={year} stations={stations} />}
    </section>
  )
}

function LedgerFor({ scope, year, stations }: { scope: Scope; year: number; stations: StationDetail[] }) {
  const [items, setItems] = useState<Item[] | null>(null)
  const [next, setNext] = useState<string | null>(null)
  const [asOf, setAsOf] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(false)
  const [recording, setRecording] = useState<Item | null>(null)
  const [toast, setToast] = useState<string | null>(null)
  // 联系界别群众 for the whole scope (issue 15): counts only, never who was met or their phones.
  const contactTotals = useRemote(
    () => adminApi.get<ContactTotals>(withQuery('/api/v1/contacts/totals', { scope: scope.scope, id: scope.id, year })),
    [scope.scope, scope.id, year],
  )

  async function load(cursor: string | null, replace: boolean) {
    setLoading(true)
    setError(null)
    try {
      const page = await adminApi.get<LedgerList>(withQuery('/api/v1/ledgers', { scope: scope.scope, id: scope.id, year, limit: LIMIT, cursor }))
      setItems((old) => (replace || !old ? page.items : [...old, ...page.items]))
      setNext(page.nextCursor)
      setAsOf(page.asOf)
    } catch (err) {
      setError(err)
    } finally {
      setLoading(false)
    }
  }
  useEffect(() => {
    void load(null, true)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- read once when the page opens; load is a new function on every render
  }, [])

  const exportQuery = { scope: scope.scope, id: scope.id, year: String(year) }
  return (
    <>
      <div class="links" role="group" aria-label={at.exportLedgers}>
        <TokenLink path="/api/v1/exports/ledgers.csv" query={exportQuery} download testId="ledger-export-csv">
          {at.downloadCsv}
        </TokenLink>
        <TokenLink path="/api/v1/exports/ledgers.xlsx" query={exportQuery} download testId="ledger-export-xlsx">
          {at.downloadXlsx}
        </TokenLink>
      </div>
      <p class="hint">
        {at.ledgerHint}
        {asOf && <> · {at.casesAsOf(dateTime(asOf))}</>}
      </p>
      {contactTotals.value && (
        <p class="hint" data-testid="contact-totals">
          {at.contactTotals(contactTotals.value.total, contactTotals.value.membersMeetingTarget, contactTotals.value.members.length)}
        </p>
      )}
      <Done message={toast} />
      <div class={recording ? 'master-detail open' : 'master-detail'}>
        <div class="master">
          <ProblemText error={error} />
          {!items && !error && (
            <p class="skeleton-block" aria-busy="true">
              {at.loading}
            </p>
          )}
          {items && items.length === 0 && <p class="empty">{at.noMembers}</p>}
          {items && items.length > 0 && (
            <div class="table-wrap">
              <table class="grid stack" data-testid="ledger-list">
                <caption class="visually-hidden">{at.ledgerCaption(year)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{at.name}</th>
                    <th scope="col">{at.targetsMet}</th>
                    <th scope="col">{at.targets}</th>
                    <th scope="col">{at.caseWork}</th>
                    <th scope="col">
                      <span class="visually-hidden">{at.actions}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((m) => (
                    <tr key={m.member.id} data-testid="ledger-row" data-member-id={m.member.id}>
                      <th scope="row" data-label={at.name}>
                        {m.member.name}
                        <span class="sub">{[m.member.sectorName, m.member.stations.map((s) => s.name).join('、')].filter(Boolean).join(' · ')}</span>
                      </th>
                      <td data-label={at.targetsMet}>
                        <span class={m.targetsMet === m.targetsTotal ? 'pill m-active' : 'pill m-on_leave'} data-testid="targets-met">
                          {at.metOf(m.targetsMet, m.targetsTotal)}
                        </span>
                      </td>
                      <td data-label={at.targets}>
                        <ul class="target-chips">
                          {m.targets.map((t) => (
                            <li key={t.measure} class={t.met ? 'met' : 'unmet'} title={t.label}>
                              {at.measures[t.measure]} {t.actual}/{t.min}
                              <span class="visually-hidden">{t.met ? at.met : at.notMet}</span>
                              <span aria-hidden="true">{t.met ? ' ✓' : ''}</span>
                            </li>
                          ))}
                          {m.contactTarget.min > 0 && (
                            <li class={m.contactTarget.met ? 'met' : 'unmet'} data-testid="contact-target">
                              {at.measures.sectorContacts} {m.contactTarget.actual}/{m.contactTarget.min}
                              <span class="visually-hidden">{m.contactTarget.met ? at.met : at.notMet}</span>
                              <span aria-hidden="true">{m.contactTarget.met ? ' ✓' : ''}</span>
                            </li>
                          )}
                        </ul>
                      </td>
                      <td data-label={at.caseWork}>{at.caseCounts(m.counts.casesReceived, m.counts.casesResolved, m.counts.contacts, m.counts.handoffs)}</td>
                      <td class="actions">
                        <div class="row-actions">
                          <TokenLink path={`/api/v1/members/${m.member.id}/ledger.html`} query={{ year: String(year) }} testId="ledger-print">
                            {at.printLedger}
                            <span class="visually-hidden"> · {m.member.name}</span>
                          </TokenLink>
                          <button
                            type="button"
                            class="button"
                            onClick={() => {
                              setToast(null)
                              setRecording(m)
                            }}
                            data-testid="record-activity"
                          >
                            {at.recordActivity}
                            <span class="visually-hidden"> · {m.member.name}</span>
                          </button>
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {next && (
            <button type="button" class="button" disabled={loading} onClick={() => void load(next, false)}>
              {loading ? at.loading : at.loadMore}
            </button>
          )}
        </div>
        {recording && (
          <aside class="detail" aria-label={at.recordActivity}>
            <ActivityPanel
              key={recording.member.id}
              item={recording}
              year={year}
              stations={stations}
              onSaved={(message) => {
                setToast(message)
                void load(null, true)
              }}
              onClose={() => setRecording(null)}
            />
          </aside>
        )}
      </div>
    </>
  )
}

/** Record a meeting, reception day, visit, proposal… for one member; their records this year below it. */
function ActivityPanel({
  item,
  year,
  stations,
  onSaved,
  onClose,
}: {
  item: Item
  year: number
  stations: StationDetail[]
  onSaved: (message: string) => void
  onClose: () => void
}) {
  const member = item.member
  const memberStations = stations.filter((s) => member.stations.some((ms) => ms.id === s.id))
  const [draft, setDraft] = useState({
    kind: 'reception_day' as string,
    title: '',
    occurredOn: year === thisYear() ? todayInChina() : `${year}-12-31`,
    stationId: memberStations.length === 1 ? memberStations[0]!.id : '',
    notes: '',
  })
  const [records, setRecords] = useState<Activity[] | null>(null)
  const [listError, setListError] = useState<unknown>(null)
  const save = useAction()
  const heading = useFocusOnMount<HTMLHeadingElement>()
  const errors = fieldErrors(save.error)
  const set = <K extends keyof typeof draft>(key: K, value: string) => setDraft((d) => ({ ...d, [key]: value }))

  const loadRecords = () =>
    adminApi.get<ActivityPage>(withQuery('/api/v1/activities', { memberId: member.id, year, limit: 50 })).then((p) => setRecords(p.items), setListError)
  useEffect(() => {
    void loadRecords()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- read once when the member's records open; loadRecords is a new function on every render
  }, [])

  async function submit(e: Event) {
    e.preventDefault()
    const body = {
      memberId: member.id,
      kind: draft.kind,
      title: draft.title.trim(),
      occurredOn: draft.occurredOn,
      stationId: draft.stationId || null,
      notes: draft.notes.trim(),
    }
    const made = await save.run(() => adminApi.post<Activity>('/api/v1/activities', body))
    if (made) {
      setDraft((d) => ({ ...d, title: '', notes: '' }))
      onSaved(at.activityRecorded(member.name, at.activityKinds[made.kind] ?? made.kind))
      void loadRecords()
    }
  }
  async function remove(a: Activity) {
    const ok = await save.run(async () => {
      await adminApi.del(`/api/v1/activities/${a.id}`)
      return true
    })
    if (ok) {
      onSaved(at.activityRemoved(a.title))
      void loadRecords()
    }
  }

  return (
    <div class="editor" data-testid="activity-editor">
      <h3 ref={heading} tabIndex={-1}>
        {at.recordFor(member.name)}
      </h3>
      <form ref={save.form} onSubmit={(e) => void submit(e)} noValidate>
        <Field id="activity-kind" label={at.activityKind} error={errors.kind}>
          {(p) => (
            <select {...p} value={draft.kind} onChange={(e) => set('kind', valueOf(e))}>
              {ACTIVITY_KINDS.map((k) => (
                <option key={k} value={k}>
                  {at.activityKinds[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="activity-title" label={at.activityTitle} error={errors.title} hint={at.activityTitleHint} required>
          {(p) => <input {...p} value={draft.title} maxLength={200} onInput={(e) => set('title', valueOf(e))} />}
        </Field>
        <Field id="activity-date" label={at.activityDate} error={errors.occurredOn} required>
          {(p) => <input {...p} type="date" value={draft.occurredOn} onInput={(e) => set('occurredOn', valueOf(e))} />}
        </Field>
        <Field id="activity-station" label={at.station} error={errors.stationId}>
          {(p) => (
            <select {...p} value={draft.stationId} onChange={(e) => set('stationId', valueOf(e))}>
              <option value="">{at.noStation}</option>
              {memberStations.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="activity-notes" label={at.notes} error={errors.notes}>
          {(p) => <textarea {...p} rows={3} maxLength={2000} value={draft.notes} onInput={(e) => set('notes', valueOf(e))} />}
        </Field>
        <SaveError error={save.error} />
        <div class="buttons">
          <button type="button" class="button" onClick={onClose}>
            {at.close}
          </button>
          <button type="submit" class="button primary" disabled={save.busy} data-testid="activity-save">
            {at.record}
          </button>
        </div>
      </form>
      <section class="sub-section" aria-labelledby="activity-list-title">
        <h4 id="activity-list-title">{at.activitiesOf(year)}</h4>
        <ProblemText error={listError} />
        {records && records.length === 0 && (
          <p class="hint" data-testid="no-activities">
            {at.noActivities}
          </p>
        )}
        <ul class="rows" data-testid="activity-list">
          {(records ?? []).map((a) => (
            <li key={a.id} class="row">
              <span class="row-main">
                {formatDay(a.occurredOn, currentLocale(), 'date')} · {at.activityKinds[a.kind]} · {a.title}
                {a.stationName && <span class="sub">{a.stationName}</span>}
              </span>
              <ConfirmButton label={at.remove} question={at.removeActivityQuestion} onConfirm={() => remove(a)} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  )
}

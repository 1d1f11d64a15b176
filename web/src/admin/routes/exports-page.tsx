import { useState } from 'preact/hooks'
import { addDays, beijingDay, monthBounds, type StationDetail, type CategoryView } from '@mashangjian/shared'
import { ADMIN_BASE } from '../../paths'
import { adminApi, type Paged } from '../admin-api'
import { at } from '../admin-text'
import { Field, valueOf } from '../components/field'
import { TokenLink } from '../components/token-link'
import { useRemote } from '../use-remote'
import { useScope } from '../use-scope'

/** The inbox's filters (schemas/cases.ts INBOX_FILTERS), listed here so this chunk does not pull in the schemas. */
const CASE_FILTERS = ['all', 'new', 'open', 'overdue', 'closed', 'queue'] as const

const today = () => beijingDay(Date.now())
const monthStart = () => monthBounds(today()).first
/** Quick periods: [from, to) as the export route takes them (days the case came in, China Standard Time). */
const PERIODS: Record<string, () => [string, string]> = {
  thisMonth: () => [monthStart(), addDays(today(), 1)],
  lastMonth: () => [monthBounds(addDays(monthStart(), -1)).first, monthStart()],
  thisYear: () => [`${today().slice(0, 4)}-01-01`, addDays(today(), 1)],
  all: () => ['', ''],
}

/**
 * Cases as CSV or Excel with the inbox's filters: which cases (all, open, overdue, closed…), a period, a station, a
 * category. Phones are masked in the file; every export is written to the audit log.
 */
export function ExportsPage() {
  const stations = useRemote(() => adminApi.get<Paged<StationDetail>>('/api/v1/stations?limit=200'), [])
  const categories = useRemote(() => adminApi.get<Paged<CategoryView>>('/api/v1/categories?limit=200'), [])
  const [initialFrom, initialTo] = PERIODS.thisMonth!()
  const [filter, setFilter] = useState<string>('all')
  const [from, setFrom] = useState(initialFrom)
  const [to, setTo] = useState(initialTo)
  const [stationId, setStationId] = useState('')
  const [categoryId, setCategoryId] = useState('')
  // The route takes [from, to): the form shows the last day included, as people count.
  const [lastDay, setLastDay] = useState(() => dayBefore(initialTo))
  const badRange = !!(from && lastDay && lastDay < from)
  const query = { filter, from, to, stationId, categoryId }
  // The department figures are the dashboard's: the admin's own scope (committee subtree or station), same period.
  const scope = useScope()
  const departmentQuery = scope ? { scope: scope.scope, id: scope.id, from, to } : null

  function period(key: string) {
    const [f, t] = PERIODS[key]!()
    setFrom(f)
    setTo(t)
    setLastDay(t ? dayBefore(t) : '')
  }
  return (
    <section class="admin-page" data-testid="exports-page" aria-labelledby="exports-title">
      <h2 id="exports-title">{at.exportsTitle}</h2>
      <p class="hint">{at.exportsHint}</p>
      <form class="inline-form" onSubmit={(e) => e.preventDefault()}>
        <Field id="export-filter" label={at.whichCases}>
          {(p) => (
            <select {...p} value={filter} onChange={(e) => setFilter(valueOf(e))}>
              {CASE_FILTERS.map((f) => (
                <option key={f} value={f}>
                  {at.caseFilters[f]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset class="field">
          <legend>{at.period}</legend>
          <div class="links" role="group" aria-label={at.quickPeriods}>
            {Object.keys(PERIODS).map((k) => (
              <button key={k} type="button" class="button small" onClick={() => period(k)}>
                {at.periods[k]}
              </button>
            ))}
          </div>
          <div class="pair">
            <Field id="export-from" label={at.fromDay}>
              {(p) => <input {...p} type="date" value={from} onInput={(e) => setFrom(valueOf(e))} />}
            </Field>
            <Field id="export-to" label={at.toDay} error={badRange ? at.badRange : undefined}>
              {(p) => (
                <input
                  {...p}
                  type="date"
                  value={lastDay}
                  onInput={(e) => {
                    const v = valueOf(e)
                    setLastDay(v)
                    setTo(v ? dayAfter(v) : '')
                  }}
                />
              )}
            </Field>
          </div>
        </fieldset>
        <Field id="export-station" label={at.station}>
          {(p) => (
            <select {...p} value={stationId} onChange={(e) => setStationId(valueOf(e))}>
              <option value="">{at.allStations}</option>
              {(stations.value?.items ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="export-category" label={at.category}>
          {(p) => (
            <select {...p} value={categoryId} onChange={(e) => setCategoryId(valueOf(e))}>
              <option value="">{at.allCategories}</option>
              {(categories.value?.items ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.names['zh-CN']}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div class="buttons" role="group" aria-label={at.exportCases}>
          {badRange ? (
            <p class="error" role="alert">
              {at.badRange}
            </p>
          ) : (
            <>
              <TokenLink path="/api/v1/exports/cases.csv" query={query} download testId="export-cases-csv">
                {at.downloadCsv}
              </TokenLink>
              <TokenLink path="/api/v1/exports/cases.xlsx" query={query} download class="button primary" testId="export-cases-xlsx">
                {at.downloadXlsx}
              </TokenLink>
            </>
          )}
        </div>
      </form>
      {departmentQuery && (
        <section aria-labelledby="dept-export-title">
          <h3 id="dept-export-title">{at.deptFigures.exportTitle}</h3>
          <p class="hint">{at.deptFigures.exportHint}</p>
          <div class="buttons" role="group" aria-labelledby="dept-export-title">
            {badRange ? (
              <p class="error">{at.badRange}</p>
            ) : (
              <>
                <TokenLink path="/api/v1/exports/departments.csv" query={departmentQuery} download testId="export-departments-csv">
                  {at.downloadCsv}
                </TokenLink>
                <TokenLink path="/api/v1/exports/departments.xlsx" query={departmentQuery} download testId="export-departments-xlsx">
                  {at.downloadXlsx}
                </TokenLink>
              </>
            )}
          </div>
        </section>
      )}
      <p class="hint">
        {at.ledgerExportPointer} <a href={`${ADMIN_BASE}ledger`}>{at.nav.ledger}</a>
      </p>
    </section>
  )
}

const dayBefore = (day: string) => addDays(day, -1)
const dayAfter = (day: string) => addDays(day, 1)

import { useState } from 'preact/hooks'
import { beijingYear, type DashboardSummary, type DepartmentFigures, type OverduePage, type RankingPage, type ReportPage } from '@mashangjian/shared'
import { v7 as uuidv7 } from 'uuid'
import { dateTime } from '../../i18n'
import { ADMIN_BASE } from '../../paths'
import { adminApi } from '../admin-api'
import { at } from '../admin-text'
import { ProblemText } from '../components/problem-text'
import { TrendChart } from '../components/trend-chart'
import { useRemote } from '../use-remote'
import { useScope, type Scope } from '../use-scope'

const pct = (r: number | null | undefined) => (r === null || r === undefined ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`)
const RATES = [
  ['responseRate', 'acceptedOnTime', 'assigned'],
  ['resolutionRate', 'resolvedOfDue', 'dueInPeriod'],
  ['satisfactionRate', 'satisfied', 'rated'],
] as const

/** 三率 with the comparison period, the monthly trend, rankings, category heat, the overdue list with 督办, reports. */
export function Dashboard() {
  const scope = useScope()
  const year = beijingYear(Date.now())
  const [compare, setCompare] = useState<'previous' | 'year'>('year')
  if (scope === undefined) return <p aria-busy="true">{at.loading}</p>
  if (scope === null) return <p class="empty">{at.noStations}</p>
  return <DashboardFor scope={scope} year={year} compare={compare} setCompare={setCompare} />
}

function DashboardFor({
  scope,
  year,
  compare,
  setCompare,
}: {
  scope: Scope
  year: number
  compare: 'previous' | 'year'
  setCompare: (c: 'previous' | 'year') => void
}) {
  const q = `scope=${scope.scope}&id=${scope.id}&from=${year}-01-01&to=${year + 1}-01-01`
  const summary = useRemote(() => adminApi.get<DashboardSummary>(`/api/v1/dashboard/summary?${q}&compare=${compare}`), [q, compare])
  const s = summary.value
  return (
    <section class="admin-page" data-testid="dashboard">
      {summary.error ? <ProblemText error={summary.error} /> : null}
      {!s ? (
        <p aria-busy="true" class="skeleton-block">
          {at.loading}
        </p>
      ) : (
        <>
          <h2>{at.dashboardTitle(s.scope.name, year)}</h2>
          <p class="hint">
            <label>
              {at.compare}{' '}
              <select
                class="inline-select"
                data-testid="compare"
                value={compare}
                onChange={(e) => setCompare((e.currentTarget as HTMLSelectElement).value as 'previous' | 'year')}
              >
                <option value="previous">{at.compareModes.previous}</option>
                <option value="year">{at.compareModes.year}</option>
              </select>
            </label>
            {s.asOf && <> · {at.asOf(dateTime(s.asOf))}</>}
          </p>
          <div class="tiles">
            {RATES.map(([rate, num, den]) => {
              const change = s.change[rate]
              return (
                <div class="tile" key={rate} data-testid={`tile-${rate}`}>
                  <div>{at[rate]}</div>
                  <div class="value" data-testid={`rate-${rate}`}>
                    {pct(s.current.rates[rate])}
                  </div>
                  <div class="hint">
                    {at.counts(s.current.counts[num], s.current.counts[den])} · {at.versus(pct(s.previous.rates[rate]))}
                  </div>
                  {change !== null && <div class={change >= 0 ? 'delta up' : 'delta down'}>{at.points(change * 100)}</div>}
                </div>
              )
            })}
          </div>
          <h3>{at.trendTitle}</h3>
          <TrendChart trend={s.trend} />
          <Heat categories={s.categories} />
        </>
      )}
      <Rankings q={q} />
      <Departments q={q} year={year} />
      <Overdue scope={scope} total={s?.overdue.total} />
      <Reports />
    </section>
  )
}

function Heat({ categories }: { categories: DashboardSummary['categories'] }) {
  const max = Math.max(1, ...categories.map((c) => c.cases))
  return (
    <>
      <h3>{at.heatTitle}</h3>
      <div class="heat">
        {categories.map((c) => (
          // Darker red for more cases; the number is always written, so colour is never the only cue.
          <span key={c.categoryId ?? 'none'} style={{ background: `rgba(142, 20, 20, ${0.45 + 0.55 * (c.cases / max)})` }}>
            {c.names?.['zh-CN'] ?? at.uncategorised} <strong>{c.cases}</strong>
          </span>
        ))}
      </div>
    </>
  )
}

function Rankings({ q }: { q: string }) {
  const [dimension, setDimension] = useState<'station' | 'sector' | 'member'>('station')
  const page = useRemote(() => adminApi.get<RankingPage>(`/api/v1/dashboard/rankings?${q}&dimension=${dimension}&limit=20`), [q, dimension])
  return (
    <>
      <h3>{at.rankingTitle}</h3>
      <div class="links" role="group" aria-label={at.rankingTitle}>
        {(['station', 'sector', 'member'] as const).map((d) => (
          <button key={d} type="button" class={d === dimension ? 'button primary' : 'button'} aria-pressed={d === dimension} onClick={() => setDimension(d)}>
            {at.dimensions[d]}
          </button>
        ))}
      </div>
      <ProblemText error={page.error} />
      <div class="table-wrap">
        {/* On a phone each row is a labelled card (grid stack), so names keep their width instead of one character a line. */}
        <table class="grid stack ranking" data-testid="ranking">
          <thead>
            <tr>
              <th scope="col">{at.rank}</th>
              <th scope="col">{at.name}</th>
              <th scope="col">{at.assigned}</th>
              <th scope="col">{at.resolved}</th>
              <th scope="col">{at.responseRate}</th>
              <th scope="col">{at.resolutionRate}</th>
              <th scope="col">{at.satisfactionRate}</th>
            </tr>
          </thead>
          <tbody>
            {(page.value?.items ?? []).map((r) => (
              <tr key={r.id ?? 'none'}>
                <td class="rank" data-label={at.rank}>
                  {r.rank}
                </td>
                <td class="name" data-label={at.name}>
                  {r.name ?? '—'}
                </td>
                <td data-label={at.assigned}>{r.counts.assigned}</td>
                <td data-label={at.resolved}>{r.counts.resolved}</td>
                <td data-label={at.responseRate}>{pct(r.rates.responseRate)}</td>
                <td data-label={at.resolutionRate}>{pct(r.rates.resolutionRate)}</td>
                <td data-label={at.satisfactionRate}>{pct(r.rates.satisfactionRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

/** 职能部门 ranked like 12345's 承办单位: hand-offs sent this year, 签收 and reply medians, 按时答复率, 退回率. */
function Departments({ q, year }: { q: string; year: number }) {
  const page = useRemote(() => adminApi.get<DepartmentFigures>(`/api/v1/dashboard/departments?${q}`), [q])
  const d = at.deptFigures
  const items = page.value?.items ?? []
  const minutes = (m: number | null) => (m === null ? '—' : d.duration(m))
  return (
    <section aria-labelledby="dept-figures-title">
      <h3 id="dept-figures-title">{d.title}</h3>
      <p class="hint">{d.hint}</p>
      <ProblemText error={page.error} />
      {page.value && items.length === 0 && (
        <p class="hint" data-testid="department-none">
          {d.none}
        </p>
      )}
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="grid stack ranking" data-testid="department-ranking">
            <caption class="visually-hidden">{d.caption(year)}</caption>
            <thead>
              <tr>
                <th scope="col">{at.rank}</th>
                <th scope="col">{d.name}</th>
                <th scope="col">{d.handoffs}</th>
                <th scope="col">{d.medianAck}</th>
                <th scope="col">{d.medianReply}</th>
                <th scope="col">{d.onTimeRate}</th>
                <th scope="col">{d.returnedShare}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.departmentId} data-testid="department-row">
                  <td class="rank" data-label={at.rank}>
                    {r.rank ?? (
                      <>
                        <span aria-hidden="true">—</span>
                        <span class="visually-hidden">{d.unranked}</span>
                      </>
                    )}
                  </td>
                  <td class="name" data-label={d.name}>
                    {r.name}
                  </td>
                  <td data-label={d.handoffs}>{r.counts.handoffs}</td>
                  <td data-label={d.medianAck}>{minutes(r.medianAckMinutes)}</td>
                  <td data-label={d.medianReply}>{minutes(r.medianReplyMinutes)}</td>
                  <td data-label={d.onTimeRate}>{pct(r.rates.onTimeRate)}</td>
                  <td data-label={d.returnedShare}>{pct(r.rates.returnedShare)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function Overdue({ scope, total }: { scope: Scope; total: number | undefined }) {
  const page = useRemote(() => adminApi.get<OverduePage>(`/api/v1/dashboard/overdue?scope=${scope.scope}&id=${scope.id}&limit=20`), [scope.id])
  const [chased, setChased] = useState<Record<string, true>>({})
  const [error, setError] = useState<unknown>(null)
  async function chase(caseId: string, version: number) {
    setError(null)
    try {
      // 督办: notifies the member and stays on the case's timeline (the case engine's `chase` action).
      await adminApi.post(`/api/v1/cases/${caseId}/actions`, { type: 'chase', opId: uuidv7(), baseVersion: version, body: at.chaseBody })
      setChased((c) => ({ ...c, [caseId]: true }))
    } catch (err) {
      setError(err)
    }
  }
  const items = page.value?.items ?? []
  return (
    <>
      <h3>{at.overdueTitle(total ?? items.length)}</h3>
      <ProblemText error={page.error ?? error} />
      {page.value && items.length === 0 && <p class="hint">{at.noOverdue}</p>}
      <ul class="cases" data-testid="overdue">
        {items.map((o) => (
          <li key={o.case.id} class="case-row">
            <span class="row-top">
              <span class="no">{o.case.publicNo}</span>
              <span class="deadline late">
                {at.overdueKinds[o.kind]} · {at.overdueBy(Math.round(o.overdueMinutes / 60))}
              </span>
            </span>
            <span class="desc">{o.case.description}</span>
            <span class="row-bottom">
              <span class="cat">{o.case.memberName ?? o.case.stationName ?? ''}</span>
              {chased[o.case.id] ? (
                <span class="badge pending" role="status">
                  {at.chased}
                </span>
              ) : (
                <button type="button" class="button" data-testid="chase" onClick={() => void chase(o.case.id, o.case.version)}>
                  {at.chase}
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
    </>
  )
}

function Reports() {
  const page = useRemote(() => adminApi.get<ReportPage>('/api/v1/opinion-reports?limit=10'), [])
  return (
    <>
      <h3>{at.reportsTitle}</h3>
      <p class="links">
        <a href={`${ADMIN_BASE}reports`}>{at.allReports}</a> <a href={`${ADMIN_BASE}exports`}>{at.exportCases}</a>
      </p>
      <ProblemText error={page.error} />
      {page.value && page.value.items.length === 0 && <p class="hint">{at.noReports}</p>}
      <ul>
        {(page.value?.items ?? []).map((r) => (
          <li key={r.id}>
            {r.title} · {at.reportStatuses[r.status]}
          </li>
        ))}
      </ul>
    </>
  )
}

import { useEffect, useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import type { CaseListPage, CaseSearchResult, CaseSummary, CategoryView, MemberView, StationDetail } from '@mashangjian/shared'
import { CASE_CHANNELS, CASE_STATUSES, INBOX_FILTERS } from '@mashangjian/shared'
import { ADMIN_BASE } from '../../paths'
import { adminApi, withQuery, type Paged } from '../admin-api'
import { dt } from '../desk-text'
import { categoryName, DESK_CHANGED, fullDateTime, nextDay } from '../desk-format'
import { ProblemText } from '../components/problem-text'
import { useRemote } from '../use-remote'

type Tab = (typeof INBOX_FILTERS)[number]
/** The queue first: it is the station admins' first screen (DESIGN.md §13). */
const TABS: readonly Tab[] = ['queue', 'new', 'open', 'overdue', 'closed', 'all']
const LIMIT = 20

interface Filters {
  status: string
  memberId: string
  stationId: string
  categoryId: string
  channel: string
  from: string
  to: string
}
const NO_FILTERS: Filters = { status: '', memberId: '', stationId: '', categoryId: '', channel: '', from: '', to: '' }

/**
 * 诉求办理: the station desk's workspace. Tabs by inbox filter with their counts (待派单 first, each queued case
 * saying why it waits), filters, keyset pages (下一页 follows nextCursor, 上一页 goes back through the cursors
 * kept on a stack), and finding a case by its number or by the resident's phone (audit-logged by the server).
 */
export function CasesList() {
  const { query, path, route } = useLocation()
  const tab: Tab = (TABS as readonly string[]).includes(query.tab ?? '') ? (query.tab as Tab) : 'queue'
  const [filters, setFilters] = useState<Filters>(NO_FILTERS)
  const [publicNo, setPublicNo] = useState('')
  // cursors[i] opens page i + 1; the last one is the page shown.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined])
  const [phoneResult, setPhoneResult] = useState<CaseSummary[] | null>(null)
  const cursor = cursors[cursors.length - 1]
  const key = JSON.stringify([tab, filters, publicNo, cursor])

  const list = useRemote(
    () =>
      adminApi.get<CaseListPage>(
        withQuery('/api/v1/me/cases', {
          filter: publicNo ? 'all' : tab,
          publicNo: publicNo || undefined,
          ...filters,
          to: filters.to ? nextDay(filters.to) : undefined,
          cursor,
          limit: LIMIT,
        }),
      ),
    [key],
  )
  // After a desk action elsewhere (or coming back to the tab), the list and its counts are read again.
  useEffect(() => {
    const again = () => list.reload()
    window.addEventListener(DESK_CHANGED, again)
    return () => window.removeEventListener(DESK_CHANGED, again)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload is the stable part of `list`; the rest changes on every load
  }, [list.reload])

  const setTab = (next: Tab) => {
    setCursors([undefined])
    setPublicNo('')
    setPhoneResult(null)
    route(`${path}?tab=${next}`, true)
  }
  const changeFilters = (next: Filters) => {
    setFilters(next)
    setCursors([undefined])
  }

  const page = list.value
  const items = phoneResult ?? page?.items ?? []
  const searching = phoneResult !== null || publicNo !== ''
  return (
    <section class="admin-page desk" data-testid="cases-page" aria-busy={list.loading}>
      <div class="page-head">
        <h2>{dt.title}</h2>
        <a class="button primary" href={`${ADMIN_BASE}cases/new`} data-testid="intake-open">
          {dt.intakeButton}
        </a>
      </div>

      <div class="desk-tabs" role="group" aria-label={dt.tabsLabel}>
        {TABS.map((k) => (
          <button
            key={k}
            type="button"
            class={k === tab && !searching ? 'tab active' : 'tab'}
            aria-pressed={k === tab && !searching}
            data-testid={`desk-tab-${k}`}
            onClick={() => setTab(k)}
          >
            {dt.tabs[k]}{' '}
            <span class="count" data-testid={`desk-count-${k}`}>
              {page?.counts[k] ?? '…'}
            </span>
          </button>
        ))}
      </div>

      <div class="desk-tools">
        <Search
          onNumber={(no) => {
            setPhoneResult(null)
            setPublicNo(no)
            setCursors([undefined])
          }}
          onPhone={(found) => {
            setPublicNo('')
            setPhoneResult(found)
          }}
        />
        {!searching && <FilterPanel filters={filters} onChange={changeFilters} />}
      </div>

      {tab === 'queue' && !searching && <p class="hint">{dt.queueHint}</p>}
      {searching && (
        <p class="search-state" role="status">
          {phoneResult ? dt.phoneResults(phoneResult.length) : dt.numberResults(publicNo)}{' '}
          <button
            type="button"
            class="link-button"
            data-testid="search-clear"
            onClick={() => {
              setPhoneResult(null)
              setPublicNo('')
              setCursors([undefined])
            }}
          >
            {dt.clearSearch}
          </button>
        </p>
      )}
      <ProblemText error={list.error} />
      {!list.loading && items.length === 0 && (
        <p class="empty" data-testid="desk-empty">
          {searching ? dt.empty.all : dt.empty[tab]}
        </p>
      )}
      <ul class="cases" data-testid="desk-list">
        {items.map((c) => (
          <CaseLine key={c.id} c={c} />
        ))}
      </ul>

      {!phoneResult && (cursors.length > 1 || page?.nextCursor) && (
        <nav class="pager" aria-label={dt.pages}>
          <button type="button" class="button" disabled={cursors.length <= 1} data-testid="desk-prev" onClick={() => setCursors(cursors.slice(0, -1))}>
            {dt.previous}
          </button>
          <span>{dt.pageNo(cursors.length)}</span>
          <button
            type="button"
            class="button"
            disabled={!page?.nextCursor}
            data-testid="desk-next"
            onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}
          >
            {dt.next}
          </button>
        </nav>
      )}
    </section>
  )
}

/** One case in the desk's list: number, status, why it waits (queue), what, where, who, and its deadline. */
export function CaseLine({ c }: { c: CaseSummary }) {
  const category = categoryName(c.categoryNames)
  const due = c.status === 'assigned' ? c.acceptDueAt : c.resolveDueAt
  return (
    <li>
      <a class="case-row desk-row" href={`${ADMIN_BASE}cases/${c.id}`} data-testid="desk-row" data-case-id={c.id} data-public-no={c.publicNo}>
        <span class="row-top">
          <span class={`status s-${c.status}`}>{dt.statuses[c.status]}</span>
          <span class="no">{c.publicNo}</span>
          {c.overdue && <span class="deadline late">{dt.overdue}</span>}
          {c.awaitingDepartment && (
            <span class="badge awaiting" data-testid="desk-row-awaiting">
              {dt.awaitingDepartment}
            </span>
          )}
        </span>
        {c.queueReason && (
          <span class="queue-reason" data-testid="queue-reason" data-reason={c.queueReason}>
            {dt.queueReasons[c.queueReason]}
            {c.queueNote ? `：${c.queueNote}` : ''}
          </span>
        )}
        <span class="desc">{c.description}</span>
        <span class="row-bottom">
          <span class="cat">{[category, c.stationName, c.memberName ?? dt.unassigned, dt.channels[c.channel]].filter(Boolean).join(' · ')}</span>
          {due && ['assigned', 'accepted', 'in_progress', 'reopened'].includes(c.status) && (
            <span class="cat">
              {c.status === 'assigned' ? dt.acceptDue : dt.resolveDue} {fullDateTime(due)}
            </span>
          )}
        </span>
      </a>
    </li>
  )
}

function Search({ onNumber, onPhone }: { onNumber: (no: string) => void; onPhone: (items: CaseSummary[]) => void }) {
  const [no, setNo] = useState('')
  const [phone, setPhone] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  async function byPhone(e: Event) {
    e.preventDefault()
    if (phone.trim().length < 5 || busy) return
    setBusy(true)
    setError(null)
    try {
      onPhone((await adminApi.post<CaseSearchResult>('/api/v1/cases/search', { phone: phone.trim() })).items)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <details class="desk-search">
      <summary>{dt.searchTitle}</summary>
      <form
        class="row-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (no.trim()) onNumber(no.trim().toUpperCase())
        }}
      >
        <div class="field">
          <label for="desk-no">{dt.byNumber}</label>
          <input
            id="desk-no"
            value={no}
            maxLength={32}
            placeholder={dt.byNumberHint}
            autoComplete="off"
            onInput={(e) => setNo((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <button type="submit" class="button" data-testid="search-number">
          {dt.find}
        </button>
      </form>
      <form class="row-form" onSubmit={byPhone}>
        <div class="field">
          <label for="desk-phone">{dt.byPhone}</label>
          <input
            id="desk-phone"
            type="tel"
            inputMode="tel"
            value={phone}
            maxLength={32}
            autoComplete="off"
            aria-describedby="desk-phone-hint"
            onInput={(e) => setPhone((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <button type="submit" class="button" disabled={busy} data-testid="search-phone">
          {dt.find}
        </button>
        <p class="hint" id="desk-phone-hint">
          {dt.byPhoneHint}
        </p>
      </form>
      <ProblemText error={error} />
    </details>
  )
}

function FilterPanel({ filters, onChange }: { filters: Filters; onChange: (f: Filters) => void }) {
  const stations = useRemote(() => adminApi.get<Paged<StationDetail>>('/api/v1/stations?limit=200'), [])
  const categories = useRemote(() => adminApi.get<Paged<CategoryView>>('/api/v1/categories?limit=200'), [])
  const members = useRemote(
    () => adminApi.get<Paged<MemberView>>(withQuery('/api/v1/members', { stationId: filters.stationId, limit: 200 })),
    [filters.stationId],
  )
  const set = (k: keyof Filters) => (e: Event) => onChange({ ...filters, [k]: (e.currentTarget as HTMLInputElement).value })
  const active = Object.values(filters).filter(Boolean).length
  return (
    <details class="desk-filters" open={active > 0}>
      <summary data-testid="filters-toggle">{active ? dt.filtersActive(active) : dt.filters}</summary>
      <div class="filters">
        <div class="field">
          <label for="f-status">{dt.status}</label>
          <select id="f-status" value={filters.status} onChange={set('status')}>
            <option value="">{dt.anyStatus}</option>
            {CASE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {dt.statuses[s]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-station">{dt.station}</label>
          <select
            id="f-station"
            value={filters.stationId}
            onChange={(e) => onChange({ ...filters, stationId: (e.currentTarget as HTMLSelectElement).value, memberId: '' })}
          >
            <option value="">{dt.anyStation}</option>
            {(stations.value?.items ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-member">{dt.member}</label>
          <select id="f-member" value={filters.memberId} onChange={set('memberId')}>
            <option value="">{dt.anyMember}</option>
            {(members.value?.items ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-category">{dt.category}</label>
          <select id="f-category" value={filters.categoryId} onChange={set('categoryId')}>
            <option value="">{dt.anyCategory}</option>
            {(categories.value?.items ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {categoryName(c.names)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-channel">{dt.channel}</label>
          <select id="f-channel" value={filters.channel} onChange={set('channel')}>
            <option value="">{dt.anyChannel}</option>
            {CASE_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {dt.channels[c]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-from">{dt.fromDay}</label>
          <input id="f-from" type="date" value={filters.from} max={filters.to || undefined} onChange={set('from')} />
        </div>
        <div class="field">
          <label for="f-to">{dt.toDay}</label>
          <input id="f-to" type="date" value={filters.to} min={filters.from || undefined} onChange={set('to')} />
        </div>
      </div>
      {active > 0 && (
        <button type="button" class="button" data-testid="filters-clear" onClick={() => onChange(NO_FILTERS)}>
          {dt.clearFilters}
        </button>
      )}
    </details>
  )
}

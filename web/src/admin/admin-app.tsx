import { useEffect, useRef, useState } from 'preact/hooks'
import { Route, Router, lazy, useLocation } from 'preact-iso'
import type { CaseListPage } from '@mashangjian/shared'
import { data } from '../data'
import { useStatus } from '../use-data'
import { currentLocale } from '../i18n'
import { at } from './admin-text'
import { ADMIN_BASE, BASE, trimSlash } from '../paths'
import { isCommitteeAdmin } from './use-scope'
import { adminApi } from './admin-api'
import { dt } from './desk-text'
import { DESK_CHANGED } from './desk-format'
import './admin.css'

// Each admin page is its own chunk: none of it is in the member app's first load.
const Dashboard = lazy(() => import('./routes/dashboard').then((m) => m.Dashboard))
const MembersPage = lazy(() => import('./routes/members-page').then((m) => m.MembersPage))
const StationsPage = lazy(() => import('./routes/stations-page').then((m) => m.StationsPage))
const ReceptionPage = lazy(() => import('./routes/reception-page').then((m) => m.ReceptionPage))
const DepartmentsPage = lazy(() => import('./routes/departments-page').then((m) => m.DepartmentsPage))
const OrgPage = lazy(() => import('./routes/org-page').then((m) => m.OrgPage))
const SettingsPage = lazy(() => import('./routes/settings-page').then((m) => m.SettingsPage))
const UsersPage = lazy(() => import('./routes/users-page').then((m) => m.UsersPage))
const LedgerPage = lazy(() => import('./routes/ledger-page').then((m) => m.LedgerPage))
const ReportsPage = lazy(() => import('./routes/reports-page').then((m) => m.ReportsPage))
const ExportsPage = lazy(() => import('./routes/exports-page').then((m) => m.ExportsPage))
const ImportPage = lazy(() => import('./routes/import-page').then((m) => m.ImportPage))
const PlacardsPage = lazy(() => import('./routes/placards-page').then((m) => m.PlacardsPage))
const CommitteesPage = lazy(() => import('./routes/committees-page').then((m) => m.CommitteesPage))
const CasesList = lazy(() => import('./routes/cases-list').then((m) => m.CasesList))
const CasesDetail = lazy(() => import('./routes/cases-detail').then((m) => m.CasesDetail))
const NotificationsPage = lazy(() => import('./routes/notifications-page').then((m) => m.NotificationsPage))
const CasesIntake = lazy(() => import('./routes/cases-intake').then((m) => m.CasesIntake))
const ActivityReviewPage = lazy(() => import('./routes/activity-review-page').then((m) => m.ActivityReviewPage))
// issue 16: open311
const Open311Page = lazy(() => import('./routes/open311-page').then((m) => m.Open311Page))
// issue 19: personal-data requests (PIPL)
const PrivacyPage = lazy(() => import('./routes/privacy-page').then((m) => m.PrivacyPage))

/** The console's pages: [text key, path under /app/admin/, only for committee admins]. */
const PAGES = [
  ['cases', 'cases', false],
  ['dashboard', '', false],
  ['members', 'members', false],
  ['stations', 'stations', false],
  ['departments', 'departments', false],
  ['ledger', 'ledger', false],
  ['activities', 'activities', false],
  ['reports', 'reports', false],
  ['exports', 'exports', false],
  ['committees', 'committees', true],
  ['org', 'org', true],
  ['settings', 'settings', true],
  ['notifications', 'notifications', false],
  ['users', 'users', true],
  ['import', 'import', false],
  ['placards', 'placards', false],
  ['open311', 'open311', true],
  ['privacy', 'privacy', true],
] as const

/** The admin console: station and committee admins land here (DESIGN.md §9). */
export function AdminApp() {
  const { path } = useLocation()
  const { user } = useStatus()
  // Station admins do not see the committee-wide pages (the API would refuse them anyway).
  const pages = PAGES.filter(([, , committeeOnly]) => !committeeOnly || isCommitteeAdmin(user?.role))
  const queue = useQueueCount(path)
  // The current page's link is scrolled into the one-row navigation on a phone.
  const nav = useRef<HTMLElement>(null)
  useEffect(() => {
    nav.current?.querySelector<HTMLElement>('[aria-current=page]')?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' })
  }, [path])
  const current = (sub: string) =>
    sub === 'cases' ? path === trimSlash(ADMIN_BASE + sub) || path.startsWith(`${ADMIN_BASE}cases/`) : path === trimSlash(ADMIN_BASE + sub)
  return (
    // The console speaks Chinese (or English): a member's Uyghur or Kazakh choice must not turn it right to left.
    <div class="admin" lang={currentLocale() === 'en' ? 'en' : 'zh-CN'} dir="ltr">
      <header class="top">
        <h1>{at.title}</h1>
        <button type="button" class="sync-chip" onClick={() => void data.signOut()}>
          {at.nav.signOut}
        </button>
      </header>
      <nav class="admin-nav" aria-label={at.title} ref={nav}>
        {pages.map(([key, sub]) => (
          <a key={key} href={ADMIN_BASE + sub} aria-current={current(sub) ? 'page' : undefined} data-testid={`nav-${key}`}>
            {key === 'cases' ? dt.title : at.nav[key]}
            {key === 'cases' && queue !== null && queue > 0 && (
              <span class="nav-badge" data-testid="queue-badge" data-count={queue}>
                <span aria-hidden="true">{queue}</span>
                <span class="visually-hidden">{dt.queueBadge(queue)}</span>
              </span>
            )}
          </a>
        ))}
        <a href={`${BASE}?tab=new`}>{at.nav.inbox}</a>
      </nav>
      <main class="admin-main">
        <Router>
          <Route path={ADMIN_BASE} component={Dashboard} />
          <Route path={`${ADMIN_BASE}cases`} component={CasesList} />
          <Route path={`${ADMIN_BASE}cases/new`} component={CasesIntake} />
          <Route path={`${ADMIN_BASE}cases/:id`} component={CasesDetail} />
          <Route path={`${ADMIN_BASE}members`} component={MembersPage} />
          <Route path={`${ADMIN_BASE}stations`} component={StationsPage} />
          <Route path={`${ADMIN_BASE}stations/:id/reception`} component={ReceptionPage} />
          <Route path={`${ADMIN_BASE}departments`} component={DepartmentsPage} />
          <Route path={`${ADMIN_BASE}ledger`} component={LedgerPage} />
          <Route path={`${ADMIN_BASE}activities`} component={ActivityReviewPage} />
          <Route path={`${ADMIN_BASE}reports`} component={ReportsPage} />
          <Route path={`${ADMIN_BASE}exports`} component={ExportsPage} />
          <Route path={`${ADMIN_BASE}committees`} component={CommitteesPage} />
          <Route path={`${ADMIN_BASE}org`} component={OrgPage} />
          <Route path={`${ADMIN_BASE}settings`} component={SettingsPage} />
          <Route path={`${ADMIN_BASE}notifications`} component={NotificationsPage} />
          <Route path={`${ADMIN_BASE}users`} component={UsersPage} />
          <Route path={`${ADMIN_BASE}import`} component={ImportPage} />
          <Route path={`${ADMIN_BASE}placards`} component={PlacardsPage} />
          <Route path={`${ADMIN_BASE}open311`} component={Open311Page} />
          <Route path={`${ADMIN_BASE}privacy`} component={PrivacyPage} />
        </Router>
      </main>
    </div>
  )
}

/** 待派单 for the navigation's badge: read on every navigation, after a desk action, and every minute. */
function useQueueCount(path: string): number | null {
  const [count, setCount] = useState<number | null>(null)
  useEffect(() => {
    let live = true
    const read = () => {
      adminApi.get<CaseListPage>('/api/v1/me/cases?filter=queue&limit=1').then(
        (p) => {
          if (live) setCount(p.counts.queue ?? 0)
        },
        () => undefined,
      )
    }
    read()
    const timer = setInterval(read, 60_000)
    window.addEventListener(DESK_CHANGED, read)
    return () => {
      live = false
      clearInterval(timer)
      window.removeEventListener(DESK_CHANGED, read)
    }
  }, [path])
  return count
}

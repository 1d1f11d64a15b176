import { Route, Router, lazy, useLocation } from 'preact-iso'
import { data } from '../data'
import { useStatus } from '../use-data'
import { at } from './admin-text'
import { ADMIN_BASE, BASE, trimSlash } from '../paths'
import { isCommitteeAdmin } from './use-scope'
import './admin.css'

// Each admin page is its own chunk: none of it is in the member app's first load.
const Dashboard = lazy(() => import('./routes/dashboard').then((m) => m.Dashboard))
const MembersPage = lazy(() => import('./routes/members-page').then((m) => m.MembersPage))
const StationsPage = lazy(() => import('./routes/stations-page').then((m) => m.StationsPage))
const OrgPage = lazy(() => import('./routes/org-page').then((m) => m.OrgPage))
const SettingsPage = lazy(() => import('./routes/settings-page').then((m) => m.SettingsPage))
const UsersPage = lazy(() => import('./routes/users-page').then((m) => m.UsersPage))
const LedgerPage = lazy(() => import('./routes/ledger-page').then((m) => m.LedgerPage))
const ReportsPage = lazy(() => import('./routes/reports-page').then((m) => m.ReportsPage))
const ExportsPage = lazy(() => import('./routes/exports-page').then((m) => m.ExportsPage))
const ImportPage = lazy(() => import('./routes/import-page').then((m) => m.ImportPage))
const PlacardsPage = lazy(() => import('./routes/placards-page').then((m) => m.PlacardsPage))
const CommitteesPage = lazy(() => import('./routes/committees-page').then((m) => m.CommitteesPage))

/** The console's pages: [text key, path under /app/admin/, only for committee admins]. */
const PAGES = [
  ['dashboard', '', false],
  ['members', 'members', false],
  ['stations', 'stations', false],
  ['ledger', 'ledger', false],
  ['reports', 'reports', false],
  ['exports', 'exports', false],
  ['committees', 'committees', true],
  ['org', 'org', true],
  ['settings', 'settings', true],
  ['users', 'users', true],
  ['import', 'import', false],
  ['placards', 'placards', false],
] as const

/** The admin console: station and committee admins land here (DESIGN.md §9). */
export function AdminApp() {
  const { path } = useLocation()
  const { user } = useStatus()
  // Station admins do not see the committee-wide pages (the API would refuse them anyway).
  const pages = PAGES.filter(([, , committeeOnly]) => !committeeOnly || isCommitteeAdmin(user?.role))
  return (
    <div class="admin">
      <header class="top">
        <h1>{at.title}</h1>
        <button type="button" class="sync-chip" onClick={() => void data.signOut()}>{at.nav.signOut}</button>
      </header>
      <nav class="admin-nav" aria-label={at.title}>
        {pages.map(([key, sub]) => (
          <a key={key} href={ADMIN_BASE + sub} aria-current={path === trimSlash(ADMIN_BASE + sub) ? 'page' : undefined}>{at.nav[key]}</a>
        ))}
        <a href={`${BASE}?tab=new`}>{at.nav.inbox}</a>
      </nav>
      <main class="admin-main">
        <Router>
          <Route path={ADMIN_BASE} component={Dashboard} />
          <Route path={`${ADMIN_BASE}members`} component={MembersPage} />
          <Route path={`${ADMIN_BASE}stations`} component={StationsPage} />
          <Route path={`${ADMIN_BASE}ledger`} component={LedgerPage} />
          <Route path={`${ADMIN_BASE}reports`} component={ReportsPage} />
          <Route path={`${ADMIN_BASE}exports`} component={ExportsPage} />
          <Route path={`${ADMIN_BASE}committees`} component={CommitteesPage} />
          <Route path={`${ADMIN_BASE}org`} component={OrgPage} />
          <Route path={`${ADMIN_BASE}settings`} component={SettingsPage} />
          <Route path={`${ADMIN_BASE}users`} component={UsersPage} />
          <Route path={`${ADMIN_BASE}import`} component={ImportPage} />
          <Route path={`${ADMIN_BASE}placards`} component={PlacardsPage} />
        </Router>
      </main>
    </div>
  )
}

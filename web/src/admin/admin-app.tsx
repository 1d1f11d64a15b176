import { Route, Router, lazy, useLocation } from 'preact-iso'
import { data } from '../data'
import { at } from './admin-text'
import { ADMIN_BASE, BASE, trimSlash } from '../paths'

// Each admin page is its own chunk: none of it is in the member app's first load.
const Dashboard = lazy(() => import('./routes/dashboard').then((m) => m.Dashboard))
const ImportPage = lazy(() => import('./routes/import-page').then((m) => m.ImportPage))
const PlacardsPage = lazy(() => import('./routes/placards-page').then((m) => m.PlacardsPage))

const PAGES = [
  ['dashboard', ''],
  ['import', 'import'],
  ['placards', 'placards'],
] as const

/** The admin console: station and committee admins land here (DESIGN.md §9). */
export function AdminApp() {
  const { path } = useLocation()
  return (
    <div class="admin">
      <header class="top">
        <h1>{at.title}</h1>
        <button type="button" class="sync-chip" onClick={() => void data.signOut()}>{at.nav.signOut}</button>
      </header>
      <nav class="admin-nav" aria-label={at.title}>
        {PAGES.map(([key, sub]) => (
          <a key={key} href={ADMIN_BASE + sub} aria-current={path === trimSlash(ADMIN_BASE + sub) ? 'page' : undefined}>{at.nav[key]}</a>
        ))}
        <a href={`${BASE}?tab=new`}>{at.nav.inbox}</a>
      </nav>
      <main class="admin-main">
        <Router>
          <Route path={ADMIN_BASE} component={Dashboard} />
          <Route path={`${ADMIN_BASE}import`} component={ImportPage} />
          <Route path={`${ADMIN_BASE}placards`} component={PlacardsPage} />
        </Router>
      </main>
    </div>
  )
}

import { useEffect } from 'preact/hooks'
import { ErrorBoundary, LocationProvider, Route, Router, lazy, useLocation } from 'preact-iso'
import { Shell } from './components/shell'
import { Inbox } from './routes/inbox'
import { Login } from './routes/login'
import { t } from './i18n'
import { useStatus } from './use-data'
import { ADMIN_BASE, BASE, trimSlash } from './paths'

// The inbox (and login) are in the first bundle; the rest loads when first opened and is then precached.
const CasePage = lazy(() => import('./routes/case-page').then((m) => m.CasePage))
const Profile = lazy(() => import('./routes/profile').then((m) => m.Profile))
const Activities = lazy(() => import('./routes/activities').then((m) => m.Activities))
const Contacts = lazy(() => import('./routes/contacts').then((m) => m.Contacts))
const NotFound = lazy(() => import('./routes/not-found').then((m) => m.NotFound))
const AdminApp = lazy(() => import('./admin/admin-app').then((m) => m.AdminApp))

function Root({ isAdmin, landing }: { isAdmin: boolean; landing: string }) {
  const { path, query, route } = useLocation()
  // preact-iso's `path` has no trailing slash: /app/ is '/app', /app/admin/ is '/app/admin'.
  const inAdmin = path === trimSlash(ADMIN_BASE) || path.startsWith(ADMIN_BASE)
  // Admins land on the console (station admins on the desk's queue, DESIGN.md §13); the inbox stays one link away (/app/?tab=…).
  useEffect(() => {
    if (isAdmin && path === trimSlash(BASE) && !query.tab) route(landing, true)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a change of page may redirect; `route` and `query` are new objects on every render
  }, [isAdmin, path])
  if (inAdmin) return isAdmin ? <AdminApp /> : <NotFound />
  return (
    <Shell>
      <Router>
        <Route path={BASE} component={Inbox} />
        <Route path={`${BASE}cases/:id`} component={CasePage} />
        <Route path={`${BASE}me`} component={Profile} />
        <Route path={`${BASE}activities`} component={Activities} />
        <Route path={`${BASE}contacts`} component={Contacts} />
        <Route default component={NotFound} />
      </Router>
    </Shell>
  )
}

export function App() {
  const status = useStatus()
  if (!status.ready)
    return (
      <div class="splash" role="status">
        {t.loading}
      </div>
    )
  if (!status.signedIn) return <Login />
  return (
    <LocationProvider scope={BASE}>
      <ErrorBoundary>
        <Root isAdmin={status.user?.role !== 'member'} landing={status.user?.role === 'station_admin' ? `${ADMIN_BASE}cases` : ADMIN_BASE} />
      </ErrorBoundary>
    </LocationProvider>
  )
}

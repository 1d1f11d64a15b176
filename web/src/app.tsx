import { ErrorBoundary, LocationProvider, Route, Router, lazy } from 'preact-iso'
import { Shell } from './components/shell'
import { Inbox } from './routes/inbox'
import { Login } from './routes/login'
import { t } from './i18n'
import { useStatus } from './use-data'

// The inbox (and login) are in the first bundle; the rest loads when first opened and is then precached.
const CasePage = lazy(() => import('./routes/case-page').then((m) => m.CasePage))
const Profile = lazy(() => import('./routes/profile').then((m) => m.Profile))
const NotFound = lazy(() => import('./routes/not-found').then((m) => m.NotFound))

export const BASE = import.meta.env.BASE_URL

export function App() {
  const status = useStatus()
  if (!status.ready) return <div class="splash" role="status">{t.loading}</div>
  if (!status.signedIn) return <Login />
  return (
    <LocationProvider scope={BASE}>
      <Shell>
        <ErrorBoundary>
          <Router>
            <Route path={BASE} component={Inbox} />
            <Route path={`${BASE}cases/:id`} component={CasePage} />
            <Route path={`${BASE}me`} component={Profile} />
            <Route default component={NotFound} />
          </Router>
        </ErrorBoundary>
      </Shell>
    </LocationProvider>
  )
}

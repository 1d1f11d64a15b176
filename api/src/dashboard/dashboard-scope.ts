import type { Actor } from '../auth/actor'
import { committeeInScope } from '../auth/scope'
import { AppError, notFound } from '../errors/app-error'
import type { MetricsRepo } from '../metrics/metrics-repo'
import type { DashboardScope } from './dashboard-repo'

/**
 * Who may read a dashboard (its figures, rankings, department figures): committee dashboards are for committee
 * admins (their subtree), station dashboards also for that station's admins. A station admin asking for a
 * committee is 403 (the wrong kind for the role); an existing scope that is not the caller's is 404 like a
 * missing one (DESIGN.md §2). Answers the scope's name.
 */
export async function dashboardScopeName(metrics: Pick<MetricsRepo, 'findScope'>, actor: Actor, scope: DashboardScope): Promise<string> {
  if (scope.kind === 'committee' && actor.role === 'station_admin') throw new AppError('FORBIDDEN', 'Station admins read their stations’ dashboards.')
  const found = await metrics.findScope(scope)
  const visible =
    found !== undefined &&
    (actor.role === 'station_admin'
      ? committeeInScope(actor, found.committeePath) && found.stationIds.some((id) => actor.stationIds.includes(id))
      : committeeInScope(actor, found.committeePath))
  if (!visible) throw notFound(scope.kind)
  return found.name
}

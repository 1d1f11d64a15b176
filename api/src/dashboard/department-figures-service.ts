import type { DepartmentFigure, DepartmentFigures, DepartmentFiguresQuery } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import type { Clock } from '../clock'
import { departmentFigures, departmentRates, rankDepartments, type HandoffClocks } from '../metrics/department-rates'
import type { MetricsRepo } from '../metrics/metrics-repo'
import { resolvePeriod } from '../metrics/metrics-service'
import type { DashboardScope } from './dashboard-repo'
import { dashboardScopeName } from './dashboard-scope'
import type { DepartmentFiguresRepo } from './department-figures-repo'

/**
 * The dashboard's department figures (issue 14): hand-offs per 职能部门 in the caller's dashboard scope and
 * period, with 签收 / reply medians, 按时答复率, 退回率 and the ranking of department-rates.ts. The same
 * scope rules as the rest of the dashboard (dashboard-scope.ts); exports read the same figures.
 */
export function createDepartmentFiguresService({ repo, metrics, clock }: { repo: DepartmentFiguresRepo; metrics: MetricsRepo; clock: Clock }) {
  return {
    async figures(actor: Actor, query: DepartmentFiguresQuery): Promise<DepartmentFigures> {
      const scope: DashboardScope = { kind: query.scope, id: query.id }
      const name = await dashboardScopeName(metrics, actor, scope)
      const now = clock.now()
      const period = resolvePeriod(query, now)
      const handoffs = await repo.handoffs(scope, period)
      const byDepartment = new Map<string, HandoffClocks[]>()
      for (const h of handoffs) {
        const list = byDepartment.get(h.departmentId)
        if (list) list.push(h)
        else byDepartment.set(h.departmentId, [h])
      }
      // Listed by id before ranking: departments alike in every figure and name keep one order between calls.
      const departments = await repo.departments(scope, [...byDepartment.keys()])
      const ranked = rankDepartments(departments.map((d) => ({ ...d, ...departmentFigures(byDepartment.get(d.id) ?? [], now) })))
      const items: DepartmentFigure[] = ranked.map((r) => ({
        rank: r.rank,
        departmentId: r.id,
        name: r.name,
        kind: r.kind,
        active: r.active,
        counts: r.counts,
        rates: { onTimeRate: r.onTimeRate, returnedShare: r.returnedShare, answerRate: r.answerRate },
        medianAckMinutes: r.medianAckMinutes,
        medianReplyMinutes: r.medianReplyMinutes,
      }))
      const all = departmentFigures(handoffs, now)
      return {
        scope: { kind: scope.kind, id: scope.id, name },
        from: period.from,
        to: period.to,
        generatedAt: now.toISOString(),
        totals: { counts: all.counts, rates: departmentRates(all.counts), medianAckMinutes: all.medianAckMinutes, medianReplyMinutes: all.medianReplyMinutes },
        items,
      }
    },
  }
}
export type DepartmentFiguresService = ReturnType<typeof createDepartmentFiguresService>

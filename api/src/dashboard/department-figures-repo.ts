import { sql } from 'drizzle-orm'
import type { DepartmentKind } from '@mashangjian/shared'
import { beijingInstant } from '@mashangjian/shared'
import { committeeSubtreeIds } from '../auth/scope'
import { queryRows, type DbOrTx } from '../db/database'
import type { HandoffClocks } from '../metrics/department-rates'
import type { DayPeriod } from '../metrics/metrics-repo'
import type { DashboardScope } from './dashboard-repo'

export type HandoffClockRow = HandoffClocks & { departmentId: string }
export interface DepartmentEntry {
  id: string
  name: string
  kind: DepartmentKind
  active: boolean
}

const dayStart = (day: string) => sql`${beijingInstant(day).toISOString()}::timestamptz`
const uuids = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`
const asDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v))

/**
 * Reads for the department figures. Hand-offs are few beside cases (a case is handed off now and then), so the
 * figures are counted from the hand-off rows of the period just now rather than pre-aggregated: they stay live
 * (an open hand-off turns overdue the minute its deadline passes) and read one index range,
 * handoff_committee_sent_idx, per committee of the scope.
 */
export function createDepartmentFiguresRepo(db: DbOrTx) {
  return {
    /**
     * The clocks of every hand-off sent in [from, to) (Beijing days) for a case of the scope: a committee's subtree
     * (handoff.committee_id is the case's committee), or a station's cases as they are now (like the station
     * rankings, a case transferred to another station counts there).
     */
    async handoffs(scope: DashboardScope, period: DayPeriod): Promise<HandoffClockRow[]> {
      const inPeriod = sql`h.sent_at >= ${dayStart(period.from)} and h.sent_at < ${dayStart(period.to)}`
      const where =
        scope.kind === 'committee'
          ? sql`h.committee_id in ${committeeSubtreeIds(scope.id)} and ${inPeriod}`
          : sql`h.committee_id = (select s.committee_id from station s where s.id = ${scope.id}) and ${inPeriod}
            and exists (select 1 from cases c where c.id = h.case_id and c.station_id = ${scope.id})`
      const rows = await queryRows<Record<keyof HandoffClockRow, string | Date | null>>(
        db,
        sql`
        select h.department_id as "departmentId", h.status, h.sent_at as "sentAt", h.due_at as "dueAt", h.acknowledged_at as "acknowledgedAt",
          h.answered_at as "answeredAt", h.returned_at as "returnedAt", h.closed_at as "closedAt"
        from handoff h where ${where}`,
      )
      return rows.map((r) => ({
        departmentId: r.departmentId as string,
        status: r.status as HandoffClocks['status'],
        sentAt: asDate(r.sentAt)!,
        dueAt: asDate(r.dueAt)!,
        acknowledgedAt: asDate(r.acknowledgedAt),
        answeredAt: asDate(r.answeredAt),
        returnedAt: asDate(r.returnedAt),
        closedAt: asDate(r.closedAt),
      }))
    },

    /**
     * The departments to list: those hand-offs went to, and for a committee every active department of its
     * subtree too (a department nobody handed anything to is a figure of its own).
     */
    async departments(scope: DashboardScope, withHandoffs: string[]): Promise<DepartmentEntry[]> {
      const own = scope.kind === 'committee' ? sql`(d.active and d.committee_id in ${committeeSubtreeIds(scope.id)})` : sql`false`
      return queryRows<DepartmentEntry>(
        db,
        sql`
        select d.id, d.name, d.kind, d.active from department d where ${own} or d.id = any(${uuids(withHandoffs)}) order by d.id`,
      )
    },

    /** Hand-offs per case (every status), for the case export's 交办数 column. */
    async countsByCase(caseIds: string[]): Promise<Map<string, number>> {
      if (caseIds.length === 0) return new Map()
      const rows = await queryRows<{ caseId: string; n: number }>(
        db,
        sql`
        select h.case_id as "caseId", count(*)::int as n from handoff h where h.case_id = any(${uuids(caseIds)}) group by h.case_id`,
      )
      return new Map(rows.map((r) => [r.caseId, r.n]))
    },
  }
}
export type DepartmentFiguresRepo = ReturnType<typeof createDepartmentFiguresRepo>

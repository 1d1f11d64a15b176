import { sql, type SQL } from 'drizzle-orm'
import { queryRows, type DbOrTx } from '../db/database'
import type { Candidate } from './route-case'

/** Statuses in which a case weighs on its member's load. */
export const OPEN_STATUSES = ['assigned', 'accepted', 'in_progress', 'reopened'] as const

/**
 * Whether the duty_shift row aliased `d` covers `now`: the roster is kept in Beijing days and wall-clock hours.
 * Shared by routing and the desk's list of destinations, so both agree on who is on duty.
 */
export function shiftCoversNow(now: Date): SQL {
  return sql`d.day = (${now.toISOString()}::timestamptz at time zone 'Asia/Shanghai')::date
         and (${now.toISOString()}::timestamptz at time zone 'Asia/Shanghai')::time between d.starts_at and d.ends_at`
}

/**
 * Members of a station with their open load, last assignment and whether they are on duty now (Beijing time),
 * in one query. Read inside the submission transaction so concurrent submissions see each other's assignments.
 */
export async function loadCandidates(db: DbOrTx, stationId: string, now: Date): Promise<Candidate[]> {
  const rows = await queryRows<{
    member_id: string
    status: Candidate['status']
    sector_id: string | null
    open_cases: number
    last_assigned_at: Date | string | null
    on_duty: boolean
  }>(
    db,
    sql`
    select m.id as member_id, m.status, m.sector_id,
      (select count(*)::int from cases c where c.member_id = m.id
         and c.status in ('assigned', 'accepted', 'in_progress', 'reopened')) as open_cases,
      (select max(c.created_at) from cases c where c.member_id = m.id) as last_assigned_at,
      exists (select 1 from duty_shift d where d.station_id = ${stationId} and d.member_id = m.id
         and ${shiftCoversNow(now)}) as on_duty
    from member m join member_station ms on ms.member_id = m.id
    where ms.station_id = ${stationId}`,
  )
  return rows.map((r) => ({
    memberId: r.member_id,
    status: r.status,
    sectorId: r.sector_id,
    openCases: r.open_cases,
    lastAssignedAt: r.last_assigned_at ? new Date(r.last_assigned_at) : null,
    onDutyNow: r.on_duty,
  }))
}

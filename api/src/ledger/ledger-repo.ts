import { sql, type SQL } from 'drizzle-orm'
import type { ActivityKind, CommitteeLevel, MemberStatus, ReportStatus } from '@mashangjian/shared'
import { beijingInstant } from '@mashangjian/shared'
import { committeeSubtreeIds } from '../auth/scope'
import { queryRows, type DbOrTx } from '../db/database'
import type { CommitteeSettings } from '../db/schema'
import type { RawLedgerCounts } from './ledger-targets'

export interface LedgerMemberRow {
  id: string
  name: string
  title: string
  level: CommitteeLevel
  status: MemberStatus
  committeeId: string
  committeeName: string
  committeePath: string
  sectorName: string | null
  /** member.contact_target_per_year: the member's own yearly target of 界别群众 contacts. */
  contactTarget: number
  stations: { id: string; name: string }[]
}
export type LedgerScope = { kind: 'committee' | 'station'; id: string }

const uuids = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`
/** [1 January, 1 January of the next year) in China Standard Time. */
const yearBounds = (year: number) => ({
  fromDay: `${year}-01-01`,
  toDay: `${year + 1}-01-01`,
  from: sql`${beijingInstant(`${year}-01-01`).toISOString()}::timestamptz`,
  to: sql`${beijingInstant(`${year + 1}-01-01`).toISOString()}::timestamptz`,
})

const memberColumns = sql`m.id, m.name, m.title, m.level, m.status, m.committee_id as "committeeId", k.name as "committeeName",
  k.path as "committeePath", sec.name as "sectorName", m.contact_target_per_year as "contactTarget"`
const memberFrom = sql`member m join committee k on k.id = m.committee_id left join sector sec on sec.id = m.sector_id`

function scopeCondition(scope: LedgerScope): SQL {
  return scope.kind === 'committee'
    ? sql`m.committee_id in ${committeeSubtreeIds(scope.id)}`
    : sql`exists (select 1 from member_station ms where ms.member_id = m.id and ms.station_id = ${scope.id})`
}

/** 界别群众 contacts (issue 15) by the Beijing day met (contact_member_idx). */
const sectorContactCounts = (db: DbOrTx, ids: SQL, y: { fromDay: string; toDay: string }) =>
  queryRows<{ id: string; n: number }>(
    db,
    sql`select c.member_id as id, count(*)::int as n from contact c
      where c.member_id = any(${ids}) and c.met_on >= ${y.fromDay}::date and c.met_on < ${y.toDay}::date group by c.member_id`,
  )

export function createLedgerRepo(db: DbOrTx) {
  async function withStations(rows: Omit<LedgerMemberRow, 'stations'>[]): Promise<LedgerMemberRow[]> {
    if (rows.length === 0) return []
    const links = await queryRows<{ memberId: string; id: string; name: string }>(
      db,
      sql`
      select ms.member_id as "memberId", st.id, st.name from member_station ms join station st on st.id = ms.station_id
      where ms.member_id = any(${uuids(rows.map((r) => r.id))}) order by st.name`,
    )
    return rows.map((r) => ({ ...r, stations: links.filter((l) => l.memberId === r.id).map(({ id, name }) => ({ id, name })) }))
  }

  return {
    async member(id: string): Promise<LedgerMemberRow | undefined> {
      const rows = await queryRows<Omit<LedgerMemberRow, 'stations'>>(db, sql`select ${memberColumns} from ${memberFrom} where m.id = ${id}`)
      return (await withStations(rows))[0]
    },

    /** Members of a committee subtree or of a station, by name, keyset on (name, id). */
    async members(scope: LedgerScope, limit: number, after?: { name: string; id: string }): Promise<{ rows: LedgerMemberRow[]; more: boolean }> {
      const keyset = after ? sql`and (m.name, m.id) > (${after.name}, ${after.id}::uuid)` : sql``
      const rows = await queryRows<Omit<LedgerMemberRow, 'stations'>>(
        db,
        sql`
        select ${memberColumns} from ${memberFrom} where ${scopeCondition(scope)} ${keyset} order by m.name, m.id limit ${limit + 1}`,
      )
      return { rows: await withStations(rows.slice(0, limit)), more: rows.length > limit }
    },

    /** committee.settings of every committee on the given paths (to resolve inherited targets). */
    async settingsOnPaths(paths: string[]): Promise<Map<string, CommitteeSettings>> {
      const ids = [...new Set(paths.flatMap((p) => p.split('/')))]
      if (ids.length === 0) return new Map()
      const rows = await queryRows<{ id: string; settings: CommitteeSettings }>(db, sql`select id, settings from committee where id = any(${uuids(ids)})`)
      return new Map(rows.map((r) => [r.id, r.settings]))
    },

    async committee(id: string): Promise<{ id: string; path: string; settings: CommitteeSettings } | undefined> {
      return (await queryRows<{ id: string; path: string; settings: CommitteeSettings }>(db, sql`select id, path, settings from committee where id = ${id}`))[0]
    },

    async setLedgerSettings(q: DbOrTx, committeeId: string, ledger: CommitteeSettings['ledger']): Promise<void> {
      await q.execute(sql`update committee set settings = settings || jsonb_build_object('ledger', ${JSON.stringify(ledger)}::jsonb) where id = ${committeeId}`)
    },

    /**
     * What each member did in a year, in five reads over indexed paths: the member grain of metric_month (cases
     * received, accepted — the accept histogram counts every accepted one —, resolved, satisfied ratings), the
     * contact logs the member wrote on their cases, the hand-offs (交办) they made, activities by kind, and
     * reports submitted.
     */
    async counts(memberIds: string[], year: number): Promise<Map<string, RawLedgerCounts>> {
      const out = new Map<string, RawLedgerCounts>(
        memberIds.map((id) => [
          id,
          { received: 0, accepted: 0, resolved: 0, satisfied: 0, contacts: 0, sectorContacts: 0, handoffs: 0, activities: {}, reportsSubmitted: 0 },
        ]),
      )
      if (memberIds.length === 0) return out
      const ids = uuids(memberIds)
      const y = yearBounds(year)
      const cases = await queryRows<{ id: string; received: number; accepted: number; resolved: number; satisfied: number }>(
        db,
        sql`
        select m.scope_id as id, sum(m.assigned)::int as received, sum(m.resolved)::int as resolved,
          sum(m.satisfied + m.basically_satisfied)::int as satisfied,
          coalesce(sum((select sum(x) from unnest(m.accept_minutes_hist) x)), 0)::int as accepted
        from metric_month m where m.grain = 'member' and m.scope_id = any(${ids}) and m.day >= ${y.fromDay}::date and m.day < ${y.toDay}::date
        group by m.scope_id`,
      )
      // Contact logs by the member's own account on cases that are theirs (cases_member_status_idx, then case_event_case_idx).
      const contacts = await queryRows<{ id: string; n: number }>(
        db,
        sql`
        select c.member_id as id, count(*)::int as n from cases c join case_event e on e.case_id = c.id
          join app_user u on u.id = e.actor_user_id and u.member_id = c.member_id
        where c.member_id = any(${ids}) and e.type = 'contact_logged' and e.occurred_at >= ${y.from} and e.occurred_at < ${y.to}
        group by c.member_id`,
      )
      // Every hand-off the member made in the year counts, whatever became of it (handoff_member_sent_idx): handing a
      // question to the right department is the member's work; the department's answer is measured on the dashboard.
      const handoffs = await queryRows<{ id: string; n: number }>(
        db,
        sql`
        select h.created_by_member_id as id, count(*)::int as n from handoff h
        where h.created_by_member_id = any(${ids}) and h.sent_at >= ${y.from} and h.sent_at < ${y.to}
        group by h.created_by_member_id`,
      )
      const activities = await queryRows<{ id: string; kind: ActivityKind; n: number }>(
        db,
        sql`
        select a.member_id as id, a.kind, count(*)::int as n from activity a
        where a.member_id = any(${ids}) and a.status = 'confirmed' and a.occurred_on >= ${y.fromDay}::date and a.occurred_on < ${y.toDay}::date group by a.member_id, a.kind`,
      )
      const reports = await queryRows<{ id: string; n: number }>(
        db,
        sql`
        select r.member_id as id, count(*)::int as n from opinion_report r
        where r.member_id = any(${ids}) and r.status <> 'draft' and r.submitted_at >= ${y.from} and r.submitted_at < ${y.to} group by r.member_id`,
      )
      for (const r of cases) Object.assign(out.get(r.id)!, { received: r.received, accepted: r.accepted, resolved: r.resolved, satisfied: r.satisfied })
      for (const r of contacts) out.get(r.id)!.contacts = r.n
      for (const r of await sectorContactCounts(db, ids, y)) out.get(r.id)!.sectorContacts = r.n
      for (const r of handoffs) out.get(r.id)!.handoffs = r.n
      for (const r of activities) out.get(r.id)!.activities[r.kind] = r.n
      for (const r of reports) out.get(r.id)!.reportsSubmitted = r.n
      return out
    },

    /** The year's activity records and reports of one member, for the printable 履职档案. */
    async yearRecords(memberId: string, year: number) {
      const y = yearBounds(year)
      // Only confirmed activities are the member's record (issue 15); pending ones are counted apart.
      const [pending] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from activity a where a.member_id = ${memberId} and a.status = 'pending' and a.occurred_on >= ${y.fromDay}::date and a.occurred_on < ${y.toDay}::date`,
      )
      const activities = await queryRows<{ kind: ActivityKind; title: string; occurredOn: string; notes: string; stationName: string | null; place: string }>(
        db,
        sql`
        select a.kind, a.title, to_char(a.occurred_on, 'YYYY-MM-DD') as "occurredOn", a.notes, st.name as "stationName", a.place
        from activity a left join station st on st.id = a.station_id
        where a.member_id = ${memberId} and a.status = 'confirmed' and a.occurred_on >= ${y.fromDay}::date and a.occurred_on < ${y.toDay}::date order by a.occurred_on, a.created_at`,
      )
      const reports = await queryRows<{ title: string; status: ReportStatus; decidedBy: string | null; submittedAt: Date | string | null }>(
        db,
        sql`
        select r.title, r.status, r.decided_by as "decidedBy", r.submitted_at as "submittedAt" from opinion_report r
        where r.member_id = ${memberId} and r.status <> 'draft' and r.submitted_at >= ${y.from} and r.submitted_at < ${y.to} order by r.submitted_at`,
      )
      return { activities, reports, pendingActivities: pending?.n ?? 0 }
    },
  }
}
export type LedgerRepo = ReturnType<typeof createLedgerRepo>

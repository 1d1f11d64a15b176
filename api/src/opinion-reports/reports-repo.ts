import { and, desc, eq, sql, type SQL } from 'drizzle-orm'
import type { ReportStatus } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { committeeSubtreeIds } from '../auth/scope'
import type { Db, DbOrTx } from '../db/database'
import { appUser, cases, committee, member, opinionReport, opinionReportCase } from '../db/schema'

export type ReportRow = typeof opinionReport.$inferSelect & {
  memberName: string | null
  authorName: string | null
  committeeName: string
  committeePath: string
  caseIds: string[]
  /** Stations of the linked cases (station admins see reports about their stations' cases). */
  caseStationIds: string[]
}

/**
 * The SQL form of reportVisible (reports-service.ts): committee admins their subtree; station admins, in their
 * committee, reports they wrote or about a case of their stations; members those credited to them or theirs.
 */
export function visibleReports(actor: Actor): SQL {
  switch (actor.role) {
    case 'system_admin':
      return sql`true`
    case 'committee_admin':
      return actor.committeeId ? sql`${opinionReport.committeeId} in ${committeeSubtreeIds(actor.committeeId)}` : sql`false`
    case 'station_admin':
      return actor.committeeId
        ? sql`${opinionReport.committeeId} = ${actor.committeeId} and (${opinionReport.authorUserId} = ${actor.userId} or exists (
            select 1 from opinion_report_case rc join cases c on c.id = rc.case_id
            where rc.report_id = ${opinionReport.id} and c.station_id = any(${`{${actor.stationIds.join(',')}}`}::uuid[])))`
        : sql`false`
    case 'member':
      return sql`(${opinionReport.authorUserId} = ${actor.userId}${actor.memberId ? sql` or ${opinionReport.memberId} = ${actor.memberId}` : sql``})`
  }
}

export function createReportsRepo(db: Db) {
  const select = (q: DbOrTx) =>
    q
      .select({
        r: opinionReport,
        memberName: member.name,
        authorName: appUser.displayName,
        committeeName: committee.name,
        committeePath: committee.path,
        caseCount: sql<number>`(select count(*) from opinion_report_case rc where rc.report_id = ${opinionReport.id})::int`,
      })
      .from(opinionReport)
      .innerJoin(committee, eq(committee.id, opinionReport.committeeId))
      .leftJoin(member, eq(member.id, opinionReport.memberId))
      .leftJoin(appUser, eq(appUser.id, opinionReport.authorUserId))

  return {
    async load(id: string, q: DbOrTx = db): Promise<ReportRow | undefined> {
      const [row] = await select(q).where(eq(opinionReport.id, id))
      if (!row) return undefined
      const links = await q
        .select({ caseId: opinionReportCase.caseId, stationId: cases.stationId })
        .from(opinionReportCase)
        .innerJoin(cases, eq(cases.id, opinionReportCase.caseId))
        .where(eq(opinionReportCase.reportId, id))
      return {
        ...row.r,
        memberName: row.memberName,
        authorName: row.authorName,
        committeeName: row.committeeName,
        committeePath: row.committeePath,
        caseIds: links.map((l) => l.caseId),
        caseStationIds: [...new Set(links.flatMap((l) => (l.stationId ? [l.stationId] : [])))],
      }
    },

    /** Newest change first, keyset on (updated_at, id). */
    async list(actor: Actor, f: { status?: ReportStatus; memberId?: string }, limit: number, after?: { at: Date; id: string }) {
      const rows = await select(db)
        .where(
          and(
            visibleReports(actor),
            f.status ? eq(opinionReport.status, f.status) : undefined,
            f.memberId ? eq(opinionReport.memberId, f.memberId) : undefined,
            after ? sql`(${opinionReport.updatedAt}, ${opinionReport.id}) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)` : undefined,
          ),
        )
        .orderBy(desc(opinionReport.updatedAt), desc(opinionReport.id))
        .limit(limit + 1)
      return {
        rows: rows.slice(0, limit).map((r) => ({ ...r.r, memberName: r.memberName, authorName: r.authorName, caseCount: r.caseCount })),
        more: rows.length > limit,
      }
    },

    async counts(actor: Actor, f: { memberId?: string }): Promise<Record<ReportStatus, number>> {
      const rows = await db
        .select({ status: opinionReport.status, n: sql<number>`count(*)::int` })
        .from(opinionReport)
        .where(and(visibleReports(actor), f.memberId ? eq(opinionReport.memberId, f.memberId) : undefined))
        .groupBy(opinionReport.status)
      const out: Record<ReportStatus, number> = { draft: 0, submitted: 0, adopted: 0, rejected: 0 }
      for (const r of rows) out[r.status] = r.n
      return out
    },

    async insert(tx: DbOrTx, values: typeof opinionReport.$inferInsert): Promise<string> {
      const [row] = await tx.insert(opinionReport).values(values).returning({ id: opinionReport.id })
      return row!.id
    },

    async setCases(tx: DbOrTx, reportId: string, caseIds: string[]): Promise<void> {
      await tx.delete(opinionReportCase).where(eq(opinionReportCase.reportId, reportId))
      if (caseIds.length > 0) await tx.insert(opinionReportCase).values(caseIds.map((caseId) => ({ reportId, caseId })))
    },

    /** Changes a report only while it is still in `status` (a concurrent transition makes this a no-op: false). */
    async updateIf(tx: DbOrTx, id: string, status: ReportStatus, values: Partial<typeof opinionReport.$inferInsert>): Promise<boolean> {
      const rows = await tx
        .update(opinionReport)
        .set(values)
        .where(and(eq(opinionReport.id, id), eq(opinionReport.status, status)))
        .returning({ id: opinionReport.id })
      return rows.length > 0
    },

    async removeDraft(tx: DbOrTx, id: string): Promise<boolean> {
      const rows = await tx
        .delete(opinionReport)
        .where(and(eq(opinionReport.id, id), eq(opinionReport.status, 'draft')))
        .returning({ id: opinionReport.id })
      return rows.length > 0
    },
  }
}
export type ReportsRepo = ReturnType<typeof createReportsRepo>

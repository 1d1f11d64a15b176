import {
  decideReport,
  nextReportStatuses,
  type ReportBody,
  type ReportDetail,
  type ReportListQuery,
  type ReportPage,
  type ReportPatch,
  type ReportStatus,
  type ReportSummary,
  type ReportTransitionBody,
} from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { committeeInScope, memberInScope } from '../auth/scope'
import type { AuditWriter } from '../audit/audit-log'
import { caseRoleOf } from '../cases/case-access'
import type { MemberCasesRepo } from '../cases/member-cases-repo'
import type { Clock } from '../clock'
import type { Db, DbOrTx } from '../db/database'
import { AppError, notFound, validationFailed } from '../errors/app-error'
import type { LedgerRepo } from '../ledger/ledger-repo'
import { maskPiiInText } from '../privacy/mask-text'
import type { ReportRow, ReportsRepo } from './reports-repo'
import { reportDocx, reportPdf, type ReportDocument } from './report-documents'

const iso = (d: Date | null) => (d ? d.toISOString() : null)

const toSummary = (r: Omit<ReportRow, 'committeeName' | 'committeePath' | 'caseIds' | 'caseStationIds'> & { caseCount: number }): ReportSummary => ({
  id: r.id,
  committeeId: r.committeeId,
  title: r.title,
  status: r.status,
  memberId: r.memberId,
  memberName: r.memberName,
  authorUserId: r.authorUserId,
  authorName: r.authorName,
  decidedBy: r.decidedBy,
  caseCount: r.caseCount,
  submittedAt: iso(r.submittedAt),
  decidedAt: iso(r.decidedAt),
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
})

/** The JS twin of visibleReports (reports-repo.ts), for one loaded report. */
export function reportVisible(actor: Actor, r: Pick<ReportRow, 'committeeId' | 'committeePath' | 'authorUserId' | 'memberId' | 'caseStationIds'>): boolean {
  switch (actor.role) {
    case 'system_admin':
    case 'committee_admin':
      return committeeInScope(actor, r.committeePath)
    case 'station_admin':
      return r.committeeId === actor.committeeId && (r.authorUserId === actor.userId || r.caseStationIds.some((s) => actor.stationIds.includes(s)))
    case 'member':
      return r.authorUserId === actor.userId || (!!actor.memberId && r.memberId === actor.memberId)
  }
}

const encodeCursor = (r: { updatedAt: Date; id: string }) => Buffer.from(`${r.updatedAt.toISOString()}|${r.id}`).toString('base64url')
function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|')
  const d = new Date(at ?? '')
  if (Number.isNaN(d.getTime()) || !/^[0-9a-f-]{36}$/.test(id ?? ''))
    throw validationFailed([{ field: 'querystring.cursor', message: 'not a cursor this API gave out' }])
  return { at: d, id: id! }
}

const DECISIONS: readonly ReportStatus[] = ['adopted', 'rejected']

/**
 * 社情民意信息 reports (DESIGN.md §3, §9): drafted from cases the writer can see, edited while a draft, submitted,
 * then adopted or rejected by the committee, naming the body that decided. Transitions follow the table in
 * shared/src/reports.ts; anything else is 409 INVALID_REPORT_TRANSITION with the report's current state.
 */
export function createReportsService({
  db,
  repo,
  cases,
  members,
  audit,
  clock,
}: {
  db: Db
  repo: ReportsRepo
  cases: MemberCasesRepo
  /** Who may author and see a report: the members and scopes the ledger knows. */
  members: LedgerRepo
  audit: AuditWriter
  clock: Clock
}) {
  async function visibleReport(actor: Actor, id: string): Promise<ReportRow> {
    const r = await repo.load(id)
    if (!r || !reportVisible(actor, r)) throw notFound('report')
    return r
  }

  /** Every linked case must be one the caller can see; one that is not is reported like a missing one. */
  async function checkCases(actor: Actor, ids: string[]): Promise<string> {
    const loaded = await cases.loadMany(ids)
    const visible = loaded.filter((c) => caseRoleOf(actor, c))
    if (visible.length !== ids.length) {
      const seen = new Set(visible.map((c) => c.id))
      const missing = ids.findIndex((id) => !seen.has(id))
      throw new AppError('NOT_FOUND', `No such case: ${ids[missing]}`, { errors: [{ field: `body.caseIds.${missing}`, message: 'no such case' }] })
    }
    return visible[0]!.committeeId
  }

  /** Members write for themselves; admins may credit a member in their scope. */
  async function creditedMember(actor: Actor, memberId: string | null | undefined): Promise<string | null> {
    if (actor.role === 'member') {
      if (memberId && memberId !== actor.memberId) throw validationFailed([{ field: 'body.memberId', message: 'members write reports as themselves' }])
      return actor.memberId
    }
    if (!memberId) return null
    const m = await members.member(memberId)
    if (!m || !memberInScope(actor, { id: m.id, committeePath: m.committeePath, stationIds: m.stations.map((s) => s.id) })) throw notFound('member')
    return m.id
  }

  const invalid = (r: ReportRow, actor: Actor, detail: string) =>
    new AppError('INVALID_REPORT_TRANSITION', detail, { current: { id: r.id, status: r.status, nextStatuses: nextReportStatuses(r.status, actor.role) } })

  const record = (tx: DbOrTx, actor: Actor, ip: string | null, action: string, id: string, detail: Record<string, unknown>) =>
    audit.record(tx, { actorUserId: actor.userId, actorIp: ip, action, targetKind: 'opinion_report', targetId: id, detail })

  async function detailOf(actor: Actor, r: ReportRow): Promise<ReportDetail> {
    const linked = (await cases.loadMany(r.caseIds)).filter((c) => caseRoleOf(actor, c))
    return {
      ...toSummary({ ...r, caseCount: r.caseIds.length }),
      summary: r.summary,
      suggestion: r.suggestion,
      cases: linked
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .map((c) => ({
          id: c.id,
          publicNo: c.publicNo,
          status: c.status,
          categoryNames: c.categoryNames,
          stationName: c.stationName,
          description: maskPiiInText(c.description),
          createdAt: c.createdAt.toISOString(),
        })),
      hiddenCases: r.caseIds.length - linked.length,
      nextStatuses: nextReportStatuses(r.status, actor.role),
    }
  }

  async function document(actor: Actor, id: string): Promise<ReportDocument> {
    const r = await visibleReport(actor, id)
    return { report: await detailOf(actor, r), committeeName: r.committeeName }
  }

  return {
    async list(actor: Actor, query: ReportListQuery): Promise<ReportPage> {
      const { cursor, limit = 20, ...filters } = query
      const [{ rows, more }, counts] = [await repo.list(actor, filters, limit, cursor ? decodeCursor(cursor) : undefined), await repo.counts(actor, filters)]
      const last = rows.at(-1)
      return { items: rows.map(toSummary), nextCursor: more && last ? encodeCursor(last) : null, counts }
    },

    async get(actor: Actor, id: string): Promise<ReportDetail> {
      return detailOf(actor, await visibleReport(actor, id))
    },

    async create(actor: Actor, body: ReportBody, ip: string | null): Promise<ReportDetail> {
      const caseCommittee = await checkCases(actor, body.caseIds)
      const memberId = await creditedMember(actor, body.memberId)
      const now = clock.now()
      const id = await db.transaction(async (tx) => {
        const id = await repo.insert(tx, {
          // The writer's committee; a system admin's report belongs to the committee of its first case.
          committeeId: actor.committeeId ?? caseCommittee,
          authorUserId: actor.userId,
          memberId,
          title: body.title,
          summary: body.summary ?? '',
          suggestion: body.suggestion ?? '',
          status: 'draft',
          createdAt: now,
          updatedAt: now,
        })
        await repo.setCases(tx, id, body.caseIds)
        await record(tx, actor, ip, 'opinion_report.created', id, { caseIds: body.caseIds, memberId })
        return id
      })
      return detailOf(actor, (await repo.load(id))!)
    },

    async update(actor: Actor, id: string, patch: ReportPatch, ip: string | null): Promise<ReportDetail> {
      const r = await visibleReport(actor, id)
      if (r.status !== 'draft') throw invalid(r, actor, `Only drafts can be edited; this report is ${r.status}.`)
      if (patch.caseIds) await checkCases(actor, patch.caseIds)
      const memberId = patch.memberId !== undefined ? await creditedMember(actor, patch.memberId) : undefined
      const { caseIds, memberId: _m, ...text } = patch
      const changed = await db.transaction(async (tx) => {
        const ok = await repo.updateIf(tx, id, 'draft', { ...text, ...(memberId !== undefined ? { memberId } : {}), updatedAt: clock.now() })
        if (!ok) return false
        if (caseIds) await repo.setCases(tx, id, caseIds)
        await record(tx, actor, ip, 'opinion_report.updated', id, { changed: Object.keys(patch) })
        return true
      })
      const now = (await repo.load(id))!
      if (!changed) throw invalid(now, actor, `Only drafts can be edited; this report is ${now.status}.`)
      return detailOf(actor, now)
    },

    /** draft → submitted → adopted | rejected, each by the roles of the table, guarded against a concurrent move. */
    async transition(actor: Actor, id: string, body: ReportTransitionBody, ip: string | null): Promise<ReportDetail> {
      const r = await visibleReport(actor, id)
      const decision = decideReport(r.status, body.to, actor.role)
      if (!decision.ok && decision.reason === 'transition') throw invalid(r, actor, `A report that is ${r.status} cannot become ${body.to}.`)
      if (!decision.ok) throw new AppError('FORBIDDEN', `Your role may not mark a report ${body.to}.`)
      const deciding = DECISIONS.includes(body.to)
      if (deciding && !body.decidedBy)
        throw validationFailed([{ field: 'body.decidedBy', message: 'name the body that adopted or rejected the report', keyword: 'required' }])
      if (!deciding && body.decidedBy) throw validationFailed([{ field: 'body.decidedBy', message: 'only for adopted or rejected' }])
      const now = clock.now()
      const moved = await db.transaction(async (tx) => {
        const ok = await repo.updateIf(
          tx,
          id,
          r.status,
          deciding ? { status: body.to, decidedBy: body.decidedBy!, decidedAt: now, updatedAt: now } : { status: body.to, submittedAt: now, updatedAt: now },
        )
        if (ok) await record(tx, actor, ip, `opinion_report.${body.to}`, id, { from: r.status, to: body.to, decidedBy: body.decidedBy ?? null })
        return ok
      })
      const after = (await repo.load(id))!
      if (!moved) throw invalid(after, actor, `The report changed meanwhile; it is ${after.status} now.`)
      return detailOf(actor, after)
    },

    async remove(actor: Actor, id: string, ip: string | null): Promise<void> {
      const r = await visibleReport(actor, id)
      if (r.status !== 'draft') throw invalid(r, actor, `Only drafts can be deleted; this report is ${r.status}.`)
      const removed = await db.transaction(async (tx) => {
        const ok = await repo.removeDraft(tx, id)
        if (ok) await record(tx, actor, ip, 'opinion_report.deleted', id, { title: r.title, caseIds: r.caseIds })
        return ok
      })
      if (!removed) throw invalid((await repo.load(id)) ?? r, actor, 'The report is no longer a draft.')
    },

    async pdf(actor: Actor, id: string) {
      const doc = await document(actor, id)
      return { title: doc.report.title, stream: await reportPdf(doc) }
    },

    async docx(actor: Actor, id: string) {
      const doc = await document(actor, id)
      return { title: doc.report.title, buffer: await reportDocx(doc) }
    },
  }
}
export type ReportsService = ReturnType<typeof createReportsService>

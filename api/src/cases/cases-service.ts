import type { CaseDetail, CaseListQuery, CaseSummary } from '@mashangjian/shared'
import { allowedActions } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import type { Clock } from '../clock'
import { notFound, validationFailed } from '../errors/app-error'
import type { PiiCipher } from '../privacy/pii-cipher'
import type { AuditWriter } from '../audit/audit-log'
import { caseRoleOf } from './case-access'
import { HANDOVER_EVENTS, isQueued, queueReasonOf, toEventView, toSummary, type HandoverEvent, type QueueInfo } from './case-views'
import type { LoadedCase, MemberCasesRepo } from './member-cases-repo'
import type { Db } from '../db/database'
import type { HandoffsRepo } from '../handoffs/handoffs-repo'
import { photosByHandoff, toHandoffView } from '../handoffs/handoff-views'

export interface CasesServiceDeps {
  db: Db
  repo: MemberCasesRepo
  audit: AuditWriter
  cipher: PiiCipher
  clock: Clock
  /** 交办: a case's hand-offs are part of its detail. */
  handoffs: HandoffsRepo
}

export const encodeCursor = (c: { createdAt: Date; id: string }) => Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url')
export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|')
  const createdAt = new Date(at ?? '')
  if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id ?? '')) {
    throw validationFailed([{ field: 'querystring.cursor', message: 'not a cursor this API gave out' }])
  }
  return { createdAt, id: id! }
}

/** Inboxes and case details for members and admins; every read goes through the caller's scope. */
export function createCasesService({ db, repo, audit, cipher, clock, handoffs }: CasesServiceDeps) {
  /**
   * Summaries for admins, with why each queued case waits (one small query for the queued ones only). A
   * member's cases are never queued (a queued case has no member), so their lists skip the query.
   */
  async function adminSummaries(actor: Actor, rows: LoadedCase[], now: Date): Promise<CaseSummary[]> {
    const queued = actor.role === 'member' ? [] : rows.filter(isQueued).map((r) => r.id)
    const handovers = new Map((await repo.lastHandovers(queued)).map((e) => [e.caseId, e]))
    const waiting = new Set(queued)
    return rows.map((r) => toSummary(r, now, caseRoleOf(actor, r), waiting.has(r.id) ? queueReasonOf(handovers.get(r.id)) : undefined))
  }

  return {
    summariesFor: adminSummaries,

    async list(actor: Actor, query: CaseListQuery) {
      const now = clock.now()
      const limit = query.limit ?? 20
      const { cursor, limit: _limit, ...filters } = query
      // Two independent queries: on PostgreSQL they run side by side on two pooled connections.
      const [{ rows, more }, counts] = await Promise.all([
        repo.list(actor, filters, now, limit, cursor ? decodeCursor(cursor) : undefined),
        repo.counts(actor, now, filters),
      ])
      const last = rows.at(-1)
      return { items: await adminSummaries(actor, rows, now), nextCursor: more && last ? encodeCursor(last) : null, counts }
    },

    /** Summaries of cases the caller can see (others are left out, not reported). */
    async summaries(actor: Actor, ids: string[]): Promise<{ visible: CaseSummary[]; hidden: string[] }> {
      const now = clock.now()
      const rows = await repo.loadMany(ids)
      const visible = rows.filter((r) => caseRoleOf(actor, r))
      const seen = new Set(visible.map((r) => r.id))
      return { visible: visible.map((r) => toSummary(r, now, caseRoleOf(actor, r))), hidden: ids.filter((id) => !seen.has(id)) }
    },

    /**
     * One case with its whole timeline. The assignee sees the resident's phone, and the phone or ID numbers typed
     * into its free text, in full (they must call back); everyone else sees them masked. Every full view is written to the audit log in the same transaction.
     */
    async detail(actor: Actor, id: string, ip: string | null): Promise<CaseDetail> {
      const row = await repo.load(id)
      const role = row && caseRoleOf(actor, row)
      if (!row || !role) throw notFound('case')
      const now = clock.now()
      let residentPhone: string | null = null
      if (role === 'assignee' && row.residentPhoneEnc) {
        residentPhone = cipher.decrypt(row.residentPhoneEnc)
        await db.transaction((tx) =>
          audit.record(tx, {
            actorUserId: actor.userId,
            actorIp: ip,
            action: 'case.phone_viewed',
            targetKind: 'case',
            targetId: row.id,
            detail: { publicNo: row.publicNo },
          }),
        )
      }
      const [events, attachments, routingReason, merges, handoffRows] = await Promise.all([
        repo.events(id),
        repo.attachments(id),
        repo.routingReason(id),
        repo.mergeLinks(actor, row),
        handoffs.ofCase(id),
      ])
      // The department's photos are the attachments of its answer events, both already at hand.
      const answeredBy = new Map(
        events.filter((e) => e.type === 'handoff_answered').map((e) => [e.id, typeof e.data.handoffId === 'string' ? e.data.handoffId : null]),
      )
      const photos = photosByHandoff(
        attachments.flatMap((a) => (a.eventId !== null && answeredBy.has(a.eventId) ? [{ ...a, handoffId: answeredBy.get(a.eventId)! }] : [])),
      )
      // The timeline is at hand: the queue reason comes from it rather than from another query.
      let queue: QueueInfo | undefined
      if (isQueued(row)) {
        const last = [...events].reverse().find((e) => (HANDOVER_EVENTS as readonly string[]).includes(e.type))
        queue = queueReasonOf(last && { caseId: id, type: last.type as HandoverEvent['type'], actorKind: last.actorKind, body: last.body, data: last.data })
      }
      return {
        ...toSummary(row, now, role, queue),
        routingReason,
        ...merges,
        residentPhone,
        events: events.map((e) => toEventView(e, role)),
        attachments: attachments.map((a) => ({
          id: a.id,
          eventId: a.eventId,
          mime: a.mime,
          bytes: a.bytes,
          width: a.width,
          height: a.height,
          url: `/api/v1/attachments/${a.id}`,
        })),
        allowedActions: allowedActions(row.status, role),
        handoffs: handoffRows.map((h) => toHandoffView(h, role, photos.get(h.id))),
      }
    },

    /** A photo of a case the caller can see. */
    async attachment(actor: Actor, id: string) {
      const a = await repo.attachment(id)
      const row = a?.caseId ? await repo.load(a.caseId) : undefined
      if (!a || !row || !caseRoleOf(actor, row)) throw notFound('attachment')
      return a
    },
  }
}
export type CasesService = ReturnType<typeof createCasesService>

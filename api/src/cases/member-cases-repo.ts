import { and, asc, desc, eq, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm'
import type { CaseFilters } from '@mashangjian/shared'

import { appUser, attachment, caseEvent, caseOp, cases, category, committee, member, memberStation, station } from '../db/schema'
import type { Db, DbOrTx } from '../db/database'
import type { Actor } from '../auth/actor'
import { committeeSubtreeIds } from '../auth/scope'
import { INBOX_DONE_STATUSES, INBOX_NEW_STATUSES, INBOX_WORKING_STATUSES, RESOLVE_CLOCK_STATUSES, beijingInstant } from '@mashangjian/shared'
import { queryRows } from '../db/database'
import { HANDOVER_EVENTS, type CaseNames, type EventRow, type HandoverEvent } from './case-views'
import type { CaseRow } from './cases-repo'

export type InboxFilter = 'new' | 'open' | 'overdue' | 'closed' | 'queue' | 'all'
export type LoadedCase = CaseRow & CaseNames & { committeePath: string; awaitingDepartment: boolean }

/** The SQL form of case-access.ts: the cases an actor can see. Every list query starts from it. */
export function visibleCases(actor: Actor): SQL {
  switch (actor.role) {
    case 'member':
      return actor.memberId ? eq(cases.memberId, actor.memberId) : sql`false`
    case 'station_admin':
      return actor.stationIds.length > 0 && actor.committeeId
        ? and(inArray(cases.stationId, actor.stationIds), eq(cases.committeeId, actor.committeeId))!
        : sql`false`
    case 'committee_admin':
      return actor.committeeId ? inSubtree(actor.committeeId) : sql`false`
    case 'system_admin':
      return sql`true`
  }
}
const inSubtree = (committeeId: string) => sql`${cases.committeeId} in ${committeeSubtreeIds(committeeId)}`

export function filterCondition(filter: InboxFilter, now: Date): SQL | undefined {
  switch (filter) {
    case 'new':
      return inArray(cases.status, [...INBOX_NEW_STATUSES])
    case 'open':
      return inArray(cases.status, [...INBOX_WORKING_STATUSES])
    case 'closed':
      return inArray(cases.status, [...INBOX_DONE_STATUSES])
    case 'queue':
      return and(eq(cases.status, 'assigned'), isNull(cases.memberId))
    case 'overdue':
      return or(
        and(eq(cases.status, 'assigned'), lt(cases.acceptDueAt, now)),
        // A resolve clock paused while a department has the case (交办) does not run out (shared isOverdue agrees).
        // Paused (交办): late only if it already was when the clock stopped.
        and(
          inArray(cases.status, [...RESOLVE_CLOCK_STATUSES]),
          lt(cases.resolveDueAt, now),
          or(isNull(cases.resolvePausedAt), sql`${cases.resolveDueAt} < ${cases.resolvePausedAt}`),
        ),
      )
    case 'all':
      return undefined
  }
}

/** The API's filters, and internally one committee of the caller's subtree (exports walk a subtree committee by committee). */
export type CaseListFilters = CaseFilters & { committeeId?: string }

/** Public numbers are handed out in upper case (case-numbers.ts); people type them any way. */
export const normalizePublicNo = (publicNo: string) => publicNo.trim().toUpperCase()

/**
 * The narrowing filters shared by the inbox and the exports (schemas/cases.ts CaseFilters), besides the inbox
 * filter itself: station, member, category, the days the case came in, status, channel and public number.
 * Always combined with visibleCases().
 */
export function narrowing(f: Omit<CaseFilters, 'filter'> & { committeeId?: string }): SQL | undefined {
  return and(
    f.committeeId ? eq(cases.committeeId, f.committeeId) : undefined,
    f.stationId ? eq(cases.stationId, f.stationId) : undefined,
    f.memberId ? eq(cases.memberId, f.memberId) : undefined,
    f.categoryId ? eq(cases.categoryId, f.categoryId) : undefined,
    f.from ? gte(cases.createdAt, beijingInstant(f.from)) : undefined,
    f.to ? lt(cases.createdAt, beijingInstant(f.to)) : undefined,
    f.status ? eq(cases.status, f.status) : undefined,
    f.channel ? eq(cases.channel, f.channel) : undefined,
    // Exact match on the unique index: one row at most, whatever else is filtered.
    f.publicNo !== undefined ? eq(cases.publicNo, normalizePublicNo(f.publicNo)) : undefined,
  )
}

/** Every condition of a case list or export: what the caller sees, the inbox filter, the narrowing filters. */
export function caseListCondition(actor: Actor, f: CaseListFilters, now: Date): SQL | undefined {
  return and(visibleCases(actor), filterCondition((f.filter ?? 'all') as InboxFilter, now), narrowing(f))
}

const names = { stationName: station.name, memberName: member.name, categoryNames: category.names }
/** 等待部门答复: an open hand-off of the case (one probe of handoff_case_idx per row read). */
const awaitingDepartment = sql<boolean>`exists (select 1 from handoff h where h.case_id = ${cases.id} and h.status in ('sent', 'acknowledged'))`

/** Reads for signed-in users: inboxes, one case with its timeline, and what actions need to look up. */
export function createMemberCasesRepo(db: Db) {
  const withNames = (q: DbOrTx) =>
    q
      .select({ c: cases, ...names, committeePath: committee.path, awaitingDepartment })
      .from(cases)
      .innerJoin(committee, eq(committee.id, cases.committeeId))
      .leftJoin(station, eq(station.id, cases.stationId))
      .leftJoin(member, eq(member.id, cases.memberId))
      .leftJoin(category, eq(category.id, cases.categoryId))
  const flat = (r: { c: CaseRow; committeePath: string; awaitingDepartment: boolean } & CaseNames): LoadedCase => ({
    ...r.c,
    stationName: r.stationName,
    memberName: r.memberName,
    categoryNames: r.categoryNames,
    committeePath: r.committeePath,
    awaitingDepartment: r.awaitingDepartment,
  })

  return {
    async load(id: string, q: DbOrTx = db): Promise<LoadedCase | undefined> {
      const [row] = await withNames(q).where(eq(cases.id, id))
      return row && flat(row)
    },

    async loadMany(ids: string[]): Promise<LoadedCase[]> {
      if (ids.length === 0) return []
      return (await withNames(db).where(inArray(cases.id, ids))).map(flat)
    },

    /** Newest first, keyset-paginated on (created_at, id) so page 1,000 costs what page 1 does. */
    async list(actor: Actor, filters: CaseListFilters, now: Date, limit: number, after?: { createdAt: Date; id: string }, q: DbOrTx = db) {
      const keyset = after ? sql`(${cases.createdAt}, ${cases.id}) < (${after.createdAt.toISOString()}::timestamptz, ${after.id}::uuid)` : undefined
      const rows = await withNames(q)
        .where(and(caseListCondition(actor, filters, now), keyset))
        .orderBy(desc(cases.createdAt), desc(cases.id))
        .limit(limit + 1)
      return { rows: rows.slice(0, limit).map(flat), more: rows.length > limit }
    },

    /**
     * The committees whose cases a committee or system admin sees, in tree order; null for members and station
     * admins (their cases are found by member or station). A query per committee uses cases_committee_created_idx
     * in order, where one over a whole subtree has to sort it.
     */
    async scopeCommittees(actor: Actor): Promise<string[] | null> {
      if (actor.role === 'member' || actor.role === 'station_admin') return null
      const rows = await db
        .select({ id: committee.id })
        .from(committee)
        .where(actor.role === 'system_admin' ? undefined : actor.committeeId ? sql`${committee.id} in ${committeeSubtreeIds(actor.committeeId)}` : sql`false`)
        .orderBy(asc(committee.path))
      return rows.map((r) => r.id)
    },

    /** Cases per inbox filter, with the same narrowing filters as the list. */
    async counts(actor: Actor, now: Date, f: Omit<CaseFilters, 'filter'> = {}): Promise<Record<InboxFilter, number>> {
      const count = (f: InboxFilter) => sql<number>`count(*) filter (where ${filterCondition(f, now) ?? sql`true`})::int`
      const [row] = await db
        .select({
          new: count('new'),
          open: count('open'),
          overdue: count('overdue'),
          closed: count('closed'),
          queue: count('queue'),
          all: count('all'),
        })
        .from(cases)
        .where(and(visibleCases(actor), narrowing(f)))
      return row!
    },

    /**
     * For cases waiting in a station queue: the latest event that changed who holds each one (routing, 退单,
     * 督办 escalation, 转办, an admin's assignment), read per case backwards on case_event_case_idx. Only for the
     * queued rows of one page or one detail, so inboxes and the sync feed never pay for it.
     */
    async lastHandovers(caseIds: string[]): Promise<HandoverEvent[]> {
      if (caseIds.length === 0) return []
      return queryRows<HandoverEvent>(
        db,
        sql`
        select q.case_id as "caseId", e.type, e.actor_kind as "actorKind", e.body, e.data
        from unnest(${`{${caseIds.join(',')}}`}::uuid[]) as q(case_id)
        cross join lateral (
          select type, actor_kind, body, data from case_event
          where case_id = q.case_id and type in ${sql.raw(`(${HANDOVER_EVENTS.map((t) => `'${t}'`).join(', ')})`)}
          order by id desc limit 1
        ) e`,
      )
    },

    /**
     * Routing's reason from the first 'assigned' event of a case, written when it came in (by routing, or by the
     * admin who chose the member at intake: 'staff_assigned'); later 派单 events come after it.
     */
    async routingReason(caseId: string): Promise<string | null> {
      const [row] = await db
        .select({ data: caseEvent.data })
        .from(caseEvent)
        .where(and(eq(caseEvent.caseId, caseId), eq(caseEvent.type, 'assigned')))
        .orderBy(asc(caseEvent.id))
        .limit(1)
      const reason = row?.data.reason
      return typeof reason === 'string' ? reason : null
    },

    /**
     * 并单 both ways: the public number of the case this one went into, and the cases merged into this one, each
     * only when the caller can see it (a case merged across stations shows no number to the other station's desk).
     */
    async mergeLinks(actor: Actor, c: { id: string; mergedInto: string | null }) {
      const [into, from] = await Promise.all([
        c.mergedInto
          ? db
              .select({ publicNo: cases.publicNo })
              .from(cases)
              .where(and(eq(cases.id, c.mergedInto), visibleCases(actor)))
              .then((r) => r[0]?.publicNo ?? null)
          : null,
        db
          .select({ id: cases.id, publicNo: cases.publicNo })
          .from(cases)
          .where(and(eq(cases.mergedInto, c.id), visibleCases(actor)))
          .orderBy(asc(cases.createdAt)),
      ])
      return { mergedIntoPublicNo: into, mergedFrom: from }
    },

    /** The case's timeline, or only the events `ids` (what an action just wrote). */
    events(caseId: string, q: DbOrTx = db, ids?: number[]): Promise<EventRow[]> {
      return q
        .select({
          id: caseEvent.id,
          type: caseEvent.type,
          actorKind: caseEvent.actorKind,
          actorName: appUser.displayName,
          visibility: caseEvent.visibility,
          body: caseEvent.body,
          data: caseEvent.data,
          fromStatus: caseEvent.fromStatus,
          toStatus: caseEvent.toStatus,
          opId: caseEvent.opId,
          occurredAt: caseEvent.occurredAt,
          receivedAt: caseEvent.receivedAt,
        })
        .from(caseEvent)
        .leftJoin(appUser, eq(appUser.id, caseEvent.actorUserId))
        .where(and(eq(caseEvent.caseId, caseId), ids ? inArray(caseEvent.id, ids) : undefined))
        .orderBy(asc(caseEvent.id))
    },

    attachments(caseId: string) {
      return db.select().from(attachment).where(eq(attachment.caseId, caseId)).orderBy(asc(attachment.createdAt))
    },

    async attachment(id: string) {
      return (await db.select().from(attachment).where(eq(attachment.id, id)))[0]
    },

    async findOp(opId: string, q: DbOrTx = db) {
      return (await q.select().from(caseOp).where(eq(caseOp.opId, opId)))[0]
    },

    async insertOp(tx: DbOrTx, row: typeof caseOp.$inferInsert) {
      await tx.insert(caseOp).values(row)
    },

    /** A member someone wants to hand a case to: their status, committee and stations. */
    async memberTarget(memberId: string) {
      const [m] = await db.select({ id: member.id, status: member.status, committeeId: member.committeeId }).from(member).where(eq(member.id, memberId))
      if (!m) return undefined
      const stations = await db.select({ id: memberStation.stationId }).from(memberStation).where(eq(memberStation.memberId, memberId))
      return { ...m, stationIds: stations.map((s) => s.id) }
    },

    async stationTarget(stationId: string) {
      const [s] = await db
        .select({ id: station.id, committeeId: station.committeeId, committeePath: committee.path })
        .from(station)
        .innerJoin(committee, eq(committee.id, station.committeeId))
        .where(eq(station.id, stationId))
      return s
    },
  }
}
export type MemberCasesRepo = ReturnType<typeof createMemberCasesRepo>

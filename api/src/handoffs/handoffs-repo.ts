import { and, asc, desc, eq, gt, inArray, isNull, lt, lte, ne, sql } from 'drizzle-orm'
import { OPEN_HANDOFF_STATUSES } from '@mashangjian/shared'
import { appUser, attachment, caseEvent, cases, committee, department, handoff } from '../db/schema'
import type { CommitteeSettings } from '../db/schema'
import type { Db, DbOrTx } from '../db/database'

export type HandoffRow = typeof handoff.$inferSelect
export type NewHandoff = typeof handoff.$inferInsert
/** A hand-off with the names it is shown with. */
export type HandoffListRow = HandoffRow & { departmentName: string; createdByName: string | null }

const OPEN = [...OPEN_HANDOFF_STATUSES]
/** Each sweep handles at most this many hand-offs per kind; the next run takes the rest. */
const BATCH = 500

const listed = { h: handoff, departmentName: department.name, createdByName: appUser.displayName }
const flat = (r: { h: HandoffRow; departmentName: string; createdByName: string | null }): HandoffListRow => ({
  ...r.h,
  departmentName: r.departmentName,
  createdByName: r.createdByName,
})

/**
 * The case ended (resolved, closed, merged, invalid): its open hand-offs expire and their links stop working.
 * Called by writeTransition in the transition's transaction; one indexed update (handoff_case_idx) that finds
 * nothing for the many cases never handed off. Answers what expired, for the timeline.
 */
export async function expireOpenHandoffs(tx: DbOrTx, caseId: string, now: Date): Promise<{ id: string; departmentName: string }[]> {
  return tx
    .update(handoff)
    .set({ status: 'expired', closedAt: now, updatedAt: now })
    .from(department)
    .where(and(eq(handoff.caseId, caseId), inArray(handoff.status, OPEN), eq(department.id, handoff.departmentId)))
    .returning({ id: handoff.id, departmentName: department.name })
}

/** The case's facts the sweep's department notices need, read with each hand-off. */
const caseFacts = {
  id: cases.id,
  committeeId: cases.committeeId,
  publicNo: cases.publicNo,
  memberId: cases.memberId,
  stationId: cases.stationId,
  status: cases.status,
  priority: cases.priority,
  version: cases.version,
  residentPhoneEnc: cases.residentPhoneEnc,
}

/** 交办 rows: the case side (create, withdraw, links, reads) and the hand-off deadline sweep. */
export function createHandoffsRepo(db: Db) {
  return {
    expireOpen: expireOpenHandoffs,

    async insert(tx: DbOrTx, values: NewHandoff): Promise<HandoffRow> {
      return (await tx.insert(handoff).values(values).returning())[0]!
    },

    async find(id: string, q: DbOrTx = db): Promise<HandoffListRow | undefined> {
      const [row] = await q
        .select(listed)
        .from(handoff)
        .innerJoin(department, eq(department.id, handoff.departmentId))
        .leftJoin(appUser, eq(appUser.id, handoff.createdByUserId))
        .where(eq(handoff.id, id))
      return row && flat(row)
    },

    /** Every hand-off of a case, newest first. */
    async ofCase(caseId: string, q: DbOrTx = db): Promise<HandoffListRow[]> {
      const rows = await q
        .select(listed)
        .from(handoff)
        .innerJoin(department, eq(department.id, handoff.departmentId))
        .leftJoin(appUser, eq(appUser.id, handoff.createdByUserId))
        .where(eq(handoff.caseId, caseId))
        .orderBy(desc(handoff.sentAt), desc(handoff.createdAt), desc(handoff.id))
      return rows.map(flat)
    },

    /** Open hand-offs of a case other than `exceptId` (to know whether the last one just ended). */
    async openCount(caseId: string, exceptId: string, q: DbOrTx = db): Promise<number> {
      const [row] = await q
        .select({ n: sql<number>`count(*)::int` })
        .from(handoff)
        .where(and(eq(handoff.caseId, caseId), inArray(handoff.status, OPEN), ne(handoff.id, exceptId)))
      return row?.n ?? 0
    },

    /** Closes a hand-off that is still open; false when it was not (someone else closed it meanwhile). */
    async close(tx: DbOrTx, id: string, status: 'withdrawn' | 'expired', now: Date): Promise<boolean> {
      const rows = await tx
        .update(handoff)
        .set({ status, closedAt: now, updatedAt: now })
        .where(and(eq(handoff.id, id), inArray(handoff.status, OPEN)))
        .returning({ id: handoff.id })
      return rows.length === 1
    },

    /** A new secret for an open hand-off (the old one stops matching); false when it is no longer open. */
    async replaceSecret(tx: DbOrTx, id: string, secret: { secretHash: string; secretEnc: string }, now: Date): Promise<boolean> {
      const rows = await tx
        .update(handoff)
        .set({ ...secret, linkRevokedAt: null, updatedAt: now })
        .where(and(eq(handoff.id, id), inArray(handoff.status, OPEN)))
        .returning({ id: handoff.id })
      return rows.length === 1
    },

    async revokeLink(tx: DbOrTx, id: string, now: Date): Promise<void> {
      await tx
        .update(handoff)
        .set({ linkRevokedAt: now, updatedAt: now })
        .where(and(eq(handoff.id, id), isNull(handoff.linkRevokedAt)))
    },

    /** Photos of the department's answers: attachments of the case's `handoff_answered` events, by hand-off. */
    answerPhotos(caseId: string, q: DbOrTx = db) {
      return q
        .select({ handoffId: sql<string>`${caseEvent.data}->>'handoffId'`, id: attachment.id, width: attachment.width, height: attachment.height })
        .from(attachment)
        .innerJoin(caseEvent, eq(caseEvent.id, attachment.eventId))
        .where(and(eq(attachment.caseId, caseId), eq(caseEvent.type, 'handoff_answered')))
        .orderBy(asc(attachment.createdAt))
    },

    /** What a hand-off is checked against: the department, its committee and whether it takes hand-offs now. */
    async department(id: string) {
      const [row] = await db
        .select({ id: department.id, committeeId: department.committeeId, name: department.name, active: department.active })
        .from(department)
        .where(eq(department.id, id))
      return row
    },

    /** The departments a case of this committee may be handed to. */
    activeDepartments(committeeId: string) {
      return db
        .select({ id: department.id, name: department.name, kind: department.kind })
        .from(department)
        .where(and(eq(department.committeeId, committeeId), eq(department.active, true)))
        .orderBy(asc(department.name), asc(department.id))
    },

    async committeeSettings(committeeId: string): Promise<CommitteeSettings> {
      const [row] = await db.select({ settings: committee.settings }).from(committee).where(eq(committee.id, committeeId))
      return row?.settings ?? {}
    },

    /** The hand-off sweep: open, not yet reminded, due within the window. */
    dueSoon: (now: Date, until: Date) =>
      db
        .select({ h: listed.h, departmentName: department.name, c: caseFacts })
        .from(handoff)
        .innerJoin(department, eq(department.id, handoff.departmentId))
        .innerJoin(cases, eq(cases.id, handoff.caseId))
        .where(and(inArray(handoff.status, OPEN), isNull(handoff.overdueAt), isNull(handoff.remindedAt), gt(handoff.dueAt, now), lte(handoff.dueAt, until)))
        .limit(BATCH),

    /** The hand-off sweep: open and past the deadline, not yet marked (handoff_open_due_idx). */
    newlyOverdue: (now: Date) =>
      db
        .select({ h: listed.h, departmentName: department.name, c: caseFacts })
        .from(handoff)
        .innerJoin(department, eq(department.id, handoff.departmentId))
        .innerJoin(cases, eq(cases.id, handoff.caseId))
        .where(and(inArray(handoff.status, OPEN), isNull(handoff.overdueAt), lt(handoff.dueAt, now)))
        .limit(BATCH),

    /** Marks sent once: false when another run (or the department's answer) got there first. */
    async markReminded(tx: DbOrTx, id: string, now: Date): Promise<boolean> {
      const rows = await tx
        .update(handoff)
        .set({ remindedAt: now })
        .where(and(eq(handoff.id, id), isNull(handoff.remindedAt), inArray(handoff.status, OPEN)))
        .returning({ id: handoff.id })
      return rows.length === 1
    },

    async markOverdue(tx: DbOrTx, id: string, now: Date): Promise<boolean> {
      const rows = await tx
        .update(handoff)
        .set({ overdueAt: now })
        .where(and(eq(handoff.id, id), isNull(handoff.overdueAt), inArray(handoff.status, OPEN)))
        .returning({ id: handoff.id })
      return rows.length === 1
    },
  }
}
export type HandoffsRepo = ReturnType<typeof createHandoffsRepo>

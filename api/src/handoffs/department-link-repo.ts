import { and, asc, count, eq, inArray, or, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { OPEN_HANDOFF_STATUSES, type HandoffStatus } from '@mashangjian/shared'
import { attachment, caseEvent, cases, category, committee, department, handoff, member, station } from '../db/schema'
import type { Db, DbOrTx } from '../db/database'

export type HandoffRow = typeof handoff.$inferSelect
export type HandoffPatch = Partial<Omit<typeof handoff.$inferInsert, 'id' | 'status'>> & { updatedAt: Date }

const asker = alias(member, 'asker')
const holder = alias(member, 'holder')

/**
 * Photos a department may see of its case: what residents sent (the submission and later additions, whose events
 * are internal only because their text is the resident's) and what the case shows publicly. Members' internal
 * notes and other departments' answers stay out.
 */
const visibleToDepartment = or(eq(caseEvent.visibility, 'public'), inArray(caseEvent.type, ['submitted', 'resident_added_info']))

/** The department's own answer photos of this hand-off. */
const answerOf = (handoffId: string) => and(eq(caseEvent.type, 'handoff_answered'), sql`${caseEvent.data}->>'handoffId' = ${handoffId}`)

/** SQL of the department link (交办 page): the hand-off a secret opens, with what its page shows, and its writes. */
export function createDepartmentLinkRepo(db: Db) {
  return {
    /** Exactly the hand-off with this secret hash (unique), its case and the names around it. */
    async findBySecretHash(secretHash: string) {
      const [row] = await db
        .select({
          handoff,
          case: cases,
          departmentName: department.name,
          committeeName: committee.name,
          categoryNames: category.names,
          stationName: station.name,
          memberName: holder.name,
          askerName: asker.name,
        })
        .from(handoff)
        .innerJoin(cases, eq(cases.id, handoff.caseId))
        .innerJoin(department, eq(department.id, handoff.departmentId))
        .innerJoin(committee, eq(committee.id, handoff.committeeId))
        .leftJoin(category, eq(category.id, cases.categoryId))
        .leftJoin(station, eq(station.id, cases.stationId))
        .leftJoin(holder, eq(holder.id, cases.memberId))
        .leftJoin(asker, eq(asker.id, handoff.createdByMemberId))
        .where(eq(handoff.secretHash, secretHash))
      return row
    },

    /** The case's photos the department may see, oldest first. */
    casePhotos(caseId: string) {
      return db
        .select({ id: attachment.id, width: attachment.width, height: attachment.height })
        .from(attachment)
        .innerJoin(caseEvent, eq(caseEvent.id, attachment.eventId))
        .where(and(eq(attachment.caseId, caseId), visibleToDepartment))
        .orderBy(asc(attachment.createdAt), asc(attachment.id))
    },

    /** One photo, if it is among the case's visible photos or the hand-off's own answer. */
    async photo(caseId: string, handoffId: string, attachmentId: string) {
      const [row] = await db
        .select({ storageKey: attachment.storageKey, mime: attachment.mime })
        .from(attachment)
        .innerJoin(caseEvent, eq(caseEvent.id, attachment.eventId))
        .where(and(eq(attachment.id, attachmentId), eq(attachment.caseId, caseId), or(visibleToDepartment, answerOf(handoffId))))
      return row
    },

    /** How many photos went with the hand-off's answer (the thank-you notice says so). */
    async answerPhotoCount(caseId: string, handoffId: string): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(attachment)
        .innerJoin(caseEvent, eq(caseEvent.id, attachment.eventId))
        .where(and(eq(attachment.caseId, caseId), answerOf(handoffId)))
      return row?.n ?? 0
    },

    /**
     * Compare-and-set: moves the hand-off from `from` to `to` only if it is still at `from` (and its link not
     * revoked meanwhile). Of two submits, one finds the row moved and gets false.
     */
    async setStatusIf(tx: DbOrTx, id: string, from: HandoffStatus, to: HandoffStatus, patch: HandoffPatch): Promise<boolean> {
      const rows = await tx
        .update(handoff)
        .set({ ...patch, status: to })
        .where(and(eq(handoff.id, id), eq(handoff.status, from), sql`${handoff.linkRevokedAt} is null`))
        .returning({ id: handoff.id })
      return rows.length === 1
    },

    /** Hand-offs of the case still waiting for a department (read after this one's change, in its transaction). */
    async openCount(tx: DbOrTx, caseId: string): Promise<number> {
      const [row] = await tx
        .select({ n: count() })
        .from(handoff)
        .where(and(eq(handoff.caseId, caseId), inArray(handoff.status, [...OPEN_HANDOFF_STATUSES])))
      return row?.n ?? 0
    },
  }
}
export type DepartmentLinkRepo = ReturnType<typeof createDepartmentLinkRepo>
export type DepartmentLinkRow = NonNullable<Awaited<ReturnType<DepartmentLinkRepo['findBySecretHash']>>>

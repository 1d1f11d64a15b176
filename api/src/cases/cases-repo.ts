import { and, asc, desc, eq, gte, inArray, isNull, sql } from 'drizzle-orm'
import { attachment, caseEvent, caseFollower, cases, category, committee, member, station, trackingLink } from '../db/schema'
import type { Db, DbOrTx } from '../db/database'

export type CaseRow = typeof cases.$inferSelect
export type NewCase = typeof cases.$inferInsert
export type NewEvent = Omit<typeof caseEvent.$inferInsert, 'caseId'>
export type NewAttachment = Omit<typeof attachment.$inferInsert, 'caseId' | 'eventId'>

/** Statuses in which a case is still being worked on (a new similar report may join it). */
export const OPEN_CASE_STATUSES = ['submitted', 'assigned', 'accepted', 'in_progress', 'reopened'] as const

/** Data access for cases: writing a case with its timeline, and reading what residents may see. */
export function createCasesRepo(db: Db) {
  async function insertEvents(tx: DbOrTx, caseId: string, events: NewEvent[], attachments: NewAttachment[] = []): Promise<number[]> {
    const rows = await tx
      .insert(caseEvent)
      .values(events.map((e) => ({ ...e, caseId })))
      .returning({ id: caseEvent.id })
    // Photos belong to the first event of the batch (the submission or the added report).
    if (attachments.length > 0) {
      await tx.insert(attachment).values(attachments.map((a) => ({ ...a, caseId, eventId: rows[0]!.id })))
    }
    return rows.map((r) => r.id)
  }

  /**
   * issue 16: a tracking_link secret (not revoked) → the case it opens and whose link it is. A follower's link opens
   * the case the follower follows now (their row moves with a merge), the submitter's the case itself (a merged
   * case leads on to the one it went into, as the original link does).
   */
  async function findByRecoveryLinkHash(hash: string): Promise<{ row: CaseRow; role: 'owner' | 'follower' } | undefined> {
    const [link] = await db
      .select({ caseId: trackingLink.caseId, followerId: trackingLink.followerId })
      .from(trackingLink)
      .where(and(eq(trackingLink.secretHash, hash), isNull(trackingLink.revokedAt)))
    if (!link) return undefined
    if (link.followerId) {
      const [f] = await db
        .select({ c: cases })
        .from(caseFollower)
        .innerJoin(cases, eq(cases.id, caseFollower.caseId))
        .where(eq(caseFollower.id, link.followerId))
      return f ? { row: f.c, role: 'follower' } : undefined
    }
    const [own] = await db.select().from(cases).where(eq(cases.id, link.caseId))
    return own ? { row: own, role: 'owner' } : undefined
  }

  return {
    insertEvents,

    /** The case, its first events and its photos in one transaction (run by the caller). */
    async insertCase(tx: DbOrTx, row: NewCase, events: NewEvent[], attachments: NewAttachment[]): Promise<CaseRow> {
      const [created] = await tx.insert(cases).values(row).returning()
      await insertEvents(tx, created!.id, events, attachments)
      return created!
    },

    async insertFollower(tx: DbOrTx, row: typeof caseFollower.$inferInsert) {
      const [f] = await tx.insert(caseFollower).values(row).returning({ id: caseFollower.id, residentPhoneEnc: caseFollower.residentPhoneEnc })
      return f!
    },

    /**
     * 并单: residents who followed the merged case now follow the one it went into (their links open it).
     * Answers who moved, to tell those who left a phone.
     */
    moveFollowers(tx: DbOrTx, fromCaseId: string, toCaseId: string) {
      return tx
        .update(caseFollower)
        .set({ caseId: toCaseId })
        .where(eq(caseFollower.caseId, fromCaseId))
        .returning({ id: caseFollower.id, residentPhoneEnc: caseFollower.residentPhoneEnc, residentLocale: caseFollower.residentLocale })
    },

    /** Open cases at a station from the last `days` days, newest first, for the duplicate hint. */
    openCasesAtStation(stationId: string, since: Date, limit = 200) {
      return db
        .select({ id: cases.id, publicNo: cases.publicNo, description: cases.description, createdAt: cases.createdAt, categoryNames: category.names })
        .from(cases)
        .leftJoin(category, eq(category.id, cases.categoryId))
        .where(and(eq(cases.stationId, stationId), inArray(cases.status, [...OPEN_CASE_STATUSES]), gte(cases.createdAt, since)))
        .orderBy(desc(cases.createdAt))
        .limit(limit)
    },

    /**
     * What staff intake checks before writing: the station with its committee (path for scope, settings for
     * deadlines, short code for the number), the category and the chosen member as they relate to that station.
     */
    async intakeTargets(stationId: string, categoryId: string | null, memberId: string | null) {
      const [s] = await db
        .select({
          id: station.id,
          committee: {
            id: committee.id,
            path: committee.path,
            shortCode: committee.shortCode,
            settings: committee.settings,
            defaultLocale: committee.defaultLocale,
          },
        })
        .from(station)
        .innerJoin(committee, eq(committee.id, station.committeeId))
        .where(eq(station.id, stationId))
      const [c] = categoryId ? await db.select().from(category).where(eq(category.id, categoryId)) : []
      const [m] = memberId
        ? await db
            .select({
              id: member.id,
              status: member.status,
              committeeId: member.committeeId,
              atStation: sql<boolean>`exists (select 1 from member_station ms where ms.member_id = ${member.id} and ms.station_id = ${stationId})`,
            })
            .from(member)
            .where(eq(member.id, memberId))
        : []
      return { station: s, category: c, member: m }
    },

    async findById(id: string) {
      return (await db.select().from(cases).where(eq(cases.id, id)))[0]
    },

    async findByPublicNo(publicNo: string) {
      return (await db.select().from(cases).where(eq(cases.publicNo, publicNo)))[0]
    },

    /** The case a tracking secret opens, and whether the holder is its submitter or someone who joined it. */
    async findByTrackingHash(hash: string): Promise<{ row: CaseRow; role: 'owner' | 'follower' } | undefined> {
      const [own] = await db.select().from(cases).where(eq(cases.trackingSecretHash, hash))
      if (own) return { row: own, role: 'owner' }
      const [joined] = await db
        .select({ c: cases })
        .from(caseFollower)
        .innerJoin(cases, eq(cases.id, caseFollower.caseId))
        .where(eq(caseFollower.trackingSecretHash, hash))
      if (joined) return { row: joined.c, role: 'follower' }
      // issue 16: a link sent by "找回我的诉求" (tracking_link, unless revoked) opens the case as the original would.
      return findByRecoveryLinkHash(hash)
    },

    /** What the tracking page shows: names around the case and its public timeline only. */
    async publicView(row: CaseRow) {
      const [names] = await db
        .select({
          committeeName: committee.name,
          stationName: station.name,
          memberName: member.name,
          categoryNames: category.names,
        })
        .from(cases)
        .innerJoin(committee, eq(committee.id, cases.committeeId))
        .leftJoin(station, eq(station.id, cases.stationId))
        .leftJoin(member, eq(member.id, cases.memberId))
        .leftJoin(category, eq(category.id, cases.categoryId))
        .where(eq(cases.id, row.id))
      const events = await db
        .select({ type: caseEvent.type, body: caseEvent.body, occurredAt: caseEvent.occurredAt })
        .from(caseEvent)
        .where(and(eq(caseEvent.caseId, row.id), eq(caseEvent.visibility, 'public')))
        .orderBy(asc(caseEvent.id))
      return { ...names!, events }
    },

    /**
     * Applies a change only if nobody changed the case since `version` was read; false means someone did.
     * Every change bumps the version (optimistic concurrency, DESIGN.md §4).
     */
    async updateIfVersion(tx: DbOrTx, id: string, version: number, set: Partial<NewCase> & { updatedAt: Date }): Promise<boolean> {
      const rows = await tx
        .update(cases)
        .set({ ...set, version: sql`${cases.version} + 1` })
        .where(and(eq(cases.id, id), eq(cases.version, version)))
        .returning({ id: cases.id })
      return rows.length === 1
    },

    /**
     * Locks the case row for the rest of the transaction. Whoever changes a case and a hand-off of it together
     * takes the case first (member actions do, by updating it first): one order, so two of them never deadlock.
     */
    async lockForUpdate(tx: DbOrTx, id: string): Promise<void> {
      await tx.execute(sql`select id from cases where id = ${id} for update`)
    },

    /** What a case's deadlines are computed from: its category's SLA class and its committee's settings. */
    async slaContext(row: CaseRow) {
      const [c] = row.categoryId ? await db.select({ slaClass: category.slaClass }).from(category).where(eq(category.id, row.categoryId)) : []
      const [k] = await db.select({ settings: committee.settings }).from(committee).where(eq(committee.id, row.committeeId))
      return { slaClass: c?.slaClass ?? ('general' as const), settings: k?.settings ?? {} }
    },

    async attachmentsOf(caseId: string) {
      return db.select().from(attachment).where(eq(attachment.caseId, caseId))
    },
  }
}
export type CasesRepo = ReturnType<typeof createCasesRepo>

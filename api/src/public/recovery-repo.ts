import { and, asc, eq, isNull } from 'drizzle-orm'
import type { Db, DbOrTx } from '../db/database'
import { caseFollower, cases, committee, trackingLink } from '../db/schema'

/** What "找回我的诉求" reads and writes: the case by public number, who gave which phone, and the new links. */
export function createRecoveryRepo(db: Db) {
  return {
    /** The case with this public number, with only what recovery needs (never its phone). */
    async caseByPublicNo(publicNo: string) {
      const [row] = await db
        .select({
          id: cases.id,
          committeeId: cases.committeeId,
          publicNo: cases.publicNo,
          memberId: cases.memberId,
          stationId: cases.stationId,
          priority: cases.priority,
          status: cases.status,
          residentPhoneEnc: cases.residentPhoneEnc,
          residentPhoneHash: cases.residentPhoneHash,
        })
        .from(cases)
        .where(eq(cases.publicNo, publicNo))
      return row
    },

    /**
     * The first resident who joined the case with this public number (并单 follower) with this phone hash, if any.
     * By number, not case id, so it runs whether or not the case exists: the answer's timing is the same.
     */
    async followerWithPhone(publicNo: string, phoneHash: string) {
      const [f] = await db
        .select({ id: caseFollower.id, caseId: caseFollower.caseId })
        .from(caseFollower)
        .innerJoin(cases, eq(cases.id, caseFollower.caseId))
        .where(and(eq(cases.publicNo, publicNo), eq(caseFollower.residentPhoneHash, phoneHash)))
        .orderBy(asc(caseFollower.createdAt))
        .limit(1)
      return f
    },

    /** Who may act on the case (case-access.ts), for staff revoking its links. */
    async caseScope(caseId: string) {
      const [row] = await db
        .select({ id: cases.id, publicNo: cases.publicNo, memberId: cases.memberId, stationId: cases.stationId, committeePath: committee.path })
        .from(cases)
        .innerJoin(committee, eq(committee.id, cases.committeeId))
        .where(eq(cases.id, caseId))
      return row
    },

    /** Ends every recovery link of the case still open; how many. */
    async revokeLinks(tx: DbOrTx, caseId: string, now: Date): Promise<number> {
      const rows = await tx
        .update(trackingLink)
        .set({ revokedAt: now })
        .where(and(eq(trackingLink.caseId, caseId), isNull(trackingLink.revokedAt)))
        .returning({ id: trackingLink.id })
      return rows.length
    },

    /**
     * Ends the submitter's original link: its hash is replaced by one of a secret nobody holds, and the stored
     * copy (used for SMS) is dropped. The resident gets a working link again through 找回我的诉求.
     */
    async replaceOriginal(tx: DbOrTx, caseId: string, unusableHash: string): Promise<void> {
      await tx.update(cases).set({ trackingSecretHash: unusableHash, trackingSecretEnc: null }).where(eq(cases.id, caseId))
    },

    async insertLink(tx: DbOrTx, row: typeof trackingLink.$inferInsert) {
      const [l] = await tx.insert(trackingLink).values(row).returning({ id: trackingLink.id })
      return l!
    },
  }
}
export type RecoveryRepo = ReturnType<typeof createRecoveryRepo>

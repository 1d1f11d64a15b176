import { and, asc, eq } from 'drizzle-orm'
import type { Db, DbOrTx } from '../db/database'
import { caseFollower, cases, trackingLink } from '../db/schema'

/** What "找回我的诉求" reads and writes: the case by public number, who gave which phone, and the new links. */
export function createRecoveryRepo(db: Db) {
  return {
    /** The case with this public number, with only what recovery needs (never its phone). */
    async caseByPublicNo(publicNo: string) {
      const [row] = await db.select({
        id: cases.id, committeeId: cases.committeeId, publicNo: cases.publicNo, memberId: cases.memberId, stationId: cases.stationId,
        priority: cases.priority, status: cases.status, residentPhoneEnc: cases.residentPhoneEnc, residentPhoneHash: cases.residentPhoneHash,
      }).from(cases).where(eq(cases.publicNo, publicNo))
      return row
    },

    /**
     * The first resident who joined the case with this public number (并单 follower) with this phone hash, if any.
     * By number, not case id, so it runs whether or not the case exists: the answer's timing is the same.
     */
    async followerWithPhone(publicNo: string, phoneHash: string) {
      const [f] = await db.select({ id: caseFollower.id, caseId: caseFollower.caseId }).from(caseFollower)
        .innerJoin(cases, eq(cases.id, caseFollower.caseId))
        .where(and(eq(cases.publicNo, publicNo), eq(caseFollower.residentPhoneHash, phoneHash)))
        .orderBy(asc(caseFollower.createdAt)).limit(1)
      return f
    },

    async insertLink(tx: DbOrTx, row: typeof trackingLink.$inferInsert) {
      const [l] = await tx.insert(trackingLink).values(row).returning({ id: trackingLink.id })
      return l!
    },
  }
}
export type RecoveryRepo = ReturnType<typeof createRecoveryRepo>

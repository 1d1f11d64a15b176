import { and, eq, isNull, sql, type SQL } from 'drizzle-orm'
import type { Db, DbOrTx } from '../db/database'
import { caseFollower, cases, trackingLink } from '../db/schema'

/** Whose phone a tracking link stands for: the submitter's (the case row) or one follower's. */
export interface LinkHolder {
  caseId: string
  followerId: string | null
  /** The keyed hash of the holder's phone, null when they left none or removed it. */
  phoneHash: string | null
  withdrawnAt: Date | null
}

/** SQL for the resident's withdrawal of consent for their phone (issue 19). */
export function createPhoneWithdrawalRepo(db: Db) {
  const nulled = (now: Date) => ({ residentPhoneEnc: null, residentPhoneHash: null, residentPhoneMasked: null, residentPhoneWithdrawnAt: now })

  async function follower(id: string): Promise<LinkHolder | undefined> {
    const [f] = await db
      .select({ caseId: caseFollower.caseId, phoneHash: caseFollower.residentPhoneHash, withdrawnAt: caseFollower.residentPhoneWithdrawnAt })
      .from(caseFollower)
      .where(eq(caseFollower.id, id))
    return f && { ...f, followerId: id }
  }

  async function owner(where: SQL): Promise<LinkHolder | undefined> {
    const [c] = await db.select({ caseId: cases.id, phoneHash: cases.residentPhoneHash, withdrawnAt: cases.residentPhoneWithdrawnAt }).from(cases).where(where)
    return c && { ...c, followerId: null }
  }

  return {
    /** The holder behind a tracking secret's hash: submitter, follower, or a recovery link of either (not revoked). */
    async holderOf(secretHash: string): Promise<LinkHolder | undefined> {
      const own = await owner(eq(cases.trackingSecretHash, secretHash))
      if (own) return own
      const [f] = await db.select({ id: caseFollower.id }).from(caseFollower).where(eq(caseFollower.trackingSecretHash, secretHash))
      if (f) return follower(f.id)
      const [link] = await db
        .select({ caseId: trackingLink.caseId, followerId: trackingLink.followerId })
        .from(trackingLink)
        .where(and(eq(trackingLink.secretHash, secretHash), isNull(trackingLink.revokedAt)))
      if (!link) return undefined
      return link.followerId ? follower(link.followerId) : owner(eq(cases.id, link.caseId))
    },

    /**
     * (Phones stored before hashes existed get theirs at start-up: resident-phone-backfill.ts.)
     * Removes the phone from the case and from every follower row of the case with the same number (the same person
     * joined twice, or submitted and joined): ciphertext, keyed hash and masked copy all go. Returns the rows changed.
     */
    async withdraw(tx: DbOrTx, holder: LinkHolder & { phoneHash: string }, now: Date): Promise<{ owner: boolean; followers: number }> {
      // The version moves so members' devices (sync, live stream) drop the number they hold too.
      const ownRows = await tx
        .update(cases)
        .set({ ...nulled(now), version: sql`${cases.version} + 1`, updatedAt: now })
        .where(and(eq(cases.id, holder.caseId), eq(cases.residentPhoneHash, holder.phoneHash)))
        .returning({ id: cases.id })
      // The same person's requests merged into this one: notices about it go to their submitters too (notice-plan.ts).
      await tx
        .update(cases)
        .set({ ...nulled(now), version: sql`${cases.version} + 1`, updatedAt: now })
        .where(and(eq(cases.mergedInto, holder.caseId), eq(cases.residentPhoneHash, holder.phoneHash)))
      const followerRows = await tx
        .update(caseFollower)
        .set(nulled(now))
        .where(and(eq(caseFollower.caseId, holder.caseId), eq(caseFollower.residentPhoneHash, holder.phoneHash)))
        .returning({ id: caseFollower.id })
      if (followerRows.length > 0 && ownRows.length === 0) {
        await tx
          .update(cases)
          .set({ version: sql`${cases.version} + 1`, updatedAt: now })
          .where(eq(cases.id, holder.caseId))
      }
      return { owner: ownRows.length > 0, followers: followerRows.length }
    },
  }
}
export type PhoneWithdrawalRepo = ReturnType<typeof createPhoneWithdrawalRepo>

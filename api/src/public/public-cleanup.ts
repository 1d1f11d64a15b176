import { and, isNull, like, lt } from 'drizzle-orm'
import type { Db } from '../db/database'
import type { Clock } from '../clock'
import type { BlobStore } from '../attachments/blob-store'
import { attachment, publicThrottle, submissionKey } from '../db/schema'
import { SUBMISSION_KEY_TTL_MS } from './submission-keys'

/** A form shown again is answered within minutes; a day later its kept photos will not be claimed. */
export const PENDING_PHOTO_TTL_MS = 24 * 3_600_000
/** The longest public_throttle window is a day: a row idle for two can only restart from zero. */
export const THROTTLE_ROW_TTL_MS = 2 * 86_400_000

/**
 * What the resident pages leave behind (issue 16, hourly job): photos kept across a re-shown form that no case
 * claimed (rows and files: personal data and disk), throttle counters and idempotency keys past their use.
 * Files are removed after their row, so a crash in between leaves a file without a row (swept with issue 17's
 * orphan cleanup), never a row pointing at nothing.
 */
export function createPublicCleanup({ db, blobs, clock }: { db: Db; blobs: BlobStore; clock: Clock }) {
  return {
    async run(): Promise<{ pendingPhotos: number; throttleRows: number; submissionKeys: number }> {
      const now = clock.now().getTime()
      const photos = await db
        .delete(attachment)
        .where(and(isNull(attachment.caseId), like(attachment.storageKey, 'cases/pending/%'), lt(attachment.createdAt, new Date(now - PENDING_PHOTO_TTL_MS))))
        .returning({ key: attachment.storageKey })
      for (const p of photos) await blobs.remove(p.key).catch(() => undefined)
      const throttles = await db
        .delete(publicThrottle)
        .where(lt(publicThrottle.windowStartedAt, new Date(now - THROTTLE_ROW_TTL_MS)))
        .returning({ key: publicThrottle.key })
      const keys = await db
        .delete(submissionKey)
        .where(lt(submissionKey.createdAt, new Date(now - SUBMISSION_KEY_TTL_MS)))
        .returning({ key: submissionKey.keyHash })
      return { pendingPhotos: photos.length, throttleRows: throttles.length, submissionKeys: keys.length }
    },
  }
}
export type PublicCleanup = ReturnType<typeof createPublicCleanup>

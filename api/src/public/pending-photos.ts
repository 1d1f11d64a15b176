import { randomBytes } from 'node:crypto'
import { and, asc, eq, inArray, isNull } from 'drizzle-orm'
import type { Db, DbOrTx } from '../db/database'
import { attachment, caseEvent } from '../db/schema'
import type { BlobStore } from '../attachments/blob-store'
import type { Clock } from '../clock'
import type { ProcessedImage } from '../attachments/image-processing'

/** 160 random bits, hex (blob keys are lower-case): the only handle on a photo kept across a re-shown form. */
export const PENDING_REF = /^[0-9a-f]{40}$/
const keyOf = (ref: string) => `cases/pending/${ref}.jpg`

/**
 * Photos a resident chose on a form the server had to show again (the duplicate prompt, a language switch, a
 * field error): re-encoded and stored at once as attachments without a case, so the next post carries only
 * their unguessable references in hidden fields instead of asking for the files again. The post that creates
 * or joins a case claims them in its transaction; a reference already claimed (or unknown) gives nothing.
 * Unclaimed rows and their files are removed a day later (public-cleanup.ts).
 */
export function createPendingPhotos({ db, blobs, clock }: { db: Db; blobs: BlobStore; clock: Clock }) {
  return {
    async stash(images: ProcessedImage[]): Promise<string[]> {
      const refs: string[] = []
      for (const img of images) {
        const ref = randomBytes(20).toString('hex')
        // The row first: the hourly cleanup (public-cleanup.ts) finds what it must remove through rows only.
        const [row] = await db
          .insert(attachment)
          .values({
            storageKey: keyOf(ref),
            mime: img.mime,
            bytes: img.buffer.length,
            width: img.width,
            height: img.height,
            sha256: img.sha256,
            createdAt: clock.now(),
          })
          .returning({ id: attachment.id })
        try {
          await blobs.put(keyOf(ref), img.buffer)
        } catch (err) {
          await db.delete(attachment).where(eq(attachment.id, row!.id))
          throw err
        }
        refs.push(ref)
      }
      return refs
    },

    /** Those of `refs` that are still waiting for a case (to show the resident what is kept). */
    async unclaimed(refs: string[]): Promise<string[]> {
      const valid = refs.filter((r) => PENDING_REF.test(r))
      if (valid.length === 0) return []
      const rows = await db
        .select({ key: attachment.storageKey })
        .from(attachment)
        .where(and(inArray(attachment.storageKey, valid.map(keyOf)), isNull(attachment.caseId)))
      const found = new Set(rows.map((r) => r.key))
      return valid.filter((r) => found.has(keyOf(r)))
    },

    /**
     * Gives the unclaimed ones of `refs` to the case and event (by default its first: 'submitted'), in the
     * caller's transaction; how many it took.
     */
    async claim(tx: DbOrTx, refs: string[], caseId: string, eventId?: number): Promise<number> {
      const valid = refs.filter((r) => PENDING_REF.test(r))
      if (valid.length === 0) return 0
      eventId ??= (await tx.select({ id: caseEvent.id }).from(caseEvent).where(eq(caseEvent.caseId, caseId)).orderBy(asc(caseEvent.id)).limit(1))[0]!.id
      const rows = await tx
        .update(attachment)
        .set({ caseId, eventId })
        .where(and(inArray(attachment.storageKey, valid.map(keyOf)), isNull(attachment.caseId), isNull(attachment.eventId)))
        .returning({ id: attachment.id })
      return rows.length
    },
  }
}
export type PendingPhotos = ReturnType<typeof createPendingPhotos>

import { inArray } from 'drizzle-orm'
import type { Db } from '../db/database'
import { attachment, member } from '../db/schema'
import type { Clock } from '../clock'
import type { BlobStore } from './blob-store'

/** Older than this and named by no row: a leftover. A photo is written before the transaction that names it commits. */
export const ORPHAN_AGE_MS = 3_600_000
const BATCH = 500

/**
 * Removes attachment blobs that no database row names (issue 17): a process killed between writing a photo and
 * committing its row leaves the file behind — a disk leak and personal data nobody can find to erase. Only blobs
 * older than an hour go, so a submission still in its transaction keeps its photos. Hourly job.
 */
export function createOrphanSweep({ db, blobs, clock }: { db: Db; blobs: BlobStore; clock: Clock }) {
  async function named(keys: string[]): Promise<Set<string>> {
    const [a, m] = await Promise.all([
      db.select({ key: attachment.storageKey }).from(attachment).where(inArray(attachment.storageKey, keys)),
      db.select({ key: member.photoKey }).from(member).where(inArray(member.photoKey, keys)),
    ])
    return new Set([...a, ...m].map((r) => r.key).filter((k): k is string => k !== null))
  }

  return {
    async run(): Promise<{ checked: number; removed: number }> {
      const cutoff = clock.now().getTime() - ORPHAN_AGE_MS
      let checked = 0
      let removed = 0
      let batch: string[] = []
      const flush = async () => {
        const keep = await named(batch)
        for (const key of batch) {
          if (keep.has(key)) continue
          await blobs.remove(key)
          removed++
        }
        batch = []
      }
      for await (const blob of blobs.list()) {
        if (blob.writtenAt.getTime() > cutoff) continue
        checked++
        batch.push(blob.key)
        if (batch.length >= BATCH) await flush()
      }
      if (batch.length > 0) await flush()
      return { checked, removed }
    },
  }
}
export type OrphanSweep = ReturnType<typeof createOrphanSweep>

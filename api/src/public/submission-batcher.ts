import type { Db, DbOrTx } from '../db/database'

/**
 * Group commit for new cases of one committee (issue 17).
 *
 * A new case takes the next gap-free public number from its committee-year counter row, and that row stays
 * locked until COMMIT; a commit waits for its WAL flush. One transaction per case therefore serialises a
 * committee's submissions on one flush each. Here, cases of the same committee that arrive while a batch is
 * committing wait and go together in the next batch: one transaction, one counter lock, one flush.
 *
 * - No timer: an idle committee's case starts at once (alone, without a savepoint); only cases that would have
 *   queued on the counter lock anyway are batched.
 * - Each case runs in its own savepoint: one that fails (a bad row, a concurrent retry's unique key) rolls back to
 *   it, taking its number back with it, and the others go on. Numbers stay gap-free and unique.
 * - Every answer waits for the COMMIT of its batch (a failed case too: its caller may look for a winner's row,
 *   see submission-keys.ts). When the COMMIT itself fails, every case of the batch gets that error: none was
 *   stored.
 * - One batch at a time per key in this process; other processes' batches queue on the counter row as before.
 */
export interface SubmissionBatcher {
  /** Runs `work` inside a transaction shared with other work of the same key; resolves after that transaction committed. */
  run<T>(key: string, work: (tx: DbOrTx) => Promise<T>): Promise<T>
}

interface Item {
  work: (tx: DbOrTx) => Promise<unknown>
  resolve: (value: unknown) => void
  reject: (err: unknown) => void
}
type Settled = { ok: true; value: unknown } | { ok: false; error: unknown }

/** Bounds a transaction's length (and the time the counter row stays locked) under a flood. */
export const MAX_BATCH = 64

export function createSubmissionBatcher(db: Db, { maxBatch = MAX_BATCH } = {}): SubmissionBatcher {
  const queues = new Map<string, Item[]>()
  const busy = new Set<string>()

  async function runBatch(batch: Item[]): Promise<Settled[]> {
    if (batch.length === 1) {
      // Alone: no savepoint to pay for; a failure rolls back the whole (one-case) transaction.
      try {
        return [{ ok: true, value: await db.transaction((tx) => batch[0]!.work(tx)) }]
      } catch (error) {
        return [{ ok: false, error }]
      }
    }
    const settled: Settled[] = []
    try {
      await db.transaction(async (tx) => {
        // One after the other: a transaction is one connection, and the counter lock orders them anyway.
        for (const item of batch) {
          try {
            settled.push({ ok: true, value: await tx.transaction((sp) => item.work(sp)) })
          } catch (error) {
            settled.push({ ok: false, error })
          }
        }
      })
    } catch (error) {
      return batch.map(() => ({ ok: false, error }))
    }
    return settled
  }

  async function drain(key: string): Promise<void> {
    busy.add(key)
    try {
      for (;;) {
        const queue = queues.get(key)
        if (!queue?.length) break
        const batch = queue.splice(0, maxBatch)
        const settled = await runBatch(batch)
        settled.forEach((s, i) => (s.ok ? batch[i]!.resolve(s.value) : batch[i]!.reject(s.error)))
      }
    } finally {
      queues.delete(key)
      busy.delete(key)
    }
  }

  return {
    run<T>(key: string, work: (tx: DbOrTx) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const queue = queues.get(key) ?? []
        queues.set(key, queue)
        queue.push({ work, resolve: resolve as (v: unknown) => void, reject })
        if (!busy.has(key)) void drain(key)
      })
    },
  }
}

import { v7 as uuidv7 } from 'uuid'
import type { CaseActionBody, CaseActionResult, CaseSummary } from '@mashangjian/shared'
import { ApiError, OfflineError, SignedOutError, type ApiClient } from './api-client'
import { backoffMs } from './backoff'
import type { CaseCache } from './case-cache'
import type { AppDb, OutboxEntry, OutboxOp, StoredPhoto } from './db'

/** An action as the member makes it: everything but the fields the outbox fills in. */
export type ActionInput = CaseActionBody extends infer A ? A extends CaseActionBody ? Omit<A, 'opId' | 'baseVersion' | 'occurredAt'> : never : never

export interface ReplayReport {
  sent: number
  /** Entries now waiting for the member (conflict or rejected). */
  needsAttention: number
  /** Entries still pending (offline, or behind one that needs attention). */
  pending: number
  /** Why the replay stopped early, if it did. */
  stopped?: 'offline' | 'signed_out'
}

/** Answers that a resend cannot change: the member must look at them (re-apply on the new state, or drop). */
const CONFLICT_CODES = new Set(['VERSION_CONFLICT', 'INVALID_TRANSITION', 'CONFLICT', 'NOT_FOUND', 'FORBIDDEN'])

export interface OutboxOptions {
  db: Promise<AppDb>
  client: ApiClient
  cache: CaseCache
  now?: () => number
  random?: () => number
  onChange?: () => void
}

/**
 * The outbox: actions made on the phone, sent to the server in the order they were made, each exactly once.
 * - Exactly once: each entry has a UUIDv7 `opId`; the server stores the first answer per opId, so a resend
 *   after a lost answer changes nothing. An entry leaves the outbox only when the server has answered it.
 * - In order: one replay at a time (per tab; across tabs by a Web Lock), by `seq`. An entry the server
 *   refused blocks the later entries of the same case, never those of other cases.
 * - Chains: several actions made offline on one case share the version the member saw. When one of ours lands
 *   exactly on that version, the later ones move to the version it produced: they were made on top of it.
 * - Nothing silently lost: a refusal (version conflict, invalid now, case gone) keeps the entry, with the
 *   server's problem and the case as it is now, until the member re-applies or drops it.
 */
export function createOutbox({ db, client, cache, now = Date.now, random = Math.random, onChange }: OutboxOptions) {
  let running: Promise<ReplayReport> | null = null
  let next: Promise<ReplayReport> | null = null
  let forced = false

  async function list(userId: string): Promise<OutboxEntry[]> {
    const all = await (await db).getAll('outbox')
    return all.filter((e) => e.userId === userId).sort((a, b) => a.seq! - b.seq!)
  }

  async function queue(userId: string, base: CaseSummary, input: ActionInput, photos: StoredPhoto[] = [], photosPublic = false): Promise<OutboxEntry> {
    const action = { ...input, opId: uuidv7(), baseVersion: base.version, occurredAt: new Date(now()).toISOString() } as CaseActionBody
    const entry: OutboxEntry = {
      opId: action.opId, userId, caseId: base.id, caseLabel: base.publicNo, action, photos, ...(photosPublic ? { photosPublic } : {}),
      state: 'pending', attempts: 0, nextAttemptAt: 0, createdAt: now(),
    }
    entry.seq = await (await db).add('outbox', entry)
    onChange?.()
    return entry
  }

  /** Queues a record that is not a case action (issue 15); the case-only parts of the entry are stand-ins. */
  async function queueOp(userId: string, op: OutboxOp): Promise<OutboxEntry> {
    const opId = op.body.opId
    const action = { type: 'note', body: op.kind, opId, baseVersion: 0 } as CaseActionBody
    const entry: OutboxEntry = { opId, userId, caseId: `op:${opId}`, caseLabel: op.kind, action, op, photos: [], state: 'pending', attempts: 0, nextAttemptAt: 0, createdAt: now() }
    entry.seq = await (await db).add('outbox', entry)
    onChange?.()
    return entry
  }

  function send(entry: OutboxEntry): Promise<CaseActionResult> {
    const path = `/api/v1/cases/${entry.caseId}/actions`
    if (entry.photos.length === 0) return client.request<CaseActionResult>(path, { json: entry.action })
    const form = new FormData()
    form.append('action', JSON.stringify(entry.action))
    if (entry.photosPublic) form.append('public', 'true')
    entry.photos.forEach((p, i) => form.append(`photo${i + 1}`, new Blob([p.bytes], { type: p.type }), `photo${i + 1}.jpg`))
    return client.request<CaseActionResult>(`${path}/with-photos`, { form })
  }

  /** The server has this entry: drop it, move our later actions on the case onto the version it made. */
  async function landed(entry: OutboxEntry, result: CaseActionResult): Promise<void> {
    const tx = (await db).transaction('outbox', 'readwrite')
    await tx.store.delete(entry.seq!)
    if (!result.rebased) {
      for (const later of await tx.store.index('byCase').getAll(entry.caseId)) {
        if (later.seq! > entry.seq! && later.action.baseVersion === entry.action.baseVersion) {
          await tx.store.put({ ...later, action: { ...later.action, baseVersion: result.case.version } })
        }
      }
    }
    await tx.done
    await cache.applyResult(result, now())
  }

  async function update(entry: OutboxEntry): Promise<void> {
    await (await db).put('outbox', entry)
  }

  async function run(userId: string, force: boolean): Promise<ReplayReport> {
    const report: ReplayReport = { sent: 0, needsAttention: 0, pending: 0 }
    const blocked = new Set<string>()
    for (const listed of await list(userId)) {
      // Read it again: an earlier send in this run may have moved it onto a newer version (or the member dropped it).
      const entry = await (await db).get('outbox', listed.seq!)
      if (!entry) continue
      if (entry.state !== 'pending') {
        report.needsAttention++
        blocked.add(entry.caseId)
        continue
      }
      if (report.stopped || blocked.has(entry.caseId) || (!force && entry.nextAttemptAt > now())) {
        // Whatever holds this entry back holds back the later actions on its case too: they were made after it.
        blocked.add(entry.caseId)
        report.pending++
        continue
      }
      try {
        if (entry.op) {
          await client.request(entry.op.path, { json: entry.op.body })
          await (await db).delete('outbox', entry.seq!)
        } else await landed(entry, await send(entry))
        report.sent++
      } catch (e) {
        const refused = e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 401 && e.status !== 408 && e.status !== 429
        if (refused) {
          await update({ ...entry, state: CONFLICT_CODES.has(e.code) || e.status === 409 ? 'conflict' : 'rejected', problem: e.problem as OutboxEntry['problem'] })
          report.needsAttention++
          blocked.add(entry.caseId)
        } else if (e instanceof SignedOutError || (e instanceof ApiError && e.status === 401)) {
          report.stopped = 'signed_out'
          report.pending++
        } else {
          // Offline, timed out, 5xx or 429: try again later, this entry first.
          const attempts = entry.attempts + 1
          await update({ ...entry, attempts, nextAttemptAt: now() + backoffMs(attempts, random) })
          report.stopped = 'offline'
          report.pending++
          if (!(e instanceof OfflineError) && !(e instanceof ApiError)) throw e
        }
      }
      onChange?.()
    }
    return report
  }

  /** Puts a refused entry back in line, in its place: re-applied as it was, or corrected (`change`). */
  async function resend(seq: number, change?: { input: ActionInput; photos?: StoredPhoto[]; photosPublic?: boolean }): Promise<OutboxEntry | undefined> {
    // Read what we know of the case first: an IndexedDB transaction must not wait on anything else.
    const before = await (await db).get('outbox', seq)
    if (!before) return undefined
    const cached = (await cache.get(before.caseId))?.version ?? 0
    const tx = (await db).transaction('outbox', 'readwrite')
    const entry = await tx.store.get(seq)
    if (!entry || entry.state === 'pending') return undefined
    if (change && change.input.type !== entry.action.type) throw new Error(`a ${entry.action.type} cannot be revised into a ${change.input.type}`)
    const current = entry.problem?.current as CaseSummary | undefined
    const version = Math.max(current?.version ?? 0, cached, entry.action.baseVersion)
    const oldBase = entry.action.baseVersion
    const opId = uuidv7()
    const action = (change
      ? { ...change.input, opId, baseVersion: version, occurredAt: new Date(now()).toISOString() }
      : { ...entry.action, opId, baseVersion: version }) as CaseActionBody
    const next: OutboxEntry = {
      ...entry, opId, action, photos: change?.photos ?? entry.photos, photosPublic: change?.photosPublic ?? entry.photosPublic,
      state: 'pending', attempts: 0, nextAttemptAt: 0, problem: undefined,
    }
    await tx.store.put(next)
    for (const later of await tx.store.index('byCase').getAll(entry.caseId)) {
      if (later.seq! > seq && later.state === 'pending' && later.action.baseVersion === oldBase) {
        await tx.store.put({ ...later, action: { ...later.action, baseVersion: version } })
      }
    }
    await tx.done
    onChange?.()
    return next
  }

  return {
    list,
    queue,
    queueOp,

    /**
     * Sends what is pending, in order. `force` ignores the backoff (app start, `online`, the member's "sync now");
     * the periodic retry does not force. Concurrent calls share one run.
     */
    replay(userId: string, { force = false } = {}): Promise<ReplayReport> {
      // One run at a time. A call during a run gets a fresh run right after it (shared by every call that
      // arrives meanwhile), so an action queued during a run is never left out of the answer.
      const ahead: Promise<unknown> = running ?? Promise.resolve()
      next ??= ahead.catch(() => undefined).then((): Promise<ReplayReport> => {
        next = null
        const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined
        const force = forced
        forced = false
        const run1 = (): Promise<ReplayReport> => run(userId, force)
        // LockManager's typing nests the promise; then() flattens it.
        const current = (locks ? locks.request('msj-outbox', run1).then((r) => r) : run1()).finally(() => { running = null })
        running = current
        return current
      })
      forced ||= force
      return next
    },

    /** When the next periodic retry is due (epoch ms), or null if nothing waits for one. */
    async nextRetryAt(userId: string): Promise<number | null> {
      const due = (await list(userId)).filter((e) => e.state === 'pending').map((e) => e.nextAttemptAt)
      return due.length ? Math.min(...due) : null
    },

    /**
     * The member saw the conflict and wants their action anyway, on the case as it is now: a new opId (the
     * server refused the old one), the current version, and the same move for their later actions on the case.
     */
    reapply: (seq: number): Promise<OutboxEntry | undefined> => resend(seq),

    /**
     * The member corrected an action the server refused (修改后重发): the corrected action takes the refused
     * entry's place in the queue (same `seq`, so it is still sent before the member's later actions on the case),
     * with a new opId and the current version, as a re-apply. Photos are replaced by `photos` when given.
     */
    revise: (seq: number, input: ActionInput, photos?: StoredPhoto[], photosPublic?: boolean): Promise<OutboxEntry | undefined> => resend(seq, { input, photos, photosPublic }),

    /** The member chose to give this action up. */
    async drop(seq: number): Promise<void> {
      await (await db).delete('outbox', seq)
      onChange?.()
    },
  }
}
export type Outbox = ReturnType<typeof createOutbox>

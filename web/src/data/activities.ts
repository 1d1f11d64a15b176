import { v7 as uuidv7 } from 'uuid'
import type { Activity, ActivityPage, MemberActivityBody, MemberActivityResult, Problem } from '@mashangjian/shared'
import { ApiError, OfflineError, SignedOutError, type ApiClient } from './api-client'
import { backoffMs } from './backoff'
import type { AppDb, StoredPhoto } from './db'

/** An activity as the member fills it in: everything but the opId the queue gives it. */
export type ActivityInput = Omit<MemberActivityBody, 'opId'>

/**
 * One activity the member logged on the phone, waiting to reach the server exactly once (issue 15). Kept in the
 * `meta` store under `activityOp:<opId>` with its photos (bytes), so no new object store (no database upgrade)
 * is needed; the case outbox is untouched. `state`: 'pending' until sent, 'rejected' when the server refused it.
 */
export interface QueuedActivity {
  opId: string
  userId: string
  body: MemberActivityBody
  photos: StoredPhoto[]
  state: 'pending' | 'rejected'
  attempts: number
  nextAttemptAt: number
  createdAt: number
  problem?: Problem
}

/** What "我的履职" shows: the server's list as last read, and what is still on the phone. */
export interface MyActivities {
  items: Activity[]
  queued: QueuedActivity[]
  /** When the list was last read from the server (epoch ms), or null if never on this phone. */
  fetchedAt: number | null
}

const OP_PREFIX = 'activityOp:'
const LIST_KEY = 'myActivities'
const opRange = () => IDBKeyRange.bound(OP_PREFIX, `${OP_PREFIX}\uffff`)

export interface ActivityQueueOptions {
  db: Promise<AppDb>
  client: ApiClient
  now?: () => number
  random?: () => number
  onChange?: () => void
}

/**
 * The member's own 履职 activities: logged on the device at once (works offline), sent when the network allows,
 * each exactly once: the server records one activity per `opId` and answers a resend with the first result, so
 * an op stays queued until the server has answered it and a lost answer only means one more harmless send.
 */
export function createActivityQueue({ db, client, now = Date.now, random = Math.random, onChange }: ActivityQueueOptions) {
  let running: Promise<number> | null = null

  async function queued(userId: string): Promise<QueuedActivity[]> {
    const all = (await (await db).getAll('meta', opRange())) as QueuedActivity[]
    return all.filter((e) => e.userId === userId).sort((a, b) => a.createdAt - b.createdAt)
  }
  const put = async (e: QueuedActivity) => {
    await (await db).put('meta', e, OP_PREFIX + e.opId)
  }

  function send(e: QueuedActivity): Promise<MemberActivityResult> {
    if (e.photos.length === 0) return client.request<MemberActivityResult>('/api/v1/me/activities', { json: e.body })
    const form = new FormData()
    form.append('activity', JSON.stringify(e.body))
    e.photos.forEach((p, i) => form.append(`photo${i + 1}`, new Blob([p.bytes], { type: p.type }), `photo${i + 1}.jpg`))
    return client.request<MemberActivityResult>('/api/v1/me/activities', { form })
  }

  /** Sends what is pending, oldest first; stops at the first network failure. Answers how many were sent. */
  async function run(userId: string, force: boolean): Promise<number> {
    let sent = 0
    for (const e of await queued(userId)) {
      if (e.state !== 'pending' || (!force && e.nextAttemptAt > now())) continue
      try {
        const result = await send(e)
        await (await db).delete('meta', OP_PREFIX + e.opId)
        await remember(userId, [result.activity])
        sent++
      } catch (err) {
        if (err instanceof ApiError && err.status >= 400 && err.status < 500 && ![401, 408, 429].includes(err.status)) {
          await put({ ...e, state: 'rejected', problem: err.problem })
        } else if (err instanceof OfflineError || err instanceof ApiError) {
          const attempts = e.attempts + 1
          await put({ ...e, attempts, nextAttemptAt: now() + backoffMs(attempts, random) })
          onChange?.()
          break
        } else if (err instanceof SignedOutError) break
        else throw err
      }
      onChange?.()
    }
    return sent
  }

  /** Adds (or replaces, by id) activities in the kept list, newest first. */
  async function remember(userId: string, items: Activity[], replaceAll = false): Promise<void> {
    const d = await db
    const kept = (await d.get('meta', LIST_KEY)) as { userId: string; items: Activity[]; fetchedAt: number } | undefined
    const base = replaceAll || kept?.userId !== userId ? [] : kept.items
    const byId = new Map(base.map((a) => [a.id, a]))
    for (const a of items) byId.set(a.id, a)
    const all = [...byId.values()].sort((a, b) => (a.occurredOn === b.occurredOn ? b.createdAt.localeCompare(a.createdAt) : b.occurredOn.localeCompare(a.occurredOn)))
    await d.put('meta', { userId, items: all, fetchedAt: replaceAll ? now() : (kept?.fetchedAt ?? now()) }, LIST_KEY)
  }

  return {
    queued,

    /** Logs an activity on the device; the caller then asks for a send. Photos are kept as bytes until sent. */
    async log(userId: string, input: ActivityInput, files: Blob[]): Promise<QueuedActivity> {
      const photos: StoredPhoto[] = await Promise.all(files.slice(0, 3).map(async (f) => ({ type: f.type || 'image/jpeg', bytes: await f.arrayBuffer() })))
      const entry: QueuedActivity = { opId: uuidv7(), userId, body: { ...input, opId: '' }, photos, state: 'pending', attempts: 0, nextAttemptAt: 0, createdAt: now() }
      entry.body.opId = entry.opId
      await put(entry)
      onChange?.()
      return entry
    },

    /** One send at a time in this tab (and across tabs by a Web Lock); a resend is harmless anyway. */
    replay(userId: string, { force = false } = {}): Promise<number> {
      const ahead = running ?? Promise.resolve(0)
      const next: Promise<number> = ahead
        .catch(() => 0)
        .then(() => {
          const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined
          const go = () => run(userId, force)
          return locks ? locks.request('msj-activity-outbox', go).then((n) => n) : go()
        })
      running = next.finally(() => {
        if (running === next) running = null
      })
      return next
    },

    /** Reads the member's list from the server (kept for offline); offline, as last read. */
    async mine(userId: string, online: boolean): Promise<MyActivities> {
      if (online) {
        try {
          const page = await client.request<ActivityPage>('/api/v1/activities?limit=100')
          await remember(userId, page.items, true)
        } catch (e) {
          if (!(e instanceof OfflineError || e instanceof ApiError)) throw e
        }
      }
      const kept = (await (await db).get('meta', LIST_KEY)) as { userId: string; items: Activity[]; fetchedAt: number } | undefined
      const own = kept?.userId === userId ? kept : undefined
      return { items: own?.items ?? [], queued: await queued(userId), fetchedAt: own?.fetchedAt ?? null }
    },

    /** The member gives up an activity the server refused (or one not sent yet). */
    async drop(opId: string): Promise<void> {
      await (await db).delete('meta', OP_PREFIX + opId)
      onChange?.()
    },

    /** A photo of an activity from the server as bytes (the screen makes an object URL). */
    photo: (url: string) => client.request<ArrayBuffer>(url),
  }
}
export type ActivityQueue = ReturnType<typeof createActivityQueue>

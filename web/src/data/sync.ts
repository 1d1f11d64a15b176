import { INBOX_DONE_STATUSES, type CaseDestinations, type CaseDetail, type CaseListPage, type CaseStatus, type SyncPage } from '@mashangjian/shared'
import { ApiError, OfflineError, apiPath, type ApiClient } from './api-client'
import type { CaseCache } from './case-cache'
import type { AppDb } from './db'

const CURSOR_KEY = 'syncCursor'
const OWNER_KEY = 'cacheOwner'
/** The first load reads at most this many cases (newest first); older closed ones are fetched when opened. */
const FIRST_LOAD_PAGES = 20

export interface SyncOptions {
  db: Promise<AppDb>
  client: ApiClient
  cache: CaseCache
  now?: () => number
  onChange?: () => void
}

/**
 * Keeps the cached cases current from the case engine's /sync feed. First use (or another user): take the
 * feed's current cursor, then read the inbox; changes committed in between arrive on the next pull, so none
 * is missed. Afterwards only the delta is read. Details (timeline, photos, phone) are fetched for open cases
 * whose version moved, so the member has them offline.
 */
export function createSync({ db, client, cache, now = Date.now, onChange }: SyncOptions) {
  let running: Promise<string[]> | null = null
  let next: Promise<string[]> | null = null
  const meta = async <T>(key: string) => (await (await db).get('meta', key)) as T | undefined
  const setMeta = async (key: string, value: unknown) => { await (await db).put('meta', value, key) }

  async function firstLoad(): Promise<string[]> {
    const start = await client.request<SyncPage>('/api/v1/sync')
    const ids: string[] = []
    let cursor: string | null = null
    for (let page = 0; page < FIRST_LOAD_PAGES; page++) {
      const q: URLSearchParams = new URLSearchParams({ filter: 'all', limit: '50', ...(cursor ? { cursor } : {}) })
      const res: CaseListPage = await client.request<CaseListPage>(`/api/v1/me/cases?${q}`)
      ids.push(...(await cache.putSummaries(res.items)))
      cursor = res.nextCursor
      if (!cursor) break
    }
    await setMeta(CURSOR_KEY, start.cursor)
    return ids
  }

  async function delta(since: string): Promise<string[]> {
    const ids: string[] = []
    for (;;) {
      const page = await client.request<SyncPage>(`/api/v1/sync?since=${encodeURIComponent(since)}&limit=500`)
      ids.push(...(await cache.putSummaries(page.cases, page.removed)))
      await setMeta(CURSOR_KEY, page.cursor)
      since = page.cursor
      if (!page.more) return ids
    }
  }

  /** Fetches the detail of a case (and its photos) if the kept one is older than the case. */
  async function refreshDetail(id: string, { force = false } = {}): Promise<CaseDetail | undefined> {
    const [summary, kept] = await Promise.all([cache.get(id), cache.detail(id)])
    if (!force && kept && summary && kept.version >= summary.version) return kept
    const detail = await client.request<CaseDetail>(`/api/v1/cases/${id}`)
    for (const a of detail.attachments) {
      if (await cache.photo(a.id)) continue
      const bytes = await client.request<ArrayBuffer>(`/api/v1/attachments/${a.id}`)
      await cache.putPhoto(a.id, a.mime, bytes)
    }
    // The photos departments sent with their answers (交办), so the member can relay them offline: best effort.
    for (const p of (detail.handoffs ?? []).flatMap((h) => h.photos)) {
      if (await cache.photo(p.id)) continue
      try {
        await cache.putPhoto(p.id, 'image/jpeg', await client.request<ArrayBuffer>(apiPath(p.url)))
      } catch (e) {
        if (!(e instanceof ApiError)) throw e
      }
    }
    await cache.putDetail(detail, now())
    // Where the case may be handed on (转办) or handed to (交办), so the sheet can offer it offline: best effort,
    // the sheet reads it again online; a failure here never fails the detail.
    if (detail.allowedActions.includes('transfer') || detail.allowedActions.includes('handoff')) {
      try {
        await cache.putDestinations(id, await client.request<CaseDestinations>(`/api/v1/cases/${id}/destinations`), now())
      } catch (e) {
        if (!(e instanceof ApiError || e instanceof OfflineError)) throw e
      }
    }
    return detail
  }

  async function run(userId: string, prefetchDetails: boolean): Promise<string[]> {
    if ((await meta<string>(OWNER_KEY)) !== userId) {
      // Another member signed in on this phone: their cases are not ours to keep.
      await cache.clear()
      await (await db).delete('meta', CURSOR_KEY)
      await setMeta(OWNER_KEY, userId)
    }
    const cursor = await meta<string>(CURSOR_KEY)
    const changed = cursor ? await delta(cursor) : await firstLoad()
    if (changed.length) onChange?.()
    // A member's open cases must work offline: bring their details up to date. Admins see a whole county and
    // work online: their details are fetched when opened.
    if (!prefetchDetails) return changed
    const open = (await cache.all()).filter((c) => !(INBOX_DONE_STATUSES as readonly CaseStatus[]).includes(c.status))
    for (const c of open) {
      const kept = await cache.detail(c.id)
      if (kept && kept.version >= c.version) continue
      try {
        await refreshDetail(c.id)
        onChange?.()
      } catch (e) {
        // Offline stops the pull. A case the server will not show (gone from our scope: the next pull removes
        // it) or cannot show now is skipped: the others still come down, and it is tried on the next pull.
        if (!(e instanceof ApiError)) throw e
      }
    }
    return changed
  }

  return {
    /** Brings the cache up to date; concurrent calls share one run. Returns the ids of cases that changed. */
    pull(userId: string, { prefetchDetails = true } = {}): Promise<string[]> {
      // As the outbox: one at a time, and a call during a pull gets the pull after it (it may know of newer changes).
      const ahead: Promise<unknown> = running ?? Promise.resolve()
      next ??= ahead.catch(() => undefined).then((): Promise<string[]> => {
        next = null
        const current = run(userId, prefetchDetails).finally(() => { running = null })
        running = current
        return current
      })
      return next
    },
    refreshDetail,
    /** Forgets the cached cases and where the feed was (sign-out); the next sign-in loads afresh. */
    async forget(): Promise<void> {
      await cache.clear()
      const d = await db
      await Promise.all([d.delete('meta', CURSOR_KEY), d.delete('meta', OWNER_KEY)])
    },
    lastSyncedAt: () => meta<number>('lastSyncedAt'),
    markSynced: () => setMeta('lastSyncedAt', now()),
  }
}
export type Sync = ReturnType<typeof createSync>

import type { CaseDestinations, CaseDetail, CaseSummary, MetricsReport, NotificationPreferences, NotificationPreferencesView } from '@mashangjian/shared'
import { ApiError, OfflineError, SignedOutError, createApiClient } from './api-client'
import { createActivityQueue, type ActivityInput, type MyActivities } from './activities'
import { createCaseCache } from './case-cache'
import { openAppDb, type OutboxEntry, type Session, type StoredPhoto } from './db'
import { createLive } from './live'
import { createOutbox, type ActionInput, type ReplayReport } from './outbox'
import { INBOX_TABS, project, tabsOf, type CaseView, type InboxTab } from './projection'
import { createSync } from './sync'
import { createContactsData } from './contacts'

export interface DataStatus {
  /** The session and counts were read once (until then the app shows a splash, not the login page). */
  ready: boolean
  signedIn: boolean
  user: Session['user'] | null
  /** The browser says so, and the last request reached the server. */
  online: boolean
  syncing: boolean
  lastSyncedAt: number | null
  /** Actions waiting to be sent. */
  pending: number
  /** Actions the server refused; the member must decide. */
  attention: number
}

export interface DataStoreOptions {
  baseUrl?: string
  dbName?: string
  now?: () => number
  /** Retry pending actions this often (the backoff may make a given entry wait longer). */
  pollMs?: number
}

const STATS_KEY = 'stats'
const NOTIFY_PREFS_KEY = 'notifyPrefs'

/**
 * Everything the member app knows, behind intent-level functions: components never open IndexedDB or call
 * fetch. Reads come from the device (so they work offline); writes go to the outbox and are sent when the
 * network allows; the cache follows the server through /sync and the live stream.
 */
export function createDataStore({ baseUrl = '', dbName = 'mashangjian-member', now = Date.now, pollMs = 30_000 }: DataStoreOptions = {}) {
  const db = openAppDb(dbName)
  const listeners = new Set<() => void>()
  const status: DataStatus = { ready: false, signedIn: false, user: null, online: typeof navigator === 'undefined' || navigator.onLine, syncing: false, lastSyncedAt: null, pending: 0, attention: 0 }
  let closed = false
  const changed = () => {
    if (closed) return
    void refreshCounts().then(() => { if (!closed) listeners.forEach((fn) => fn()) }, () => undefined)
  }

  const client = createApiClient({ baseUrl, db, now, onSignedOut: () => { status.signedIn = false; changed() } })
  const cache = createCaseCache(db)
  const outbox = createOutbox({ db, client, cache, now, onChange: changed })
  const sync = createSync({ db, client, cache, now, onChange: changed })
  const activities = createActivityQueue({ db, client, now, onChange: changed })
  const live = createLive({ baseUrl, client, onChange: () => void syncNow() })
  let timer: ReturnType<typeof setInterval> | undefined

  async function refreshCounts() {
    const s = await client.session()
    status.signedIn = !!s
    status.user = s?.user ?? null
    const entries = s ? await outbox.list(s.user.id) : []
    // The member's own 履职 activities (issue 15) wait in their own queue; they count as pending too.
    const logged = s ? await activities.queued(s.user.id) : []
    status.pending = entries.filter((e) => e.state === 'pending').length + logged.filter((e) => e.state === 'pending').length
    status.attention = entries.filter((e) => e.state !== 'pending').length + logged.filter((e) => e.state !== 'pending').length
    status.lastSyncedAt = (await sync.lastSyncedAt()) ?? null
    status.ready = true
  }

  const userId = async () => {
    const s = await client.session()
    if (!s) throw new SignedOutError('signed out')
    return s.user.id
  }

  /** Offline, or the server failing (5xx, 429): the app works from the device and tries again later. */
  function noteNetwork(e: unknown) {
    if (e instanceof OfflineError || (e instanceof ApiError && (e.status >= 500 || e.status === 429))) status.online = false
    else if (!(e instanceof SignedOutError)) throw e
  }

  /** Send the outbox, then pull what changed. Safe to call any time; offline it just notes that. */
  async function syncNow({ force = true } = {}): Promise<ReplayReport | undefined> {
    if (closed) return undefined
    let report: ReplayReport | undefined
    status.syncing = true
    changed()
    try {
      const session = await client.session()
      if (!session) throw new SignedOutError('signed out')
      const id = session.user.id
      report = await outbox.replay(id, { force })
      if (report.stopped !== 'offline' && session.user.role === 'member') await activities.replay(id, { force })
      if (report.stopped === 'offline') status.online = false
      else {
        await sync.pull(id, { prefetchDetails: session.user.role === 'member' })
        await sync.markSynced()
        status.online = true
      }
    } catch (e) {
      noteNetwork(e)
    } finally {
      status.syncing = false
      changed()
    }
    return report
  }

  async function views(): Promise<CaseView[]> {
    const s = await client.session()
    const entries = s ? await outbox.list(s.user.id) : []
    return (await cache.all()).map((c) => project(c, entries))
  }

  return {
    status: (): Readonly<DataStatus> => status,
    subscribe(fn: () => void): () => void {
      listeners.add(fn)
      return () => listeners.delete(fn)
    },

    async signIn(username: string, password: string): Promise<void> {
      await client.signIn(username, password)
      status.online = true
      changed()
      live.start()
      await syncNow()
    },
    /**
     * Ends the session and forgets the cached cases (a phone may be shared). Actions not yet sent stay in the
     * outbox, kept for this member: they are sent after their next sign-in.
     */
    async signOut(): Promise<void> {
      live.stop()
      await client.signOut()
      await sync.forget()
      changed()
    },
    session: () => client.session(),
    syncNow,
    /** Online calls for the admin console (src/admin/admin-api.ts); the member views read the device instead. */
    request: client.request,
    accessToken: client.accessToken,

    /** The inbox tab's cases (newest first) and the count of every tab, all from the device. */
    async inbox(tab: InboxTab): Promise<{ items: CaseView[]; counts: Record<InboxTab, number> }> {
      const at = new Date(now())
      const all = await views()
      const counts = Object.fromEntries(INBOX_TABS.map((t) => [t, 0])) as Record<InboxTab, number>
      const items: CaseView[] = []
      for (const v of all) {
        const tabs = tabsOf(v.case, at)
        for (const t of tabs) counts[t]++
        if (tabs.includes(tab)) items.push(v)
      }
      items.sort((a, b) => (a.case.createdAt < b.case.createdAt ? 1 : a.case.createdAt > b.case.createdAt ? -1 : 0))
      return { items, counts }
    },

    /** One case from the device; when online and the kept detail is stale, fetch it first. */
    async caseView(id: string): Promise<{ view: CaseView; detail: CaseDetail | undefined } | null> {
      try {
        if (status.online) await sync.refreshDetail(id)
      } catch (e) {
        if (!(e instanceof ApiError)) noteNetwork(e)
      }
      const [summary, detail] = await Promise.all([cache.get(id), cache.detail(id)])
      const base: CaseSummary | undefined = summary ?? detail
      if (!base) return null
      const s = await client.session()
      return { view: project(base, s ? await outbox.list(s.user.id) : []), detail }
    },

    /** The member acts on a case: queued on the device at once, sent when the network allows. */
    /** `photosPublic`: show the photos on the resident's tracking page (issue 16). */
    async act(caseId: string, input: ActionInput, files: Blob[] = [], photosPublic = false): Promise<OutboxEntry> {
      const base = await cache.get(caseId)
      if (!base) throw new Error(`case ${caseId} is not on this device`)
      const photos: StoredPhoto[] = await Promise.all(files.map(async (f) => ({ type: f.type || 'image/jpeg', bytes: await f.arrayBuffer() })))
      const entry = await outbox.queue(await userId(), base, input, photos, photosPublic)
      void syncNow()
      return entry
    },

    /**
     * Where the case may go: the stations and members of 转办, the departments of 交办 (and the default reply
     * deadline). Read fresh when the network allows (and kept with the case); offline, as last read on this device,
     * or `destinations: null` if it never was (needs a connection). A refusal (e.g. the case is no longer the
     * member's) is thrown as an ApiError.
     */
    async destinations(caseId: string): Promise<{ destinations: CaseDestinations | null; fetchedAt: number | null; fresh: boolean }> {
      if (typeof navigator === 'undefined' || navigator.onLine !== false) {
        try {
          const fresh = await client.request<CaseDestinations>(`/api/v1/cases/${caseId}/destinations`)
          await cache.putDestinations(caseId, fresh, now())
          return { destinations: fresh, fetchedAt: now(), fresh: true }
        } catch (e) {
          if (e instanceof ApiError && e.status < 500 && e.status !== 429) throw e
          noteNetwork(e)
        }
      }
      const kept = await cache.destinations(caseId)
      return { destinations: kept?.value ?? null, fetchedAt: kept?.fetchedAt ?? null, fresh: false }
    },

    // Case actions only: other records (issue 15's contacts) show on their own screens.
    outbox: async () => (await outbox.list(await userId())).filter((e) => !e.op),
    contacts: createContactsData({ db, client, outbox, userId, syncNow, noteNetwork }),
    reapply: async (seq: number) => { await outbox.reapply(seq); void syncNow() },
    /**
     * 修改后重发: the corrected action replaces the refused one in the outbox (its place in line, a new opId, the
     * case's current version) and is sent when the network allows. `files` replace the entry's photos.
     */
    async revise(seq: number, input: ActionInput, files?: Blob[], photosPublic?: boolean): Promise<OutboxEntry | undefined> {
      const photos = files && await Promise.all(files.map(async (f): Promise<StoredPhoto> => ({ type: f.type || 'image/jpeg', bytes: await f.arrayBuffer() })))
      const entry = await outbox.revise(seq, input, photos, photosPublic)
      void syncNow()
      return entry
    },
    drop: async (seq: number) => { await outbox.drop(seq); void syncNow() },

    /** "我的履职" (issue 15): the member's activities as last read, and those still on the phone. */
    myActivities: async (): Promise<MyActivities> => activities.mine(await userId(), status.online),
    /** The member logs an activity: kept on the device at once (with its photos), sent when the network allows. */
    async logActivity(input: ActivityInput, files: Blob[] = []) {
      const entry = await activities.log(await userId(), input, files)
      void syncNow()
      return entry
    },
    dropActivity: (opId: string) => activities.drop(opId),
    /** A photo of one of the member's activities (online), as an object URL the caller revokes. */
    async activityPhotoUrl(url: string): Promise<string> {
      return URL.createObjectURL(new Blob([await activities.photo(url)], { type: 'image/jpeg' }))
    },

    /** A kept photo as an object URL (the caller revokes it), or null if it is not on the device. */
    async photoUrl(attachmentId: string): Promise<string | null> {
      const p = await cache.photo(attachmentId)
      return p ? URL.createObjectURL(new Blob([p.bytes], { type: p.type })) : null
    },

    /** This year's figures for the signed-in member (kept for offline). */
    async myYear(): Promise<MetricsReport | null> {
      const s = await client.session()
      const memberId = s?.user.memberId
      if (!memberId) return null
      const kept = (await (await db).get('meta', STATS_KEY)) as MetricsReport | undefined
      try {
        const fresh = await client.request<MetricsReport>(`/api/v1/metrics?scope=member&id=${memberId}`)
        await (await db).put('meta', fresh, STATS_KEY)
        return fresh
      } catch (e) {
        if (e instanceof ApiError) throw e
        noteNetwork(e)
        return kept ?? null
      }
    },

    /** Registers this device's push subscription (from sw-bridge) for new-case alerts. */
    async savePushSubscription(sub: PushSubscriptionJSON): Promise<void> {
      await client.request('/api/v1/push/subscriptions', { json: sub })
    },
    pushKey: () => client.request<{ publicKey: string }>('/api/v1/push/key'),

    /**
     * How new cases, reminders and 督办 reach the member (SMS, push) and the masked phone SMS would go to. Read
     * fresh when the network allows (and kept for this member); offline, as last read on this device, or
     * `view: null` if it never was. A refusal is thrown as an ApiError.
     */
    async notificationPreferences(): Promise<{ view: NotificationPreferencesView | null; fresh: boolean }> {
      const id = await userId()
      const kept = (await (await db).get('meta', NOTIFY_PREFS_KEY)) as { userId: string; view: NotificationPreferencesView } | undefined
      if (typeof navigator === 'undefined' || navigator.onLine !== false) {
        try {
          const view = await client.request<NotificationPreferencesView>('/api/v1/me/notification-preferences')
          await (await db).put('meta', { userId: id, view }, NOTIFY_PREFS_KEY)
          return { view, fresh: true }
        } catch (e) {
          if (e instanceof ApiError && e.status < 500 && e.status !== 429) throw e
          noteNetwork(e)
        }
      }
      return { view: kept?.userId === id ? kept.view : null, fresh: false }
    },
    /**
     * Saves the member's choice. Online only: a preference is not worth the outbox (the member sees at once whether
     * it took); offline this throws an OfflineError and nothing changes.
     */
    async saveNotificationPreferences(prefs: NotificationPreferences): Promise<NotificationPreferencesView> {
      const id = await userId()
      if (typeof navigator !== 'undefined' && navigator.onLine === false) throw new OfflineError('offline')
      try {
        const view = await client.request<NotificationPreferencesView>('/api/v1/me/notification-preferences', { method: 'PUT', json: prefs })
        await (await db).put('meta', { userId: id, view }, NOTIFY_PREFS_KEY)
        return view
      } catch (e) {
        if (e instanceof OfflineError) status.online = false
        throw e
      }
    },

    /** Starts the background work: replay + pull now, on `online`, every `pollMs`, and live updates. */
    start(): () => void {
      const onOnline = () => {
        status.online = true
        live.start()
        void syncNow()
      }
      const onOffline = () => {
        status.online = false
        live.stop()
        changed()
      }
      if (typeof window !== 'undefined') {
        window.addEventListener('online', onOnline)
        window.addEventListener('offline', onOffline)
      }
      timer = setInterval(() => {
        if (typeof navigator !== 'undefined' && !navigator.onLine) return
        void syncNow({ force: false })
      }, pollMs)
      void client.session().then(async (s) => {
        if (!s) return changed()
        if (status.online) live.start()
        await syncNow()
      })
      return () => {
        clearInterval(timer)
        live.stop()
        if (typeof window !== 'undefined') {
          window.removeEventListener('online', onOnline)
          window.removeEventListener('offline', onOffline)
        }
      }
    },
    /** For tests and shutdown. */
    async close(): Promise<void> {
      closed = true
      clearInterval(timer)
      live.stop()
      ;(await db).close()
    },
  }
}
export type DataStore = ReturnType<typeof createDataStore>
export type { CaseView, InboxTab, OutboxEntry, ReplayReport }

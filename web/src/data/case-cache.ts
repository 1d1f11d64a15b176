import type { CaseActionResult, CaseDestinations, CaseDetail, CaseSummary } from '@mashangjian/shared'
import type { AppDb } from './db'

/**
 * The cases the member has seen, as the server last said (never optimistic: pending actions are laid over
 * them by projection.ts). A write never replaces a newer version with an older one, so a late answer or an
 * out-of-order sync page cannot roll a case back.
 */
export function createCaseCache(db: Promise<AppDb>) {
  return {
    async all(): Promise<CaseSummary[]> {
      return (await db).getAll('cases')
    },
    async get(id: string): Promise<CaseSummary | undefined> {
      return (await db).get('cases', id)
    },
    async detail(id: string): Promise<CaseDetail | undefined> {
      return (await (await db).get('details', id))?.detail
    },

    /** Puts cases that are newer than what is kept; returns the ids that changed. */
    async putSummaries(items: CaseSummary[], removed: string[] = []): Promise<string[]> {
      const tx = (await db).transaction(['cases', 'details'], 'readwrite')
      const cases = tx.objectStore('cases')
      const changed: string[] = []
      for (const c of items) {
        const old = await cases.get(c.id)
        if (old && old.version >= c.version) continue
        await cases.put(c)
        changed.push(c.id)
      }
      for (const id of removed) {
        await cases.delete(id)
        await tx.objectStore('details').delete(id)
        changed.push(id)
      }
      await tx.done
      return changed
    },

    async putDetail(detail: CaseDetail, fetchedAt: number): Promise<void> {
      const tx = (await db).transaction(['cases', 'details'], 'readwrite')
      const old = await tx.objectStore('details').get(detail.id)
      // The destinations stay with the case: a newer detail does not make them unknown.
      if (!old || old.detail.version <= detail.version) await tx.objectStore('details').put({ detail, fetchedAt, ...(old?.destinations ? { destinations: old.destinations } : {}) })
      const summary = await tx.objectStore('cases').get(detail.id)
      if (!summary || summary.version < detail.version) {
        const { residentPhone: _phone, events: _events, attachments: _attachments, allowedActions: _allowed, ...rest } = detail
        await tx.objectStore('cases').put(rest)
      }
      await tx.done
    },

    /** What an action answered: the case as it is now and the events it wrote, added to the kept timeline. */
    async applyResult(result: CaseActionResult, _fetchedAt: number): Promise<void> {
      const tx = (await db).transaction(['cases', 'details'], 'readwrite')
      // Only a case still kept: a pull may have removed it meanwhile (declined, transferred), and must win.
      const summary = await tx.objectStore('cases').get(result.case.id)
      if (summary && summary.version <= result.case.version) await tx.objectStore('cases').put(result.case)
      const kept = await tx.objectStore('details').get(result.case.id)
      if (kept) {
        const known = new Set(kept.detail.events.map((e) => e.id))
        const events = [...kept.detail.events, ...result.events.filter((e) => !known.has(e.id))].sort((a, b) => a.id - b.id)
        // The detail keeps its own version, so it is fetched again (photos, allowedActions); the events show now.
        await tx.objectStore('details').put({ ...kept, detail: { ...kept.detail, events } })
      }
      await tx.done
    },

    /** Where the case may be handed on, as last read (null: never read on this device). */
    async destinations(id: string): Promise<{ value: CaseDestinations; fetchedAt: number } | null> {
      return (await (await db).get('details', id))?.destinations ?? null
    },
    /** Keeps the destinations with the case's detail (not kept when the detail is not: nothing to offer offline then). */
    async putDestinations(id: string, value: CaseDestinations, fetchedAt: number): Promise<boolean> {
      const tx = (await db).transaction('details', 'readwrite')
      const kept = await tx.store.get(id)
      if (kept) await tx.store.put({ ...kept, destinations: { value, fetchedAt } })
      await tx.done
      return !!kept
    },

    async photo(attachmentId: string) {
      return (await db).get('photos', attachmentId)
    },
    async putPhoto(attachmentId: string, type: string, bytes: ArrayBuffer) {
      await (await db).put('photos', { type, bytes }, attachmentId)
    },

    async clear(): Promise<void> {
      const tx = (await db).transaction(['cases', 'details', 'photos'], 'readwrite')
      await Promise.all([tx.objectStore('cases').clear(), tx.objectStore('details').clear(), tx.objectStore('photos').clear(), tx.done])
    },
  }
}
export type CaseCache = ReturnType<typeof createCaseCache>

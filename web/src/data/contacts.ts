import { v7 as uuidv7 } from 'uuid'
import type { Contact, ContactBody, MemberLedgerReport, ContactPage, ContactPhone, ContactToCaseResult, ContactToReportResult } from '@mashangjian/shared'
import { OfflineError, type ApiClient } from './api-client'
import type { AppDb, OutboxState } from './db'
import type { Outbox } from './outbox'

/** What the member fills in; the opId is the outbox's. */
export type ContactInput = Omit<ContactBody, 'opId'>

/** A contact as the screen lists it: from the server, or made on this phone and not yet sent. */
export type ContactItem =
  | { pending: false; contact: Contact }
  | { pending: true; seq: number; state: OutboxState; input: ContactInput; problem?: string; createdAt: number }

const KEPT = 'contacts'
const OP_KIND = 'contact'

/**
 * 界别群众 contacts on the phone (issue 15). A new contact is queued in the outbox as an op of kind `contact`
 * (POST /api/v1/contacts, exactly once by its opId) and listed as pending until it lands; the list the server
 * gave is kept for offline. Turning one into a case or a report needs the network.
 */
export function createContactsData({
  db,
  client,
  outbox,
  userId,
  syncNow,
  noteNetwork,
}: {
  db: Promise<AppDb>
  client: ApiClient
  outbox: Outbox
  userId: () => Promise<string>
  syncNow: () => Promise<unknown>
  /** Marks the app offline on a network error; rethrows anything else. */
  noteNetwork: (e: unknown) => void
}) {
  const online = () => typeof navigator === 'undefined' || navigator.onLine !== false

  async function pending(id: string): Promise<ContactItem[]> {
    return (await outbox.list(id))
      .filter((e) => e.op?.kind === OP_KIND)
      .map((e) => {
        const { opId: _opId, ...input } = e.op!.body as ContactBody
        return { pending: true as const, seq: e.seq!, state: e.state, input, problem: e.problem?.code, createdAt: e.createdAt }
      })
  }

  return {
    /** Pending ones first (newest first), then the server's list: fresh when online, else as last read here. */
    async list(): Promise<{ items: ContactItem[]; fresh: boolean }> {
      const id = await userId()
      let server: Contact[] | undefined
      if (online()) {
        try {
          server = (await client.request<ContactPage>('/api/v1/contacts?limit=100')).items
          await (await db).put('meta', { userId: id, items: server }, KEPT)
        } catch (e) {
          noteNetwork(e)
        }
      }
      const kept = server ? undefined : ((await (await db).get('meta', KEPT)) as { userId: string; items: Contact[] } | undefined)
      const items = server ?? (kept?.userId === id ? kept.items : [])
      const mine = (await pending(id)).sort((a, b) => (a.pending && b.pending ? b.createdAt - a.createdAt : 0))
      return { items: [...mine, ...items.map((contact) => ({ pending: false as const, contact }))], fresh: !!server }
    },

    /** This year's contacts against the member's yearly target, from the ledger (online; else as last read here). */
    async target(): Promise<{ count: number; target: number } | null> {
      const s = await client.session()
      const memberId = s?.user.memberId
      if (!memberId) return null
      if (online()) {
        try {
          const l = await client.request<MemberLedgerReport>(`/api/v1/members/${memberId}/ledger`)
          const value = { count: l.contactTarget.actual, target: l.contactTarget.min }
          await (await db).put('meta', { memberId, value }, `${KEPT}-target`)
          return value
        } catch (e) {
          noteNetwork(e)
        }
      }
      const kept = (await (await db).get('meta', `${KEPT}-target`)) as { memberId: string; value: { count: number; target: number } } | undefined
      return kept?.memberId === memberId ? kept.value : null
    },

    /** Queued on the phone at once (works offline), sent when the network allows. */
    async add(input: ContactInput): Promise<void> {
      const body: ContactBody = { ...input, opId: uuidv7() }
      await outbox.queueOp(await userId(), { kind: OP_KIND, path: '/api/v1/contacts', body })
      void syncNow()
    },

    /** Gives up a contact the server refused (or one not yet sent). */
    async drop(seq: number): Promise<void> {
      await outbox.drop(seq)
    },

    /** 转为诉求 (online only): a case filed for the person and assigned to the member; it arrives in the inbox by sync. */
    async toCase(id: string, consent: boolean): Promise<ContactToCaseResult> {
      if (!online()) throw new OfflineError('offline')
      const result = await client.request<ContactToCaseResult>(`/api/v1/contacts/${id}/case`, { json: { opId: uuidv7(), consent } })
      void syncNow()
      return result
    },

    /** 转为社情民意 (online only): a draft report from what was raised. */
    async toReport(id: string): Promise<ContactToReportResult> {
      if (!online()) throw new OfflineError('offline')
      const result = await client.request<ContactToReportResult>(`/api/v1/contacts/${id}/report`, { json: {} })
      void syncNow()
      return result
    },

    /** The full number, to call them back (online only; the server logs each reveal). */
    async revealPhone(id: string): Promise<string> {
      if (!online()) throw new OfflineError('offline')
      return (await client.request<ContactPhone>(`/api/v1/contacts/${id}/phone`, { method: 'POST' })).phone
    },
  }
}
export type ContactsData = ReturnType<typeof createContactsData>

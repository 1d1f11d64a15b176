import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { CaseActionBody, CaseDestinations, CaseDetail, CaseSummary, Me, Problem } from '@mashangjian/shared'

/** A photo kept on the device until its action is sent; bytes, not a Blob, so every browser can store it. */
export interface StoredPhoto {
  type: string
  bytes: ArrayBuffer
}

export type OutboxState = 'pending' | 'conflict' | 'rejected'

/**
 * One action the member made, waiting to reach the server exactly once. `opId` (UUIDv7) makes a resend
 * harmless; `action.baseVersion` is the case version it was made on. `seq` orders the replay.
 */
export interface OutboxEntry {
  seq?: number
  opId: string
  userId: string
  caseId: string
  /** The case's public number, to name it even when the case has left the inbox. */
  caseLabel: string
  action: CaseActionBody
  photos: StoredPhoto[]
  /** issue 16: the member chose to show these photos on the resident's tracking page (absent: no). */
  photosPublic?: boolean
  state: OutboxState
  attempts: number
  /** Epoch ms before which the periodic retry leaves it alone (backoff after network errors). */
  nextAttemptAt: number
  createdAt: number
  /** Why the server refused it (conflict or rejected), with the case as it is now when the server said. */
  problem?: Problem & { current?: CaseSummary }
  /** An entry that is not a case action (see OutboxOp); its caseId is `op:<opId>`, so it holds back nothing else. */
  op?: OutboxOp
}

/**
 * issue 15: records made offline that are not case actions (a 界别群众 contact…): POSTed as they are to `path`,
 * exactly once by the opId in their body. Such an entry's `action` is a stand-in never sent (see outbox.queueOp).
 */
export interface OutboxOp {
  kind: string
  path: string
  body: { opId: string } & Record<string, unknown>
}

export interface Session {
  accessToken: string
  /** Epoch ms. */
  accessExpiresAt: number
  refreshToken: string
  user: Me
}

export interface StoredDetail {
  detail: CaseDetail
  fetchedAt: number
  /** Where the case may be handed on (转办), kept with the detail so the sheet can offer it offline. */
  destinations?: { value: CaseDestinations; fetchedAt: number }
}

interface MemberAppDb extends DBSchema {
  cases: { key: string; value: CaseSummary }
  details: { key: string; value: StoredDetail }
  photos: { key: string; value: StoredPhoto }
  outbox: { key: number; value: OutboxEntry; indexes: { byCase: string; byOp: string } }
  meta: { key: string; value: unknown }
}

export type AppDb = IDBPDatabase<MemberAppDb>
export type StoreName = 'cases' | 'details' | 'photos' | 'outbox' | 'meta'

/** Opens (and on first use creates) the app's database. Only src/data touches it. */
export function openAppDb(name: string): Promise<AppDb> {
  return openDB<MemberAppDb>(name, 1, {
    upgrade(db) {
      db.createObjectStore('cases', { keyPath: 'id' })
      db.createObjectStore('details', { keyPath: 'detail.id' })
      db.createObjectStore('photos')
      const outbox = db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true })
      outbox.createIndex('byCase', 'caseId')
      outbox.createIndex('byOp', 'opId', { unique: true })
      db.createObjectStore('meta')
    },
  })
}

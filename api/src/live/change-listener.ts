import { eq } from 'drizzle-orm'
import { LRUCache } from 'lru-cache'
import type { FastifyBaseLogger } from 'fastify'
import type { Database } from '../db/database'
import { committee } from '../db/schema'
import { pgListen } from './pg-listen'

/** A committed case insert or version bump, as the `case_change` trigger announces it (migration 0002). */
export interface CaseChange {
  caseId: string
  version: number
  status: string
  committeeId: string
  stationId: string | null
  memberId: string | null
  prevStationId: string | null
  prevMemberId: string | null
  /** Path of `committeeId` (ancestor ids and its own, '/'-joined) for subtree checks; null if it could not be read. */
  committeePath: string | null
}

export type ChangeSubscriber = (change: CaseChange) => void

export interface ChangeListener {
  /** `onResync`: LISTEN was interrupted and changes may have been missed; subscribers should re-read (sync). */
  subscribe(onChange: ChangeSubscriber, onResync?: () => void): () => void
  close(): Promise<void>
}

export interface ChangeListenerDeps {
  database: Database
  log: FastifyBaseLogger
  /** Reconnect waits on PostgreSQL; tests shorten them. */
  backoffMs?: number[]
}

export const CHANNEL = 'case_change'
const BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 30_000]

/**
 * Hears every committed case change and hands it to this process's subscribers (SSE streams). Each API process
 * runs its own listener, so a change committed through any process reaches the streams of all of them.
 */
export async function createChangeListener({ database, log, backoffMs = BACKOFF_MS }: ChangeListenerDeps): Promise<ChangeListener> {
  const subscribers = new Set<{ onChange: ChangeSubscriber; onResync: (() => void) | undefined }>()
  // The trigger sends only committeeId; committee admins need its path. Committees hardly ever move, so a
  // short-lived cache saves a query per change; fetch() also merges concurrent look-ups of the same id.
  const paths = new LRUCache<string, string>({
    max: 10_000,
    ttl: 10 * 60_000,
    fetchMethod: async (id) => (await database.db.select({ path: committee.path }).from(committee).where(eq(committee.id, id)))[0]?.path,
  })

  const each = (what: string, call: (s: { onChange: ChangeSubscriber; onResync: (() => void) | undefined }) => void) => {
    for (const s of subscribers) {
      try {
        call(s)
      } catch (err) {
        log.error({ err }, `change listener: a subscriber failed on ${what}`)
      }
    }
  }

  const deliver = async (payload: string) => {
    const parsed = parse(payload)
    if (!parsed) {
      log.warn({ payload: payload.slice(0, 200) }, 'change listener: unreadable notification')
      return
    }
    const committeePath = await paths.fetch(parsed.committeeId).catch((err) => {
      log.warn({ err }, 'change listener: committee path lookup failed')
      return undefined
    })
    const change = { ...parsed, committeePath: committeePath ?? null }
    each('change', (s) => s.onChange(change))
  }
  // One at a time, so subscribers see changes in commit order even when a path look-up has to wait.
  let queue = Promise.resolve()
  const receive = (payload: string) => {
    queue = queue.then(() => deliver(payload)).catch((err) => log.error({ err }, 'change listener: delivery failed'))
  }
  const resync = () => each('resync', (s) => s.onResync?.())

  const stop =
    database.driver === 'pglite'
      ? await listenPglite(database, receive)
      : await pgListen({ pool: database.pool!, channel: CHANNEL, onPayload: receive, onResumed: resync, log, backoffMs })

  return {
    subscribe(onChange, onResync) {
      const entry = { onChange, onResync }
      subscribers.add(entry)
      return () => void subscribers.delete(entry)
    },
    async close() {
      subscribers.clear()
      await stop()
      await queue
    },
  }
}

/** PGlite is in this process and never drops the connection: its own listen() is all there is to it. */
async function listenPglite(database: Database, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
  const pglite = database.pglite!
  const unlisten = await pglite.listen(CHANNEL, onPayload)
  return async () => {
    if (!pglite.closed) await unlisten()
  }
}

const stringOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string'

function parse(payload: string): Omit<CaseChange, 'committeePath'> | null {
  let v: Record<string, unknown>
  try {
    v = JSON.parse(payload) as Record<string, unknown>
  } catch {
    return null
  }
  const { caseId, version, status, committeeId, stationId, memberId, prevStationId, prevMemberId } = v
  if (typeof caseId !== 'string' || typeof version !== 'number' || typeof status !== 'string' || typeof committeeId !== 'string') return null
  if (![stationId, memberId, prevStationId, prevMemberId].every(stringOrNull)) return null
  return {
    caseId,
    version,
    status,
    committeeId,
    stationId: stationId as string | null,
    memberId: memberId as string | null,
    prevStationId: prevStationId as string | null,
    prevMemberId: prevMemberId as string | null,
  }
}

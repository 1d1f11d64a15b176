import { and, asc, sql, type SQL } from 'drizzle-orm'
import { caseMetricState, cases, metricCursor } from '../db/schema'
import { queryRows, type Db, type DbOrTx } from '../db/database'
import { caseFacts, sameFacts, type CaseFacts, type CaseFactsInput, type DayFact } from './case-facts'
import { createDeltas } from './metric-deltas'
import { writeDeltas, writeStates, type CountedCase } from './metric-writes'

/** Only aggregators take it; requests and case writes never wait on it. Distinct from the audit sealer's key. */
const AGGREGATE_LOCK_KEY = 0x6d736a_0002
/** Cases per rebuild transaction: big enough that many land on the same rows, small enough to stay a short transaction. */
export const REBUILD_BATCH = 10_000

const factColumns = {
  id: cases.id,
  status: cases.status,
  committeeId: cases.committeeId,
  stationId: cases.stationId,
  memberId: cases.memberId,
  categoryId: cases.categoryId,
  createdAt: cases.createdAt,
  acceptDueAt: cases.acceptDueAt,
  acceptedAt: cases.acceptedAt,
  resolveDueAt: cases.resolveDueAt,
  resolvedAt: cases.resolvedAt,
  ratedAt: cases.ratedAt,
  rating: cases.rating,
  reopenCount: cases.reopenCount,
  returnedAt: cases.returnedAt,
}

const uuidArray = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`
const lock = (tx: DbOrTx) => tx.execute(sql`select pg_advisory_xact_lock(${AGGREGATE_LOCK_KEY}::bigint)`)

type StateRow = typeof caseMetricState.$inferSelect
const factsOfState = (s: StateRow): CaseFacts => ({
  committeeId: s.committeeId,
  stationId: s.stationId,
  memberId: s.memberId,
  categoryId: s.categoryId,
  days: s.facts as DayFact[],
})

/**
 * Recounts the given cases: for each, its current facts minus the facts it was last counted with (a missing
 * row or an invalid/merged case counts nothing). Cases whose facts did not change cost no write at all.
 */
async function recount(tx: DbOrTx, ids: string[], rows: (CaseFactsInput & { id: string })[]) {
  if (ids.length === 0) return
  const states = await tx
    .select()
    .from(caseMetricState)
    .where(sql`${caseMetricState.caseId} = any(${uuidArray(ids)})`)
  const before = new Map(states.map((s) => [s.caseId, factsOfState(s)]))
  const now = new Map(rows.map((r) => [r.id, caseFacts(r)]))
  const deltas = createDeltas()
  const keep: CountedCase[] = []
  const drop: string[] = []
  for (const id of ids) {
    const old = before.get(id) ?? null
    const fresh = now.get(id) ?? null
    if (sameFacts(old, fresh)) continue
    deltas.add(old, -1)
    deltas.add(fresh, 1)
    if (fresh) keep.push({ caseId: id, facts: fresh })
    else if (old) drop.push(id)
  }
  await writeDeltas(tx, 'metric_day', deltas.rows('day'))
  await writeDeltas(tx, 'metric_month', deltas.rows('month'))
  await writeStates(tx, keep, drop)
}

/**
 * Keeps metric_day / metric_month (and each case's counted facts) up to date from the `case_change` log,
 * outside the request path: submissions and actions only write their case row, whose trigger logs the change.
 *
 * A run takes change rows after its cursor in (xid, id) order and only below the oldest transaction still
 * running (like the sync feed), so a transaction that commits late is counted when it ends, never skipped. It
 * recounts each changed case from its current row, which makes it idempotent: seeing a case twice is harmless.
 */
export function createMetricsAggregator(db: Db) {
  const cursorOf = async (q: DbOrTx) => (await q.select().from(metricCursor))[0]

  /**
   * Empties the aggregates and places the cursor at the last change of the transactions already finished:
   * walking the cases afterwards sees all of those, and the later changes come through the log.
   */
  async function startRebuild(force: boolean): Promise<void> {
    await db.transaction(async (tx) => {
      await lock(tx)
      if (!force && (await cursorOf(tx))) return
      const [last] = await queryRows<{ xid: string; id: string }>(
        tx,
        sql`
        select ch.xid::text as xid, ch.id::text as id from case_change ch
        where ch.xid < pg_snapshot_xmin(pg_current_snapshot()) order by ch.xid desc, ch.id desc limit 1`,
      )
      await tx.execute(sql`truncate metric_day, metric_month, case_metric_state`)
      const position = { xid: sql`${last?.xid ?? '0'}::xid8`, changeId: Number(last?.id ?? 0), rebuildAfter: [] as [], caughtUpAt: null, rebuiltAt: null }
      await tx
        .insert(metricCursor)
        .values({ id: 1, ...position })
        .onConflictDoUpdate({ target: metricCursor.id, set: position })
    })
  }

  /** Counts the next batch of cases in (committee, created_at, id) order; 0 when there is none (or no rebuild). */
  async function rebuildStep(batch: number): Promise<number> {
    return db.transaction(async (tx) => {
      await lock(tx)
      const after = (await cursorOf(tx))?.rebuildAfter
      if (!after) return 0
      // Keyset walk on cases_committee_created_idx: a county's cases of a few weeks share most of their rows.
      const from: SQL | undefined =
        after.length === 3
          ? sql`(${cases.committeeId}, ${cases.createdAt}, ${cases.id}) > (${after[0]}::uuid, ${after[1]}::timestamptz, ${after[2]}::uuid)`
          : undefined
      const rows = await tx
        .select({ ...factColumns, key: sql<string>`${cases.createdAt}::text` })
        .from(cases)
        .where(and(from))
        .orderBy(asc(cases.committeeId), asc(cases.createdAt), asc(cases.id))
        .limit(batch)
      await recount(
        tx,
        rows.map((r) => r.id),
        rows,
      )
      const last = rows.at(-1)
      await tx
        .update(metricCursor)
        .set(rows.length < batch || !last ? { rebuildAfter: null, rebuiltAt: sql`now()` } : { rebuildAfter: [last.committeeId, last.key, last.id] })
      return rows.length
    })
  }

  /** Counts the cases of the next `batch` change rows; 0 when the log has nothing new below the watermark. */
  async function changesStep(batch: number): Promise<number> {
    return db.transaction(async (tx) => {
      await lock(tx)
      const cursor = await cursorOf(tx)
      if (!cursor || cursor.rebuildAfter) return 0
      const changes = await queryRows<{ xid: string; id: string; case_id: string }>(
        tx,
        sql`
        select ch.xid::text as xid, ch.id::text as id, ch.case_id from case_change ch
        where (ch.xid, ch.id) > (${cursor.xid}::xid8, ${cursor.changeId}::bigint) and ch.xid < pg_snapshot_xmin(pg_current_snapshot())
        order by ch.xid, ch.id limit ${batch}`,
      )
      const ids = [...new Set(changes.map((c) => c.case_id))]
      if (ids.length > 0) {
        await recount(
          tx,
          ids,
          await tx
            .select(factColumns)
            .from(cases)
            .where(sql`${cases.id} = any(${uuidArray(ids)})`),
        )
      }
      const last = changes.at(-1)
      await tx.update(metricCursor).set({
        ...(last ? { xid: sql`${last.xid}::xid8`, changeId: Number(last.id) } : {}),
        ...(changes.length < batch ? { caughtUpAt: sql`now()` } : {}),
      })
      return ids.length
    })
  }

  async function rebuildAll(): Promise<number> {
    let total = 0
    for (let n; (n = await rebuildStep(REBUILD_BATCH)) > 0;) total += n
    return total
  }

  return {
    /**
     * One batch of the log: answers how many cases it recounted (0 = caught up). On a database never
     * aggregated (no cursor) or with a rebuild left unfinished, it first completes the rebuild.
     */
    async catchUp({ batch = 1000 }: { batch?: number } = {}): Promise<number> {
      const cursor = await cursorOf(db)
      let done = 0
      if (!cursor || cursor.rebuildAfter) {
        await startRebuild(false)
        done = await rebuildAll()
      }
      return done + (await changesStep(batch))
    },

    /** Recomputes every aggregate from the cases (after a migration, or to repair); answers the cases counted. */
    async rebuild(): Promise<number> {
      await startRebuild(true)
      return rebuildAll()
    },

    /** When the aggregates last caught up with the log; null while a rebuild is under way or before the first run. */
    async asOf(q: DbOrTx = db): Promise<Date | null> {
      const cursor = await cursorOf(q)
      return cursor && !cursor.rebuildAfter ? cursor.caughtUpAt : null
    },
  }
}
export type MetricsAggregator = ReturnType<typeof createMetricsAggregator>

import { sql } from 'drizzle-orm'
import { queryRows, type DbOrTx } from '../../src/db/database'
import type { MetricsAggregator } from '../../src/metrics/metrics-aggregator'

/**
 * Runs the aggregator until every change row of this database is counted. On a shared PostgreSQL server the
 * watermark is cluster-wide: a transaction running in another database (another test file, a benchmark
 * seeding) holds back our rows until it ends, so this waits for that rather than reading too early.
 */
export async function aggregateAll(db: DbOrTx, aggregator: MetricsAggregator, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    while ((await aggregator.catchUp()) > 0) {
      /* next batch */
    }
    const [row] = await queryRows<{ pending: boolean }>(
      db,
      sql`
      select exists (select 1 from case_change ch, metric_cursor m where (ch.xid, ch.id) > (m.xid, m.change_id)) as pending`,
    )
    if (!row!.pending) return
    if (Date.now() > deadline) throw new Error('the metrics aggregator did not catch up in time')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** metric_day, metric_month and case_metric_state as sorted text, to compare two ways of getting there. */
export async function aggregateSnapshot(db: DbOrTx): Promise<{ day: string[]; month: string[]; state: string[] }> {
  const rows = async (table: string) =>
    (
      await queryRows<{ r: string }>(
        db,
        sql`
    select t::text as r from ${sql.raw(table)} t order by 1`,
      )
    ).map((x) => x.r)
  return { day: await rows('metric_day'), month: await rows('metric_month'), state: await rows('case_metric_state') }
}

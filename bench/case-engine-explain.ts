import { drizzle } from 'drizzle-orm/node-postgres'
import type pg from 'pg'
import * as schema from '../api/src/db/schema'
import type { Db } from '../api/src/db/database'

export interface RecordedQuery {
  label: string
  query: string
  params: unknown[]
}
export interface Plan {
  label: string
  text: string
  executionMs: number | null
  jitMs: number | null
}

/**
 * A drizzle instance like the app's (same schema, same casing) whose logger keeps every SQL statement it runs,
 * so the benchmark can EXPLAIN exactly what the repositories send, with the same parameters.
 */
export function recordingDb(pool: pg.Pool) {
  let recorded: { query: string; params: unknown[] }[] = []
  const db = drizzle(pool, {
    schema,
    casing: 'snake_case',
    logger: {
      logQuery: (query, params) => {
        recorded.push({ query, params })
      },
    },
  }) as unknown as Db
  return {
    db,
    /** Runs `fn` and answers the statements it sent, labelled by `label(sql)`; statements labelled null are dropped. */
    async capture(fn: () => Promise<unknown>, label: (sql: string) => string | null): Promise<RecordedQuery[]> {
      recorded = []
      await fn()
      return recorded.flatMap((r) => {
        const l = label(r.query)
        return l === null ? [] : [{ label: l, ...r }]
      })
    },
  }
}

export async function explain(pool: pg.Pool, q: RecordedQuery): Promise<Plan> {
  const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${q.query}`, q.params as unknown[])
  const text = rows.map((r) => r['QUERY PLAN']).join('\n')
  const exec = text.match(/Execution Time: ([\d.]+) ms/)
  const jit = text.match(/JIT:[\s\S]*?Total ([\d.]+) ms/)
  return { label: q.label, text, executionMs: exec ? Number(exec[1]) : null, jitMs: jit ? Number(jit[1]) : null }
}

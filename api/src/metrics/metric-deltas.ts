import { MEASURES, scopesOf, type CaseFacts, type MetricGrain } from './case-facts'
import { histLiteral, type Hist } from './histogram'

/**
 * Sums what a batch of cases changes in metric_day and metric_month: each changed case adds its new facts and
 * subtracts the ones it was last counted with. Many cases land on the same (scope, day, category) rows, so a
 * batch writes each row once, and rows whose changes cancel out are not written at all.
 */

export type MetricTable = 'day' | 'month'

/** One row to add onto metric_day / metric_month (as JSON for jsonb_to_recordset: snake_case keys). */
export interface DeltaRow {
  grain: MetricGrain
  scope_id: string
  day: string
  category_id: string | null
  /** One value per measure, in MEASURES order. */
  m: number[]
  /** int[] literals with their lower bound (histogram.ts), or null for no change. */
  ah: string | null
  rh: string | null
}

/** Hists are created only for rows that get a duration: most rows never do (a batch has hundreds of thousands). */
interface Acc {
  grain: MetricGrain
  scopeId: string
  day: string
  categoryId: string | null
  m: number[]
  ah: Hist | null
  rh: Hist | null
}

const monthOf = (day: string) => `${day.slice(0, 7)}-01`

function bump(hist: Hist | null, bucket: number | null, sign: number): Hist | null {
  if (bucket === null) return hist
  const h = hist ?? new Map<number, number>()
  h.set(bucket, (h.get(bucket) ?? 0) + sign)
  return h
}

export function createDeltas() {
  // Two levels, (grain, scope, category) then day: a case builds three long keys, not one per fact.
  const tables: Record<MetricTable, Map<string, Map<string, Acc>>> = { day: new Map(), month: new Map() }

  function count(
    rows: Map<string, Acc>,
    grain: MetricGrain,
    scopeId: string,
    day: string,
    categoryId: string | null,
    mask: number,
    accept: number | null,
    resolve: number | null,
    sign: number,
  ) {
    let acc = rows.get(day)
    if (!acc) {
      acc = { grain, scopeId, day, categoryId, m: new Array<number>(MEASURES.length).fill(0), ah: null, rh: null }
      rows.set(day, acc)
    }
    for (let i = 0, bits = mask; bits !== 0; i++, bits >>>= 1) if (bits & 1) acc.m[i]! += sign
    acc.ah = bump(acc.ah, accept, sign)
    acc.rh = bump(acc.rh, resolve, sign)
  }
  const rowsOf = (table: MetricTable, key: string) => {
    let rows = tables[table].get(key)
    if (!rows) tables[table].set(key, (rows = new Map()))
    return rows
  }

  return {
    /** Counts `facts` once more (sign 1) or once less (sign −1). */
    add(facts: CaseFacts | null, sign: 1 | -1): void {
      if (!facts) return
      const category = facts.categoryId
      for (const [grain, scopeId] of scopesOf(facts)) {
        const key = `${grain}|${scopeId}|${category ?? ''}`
        const days = rowsOf('day', key)
        const months = rowsOf('month', key)
        for (const [day, mask, accept, resolve] of facts.days) {
          count(days, grain, scopeId, day, category, mask, accept, resolve, sign)
          count(months, grain, scopeId, monthOf(day), category, mask, accept, resolve, sign)
        }
      }
    },

    /** The non-zero rows of one table, grouped by scope and ordered by day (locality for the upsert). */
    rows(table: MetricTable): DeltaRow[] {
      const out: DeltaRow[] = []
      for (const key of [...tables[table].keys()].sort()) {
        const rows = tables[table].get(key)!
        for (const day of [...rows.keys()].sort()) {
          const a = rows.get(day)!
          const ah = a.ah && histLiteral(a.ah)
          const rh = a.rh && histLiteral(a.rh)
          if (!ah && !rh && a.m.every((v) => v === 0)) continue
          out.push({ grain: a.grain, scope_id: a.scopeId, day: a.day, category_id: a.categoryId, m: a.m, ah: ah ?? null, rh: rh ?? null })
        }
      }
      return out
    },
  }
}
export type Deltas = ReturnType<typeof createDeltas>

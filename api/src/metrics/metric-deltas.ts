import { MEASURES, scopesOf, type CaseFacts, type MetricGrain } from './case-facts'
import { addInto, histLiteral, type Hist } from './histogram'

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

interface Acc { grain: MetricGrain; scopeId: string; day: string; categoryId: string | null; m: number[]; ah: Hist; rh: Hist }

const monthOf = (day: string) => `${day.slice(0, 7)}-01`

export function createDeltas() {
  const tables: Record<MetricTable, Map<string, Acc>> = { day: new Map(), month: new Map() }

  function accOf(table: MetricTable, grain: MetricGrain, scopeId: string, day: string, categoryId: string | null): Acc {
    const key = `${grain}|${scopeId}|${day}|${categoryId ?? ''}`
    let acc = tables[table].get(key)
    if (!acc) {
      acc = { grain, scopeId, day, categoryId, m: MEASURES.map(() => 0), ah: new Map(), rh: new Map() }
      tables[table].set(key, acc)
    }
    return acc
  }

  return {
    /** Counts `facts` once more (sign 1) or once less (sign −1). */
    add(facts: CaseFacts | null, sign: 1 | -1): void {
      if (!facts) return
      for (const [grain, scopeId] of scopesOf(facts)) {
        for (const [day, mask, accept, resolve] of facts.days) {
          for (const acc of [accOf('day', grain, scopeId, day, facts.categoryId), accOf('month', grain, scopeId, monthOf(day), facts.categoryId)]) {
            for (let i = 0; i < MEASURES.length; i++) if (mask & (1 << i)) acc.m[i]! += sign
            if (accept !== null) addInto(acc.ah, [[accept, 1]], sign)
            if (resolve !== null) addInto(acc.rh, [[resolve, 1]], sign)
          }
        }
      }
    },

    /** The non-zero rows of one table, in key order (a stable order for the upsert). */
    rows(table: MetricTable): DeltaRow[] {
      const out: DeltaRow[] = []
      for (const key of [...tables[table].keys()].sort()) {
        const a = tables[table].get(key)!
        const ah = histLiteral(a.ah)
        const rh = histLiteral(a.rh)
        if (ah === null && rh === null && a.m.every((v) => v === 0)) continue
        out.push({ grain: a.grain, scope_id: a.scopeId, day: a.day, category_id: a.categoryId, m: a.m, ah, rh })
      }
      return out
    },
  }
}
export type Deltas = ReturnType<typeof createDeltas>

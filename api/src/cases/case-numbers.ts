import { sql } from 'drizzle-orm'
import { queryRows, type DbOrTx } from '../db/database'

/**
 * Next public number for a committee and year, e.g. `DEMO-2026-000123`. The counter row is locked by the
 * upsert until the calling transaction ends, so numbers are unique and gap-free per committee and year.
 */
export async function nextPublicNo(tx: DbOrTx, committee: { id: string; shortCode: string }, year: number): Promise<string> {
  const [row] = await queryRows<{ last_no: number }>(tx, sql`
    insert into case_counter (committee_id, year, last_no) values (${committee.id}, ${year}, 1)
    on conflict (committee_id, year) do update set last_no = case_counter.last_no + 1
    returning last_no`)
  return `${committee.shortCode}-${year}-${String(row!.last_no).padStart(6, '0')}`
}

/** Case numbers follow the calendar year in China (Beijing time, also the official time in Xinjiang). */
export function yearInChina(date: Date): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(date))
}

import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { queryRows, type DbOrTx } from '../db/database'
import { beijingYear } from '@mashangjian/shared'

/** A unique stand-in until `assignPublicNo` runs at the end of the same transaction. */
export const pendingPublicNo = () => `pending:${randomUUID()}`

/**
 * Gives a case inserted in this transaction its public number, e.g. `DEMO-2026-000123`. The counter row stays
 * locked until the transaction ends (unique and gap-free per committee and year), so this is the LAST statement
 * before commit: concurrent submissions then wait for one commit, not for a whole submission.
 */
export async function assignPublicNo(tx: DbOrTx, caseId: string, committee: { id: string; shortCode: string }, year: number): Promise<string> {
  const [row] = await queryRows<{ public_no: string }>(
    tx,
    sql`
    with n as (
      insert into case_counter (committee_id, year, last_no) values (${committee.id}, ${year}, 1)
      on conflict (committee_id, year) do update set last_no = case_counter.last_no + 1
      returning last_no)
    update cases set public_no = ${`${committee.shortCode}-${year}-`} || lpad(n.last_no::text, 6, '0')
    from n where cases.id = ${caseId}
    returning cases.public_no`,
  )
  return row!.public_no
}

/** Case numbers follow the calendar year in China (Beijing time, also the official time in Xinjiang). */
export const yearInChina = (date: Date): number => beijingYear(date)

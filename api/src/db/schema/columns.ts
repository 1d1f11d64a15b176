import { sql } from 'drizzle-orm'
import { timestamp, uuid, check } from 'drizzle-orm/pg-core'
import type { PgColumn } from 'drizzle-orm/pg-core'

/** Primary key used by every entity table: random UUID made by the database. */
export const id = () => uuid('id').primaryKey().defaultRandom()
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()

/**
 * Enumerations are text columns with a CHECK constraint rather than PostgreSQL enums:
 * adding a value is then a plain migration that can run inside a transaction on every version.
 */
export function oneOf(name: string, column: PgColumn, values: readonly string[]) {
  return check(name, sql`${column} in (${sql.raw(values.map((v) => `'${v}'`).join(', '))})`)
}

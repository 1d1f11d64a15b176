import { readFileSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../src/db/database'
import { migrate, MIGRATIONS_DIR } from '../src/db/migrate'
import { createTestDatabase, type TestDatabase } from './support/test-db'

const DOMAIN_TABLES = [
  'committee',
  'sector',
  'station',
  'member',
  'member_station',
  'duty_shift',
  'contact',
  'app_user',
  'user_station',
  'refresh_token',
  'push_subscription',
  'qr_code',
  'category',
  'case_counter',
  'cases',
  'case_event',
  'attachment',
  'opinion_report',
  'opinion_report_case',
  'activity',
  'audit_log',
  'department',
]

describe('migrate()', () => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await createTestDatabase({ empty: true })
  })
  afterAll(() => database.close())

  const tables = async () =>
    (
      await queryRows<{ table_name: string }>(
        database.db,
        sql`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
      )
    ).map((r) => r.table_name)
  const applied = async () => (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`))[0]!.n

  it('creates every domain table on an empty database', async () => {
    expect(await tables()).toEqual([])
    await migrate(database)
    expect(await tables()).toEqual(expect.arrayContaining(DOMAIN_TABLES))
  })

  it('records each migration of the journal once and is idempotent', async () => {
    const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }
    expect(await applied()).toBe(journal.entries.length)
    const before = await tables()
    await migrate(database)
    await migrate(database)
    expect(await applied()).toBe(journal.entries.length)
    expect(await tables()).toEqual(before)
  })

  it('enforces enumerations and reserved-word-free names in SQL', async () => {
    await expect(
      database.db.execute(sql`
      insert into committee (level, name, short_code, path) values ('planet', 'x', 'X1', 'x')`),
    ).rejects.toThrow()
    // `cases` and `app_user` are queryable without quoting, unlike `case` and `user`.
    await expect(database.db.execute(sql.raw('select count(*) from cases, app_user'))).resolves.toBeDefined()
  })
})

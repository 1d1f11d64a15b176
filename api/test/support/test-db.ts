import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { inject } from 'vitest'
import { openPostgres, wrapPglite, type Database } from '../../src/db/database'
import { withDatabaseName } from './test-db-url'

export interface TestDatabase extends Database {
  /** PostgreSQL URL of this test database (absent on PGlite). */
  url?: string
}

async function adminQuery(adminUrl: string, text: string) {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

/**
 * A fresh, migrated database of its own for one test file; `close()` drops it.
 * `empty: true` gives an unmigrated one (for the migration tests).
 */
export async function createTestDatabase({ empty = false } = {}): Promise<TestDatabase> {
  const info = inject('testDb')
  if (info.kind === 'postgres') {
    const name = `msj_t_${randomBytes(6).toString('hex')}`
    await adminQuery(info.adminUrl, empty ? `create database ${name}` : `create database ${name} template ${info.template}`)
    const url = withDatabaseName(info.adminUrl, name)
    const database = await openPostgres(url)
    return {
      ...database,
      url,
      close: async () => {
        await database.close()
        await adminQuery(info.adminUrl, `drop database if exists ${name} with (force)`)
      },
    }
  }
  const pglite = empty ? await PGlite.create() : await PGlite.create({ loadDataDir: new Blob([await readFile(info.dumpFile)]) })
  return wrapPglite(pglite)
}

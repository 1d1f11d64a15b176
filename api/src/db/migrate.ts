import path from 'node:path'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import type { Database } from './database'
import { REPO_ROOT } from '../config/repo-root'

export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'migrations')

/** Any constant works; it only has to be the same in every process that migrates this database. */
const MIGRATION_LOCK_KEY = 0x6d736a // "msj"

/**
 * Runs `work` while holding the database's start-up lock (a session advisory lock on PostgreSQL, so several API
 * processes started at once take turns; PGlite has one process by construction). Migrations, the demo seed and
 * the back-fills all run under it: a seed outside it raced another process's seed into a unique violation.
 * `work` gets the locked connection's drizzle handle for the migrator; other statements may use the pool.
 */
export async function underStartupLock<T>(database: Database, work: (migrateHere: () => Promise<void>) => Promise<T>): Promise<T> {
  if (database.pglite) return work(() => migratePglite(drizzlePglite(database.pglite!), { migrationsFolder: MIGRATIONS_DIR }))
  const client = await database.pool!.connect()
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    return await work(() => migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS_DIR }))
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {})
    client.release()
  }
}

/** Applies pending SQL migrations from `migrations/`. The one function the server, the tests, the seed command and CI use. */
export async function migrate(database: Database): Promise<void> {
  await underStartupLock(database, (migrateHere) => migrateHere())
}

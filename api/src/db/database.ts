import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import type { SQL } from 'drizzle-orm'
import pg from 'pg'
import * as schema from './schema'
import { StartupError } from '../config/startup-error'

export type Schema = typeof schema
/** The query builder both drivers share; code never depends on which one is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>
/** A transaction handle or the database itself: data-access functions accept either. */
export type DbOrTx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db

export interface Database {
  db: Db
  driver: 'postgres' | 'pglite'
  /** Present for PostgreSQL: LISTEN/NOTIFY and job runners need their own connections. */
  pool?: pg.Pool
  /** Present for the embedded database. */
  pglite?: PGlite
  close(): Promise<void>
}

/** Rows of a raw SQL query; both drivers answer with `{ rows }`. */
export async function queryRows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] }
  return result.rows
}

/** `postgres://user:secret@host/db` → `host/db`, for messages that must not leak the password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.hostname}:${u.port || 5432}${u.pathname}`
  } catch {
    return 'the configured DATABASE_URL'
  }
}

export async function openPostgres(url: string): Promise<Database> {
  // JIT compiles a plan per execution (~0.3 s for the metrics query): a loss for short OLTP statements.
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000, options: '-c jit=off' })
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => {})
  try {
    await pool.query('select 1')
  } catch (err) {
    await pool.end().catch(() => {})
    throw new StartupError(`Cannot reach PostgreSQL at ${describeUrl(url)}: ${(err as Error).message || String(err)}`)
  }
  const db = drizzlePg(pool, { schema, casing: 'snake_case' }) as unknown as Db
  return { db, driver: 'postgres', pool, close: () => pool.end() }
}

/** Wraps an open PGlite instance (tests pass in-memory clones). */
export function wrapPglite(pglite: PGlite, onClose?: () => void): Database {
  const db = drizzlePglite(pglite, { schema, casing: 'snake_case' }) as unknown as Db
  return {
    db,
    driver: 'pglite',
    pglite,
    close: async () => {
      if (!pglite.closed) await pglite.close()
      onClose?.()
    },
  }
}

/**
 * Embedded PostgreSQL persisted under DATA_DIR/pglite. PGlite is single-process: a lock file stops a second
 * server from opening (and corrupting) the same directory.
 */
export async function openPgliteDir(dataDir: string): Promise<Database> {
  const dir = path.join(dataDir, 'pglite')
  const lock = path.join(dataDir, 'pglite.pid')
  mkdirSync(dataDir, { recursive: true })
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8'))
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new StartupError(`The embedded database in ${dir} is in use by process ${pid}; stop it or set DATA_DIR`)
    }
  }
  writeFileSync(lock, String(process.pid))
  let pglite: PGlite
  try {
    // 16 MB of shared buffers, not PostgreSQL's 128 MB: the embedded database lives in this process's memory, where
    // the WebAssembly heap grows to hold every buffer it touches and never gives it back (issue 17: ~120 MB less
    // resident). Pages it drops stay in the OS file cache, so reads cost a copy, not a disk seek.
    pglite = await PGlite.create(dir, { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'] })
  } catch (err) {
    rmSync(lock, { force: true })
    throw new StartupError(`Cannot open the embedded database in ${dir}: ${(err as Error).message}`)
  }
  return wrapPglite(pglite, () => rmSync(lock, { force: true }))
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function openDatabase(opts: { databaseUrl?: string | undefined; dataDir: string }): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openPgliteDir(opts.dataDir)
}

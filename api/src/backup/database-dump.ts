import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import type { Database } from '../db/database'
import { BackupError } from './backup-error'

const run = promisify(execFile)

/**
 * pg_dump/pg_restore take the connection from PG* variables, not the URL on the command line, so the password
 * never shows in `ps`. PG_BIN_DIR picks a client other than the one on PATH (it must be at least the server's major).
 */
function pgEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url)
  const env: NodeJS.ProcessEnv = { ...process.env, PGHOST: u.hostname, PGPORT: u.port || '5432', PGDATABASE: decodeURIComponent(u.pathname.slice(1)) }
  if (u.username) env.PGUSER = decodeURIComponent(u.username)
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password)
  const ssl = u.searchParams.get('sslmode')
  if (ssl) env.PGSSLMODE = ssl
  return env
}

const tool = (name: 'pg_dump' | 'pg_restore') => (process.env.PG_BIN_DIR ? path.join(process.env.PG_BIN_DIR, name) : name)

async function clientMajor(name: 'pg_dump' | 'pg_restore'): Promise<number> {
  try {
    const { stdout } = await run(tool(name), ['--version'])
    return Number(/(\d+)(\.\d+)?/.exec(stdout)?.[1])
  } catch (err) {
    throw new BackupError('PG_TOOLS', `${name} was not found (${(err as Error).message.split('\n')[0]}); install the PostgreSQL client tools or set PG_BIN_DIR`)
  }
}

/** pg_dump refuses a server newer than itself; say so before it starts, with what to install. */
async function checkVersions(name: 'pg_dump' | 'pg_restore', pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ v: string; n: string }>("select current_setting('server_version') as v, current_setting('server_version_num') as n")
  const serverMajor = Math.floor(Number(rows[0]!.n) / 10000)
  const mine = await clientMajor(name)
  if (mine < serverMajor) {
    throw new BackupError(
      'PG_TOOLS',
      `${name} ${mine} cannot work with PostgreSQL ${serverMajor} (server ${rows[0]!.v}); install postgresql-client-${serverMajor} or set PG_BIN_DIR`,
    )
  }
  return rows[0]!.v
}

/** `pg_dump --format=custom` of the whole database (our tables, drizzle's migration record, pg-boss's queue). */
export async function dumpPostgres(url: string, pool: pg.Pool, file: string): Promise<string> {
  const version = await checkVersions('pg_dump', pool)
  try {
    await run(tool('pg_dump'), ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`], { env: pgEnv(url), maxBuffer: 16 * 1024 * 1024 })
  } catch (err) {
    throw new BackupError('PG_TOOLS', `pg_dump failed: ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}`)
  }
  return version
}

/** Tables, views or sequences outside the system schemas: a database holding any of them is not empty. */
export async function postgresRelations(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `select count(*) as n from pg_class c join pg_namespace s on s.oid = c.relnamespace
      where c.relkind in ('r','p','v','m','S') and s.nspname not in ('pg_catalog','information_schema') and s.nspname not like 'pg\\_%'`,
  )
  return Number(rows[0]!.n)
}

/** --force: every schema of ours goes (public comes back empty), so the dump restores into a clean database. */
export async function emptyPostgres(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ name: string }>(
    `select nspname as name from pg_namespace where nspname not in ('pg_catalog','information_schema') and nspname not like 'pg\\_%'`,
  )
  for (const { name } of rows) await pool.query(`drop schema ${pg.escapeIdentifier(name)} cascade`)
  await pool.query('create schema if not exists public')
}

/** One transaction: a restore that fails half-way leaves the database as empty as it was. */
export async function restorePostgres(url: string, pool: pg.Pool, file: string): Promise<void> {
  await checkVersions('pg_restore', pool)
  try {
    await run(tool('pg_restore'), ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${pgEnv(url).PGDATABASE}`, file], {
      env: pgEnv(url),
      maxBuffer: 16 * 1024 * 1024,
    })
  } catch (err) {
    throw new BackupError('PG_TOOLS', `pg_restore failed: ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}`)
  }
}

/**
 * PGlite answers one query at a time, so its data dir between two queries is a consistent snapshot; the
 * CHECKPOINT first writes the shared buffers out so the tarball needs no WAL replay (it would replay fine too).
 */
export async function dumpPglite(pglite: PGlite, file: string): Promise<string> {
  await pglite.query('checkpoint')
  const tarball = await pglite.dumpDataDir('gzip')
  await writeFile(file, Buffer.from(await tarball.arrayBuffer()))
  const { rows } = await pglite.query<{ v: string }>("select current_setting('server_version') as v")
  return `PGlite ${rows[0]!.v}`
}

export const pgliteDir = (dataDir: string) => path.join(dataDir, 'pglite')

/** The live process holding DATA_DIR's embedded database, if any (database.ts writes its pid there). */
export function pgliteHolder(dataDir: string): number | undefined {
  const lock = path.join(dataDir, 'pglite.pid')
  if (!existsSync(lock)) return undefined
  const pid = Number(readFileSync(lock, 'utf8'))
  if (!pid || pid === process.pid) return undefined
  try {
    process.kill(pid, 0)
    return pid
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined
  }
}

export function pgliteDirEmpty(dataDir: string): boolean {
  const dir = pgliteDir(dataDir)
  return !existsSync(dir) || readdirSync(dir).length === 0
}

/** Unpacks the tarball into DATA_DIR/pglite through PGlite itself; --force keeps the old folder beside it, renamed. */
export async function restorePglite(dataDir: string, file: string, force: boolean): Promise<string | undefined> {
  const dir = pgliteDir(dataDir)
  let movedTo: string | undefined
  if (!pgliteDirEmpty(dataDir)) {
    if (!force) throw new BackupError('TARGET_NOT_EMPTY', `${dir} already holds a database; restore into an empty DATA_DIR or add --force`)
    movedTo = `${dir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`
    await rename(dir, movedTo)
  }
  const pglite = await PGlite.create(dir, { loadDataDir: new Blob([readFileSync(file)]) })
  try {
    await pglite.query('select 1')
  } finally {
    await pglite.close()
  }
  return movedTo
}

export function databaseKind(database: Database): 'postgres' | 'pglite' {
  return database.pglite ? 'pglite' : 'postgres'
}

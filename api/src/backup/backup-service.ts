import { existsSync, readFileSync } from 'node:fs'
import { chmod, mkdtemp, open, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { BlobStore } from '../attachments/blob-store'
import type { Secrets } from '../config/config-schema'
import type { Database } from '../db/database'
import { ArchiveWriter, stageArchive, type Manifest } from './backup-archive'
import { BackupError } from './backup-error'
import { dumpPglite, dumpPostgres, emptyPostgres, pgliteDirEmpty, pgliteHolder, postgresRelations, restorePglite, restorePostgres } from './database-dump'

export const SECRETS_FILE = 'secrets.json'

export interface BackupResult {
  file: string
  sizeBytes: number
  blobs: number
  createdAt: Date
}

/**
 * The secrets the server runs with, over what DATA_DIR/secrets.json holds: a key given as PII_KEY in the
 * environment is in the archive too, so it restores on a machine that lacks that environment.
 */
function secretsToKeep(dataDir: string, secrets: Secrets): Buffer {
  let stored: Record<string, unknown> = {}
  const file = path.join(dataDir, SECRETS_FILE)
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  return Buffer.from(JSON.stringify({ ...stored, ...secrets }, null, 2))
}

/**
 * One encrypted archive: the database first, then the attachments, then the key material. Attachments are copied
 * after the dump, so every file the dumped rows name is there (a newer one, named by no dumped row, is merely
 * extra; the orphan sweep removes it after a restore). Written to `<file>.partial` and renamed when complete.
 */
export async function createBackup(opts: {
  database: Database
  databaseUrl?: string | undefined
  blobs: BlobStore
  dataDir: string
  secrets: Secrets
  passphrase: string
  file: string
  version: string
  now?: Date
}): Promise<BackupResult> {
  const createdAt = opts.now ?? new Date()
  const work = await mkdtemp(path.join(tmpdir(), 'msj-backup-'))
  const partial = `${opts.file}.partial`
  try {
    const dumpFile = path.join(work, 'database')
    let serverVersion: string
    if (opts.database.pglite) serverVersion = await dumpPglite(opts.database.pglite, dumpFile)
    else {
      if (!opts.databaseUrl || !opts.database.pool) throw new BackupError('PG_TOOLS', 'A PostgreSQL backup needs DATABASE_URL')
      serverVersion = await dumpPostgres(opts.databaseUrl, opts.database.pool, dumpFile)
    }
    const keys: string[] = []
    for await (const { key } of opts.blobs.list()) keys.push(key)
    const manifest: Manifest = {
      app: 'mashangjian',
      version: opts.version,
      createdAt: createdAt.toISOString(),
      database: opts.database.pglite
        ? { driver: 'pglite', format: 'pglite-datadir-tgz', serverVersion }
        : { driver: 'postgres', format: 'pg_dump-custom', serverVersion },
      blobs: 0,
    }
    const fh = await open(partial, 'wx', 0o600)
    let size: number
    let blobs = 0
    try {
      const archive = await ArchiveWriter.create(fh, opts.passphrase, createdAt)
      await archive.add('secrets.json', secretsToKeep(opts.dataDir, opts.secrets))
      await archive.addFile('database', dumpFile)
      for (const key of keys) {
        const data = await opts.blobs.get(key)
        // Removed since it was listed (a retention purge, the orphan sweep): no dumped row needs it.
        if (!data) continue
        await archive.add(`blob/${key}`, data)
        blobs++
      }
      // Last, so it can count what was really archived; the reader checks the count.
      await archive.add('manifest.json', Buffer.from(JSON.stringify({ ...manifest, blobs })))
      size = await archive.finish()
    } finally {
      await fh.close()
    }
    await rename(partial, opts.file)
    return { file: opts.file, sizeBytes: size, blobs, createdAt }
  } catch (err) {
    await rm(partial, { force: true })
    throw err
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

export interface RestoreTarget {
  dataDir: string
  databaseUrl?: string | undefined
  blobs: BlobStore
}

/** What makes a target not empty, or an empty list. */
export async function nonEmptyParts(target: RestoreTarget): Promise<string[]> {
  const parts: string[] = []
  if (existsSync(path.join(target.dataDir, SECRETS_FILE))) parts.push(`${path.join(target.dataDir, SECRETS_FILE)} exists`)
  for await (const blob of target.blobs.list()) {
    parts.push(`the attachment store holds files (${blob.key}, …)`)
    break
  }
  if (target.databaseUrl) {
    const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 1 })
    try {
      const n = await postgresRelations(pool)
      if (n > 0) parts.push(`the database holds ${n} tables, views or sequences`)
    } finally {
      await pool.end()
    }
  } else if (!pgliteDirEmpty(target.dataDir)) parts.push(`${path.join(target.dataDir, 'pglite')} holds a database`)
  return parts
}

export interface RestoreResult {
  manifest: Manifest
  blobs: number
  warnings: string[]
}

/**
 * Brings an archive back into an empty DATA_DIR / database / attachment store (or, with `force`, over what is
 * there). The archive is decrypted and checked in full before anything is written.
 */
export async function restoreBackup(opts: RestoreTarget & { file: string; passphrase: string; force?: boolean }): Promise<RestoreResult> {
  const force = opts.force ?? false
  if (!opts.databaseUrl) {
    const pid = pgliteHolder(opts.dataDir)
    if (pid) throw new BackupError('DATA_DIR_IN_USE', `The server (process ${pid}) is running on ${opts.dataDir}; stop it before restoring`)
  }
  const occupied = await nonEmptyParts(opts)
  if (occupied.length > 0 && !force) {
    throw new BackupError('TARGET_NOT_EMPTY', `The restore target is not empty: ${occupied.join('; ')}. Restore into an empty one, or add --force to overwrite`)
  }
  const staging = await mkdtemp(path.join(tmpdir(), 'msj-restore-'))
  try {
    const staged = await stageArchive(opts.file, opts.passphrase, staging)
    const driver = opts.databaseUrl ? 'postgres' : 'pglite'
    if (staged.manifest.database.driver !== driver) {
      throw new BackupError(
        'DATABASE_MISMATCH',
        staged.manifest.database.driver === 'pglite'
          ? 'This archive holds an embedded (PGlite) database: restore it with DATABASE_URL unset'
          : 'This archive holds a PostgreSQL database: restore it with DATABASE_URL set to an empty PostgreSQL database',
      )
    }
    const warnings: string[] = []
    // The database first: if it fails, DATA_DIR and the attachment store are as they were.
    if (opts.databaseUrl) {
      const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 1 })
      try {
        if (force) await emptyPostgres(pool)
        await restorePostgres(opts.databaseUrl, pool, staged.databaseFile)
      } finally {
        await pool.end()
      }
    } else {
      const movedTo = await restorePglite(opts.dataDir, staged.databaseFile, force)
      if (movedTo) warnings.push(`the database that was there is kept in ${movedTo}`)
    }
    const secretsFile = path.join(opts.dataDir, SECRETS_FILE)
    await writeFile(secretsFile, staged.secrets, { mode: 0o600 })
    await chmod(secretsFile, 0o600)
    const restoredKey = (JSON.parse(staged.secrets.toString('utf8')) as Partial<Secrets>).piiKey
    if (process.env.PII_KEY && process.env.PII_KEY !== restoredKey) {
      warnings.push(
        "PII_KEY in the environment is not the archive's key: stored phones stay unreadable until PII_KEY is unset (secrets.json has the right one)",
      )
    }
    for (const key of staged.blobKeys) {
      if (force) await opts.blobs.remove(key)
      await opts.blobs.put(key, await readFile(staged.blobFile(key)))
    }
    return { manifest: staged.manifest, blobs: staged.blobKeys.length, warnings }
  } finally {
    await rm(staging, { recursive: true, force: true })
  }
}

import { mkdirSync } from 'node:fs'
import { readdir, readFile, rm, stat, writeFile, rename } from 'node:fs/promises'
import path from 'node:path'
import { BEIJING_TIME_ZONE } from '@mashangjian/shared'
import type { BlobStore } from '../attachments/blob-store'
import type { Secrets } from '../config/config-schema'
import type { Database } from '../db/database'
import type { Clock } from '../clock'
import { createBackup } from './backup-service'
import { backupFileName } from './backup-file-name'

export interface BackupSettings {
  dir: string
  /** How many archives to keep; older ones are deleted after a successful run. */
  keep: number
  /** HH:MM Beijing time. */
  time: string
  passphrase: string
}

/** What /healthz shows: kept in BACKUP_DIR so every process sharing it (and a restarted one) reports the same. */
export interface BackupStatus {
  lastSuccessAt?: string
  file?: string
  sizeBytes?: number
  lastErrorAt?: string
  lastError?: string
}

const STATUS_FILE = 'last-backup.json'
const ARCHIVE = /^mashangjian-\d{4}-\d{2}-\d{2}-\d{6}\.msjbak$/

/** The pg-boss cron expression (with tz Asia/Shanghai) for a HH:MM time of day. */
export const backupCron = (time: string) => {
  const [h, m] = time.split(':').map(Number)
  return { cron: `${m} ${h} * * *`, tz: BEIJING_TIME_ZONE }
}

/**
 * What the public /healthz may tell: the archive's name without the server's folders, and the first line of an
 * error with every absolute path cut to its last part (pg_dump's messages name hosts, folders and users).
 */
export function publicBackupStatus(status: BackupStatus): BackupStatus {
  const shortPaths = (text: string) => text.replace(/(?:[A-Za-z]:)?[\\/][^\s'"]*[\\/]([^\s'"\\/]+)/g, '$1')
  return {
    ...status,
    ...(status.file ? { file: path.basename(status.file) } : {}),
    ...(status.lastError ? { lastError: shortPaths(status.lastError.split('\n')[0]!).slice(0, 200) } : {}),
  }
}

export async function readBackupStatus(dir: string): Promise<BackupStatus> {
  try {
    return JSON.parse(await readFile(path.join(dir, STATUS_FILE), 'utf8')) as BackupStatus
  } catch {
    return {}
  }
}

async function writeStatus(dir: string, status: BackupStatus) {
  const tmp = path.join(dir, `${STATUS_FILE}.tmp`)
  await writeFile(tmp, JSON.stringify(status, null, 2))
  await rename(tmp, path.join(dir, STATUS_FILE))
}

/**
 * The server's own backup, run daily by the job runner: the running process holds the embedded database, so on
 * PGlite this is the only way to back up without stopping it. Keeps the newest `keep` archives.
 */
export function createDailyBackup(deps: {
  settings: BackupSettings
  database: Database
  databaseUrl: string | undefined
  blobs: BlobStore
  dataDir: string
  secrets: Secrets
  version: string
  clock: Clock
}) {
  const { settings } = deps
  return {
    settings,
    status: () => readBackupStatus(settings.dir),
    async run(): Promise<{ file: string; sizeBytes: number; removed: string[] }> {
      mkdirSync(settings.dir, { recursive: true })
      const previous = await readBackupStatus(settings.dir)
      const now = deps.clock.now()
      try {
        const result = await createBackup({
          database: deps.database,
          databaseUrl: deps.databaseUrl,
          blobs: deps.blobs,
          dataDir: deps.dataDir,
          secrets: deps.secrets,
          passphrase: settings.passphrase,
          file: path.join(settings.dir, backupFileName(now)),
          version: deps.version,
          now,
        })
        const names = (await readdir(settings.dir)).filter((n) => ARCHIVE.test(n)).sort()
        const removed = names.slice(0, Math.max(0, names.length - settings.keep))
        for (const name of removed) await rm(path.join(settings.dir, name), { force: true })
        const { size } = await stat(result.file)
        await writeStatus(settings.dir, { ...previous, lastSuccessAt: now.toISOString(), file: result.file, sizeBytes: size })
        return { file: result.file, sizeBytes: size, removed }
      } catch (err) {
        await writeStatus(settings.dir, { ...previous, lastErrorAt: now.toISOString(), lastError: (err as Error).message }).catch(() => {})
        throw err
      }
    },
  }
}
export type DailyBackup = ReturnType<typeof createDailyBackup>

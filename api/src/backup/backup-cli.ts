import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { blobStoreFor } from '../attachments/blob-stores'
import { loadConfig, REPO_ROOT } from '../config/load-config'
import { StartupError } from '../config/startup-error'
import { openDatabase } from '../db/database'
import { VERSION } from '../version'
import { BackupError, requirePassphrase } from './backup-error'
import { createBackup } from './backup-service'
import { backupFileName } from './backup-file-name'
import { pgliteDirEmpty, pgliteHolder } from './database-dump'

/**
 * `npm run backup [-- FILE]`: one encrypted archive of the database, the attachments and the secrets, written to
 * FILE or into BACKUP_DIR (default ./backups). BACKUP_PASSPHRASE is required. On the embedded database the
 * server process holds DATA_DIR: while it runs this command refuses, and the server's own daily backup
 * (BACKUP_DIR set) is the way.
 */
async function main(): Promise<number> {
  const passphrase = requirePassphrase(process.env.BACKUP_PASSPHRASE)
  const config = loadConfig()
  if (!config.databaseUrl) {
    const pid = pgliteHolder(config.dataDir)
    if (pid) {
      throw new BackupError(
        'DATA_DIR_IN_USE',
        `The server (process ${pid}) holds the embedded database in ${config.dataDir}: it makes the backups itself when BACKUP_DIR is set (daily, see README "Backups"); to back up now, stop it first`,
      )
    }
    if (pgliteDirEmpty(config.dataDir)) throw new BackupError('TARGET_NOT_EMPTY', `There is no database in ${config.dataDir} to back up`)
  }
  const arg = process.argv.slice(2).find((a) => !a.startsWith('-'))
  const now = new Date()
  const file = arg ? path.resolve(arg) : path.join(path.resolve(REPO_ROOT, process.env.BACKUP_DIR || 'backups'), backupFileName(now))
  mkdirSync(path.dirname(file), { recursive: true })
  const database = await openDatabase(config)
  try {
    const result = await createBackup({
      database,
      databaseUrl: config.databaseUrl,
      // The store the server uses (S3 when configured).
      blobs: blobStoreFor(config),
      dataDir: config.dataDir,
      secrets: config.secrets,
      passphrase,
      file,
      version: VERSION,
      now,
    })
    console.log(`backup written: ${result.file} (${result.sizeBytes} bytes, ${result.blobs} attachments, database and secrets included)`)
    return 0
  } finally {
    await database.close()
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof BackupError || err instanceof StartupError) console.error(`mashangjian backup: ${err.message}`)
    else console.error('mashangjian backup failed:', err)
    process.exit(1)
  },
)

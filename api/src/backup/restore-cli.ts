import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { blobStoreFor } from '../attachments/blob-stores'
import { s3Settings } from '../config/s3-config'
import { parseEnv, REPO_ROOT } from '../config/load-config'
import { StartupError } from '../config/startup-error'
import { describeUrl } from '../db/database'
import { BackupError, requirePassphrase } from './backup-error'
import { restoreBackup } from './backup-service'

const USAGE = 'usage: npm run restore -- FILE [--force]   (BACKUP_PASSPHRASE, DATA_DIR and DATABASE_URL from the environment)'

/**
 * `npm run restore -- FILE [--force]`: brings an archive back into an empty DATA_DIR (and, with DATABASE_URL, an
 * empty PostgreSQL database). Reads the environment without loadConfig(): that would create a fresh secrets.json,
 * which is exactly what the archive brings back.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2)
  const files = args.filter((a) => !a.startsWith('-'))
  const unknown = args.filter((a) => a.startsWith('-') && a !== '--force')
  if (files.length !== 1 || unknown.length > 0) {
    console.error(USAGE)
    return 2
  }
  const passphrase = requirePassphrase(process.env.BACKUP_PASSPHRASE)
  const env = parseEnv(process.env)
  const dataDir = path.resolve(REPO_ROOT, env.DATA_DIR ?? 'data')
  mkdirSync(dataDir, { recursive: true })
  // The store the server will use (S3 when configured): restored photos land where it reads them; its bucket made first.
  const blobs = blobStoreFor({ s3: s3Settings(env), dataDir })
  await blobs.ready()
  const result = await restoreBackup({
    file: path.resolve(files[0]!),
    passphrase,
    dataDir,
    databaseUrl: env.DATABASE_URL,
    blobs,
    force: args.includes('--force'),
  })
  const where = env.DATABASE_URL ? `PostgreSQL ${describeUrl(env.DATABASE_URL)}` : `the embedded database in ${dataDir}`
  console.log(
    `restored the backup of ${result.manifest.createdAt} (version ${result.manifest.version}) into ${where}: database, secrets.json, ${result.blobs} attachments. Start the server; it migrates an older database.`,
  )
  for (const warning of result.warnings) console.warn(`warning: ${warning}`)
  // PIPL: the archive predates any erasure made after it; the person's request must not be undone silently.
  console.warn(
    `warning: personal data withdrawn or erased after ${result.manifest.createdAt} is back in the database. The retention job erases by age again at its next run; requests made after the archive (audit actions case.resident_phone_withdrawn, case.personal_data_erased, privacy.phone_erased) must be carried out again.`,
  )
  return 0
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof BackupError || err instanceof StartupError) console.error(`mashangjian restore: ${err.message}`)
    else console.error('mashangjian restore failed:', err)
    process.exit(1)
  },
)

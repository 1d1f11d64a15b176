import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app'
import { diskBlobStore } from '../../src/attachments/blob-store'
import { createAuditLog } from '../../src/audit/audit-log'
import { prepareDatabase } from '../../src/bootstrap'
import { BackupError } from '../../src/backup/backup-error'
import { nonEmptyParts, restoreBackup } from '../../src/backup/backup-service'
import { loadConfig } from '../../src/config/load-config'
import type { Config } from '../../src/config/config-schema'
import { openPgliteDir, type Database } from '../../src/db/database'
import { member, qrCode } from '../../src/db/schema'
import { createPiiCipher } from '../../src/privacy/pii-cipher'
import { seedDemo } from '../../src/seed/seed-demo'
import { signIn, submitCase, uniqueText } from '../support/case-actions'
import { runCli } from '../support/cli-process'
import { jpegWithGps } from '../support/images'
import { ManualClock } from '../support/manual-clock'
import { testConfig } from '../support/test-app'
import { createTestDatabase, type TestDatabase } from '../support/test-db'
import { testDatabaseUrl } from '../support/test-db-url'

const PASSPHRASE = 'correct horse battery staple'
const onPostgres = Boolean(testDatabaseUrl())

/** A county's server as the operator runs it: DATA_DIR (secrets.json, attachments, PGlite) and maybe PostgreSQL. */
async function openCounty(dataDir: string, url?: string): Promise<{ config: Config; database: Database }> {
  const env = { DATA_DIR: dataDir, ...(url ? { DATABASE_URL: url } : {}) }
  const loaded = loadConfig(env)
  const config = testConfig({ dataDir, databaseUrl: url, secrets: loaded.secrets })
  return { config, database: await prepareDatabase(config) }
}

/**
 * Backup → wipe → restore → start, on the database the run uses: the commands run as real processes
 * (`npm run backup` / `npm run restore`), the app on the restored data is the real app.
 */
describe(`backup and restore (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, { timeout: 600_000 }, () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'msj-bk-src-'))
  const restoredDir = mkdtempSync(path.join(tmpdir(), 'msj-bk-dst-'))
  const archiveDir = mkdtempSync(path.join(tmpdir(), 'msj-bk-out-'))
  const archive = path.join(archiveDir, 'county.msjbak')
  let source: TestDatabase | undefined
  let target: TestDatabase | undefined
  let piiKey: string
  const seeded: { trackingUrl: string; publicNo: string; id: string; phone: string }[] = []
  const photos = new Map<string, Buffer>()
  let sealedBefore = 0
  const cliEnv = (dir: string, db?: TestDatabase) => ({ DATA_DIR: dir, DATABASE_URL: db?.url ?? '', BACKUP_PASSPHRASE: PASSPHRASE })

  beforeAll(async () => {
    if (onPostgres) source = await createTestDatabase({ empty: true })
    const { config, database } = await openCounty(dataDir, source?.url)
    piiKey = config.secrets.piiKey
    const clock = new ManualClock(new Date())
    const app = await buildApp({ config, database, clock })
    await seedDemo(database.db, { cipher: createPiiCipher(piiKey), clock })
    const [code] = await database.db
      .select({ code: qrCode.code })
      .from(qrCode)
      .innerJoin(member, eq(member.id, qrCode.memberId))
      .where(and(eq(member.name, '王建国'), eq(qrCode.status, 'active')))
    const t = { app, database, clock, config, close: async () => {} } as unknown as Parameters<typeof submitCase>[0]
    const wang = await signIn(app, 'wangjianguo')
    for (const phone of ['13912345678', '13700001111']) {
      const res = await submitCase(t, code!.code, uniqueText('楼道里的灯坏了很久，晚上老人上下楼很危险'), { phone, consent: 'on' })
      const page = await app.inject({ url: `/t/${res.trackingSecret}` })
      expect(page.statusCode).toBe(200)
      seeded.push({ trackingUrl: `/t/${res.trackingSecret}`, publicNo: res.publicNo, id: res.id, phone })
      // A photo from the member too (an action with photos), besides none from the resident.
      const form = new FormData()
      form.append('action', JSON.stringify({ opId: crypto.randomUUID(), baseVersion: (await wang.detail(res.id)).version, type: 'accept' }))
      form.append('photo1', new Blob([new Uint8Array(await jpegWithGps(640, 480))], { type: 'image/jpeg' }), 'p.jpg')
      const acted = await app.inject({ method: 'POST', url: `/api/v1/cases/${res.id}/actions/with-photos`, headers: wang.headers, payload: form })
      expect(acted.statusCode, acted.body).toBe(200)
      const detail = await wang.detail(res.id)
      expect(detail.residentPhone).toBe(phone)
      for (const a of detail.attachments) photos.set(a.url, (await app.inject({ url: a.url, headers: wang.headers })).rawPayload)
    }
    expect(photos.size).toBe(2)
    const audit = createAuditLog(database.db)
    await audit.sealAll({ waitMs: 5_000 })
    sealedBefore = (await audit.verify()).sealed
    expect(sealedBefore).toBeGreaterThan(0)

    if (!onPostgres) {
      // The server holds the embedded database: the command refuses and says how backups happen then.
      const busy = await runCli('api/src/backup/backup-cli.ts', [archive], cliEnv(dataDir))
      expect(busy.code).toBe(1)
      expect(busy.err).toMatch(
        /^mashangjian backup: The server \(process \d+\) holds the embedded database in .+: it makes the backups itself when BACKUP_DIR is set/,
      )
    }
    await app.close()
    await database.close()
  }, 300_000)
  afterAll(async () => {
    await source?.close()
    await target?.close()
    for (const dir of [dataDir, restoredDir, archiveDir]) rmSync(dir, { recursive: true, force: true })
  })

  it('refuses to back up without a passphrase', async () => {
    const res = await runCli('api/src/backup/backup-cli.ts', [archive], { ...cliEnv(dataDir, source), BACKUP_PASSPHRASE: '' })
    expect(res.code).toBe(1)
    expect(res.err).toBe(
      'mashangjian backup: BACKUP_PASSPHRASE is not set: backups are always encrypted; set it (at least 12 characters) and keep it apart from the backups',
    )
    expect(existsSync(archive)).toBe(false)
  })

  it('backs up, the county is wiped, wrong passphrase / tampered / cut archives are refused, the restore brings it back', async () => {
    const made = await runCli('api/src/backup/backup-cli.ts', [archive], cliEnv(dataDir, source))
    expect(made.code, made.err).toBe(0)
    expect(made.out).toMatch(/^backup written: .+county\.msjbak \(\d+ bytes, 2 attachments, database and secrets included\)$/)
    expect((statSync(archive).mode & 0o777).toString(8)).toBe('600')
    // Nothing readable inside: no phone, no key, no magic of a gzip or pg_dump file after the header.
    const bytes = readFileSync(archive)
    for (const secret of [piiKey, '13912345678', 'PGDMP']) expect(bytes.includes(Buffer.from(secret))).toBe(false)

    // The disk is lost: DATA_DIR (secrets, attachments, PGlite) and the PostgreSQL database.
    rmSync(dataDir, { recursive: true, force: true })
    await source?.close()
    source = undefined
    if (onPostgres) target = await createTestDatabase({ empty: true })
    const into = { dataDir: restoredDir, databaseUrl: target?.url, blobs: diskBlobStore(path.join(restoredDir, 'attachments')) }

    await expect(restoreBackup({ ...into, file: archive, passphrase: 'not the passphrase' })).rejects.toThrow(
      'Wrong passphrase: BACKUP_PASSPHRASE is not the one this archive was made with',
    )
    const tampered = path.join(archiveDir, 'tampered.msjbak')
    copyFileSync(archive, tampered)
    const edited = readFileSync(tampered)
    edited[Math.floor(edited.length / 2)]! ^= 0x01
    writeFileSync(tampered, edited)
    const cut = path.join(archiveDir, 'cut.msjbak')
    writeFileSync(cut, bytes.subarray(0, bytes.length - 100))
    for (const bad of [tampered, cut]) {
      const err = await restoreBackup({ ...into, file: bad, passphrase: PASSPHRASE }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(BackupError)
      expect((err as BackupError).code).toBe('ARCHIVE_DAMAGED')
      // Checked in full before anything is written: the target is still empty.
      expect(await nonEmptyParts(into)).toEqual([])
    }

    const restored = await runCli('api/src/backup/restore-cli.ts', [archive], cliEnv(restoredDir, target))
    expect(restored.code, restored.err).toBe(0)
    expect(restored.out).toMatch(/^restored the backup of .+: database, secrets.json, 2 attachments\./)
    expect((statSync(path.join(restoredDir, 'secrets.json')).mode & 0o777).toString(8)).toBe('600')

    const again = await runCli('api/src/backup/restore-cli.ts', [archive], cliEnv(restoredDir, target))
    expect(again.code).toBe(1)
    expect(again.err).toMatch(
      /^mashangjian restore: The restore target is not empty: .*secrets\.json exists; the attachment store holds files .*Restore into an empty one, or add --force to overwrite$/,
    )
  })

  it('the app starts on the restored county: tracking links, phones for the assignee, photos, the audit chain', async () => {
    const { config, database } = await openCounty(restoredDir, target?.url)
    expect(config.secrets.piiKey).toBe(piiKey)
    const app: FastifyInstance = await buildApp({ config, database, clock: new ManualClock(new Date()) })
    try {
      for (const c of seeded) {
        const page = await app.inject({ url: c.trackingUrl })
        expect(page.statusCode).toBe(200)
        expect(page.body).toContain(c.publicNo)
      }
      const wang = await signIn(app, 'wangjianguo')
      for (const c of seeded) expect((await wang.detail(c.id)).residentPhone).toBe(c.phone)
      const station = await signIn(app, 'station')
      expect((await station.detail(seeded[0]!.id)).residentPhone).toBeNull()
      for (const [url, data] of photos) {
        const res = await app.inject({ url, headers: wang.headers })
        expect(res.statusCode).toBe(200)
        expect(res.rawPayload.equals(data)).toBe(true)
      }
      const audit = createAuditLog(database.db)
      await audit.sealAll({ waitMs: 5_000 })
      const verified = await audit.verify()
      expect(verified.ok).toBe(true)
      // The rows from before the backup plus the phone views just made.
      expect(verified.sealed).toBeGreaterThan(sealedBefore)
    } finally {
      await app.close()
      await database.close()
    }
  })

  it('restores over a non-empty target only with --force, keeping the old embedded database aside', async () => {
    const forced = await runCli('api/src/backup/restore-cli.ts', [archive, '--force'], cliEnv(restoredDir, target))
    expect(forced.code, forced.err).toBe(0)
    if (!onPostgres) expect(forced.err).toMatch(/^warning: the database that was there is kept in .+pglite\.before-restore-/)
    const { database } = await openCounty(restoredDir, target?.url)
    await database.close()
  })
})

describe('restore refuses a running server on the embedded database', { timeout: 180_000 }, () => {
  it.skipIf(onPostgres)('names the process holding DATA_DIR', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'msj-bk-busy-'))
    const database = await openPgliteDir(dir)
    try {
      const res = await runCli('api/src/backup/restore-cli.ts', [path.join(dir, 'any.msjbak')], { DATA_DIR: dir, BACKUP_PASSPHRASE: PASSPHRASE })
      expect(res.code).toBe(1)
      expect(res.err).toBe(`mashangjian restore: The server (process ${process.pid}) is running on ${dir}; stop it before restoring`)
    } finally {
      await database.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stageArchive } from '../../src/backup/backup-archive'
import { backupFileName } from '../../src/backup/backup-file-name'
import { backupCron } from '../../src/backup/daily-backup'
import { loadConfig } from '../../src/config/load-config'
import { queryRows } from '../../src/db/database'
import { JOBS, startJobs } from '../../src/jobs/job-runner'
import { sql } from 'drizzle-orm'
import { createTestApp, type TestApp } from '../support/test-app'
import { testDatabaseUrl } from '../support/test-db-url'
import { createTestDatabase, type TestDatabase } from '../support/test-db'

const PASSPHRASE = 'daily backup passphrase'

describe(`the server's daily backup (${testDatabaseUrl() ? 'PostgreSQL' : 'PGlite'})`, { timeout: 300_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'msj-daily-'))
  let t: TestApp
  let database: TestDatabase
  beforeAll(async () => {
    // On PostgreSQL the backup runs pg_dump against the URL (and pg-boss connects to it): the config names it.
    database = await createTestDatabase()
    t = await createTestApp({ backup: { dir, keep: 2, time: '03:30', passphrase: PASSPHRASE }, databaseUrl: database.url }, database)
    await t.app.services.blobs.put('cases/daily-test.jpg', Buffer.from('photo bytes'))
  }, 300_000)
  afterAll(async () => {
    await t?.close()
    await database?.close()
    rmSync(dir, { recursive: true, force: true })
  })
  // The test clock moves days ahead with no deadline sweep run, so /healthz may answer 503 (issue 19's stale-sweep
  // rule); its problem body carries the same report in `current`. The backup's result is there either way.
  const health = async () => {
    const body = (await t.app.inject({ url: '/healthz' })).json<{ backup?: Record<string, unknown>; current?: { backup?: Record<string, unknown> } }>()
    return { backup: body.backup ?? body.current?.backup }
  }

  it('reports no run yet on /healthz', async () => {
    expect((await health()).backup).toEqual({})
  })

  it('writes an archive a day, keeps the newest BACKUP_KEEP and reports the last one', async () => {
    const made: string[] = []
    for (let day = 0; day < 3; day++) {
      if (day > 0) t.clock.advance(86_400_000)
      made.push((await t.app.services.dailyBackup!.run()).file)
    }
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith('.msjbak'))
        .sort(),
    ).toEqual(made.slice(1).map((f) => path.basename(f)))
    expect(path.basename(made[2]!)).toBe(backupFileName(t.clock.now()))
    expect((await health()).backup).toEqual({ lastSuccessAt: t.clock.now().toISOString(), file: path.basename(made[2]!), sizeBytes: statSync(made[2]!).size })
    const staging = mkdtempSync(path.join(tmpdir(), 'msj-daily-stage-'))
    try {
      const staged = await stageArchive(made[2]!, PASSPHRASE, staging)
      expect(staged.manifest.database.driver).toBe(t.database.driver)
      expect(staged.blobKeys).toEqual(['cases/daily-test.jpg'])
      expect(JSON.parse(staged.secrets.toString('utf8'))).toMatchObject({ piiKey: t.config.secrets.piiKey })
    } finally {
      rmSync(staging, { recursive: true, force: true })
    }
  })

  it('records a failed run beside the last success, and leaves no partial archive', async () => {
    const before = (await health()).backup!
    t.clock.advance(86_400_000)
    // Something already sits where this run writes: the run fails as a full disk or a permission error would.
    const blocker = path.join(dir, `${backupFileName(t.clock.now())}.partial`)
    writeFileSync(blocker, 'in the way')
    await expect(t.app.services.dailyBackup!.run()).rejects.toThrow(/EEXIST/)
    expect((await health()).backup).toMatchObject({ ...before, lastErrorAt: t.clock.now().toISOString(), lastError: expect.stringMatching(/EEXIST/) })
    expect(existsSync(path.join(dir, backupFileName(t.clock.now())))).toBe(false)
  })

  it('is scheduled by the job runner at BACKUP_TIME Beijing time and runs as a job', async () => {
    const s = t.app.services
    const jobs = await startJobs({
      database: t.database,
      databaseUrl: t.config.databaseUrl,
      sweep: s.deadlines,
      audit: s.audit,
      metrics: s.metricsAggregator,
      log: t.app.log,
      notifications: s.notifications,
      publicCleanup: s.publicCleanup,
      orphanSweep: s.orphanSweep,
      deliverNotices: false,
      backup: s.dailyBackup,
    })
    try {
      const [schedule] = await queryRows<{ cron: string; timezone: string }>(
        t.database.db,
        sql`select cron, timezone from pgboss.schedule where name = ${JOBS.backup}`,
      )
      expect(schedule).toEqual({ cron: '30 3 * * *', timezone: 'Asia/Shanghai' })
      t.clock.advance(86_400_000)
      await jobs.runNow(JOBS.backup)
      const deadline = Date.now() + 120_000
      while ((await health()).backup?.lastSuccessAt !== t.clock.now().toISOString()) {
        if (Date.now() > deadline) throw new Error(`the backup job did not run: ${JSON.stringify((await health()).backup)}`)
        await new Promise((r) => setTimeout(r, 250))
      }
      expect(existsSync(path.join(dir, backupFileName(t.clock.now())))).toBe(true)
    } finally {
      await jobs.stop()
    }
  })
})

describe('daily backup settings', () => {
  it('runs at BACKUP_TIME in Beijing time', () => {
    expect(backupCron('03:30')).toEqual({ cron: '30 3 * * *', tz: 'Asia/Shanghai' })
    expect(backupCron('23:05')).toEqual({ cron: '5 23 * * *', tz: 'Asia/Shanghai' })
  })
  it('refuses BACKUP_DIR without a passphrase and a malformed time', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'msj-daily-cfg-'))
    try {
      expect(() => loadConfig({ DATA_DIR: dataDir, BACKUP_DIR: '/tmp/x' })).toThrow(
        'BACKUP_DIR is set but BACKUP_PASSPHRASE is not: daily backups are encrypted with it (at least 12 characters)',
      )
      expect(() => loadConfig({ DATA_DIR: dataDir, BACKUP_DIR: '/tmp/x', BACKUP_PASSPHRASE: PASSPHRASE, BACKUP_TIME: '3:30' })).toThrow(
        /BACKUP_TIME must be a Beijing time of day HH:MM/,
      )
      expect(loadConfig({ DATA_DIR: dataDir, BACKUP_DIR: '/tmp/x', BACKUP_PASSPHRASE: PASSPHRASE }).backup).toEqual({
        dir: '/tmp/x',
        keep: 7,
        time: '03:30',
        passphrase: PASSPHRASE,
      })
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})

import PgBoss from 'pg-boss'
import type { FastifyBaseLogger } from 'fastify'
import { BEIJING_TIME_ZONE } from '@mashangjian/shared'
import type { PGlite } from '@electric-sql/pglite'
import type { Database } from '../db/database'
import type { DeadlineSweep } from '../deadlines/deadline-sweep'
import type { AuditLog } from '../audit/audit-log'
import type { MetricsAggregator } from '../metrics/metrics-aggregator'
import type { NotificationsService } from '../notifications/notifications-service'
import type { PublicCleanup } from '../public/public-cleanup'
import type { OrphanSweep } from '../attachments/orphan-sweep'
import { monitorWork, type JobMonitor } from '../monitoring/job-monitor'
import { backupCron, type DailyBackup } from '../backup/daily-backup'

export const JOBS = {
  sweep: 'deadline-sweep',
  digest: 'daily-digest',
  seal: 'audit-seal',
  metrics: 'metrics-aggregate',
  notify: 'notify-deliver',
  publicCleanup: 'public-cleanup',
  orphanSweep: 'orphan-blob-sweep',
  dutyRoster: 'duty-roster-extend',
  retention: 'retention-erase',
  auditArchive: 'audit-archive',
  backup: 'daily-backup',
} as const

/** pg-boss speaks to PGlite through this adapter; statements without parameters may be several at once. */
function pgliteAdapter(pglite: PGlite) {
  return {
    async executeSql(text: string, values?: unknown[]) {
      if (values && values.length > 0) return pglite.query(text, values)
      const results = await pglite.exec(text)
      return results.at(-1) ?? { rows: [] }
    },
  }
}

export interface JobDeps {
  database: Database
  databaseUrl?: string | undefined
  sweep: DeadlineSweep
  audit: AuditLog
  metrics: MetricsAggregator
  log: FastifyBaseLogger
  notifications: NotificationsService
  /** Hourly: kept photos no case claimed, spent throttle counters and idempotency keys. */
  publicCleanup: PublicCleanup
  /** Hourly: attachment blobs older than an hour that no row names. */
  orphanSweep: OrphanSweep
  /** Daily, just after Beijing midnight: the reception-day shifts move on by a day (duty-roster-service.ts). */
  dutyRoster?: { extendAll(): Promise<number> }
  /** Daily (issue 19): residents' personal data past each committee's retention years (retention-sweep.ts). */
  retention?: { run(): Promise<Record<string, number>> }
  /** Daily (issue 19): audit rows past AUDIT_ARCHIVE_AFTER_MONTHS move to the archive table (audit-archive.ts). */
  auditArchive?: { run(): Promise<{ archived: number }> }
  /** False: this process leaves delivering notices to others (NOTIFY_DELIVERY=false). */
  deliverNotices?: boolean
  /** issue 19: monitoring — every handler's runs counted and recorded for /healthz (services.jobMonitor). */
  monitor?: JobMonitor
  /** Daily at BACKUP_TIME Beijing time, when BACKUP_DIR is set (issue 19). */
  backup?: DailyBackup | undefined
}

/** PostgreSQL errors that a second try resolves: deadlock, serialization failure, a unique row another process just made. */
const RETRYABLE = new Set(['40P01', '40001', '23505'])

/**
 * Starts pg-boss with its queues and schedules. Several API processes starting together on an empty database race
 * in pg-boss's schema set-up (it deadlocked one of two, every time): a retryable error gets a fresh instance after
 * a short, growing, jittered pause, up to six tries.
 */
async function startBoss(create: () => PgBoss, log: FastifyBaseLogger, backup?: DailyBackup): Promise<PgBoss> {
  for (let attempt = 1; ; attempt++) {
    const boss = create()
    boss.on('error', (err) => log.error({ err }, 'job runner error'))
    try {
      await boss.start()
      for (const name of Object.values(JOBS)) await boss.createQueue(name)
      // The nightly jobs may run long on a big county (a backup, years of erasure): pg-boss's 15-minute expiry would
      // fail and re-dispatch one still running. A failed backup waits for the next night rather than overlap.
      for (const name of [JOBS.backup, JOBS.retention, JOBS.auditArchive]) {
        await boss.updateQueue(name, { name, expireInHours: 6, ...(name === JOBS.backup ? { retryLimit: 0 } : {}) })
      }
      await boss.schedule(JOBS.sweep, '* * * * *')
      await boss.schedule(JOBS.digest, '0 8 * * *', undefined, { tz: BEIJING_TIME_ZONE })
      await boss.schedule(JOBS.seal, '* * * * *')
      await boss.schedule(JOBS.metrics, '* * * * *')
      await boss.schedule(JOBS.notify, '* * * * *')
      await boss.schedule(JOBS.publicCleanup, '17 * * * *')
      await boss.schedule(JOBS.orphanSweep, '41 * * * *')
      await boss.schedule(JOBS.dutyRoster, '5 0 * * *', undefined, { tz: BEIJING_TIME_ZONE })
      await boss.schedule(JOBS.retention, '30 3 * * *', undefined, { tz: BEIJING_TIME_ZONE })
      await boss.schedule(JOBS.auditArchive, '45 3 * * *', undefined, { tz: BEIJING_TIME_ZONE })
      // Schedules live in the database: one started without BACKUP_DIR removes an earlier process's schedule.
      const backupAt = backup && backupCron(backup.settings.time)
      if (backupAt) await boss.schedule(JOBS.backup, backupAt.cron, undefined, { tz: backupAt.tz })
      else await boss.unschedule(JOBS.backup)
      return boss
    } catch (err) {
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined)
      const code = (err as { code?: string }).code
      if (attempt >= 6 || !code || !RETRYABLE.has(code)) throw err
      log.warn({ code, attempt }, 'job runner set-up collided with another process; trying again')
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt + Math.random() * 200))
    }
  }
}

/**
 * Background jobs on pg-boss in the same database (no other service): the deadline sweep every minute, the
 * members' digest at 08:00 Beijing time, sealing the audit chain, and bringing the metrics aggregates up to
 * the case change log (every minute, and right after each sweep, whose escalations and overdue marks count),
 * and the notification outbox's retries.
 * With several API processes, pg-boss hands each scheduled run to one of them.
 */
export async function startJobs({
  database,
  databaseUrl,
  sweep,
  audit,
  metrics,
  log,
  notifications,
  publicCleanup,
  orphanSweep,
  dutyRoster,
  retention,
  auditArchive,
  deliverNotices = true,
  monitor,
  backup,
}: JobDeps) {
  const boss = await startBoss(
    () =>
      database.pglite
        ? new PgBoss({ db: pgliteAdapter(database.pglite), supervise: true, schedule: true })
        : new PgBoss({ connectionString: databaseUrl, max: 3 }),
    log,
    backup,
  )
  // issue 19: before the first work(): every job below (and any added later) goes through the monitor.
  if (monitor) monitorWork(boss, monitor)
  if (backup) {
    await boss.work(JOBS.backup, async () => {
      try {
        log.info(await backup.run(), 'daily backup written')
      } catch (err) {
        log.error({ err }, 'daily backup failed')
        throw err
      }
    })
  }
  await boss.work(JOBS.dutyRoster, async () => {
    if (dutyRoster) log.info({ stations: await dutyRoster.extendAll() }, 'reception days generated')
  })
  // Issue 19, at night in Beijing: erasure past the retention years (each run audited with its counts), then the audit archive.
  await boss.work(JOBS.retention, async () => {
    if (retention) log.info({ report: await retention.run() }, 'retention: personal data past its years erased')
  })
  await boss.work(JOBS.auditArchive, async () => {
    if (auditArchive) log.info({ report: await auditArchive.run() }, 'audit rows archived')
  })
  await boss.work(JOBS.sweep, async () => {
    const report = await sweep.run()
    if (Object.values(report).some((n) => n > 0)) log.info({ report }, 'deadline sweep')
    await boss.send(JOBS.metrics, {})
  })
  await boss.work(JOBS.digest, async () => {
    log.info({ members: await sweep.digest() }, 'daily digest sent')
  })
  await boss.work(JOBS.publicCleanup, async () => {
    const report = await publicCleanup.run()
    if (Object.values(report).some((n) => n > 0)) log.info({ report }, 'public leftovers removed')
  })
  await boss.work(JOBS.orphanSweep, async () => {
    const report = await orphanSweep.run()
    if (report.removed > 0) log.warn({ report }, 'attachment files no row named were removed')
  })
  await boss.work(JOBS.seal, async () => {
    await audit.sealAll()
  })
  await boss.work(JOBS.metrics, async () => {
    let cases = 0
    for (let n; (n = await metrics.catchUp()) > 0;) cases += n
    if (cases > 0) log.debug({ cases }, 'metrics aggregated')
  })
  // Retries whose backoff has passed, quiet-hours notices whose morning came, and rows a killed process left
  // (claimed rows come back when their lease runs out). Each process's own commits are delivered at once (kick).
  if (deliverNotices) {
    await boss.work(JOBS.notify, async () => {
      const report = await notifications.deliverDue()
      if (report.sent + report.failed + report.retry > 0) log.info({ report }, 'notifications delivered')
    })
  }
  // Once at start too: a new or just-migrated database is counted (rebuilt) now, not at the next full minute.
  await boss.send(JOBS.metrics, {})
  // Whatever was written and not delivered before a restart goes out now, not at the next full minute.
  notifications.kick()
  return {
    boss,
    /** Runs a job now (tests, and an admin's "run the sweep" button later). */
    runNow: (name: (typeof JOBS)[keyof typeof JOBS]) => boss.send(name, {}),
    stop: () => boss.stop({ graceful: true, timeout: 5000 }),
  }
}
export type Jobs = Awaited<ReturnType<typeof startJobs>>

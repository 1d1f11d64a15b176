import type { FastifyInstance } from 'fastify'
import { loadConfig } from './config/load-config'
import { StartupError } from './config/startup-error'
import type { Config } from './config/config-schema'
import { openDatabase, type Database } from './db/database'
import { underStartupLock } from './db/migrate'
import { createPiiCipher } from './privacy/pii-cipher'
import { createResidentPhoneLookup } from './privacy/phone-lookup'
import { backfillResidentPhoneHashes } from './privacy/resident-phone-backfill'
import { isEmpty, seedDemo } from './seed/seed-demo'
import { formatDemoBanner, readDemoSummary } from './seed/demo-summary'
import { publicUrlWarning, trustProxyWarning } from './config/public-base-url'
import { systemClock } from './clock'
import { buildApp } from './app'
import { startJobs } from './jobs/job-runner'
import { logSafeRequest } from './live/log-safe'
import { beginDraining, DRAIN_WINDOW_MS } from './health/draining'

/** Opens the database and brings it up to date; the demo county is seeded into an empty one. */
export async function prepareDatabase(config: Config): Promise<Database> {
  const database = await openDatabase(config)
  try {
    // One process at a time (several may start together on one PostgreSQL): the first migrates and seeds, the
    // others find the work done.
    await underStartupLock(database, async (migrateHere) => {
      await migrateHere()
      const cipher = createPiiCipher(config.secrets.piiKey)
      if (config.seedDemo && (await isEmpty(database.db))) {
        await seedDemo(database.db, { cipher, clock: systemClock })
      }
      // Phones stored before the lookup hash existed (and the seed's) become findable at the desk.
      await backfillResidentPhoneHashes(database.db, { cipher, residentPhones: createResidentPhoneLookup(config.secrets.piiKey, cipher) })
    })
    return database
  } catch (err) {
    await database.close().catch(() => {})
    if (err instanceof StartupError) throw err
    throw new StartupError(`Preparing the database failed: ${(err as Error).message}`)
  }
}

/** Starts the server and stops it cleanly on SIGTERM/SIGINT: stop accepting, drain requests, close the database. */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<FastifyInstance> {
  const config = loadConfig(env)
  const database = await prepareDatabase(config)
  // Request logs mask the token an EventSource has to put in the stream's URL.
  const app = await buildApp({ config, database, logger: { level: config.logLevel, serializers: { req: logSafeRequest } } })
  // issue 17: the attachment store is usable (S3: bucket made if missing) before jobs and the port, or the start stops.
  await app.services.blobs.ready().catch(async (err: unknown) => {
    await app.close().catch(() => {})
    await database.close().catch(() => {})
    throw err
  })
  // Jobs first, then the port: once /healthz answers, everything (and the signal handlers) is in place.
  let jobs: Awaited<ReturnType<typeof startJobs>>
  try {
    jobs = await startJobs({
      database,
      databaseUrl: config.databaseUrl,
      sweep: app.services.deadlines,
      audit: app.services.audit,
      metrics: app.services.metricsAggregator,
      log: app.log,
      notifications: app.services.notifications,
      publicCleanup: app.services.publicCleanup,
      orphanSweep: app.services.orphanSweep,
      dutyRoster: app.services.dutyRoster,
      retention: app.services.retention,
      auditArchive: app.services.auditArchive,
      deliverNotices: config.notifyDelivery ?? true,
      monitor: app.services.jobMonitor,
      backup: app.services.dailyBackup,
    })
  } catch (err) {
    await app.close().catch(() => {})
    await database.close().catch(() => {})
    throw new StartupError(`Cannot start the background jobs: ${(err as Error).message}`)
  }
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) {
      app.log.warn(`${signal} again: exiting without waiting`)
      process.exit(1)
    }
    stopping = true
    app.log.info(`${signal}: draining requests and closing the database`)
    setTimeout(() => process.exit(1), 10_000).unref()
    try {
      // HTTP first: a moment of 503 + Retry-After to every new request with the listener still open (clients go
      // away instead of racing its close, see DRAIN_WINDOW_MS), then stop accepting and let running requests
      // finish; then the jobs; the database last, once nothing uses it.
      beginDraining(app)
      await new Promise((resolve) => setTimeout(resolve, DRAIN_WINDOW_MS))
      await app.close()
      await jobs.stop().catch((err) => app.log.error({ err }, 'stopping jobs failed'))
      await database.close()
    } finally {
      process.exit(0)
    }
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))

  const where = config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}`
  const lines = [`Mashangjian is running at http://localhost:${config.port} (member app: /app/, API docs: /docs) on ${where}`]
  const demo = config.seedDemo ? await readDemoSummary(database.db) : undefined
  if (demo) lines.push(formatDemoBanner(demo, config.publicBaseUrl))
  const unreachable = publicUrlWarning(config.publicBaseUrl)
  if (unreachable) lines.push(unreachable)
  const untrusted = trustProxyWarning(config.publicBaseUrl, config.trustProxy)
  if (untrusted) lines.push(untrusted)
  try {
    await app.listen({ port: config.port, host: config.host })
  } catch (err) {
    await jobs.stop().catch(() => {})
    await app.close().catch(() => {})
    await database.close().catch(() => {})
    const code = (err as NodeJS.ErrnoException).code
    throw new StartupError(
      code === 'EADDRINUSE'
        ? `Port ${config.port} is already in use; stop the other server or set PORT`
        : `Cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`,
    )
  }
  app.log.info({ database: where }, 'started')
  // Plain text, not a log record: what a person running `npm start` reads first. Printed in the same tick as
  // listen() resolves, so it is out before the first request (or signal) can be handled.
  console.log(lines.join('\n'))

  return app
}

import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JOBS, startJobs, type Jobs } from '../../src/jobs/job-runner'
import { SWEEP_STALE_MS } from '../../src/monitoring/job-health'
import { createTestApp, type TestApp } from '../support/test-app'

interface JobState {
  name: string
  lastSuccessAt: string | null
  lastFailureAt: string | null
  failing: boolean
}
interface Health {
  status: string
  jobs: JobState[]
}

const TOKEN = randomBytes(32).toString('hex')
let t: TestApp
beforeAll(async () => {
  t = await createTestApp({ metricsToken: TOKEN })
})
afterAll(() => t?.close())

const healthz = async (app: TestApp = t) => {
  const res = await app.app.inject({ url: '/healthz' })
  // Healthy: the report; unhealthy: problem+json whose `current` is the same report.
  const report = res.statusCode === 200 ? res.json<Health>() : res.json<{ current: Health }>().current
  return { res, report, job: (name: string) => report.jobs.find((j) => j.name === name) }
}

/** Polls until `check` holds (jobs run in pg-boss's own loop), failing with the last value after the deadline. */
async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await read()
    if (check(value) || Date.now() > deadline) return value
    await new Promise((r) => setTimeout(r, 100))
  }
}

const startRunner = () =>
  startJobs({
    database: t.database,
    databaseUrl: t.database.url,
    sweep: t.app.services.deadlines,
    audit: t.app.services.audit,
    metrics: t.app.services.metricsAggregator,
    log: t.app.log,
    notifications: t.app.services.notifications,
    publicCleanup: t.app.services.publicCleanup,
    orphanSweep: t.app.services.orphanSweep,
    monitor: t.app.services.jobMonitor,
  })

/** Runs the deadline sweep through pg-boss and waits until /healthz shows this clock time as its last success. */
async function sweepThroughRunner() {
  let jobs: Jobs | undefined
  try {
    jobs = await startRunner()
    await jobs.runNow(JOBS.sweep)
    const at = t.clock.now().toISOString()
    const seen = await until(healthz, (h) => h.job(JOBS.sweep)?.lastSuccessAt === at)
    expect(seen.job(JOBS.sweep)?.lastSuccessAt).toBe(at)
  } finally {
    // Stopped again, so no scheduled run can move the record while the test ages it.
    await jobs?.stop()
  }
}

describe('/healthz and the jobs (issue 19)', () => {
  it('lists every job; after a start-up grace it turns 503 until the deadline sweep succeeds, then 503 again once it is 5 minutes old', async () => {
    const fresh = await healthz()
    expect(fresh.res.statusCode).toBe(200)
    expect(fresh.report.jobs.map((j) => j.name)).toEqual(expect.arrayContaining(Object.values(JOBS)))
    expect(fresh.job(JOBS.sweep)).toMatchObject({ lastSuccessAt: null, lastFailureAt: null, failing: false })

    // No sweep since start: healthy through the grace, unhealthy after it.
    t.clock.advance(SWEEP_STALE_MS)
    expect((await healthz()).res.statusCode).toBe(200)
    t.clock.advance(1000)
    const stalled = await healthz()
    expect(stalled.res.statusCode).toBe(503)
    expect(stalled.res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(stalled.res.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', detail: expect.stringContaining('since this process started') })
    expect(stalled.report.jobs.map((j) => j.name)).toEqual(expect.arrayContaining(Object.values(JOBS)))

    await sweepThroughRunner()
    const ok = await healthz()
    expect(ok.res.statusCode).toBe(200)
    const lastSweep = ok.job(JOBS.sweep)!.lastSuccessAt!

    t.clock.advance(SWEEP_STALE_MS + 1000)
    const late = await healthz()
    expect(late.res.statusCode).toBe(503)
    expect(late.res.json<{ detail: string }>().detail).toContain(`last success ${lastSweep}`)
    expect(late.job(JOBS.sweep)?.lastSuccessAt).toBe(lastSweep)
    // Readiness is the database alone: a stalled job must not take every replica out of a load balancer.
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200)

    await sweepThroughRunner()
    const again = await healthz()
    expect(again.res.statusCode).toBe(200)
    // The runner's other jobs went through the same wrapper: each sweep asks for a metrics catch-up.
    expect(again.job(JOBS.metrics)?.lastSuccessAt).not.toBeNull()

    const metrics = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(metrics.body).toMatch(/^msj_job_runs_total\{job="deadline-sweep",outcome="success"\} [2-9]/m)
    const lastSuccess = /^msj_job_last_success_timestamp_seconds\{job="deadline-sweep"\} (\S+)$/m.exec(metrics.body)
    expect(Number(lastSuccess?.[1])).toBe(t.clock.now().getTime() / 1000)
  }, 90_000)

  it('another process on the same database reports the same runs (the record is in the database)', async () => {
    const other = await createTestApp({}, t.database)
    try {
      const mine = await healthz()
      const theirs = await healthz(other)
      expect(theirs.job(JOBS.sweep)?.lastSuccessAt).toBe(mine.job(JOBS.sweep)?.lastSuccessAt)
      expect(theirs.job(JOBS.sweep)?.lastSuccessAt).not.toBeNull()
    } finally {
      await other.close()
    }
  })

  it('a failed run is reported with its time and as failing, until the job succeeds again', async () => {
    const boom = t.app.services.jobMonitor.wrap(JOBS.orphanSweep, async () => {
      throw new Error('disk gone')
    })
    await expect(boom()).rejects.toThrow('disk gone')
    const failed = (await healthz()).job(JOBS.orphanSweep)
    expect(failed).toMatchObject({ lastFailureAt: t.clock.now().toISOString(), failing: true })
    t.clock.advance(1000)
    await t.app.services.jobMonitor.wrap(JOBS.orphanSweep, () => t.app.services.orphanSweep.run())()
    expect((await healthz()).job(JOBS.orphanSweep)).toMatchObject({ lastSuccessAt: t.clock.now().toISOString(), failing: false })
  })
})

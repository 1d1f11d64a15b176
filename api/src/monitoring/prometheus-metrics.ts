import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { CASE_STATUSES } from '@mashangjian/shared'
import type { Database } from '../db/database'
import type { JobRunRow, MonitoringRepo } from './monitoring-repo'

/** States a case is still open in (closed, invalid and merged are final). */
const OPEN_STATES = CASE_STATUSES.filter((s) => s !== 'closed' && s !== 'invalid' && s !== 'merged')
/** Scrape-time database readings are reused this long: several scrapers (or a fast one) cost one query, not one each. */
const READ_CACHE_MS = 5_000
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

let processRegistry: Registry | undefined
/**
 * Node's own figures (resident memory, heap, event-loop lag, GC) belong to the process, not to one app: collected
 * once per process, however many apps a test file builds (each collector starts observers that are never stopped).
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry()
    collectDefaultMetrics({ register: processRegistry })
  }
  return processRegistry
}

/** The last value of `read()`, refreshed at most every READ_CACHE_MS (the same promise while a read is running). */
function cached<T>(read: () => Promise<T>): () => Promise<T> {
  let at = -Infinity
  let value: Promise<T> | undefined
  return () => {
    if (!value || performance.now() - at > READ_CACHE_MS) {
      at = performance.now()
      value = read().catch((err: unknown) => {
        value = undefined
        throw err
      })
    }
    return value
  }
}

export interface MonitoringDeps {
  database: Database
  repo: MonitoringRepo
  version: string
}

/**
 * One Prometheus registry per app (issue 19): what /metrics shows. Counters are this process's own since it
 * started (Prometheus sums the processes); the open-case and last-run gauges are read from the database at scrape
 * time, so every process shows the same deployment-wide values (aggregate them with max, not sum).
 * Labels are templates and names only — a route's template (`/t/:secret`), never the URL, whose path may hold a token.
 */
export function createMonitoring({ database, repo, version }: MonitoringDeps) {
  const registry = new Registry()
  const registers = [registry]

  new Gauge({ name: 'msj_build_info', help: 'Version and database driver of this process (always 1).', labelNames: ['version', 'database'], registers }).set(
    { version, database: database.driver },
    1,
  )
  const httpRequests = new Counter({
    name: 'msj_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status class.',
    labelNames: ['method', 'route', 'status_class'],
    registers,
  })
  const httpDuration = new Histogram({
    name: 'msj_http_request_duration_seconds',
    help: 'Time from the request arriving to the response sent, by method, route template and status class.',
    labelNames: ['method', 'route', 'status_class'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  })
  const jobRuns = new Counter({
    name: 'msj_job_runs_total',
    help: 'Background job runs in this process, by job and outcome (success, failure).',
    labelNames: ['job', 'outcome'],
    registers,
  })
  const jobDuration = new Histogram({
    name: 'msj_job_duration_seconds',
    help: 'How long background job runs took, by job.',
    labelNames: ['job'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers,
  })
  const notices = new Counter({
    name: 'msj_notice_deliveries_total',
    help: 'Notice delivery attempts, by channel and outcome: sent; retry (failed, tried again later); failed (gave up); skipped.',
    labelNames: ['channel', 'outcome'],
    registers,
  })

  const openCases = cached(() => repo.openCasesByState())
  new Gauge({
    name: 'msj_open_cases',
    help: 'Cases not yet closed, by state (deployment-wide, read from the database at scrape time).',
    labelNames: ['state'],
    registers,
    async collect() {
      const rows = await openCases()
      for (const state of OPEN_STATES) this.set({ state }, rows.find((r) => r.status === state)?.n ?? 0)
    },
  })
  const jobRows = cached(() => repo.jobRuns())
  const lastRun = (name: string, help: string, pick: (row: JobRunRow) => Date | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['job'],
      registers,
      async collect() {
        this.reset()
        for (const row of await jobRows()) {
          const at = pick(row)
          if (at) this.set({ job: row.name }, at.getTime() / 1000)
        }
      },
    })
  lastRun('msj_job_last_success_timestamp_seconds', 'When each job last succeeded, in any process (from the database).', (r) => r.lastSuccessAt)
  lastRun('msj_job_last_failure_timestamp_seconds', 'When each job last failed, in any process (from the database).', (r) => r.lastFailureAt)

  const pool = database.pool
  // PGlite is one in-process connection: it has no pool to report.
  if (pool) {
    new Gauge({
      name: 'msj_db_pool_connections',
      help: "The request pool's PostgreSQL connections: total, idle, and waiting (queries queued for a connection).",
      labelNames: ['state'],
      registers,
      collect() {
        this.set({ state: 'total' }, pool.totalCount)
        this.set({ state: 'idle' }, pool.idleCount)
        this.set({ state: 'waiting' }, pool.waitingCount)
      },
    })
  }

  return {
    contentType: registry.contentType,
    /** The text exposition: this app's metrics, then the process's. */
    async scrape(): Promise<string> {
      return `${await registry.metrics()}\n${await processMetrics().metrics()}`
    },
    /** `route` is the matched route's template, or undefined when nothing matched (404s for unknown paths). */
    requestDone(method: string, route: string | undefined, status: number, seconds: number) {
      const labels = { method: METHODS.has(method) ? method : 'OTHER', route: route ?? 'unmatched', status_class: `${Math.floor(status / 100)}xx` }
      httpRequests.inc(labels)
      httpDuration.observe(labels, seconds)
    },
    jobDone(job: string, ok: boolean, seconds: number) {
      jobRuns.inc({ job, outcome: ok ? 'success' : 'failure' })
      jobDuration.observe({ job }, seconds)
    },
    noticeDone(channel: string, outcome: 'sent' | 'retry' | 'failed' | 'skipped') {
      notices.inc({ channel, outcome })
    },
  }
}
export type Monitoring = ReturnType<typeof createMonitoring>

import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

/**
 * The last run of each background job (issue 19), written by the job runner's wrapper (monitoring/job-monitor.ts)
 * after every run. In the database, not in a process's memory: several API processes share one database and
 * pg-boss hands each run to one of them, so only a shared record tells every process's /healthz the truth.
 */
export const jobRunStatus = pgTable('job_run_status', {
  /** The pg-boss queue name (jobs/job-runner.ts JOBS). */
  name: text('name').primaryKey(),
  lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true }),
  /** The last failure's message, shortened and with secret links redacted; kept when a later run succeeds. */
  lastError: text('last_error'),
  /** How long the last run (success or failure) took. */
  lastDurationMs: integer('last_duration_ms'),
})

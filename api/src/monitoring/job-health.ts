import type { Clock } from '../clock'
import type { MonitoringRepo } from './monitoring-repo'

/** The deadline sweep runs every minute; five minutes without a success means it has stopped, not that it is slow. */
export const SWEEP_STALE_MS = 5 * 60_000
export const SWEEP_JOB = 'deadline-sweep'

export interface JobState {
  name: string
  lastSuccessAt: string | null
  lastFailureAt: string | null
  lastDurationMs: number | null
  /** The last run failed (its failure is newer than its last success). */
  failing: boolean
}

export interface JobsReport {
  /** Undefined when healthy; otherwise why not, in a sentence. */
  problem?: string
  jobs: JobState[]
}

/**
 * The jobs part of /healthz (issue 19), from job_run_status — shared by every API process, so each one's /healthz
 * tells the same story whichever process ran the job. Unhealthy when the deadline sweep (escalations, reminders,
 * overdue marks: what residents feel first) has not succeeded for SWEEP_STALE_MS. The clock starts at the later
 * of its last success and this process's start, which is the start-up grace: a server back after a long stop, or
 * a fresh database, gets five minutes for its first sweep before it is called unhealthy.
 */
export function createJobHealth({ repo, clock, jobs }: { repo: MonitoringRepo; clock: Clock; jobs: readonly string[] }) {
  const startedAt = clock.now()
  return {
    async report(): Promise<JobsReport> {
      const rows = await repo.jobRuns()
      const names = [...new Set([...jobs, ...rows.map((r) => r.name)])].sort()
      const states = names.map((name): JobState => {
        const row = rows.find((r) => r.name === name)
        const success = row?.lastSuccessAt ?? null
        const failure = row?.lastFailureAt ?? null
        return {
          name,
          lastSuccessAt: success?.toISOString() ?? null,
          lastFailureAt: failure?.toISOString() ?? null,
          lastDurationMs: row?.lastDurationMs ?? null,
          failing: failure !== null && (success === null || failure > success),
        }
      })
      const sweep = rows.find((r) => r.name === SWEEP_JOB)?.lastSuccessAt ?? null
      const since = sweep && sweep > startedAt ? sweep : startedAt
      const age = clock.now().getTime() - since.getTime()
      if (age <= SWEEP_STALE_MS) return { jobs: states }
      const minutes = Math.floor(age / 60_000)
      const problem = sweep
        ? `The deadline sweep has not succeeded for ${minutes} minutes (last success ${sweep.toISOString()}).`
        : `The deadline sweep has not succeeded since this process started ${minutes} minutes ago.`
      return { problem, jobs: states }
    },
  }
}
export type JobHealth = ReturnType<typeof createJobHealth>

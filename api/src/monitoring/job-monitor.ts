import type PgBoss from 'pg-boss'
import type { FastifyBaseLogger } from 'fastify'
import type { Clock } from '../clock'
import { redactSecretLinks } from '../privacy/redact-links'
import type { MonitoringRepo } from './monitoring-repo'
import type { Monitoring } from './prometheus-metrics'

type Handler = (...args: never[]) => Promise<unknown>

/**
 * Wraps job handlers (issue 19): each run is counted and timed in this process's metrics, and its outcome written
 * to job_run_status, which /healthz of every process reads. Times come from the domain clock, so tests can age them.
 */
export function createJobMonitor({ repo, clock, log, monitoring }: { repo: MonitoringRepo; clock: Clock; log: FastifyBaseLogger; monitoring: Monitoring }) {
  /** A failing status write must neither fail the job nor hide its own outcome: it is logged and the job goes on. */
  async function record(write: () => Promise<void>, job: string) {
    try {
      await write()
    } catch (err) {
      log.error({ err, job }, 'job run status not recorded')
    }
  }

  return {
    wrap<H extends Handler>(name: string, handler: H): H {
      const wrapped = async (...args: Parameters<H>) => {
        const started = performance.now()
        const elapsed = () => performance.now() - started
        try {
          const result = await handler(...args)
          monitoring.jobDone(name, true, elapsed() / 1000)
          await record(() => repo.recordSuccess(name, clock.now(), Math.round(elapsed())), name)
          return result
        } catch (err) {
          const ms = elapsed()
          monitoring.jobDone(name, false, ms / 1000)
          log.error({ err, job: name }, 'job failed')
          const message = redactSecretLinks(err instanceof Error ? err.message || err.name : String(err)).slice(0, 500)
          await record(() => repo.recordFailure(name, clock.now(), Math.round(ms), message), name)
          throw err
        }
      }
      return wrapped as unknown as H
    },
  }
}
export type JobMonitor = ReturnType<typeof createJobMonitor>

/**
 * Every handler given to `boss.work` from now on goes through the monitor — including jobs added to the runner
 * later (the daily backup), without each `work` line having to opt in.
 */
export function monitorWork(boss: PgBoss, monitor: JobMonitor): void {
  const work = boss.work.bind(boss) as (name: string, ...rest: unknown[]) => Promise<string>
  boss.work = ((name: string, ...rest: unknown[]) => {
    const handler = rest.pop() as Handler
    return work(name, ...rest, monitor.wrap(name, handler))
  }) as typeof boss.work
}

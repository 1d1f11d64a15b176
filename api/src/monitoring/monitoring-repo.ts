import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../db/database'
import { jobRunStatus } from '../db/schema'

export type JobRunRow = typeof jobRunStatus.$inferSelect

/** SQL for monitoring: the jobs' last runs (shared by every process through the database) and open cases per state. */
export function createMonitoringRepo(db: Db) {
  return {
    async recordSuccess(name: string, at: Date, durationMs: number): Promise<void> {
      await db
        .insert(jobRunStatus)
        .values({ name, lastSuccessAt: at, lastDurationMs: durationMs })
        .onConflictDoUpdate({ target: jobRunStatus.name, set: { lastSuccessAt: at, lastDurationMs: durationMs } })
    },

    async recordFailure(name: string, at: Date, durationMs: number, error: string): Promise<void> {
      await db
        .insert(jobRunStatus)
        .values({ name, lastFailureAt: at, lastError: error, lastDurationMs: durationMs })
        .onConflictDoUpdate({ target: jobRunStatus.name, set: { lastFailureAt: at, lastError: error, lastDurationMs: durationMs } })
    },

    jobRuns: (): Promise<JobRunRow[]> => db.select().from(jobRunStatus).orderBy(jobRunStatus.name),

    /** One query at scrape time: cases in each state that is not final (closed, invalid, merged are done). */
    openCasesByState: () =>
      queryRows<{ status: string; n: number }>(
        db,
        sql`select status, count(*)::int as n from cases where status not in ('closed', 'invalid', 'merged') group by status`,
      ),
  }
}
export type MonitoringRepo = ReturnType<typeof createMonitoringRepo>

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { sql } from 'drizzle-orm'
import { problems } from '../errors/problem-responses'
import { AppError } from '../errors/app-error'
import type { Database } from '../db/database'
import type { BackupStatus } from '../backup/daily-backup'
// issue 19: monitoring — each job's last run, and unhealthy when the deadline sweep stopped.
import type { JobHealth } from '../monitoring/job-health'

const JobState = Type.Object({
  name: Type.String(),
  lastSuccessAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastFailureAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastDurationMs: Type.Union([Type.Integer(), Type.Null()]),
  failing: Type.Boolean(),
})

const Health = Type.Object({
  status: Type.Literal('ok'),
  database: Type.Union([Type.Literal('postgres'), Type.Literal('pglite')]),
  version: Type.String(),
  /** issue 19: every job's last success and failure (from the database, whichever process ran it). */
  jobs: Type.Optional(Type.Array(JobState)),
  // issue 19: the daily backup's last result, present when BACKUP_DIR is set (see backup/daily-backup.ts).
  backup: Type.Optional(
    Type.Object({
      lastSuccessAt: Type.Optional(Type.String({ format: 'date-time' })),
      file: Type.Optional(Type.String()),
      sizeBytes: Type.Optional(Type.Integer()),
      lastErrorAt: Type.Optional(Type.String({ format: 'date-time' })),
      lastError: Type.Optional(Type.String()),
    }),
  ),
})

const Ready = Type.Object({ status: Type.Literal('ok') })

/**
 * /healthz: 200 when the database answers and the deadline sweep has succeeded within five minutes (issue 19);
 * otherwise 503 problem+json, whose `current` still holds the whole report. The sweep's record is shared, so all
 * processes turn 503 together: monitoring alerts on it. /readyz (database only) is what a load balancer or a
 * container healthcheck should probe, or a stalled job would take every replica out of service at once.
 */
export const healthRoutes: FastifyPluginAsyncTypebox<{
  database: Database
  version: string
  jobs?: JobHealth
  backupStatus?: (() => Promise<BackupStatus>) | undefined
}> = async (app, { database, version, jobs, backupStatus }) => {
  const databaseAnswers = async () => {
    try {
      await database.db.execute(sql`select 1`)
    } catch {
      throw new AppError('SERVICE_UNAVAILABLE', 'The database does not answer.')
    }
  }
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: { tags: ['ops'], summary: 'Health check (database and background jobs)', response: { 200: Health, ...problems(503) } },
    },
    async () => {
      await databaseAnswers()
      // The backup's result is reported, never a reason for 503: a failed backup is the administrator's to see.
      const backup = backupStatus ? { backup: await backupStatus() } : {}
      if (!jobs) return { status: 'ok' as const, database: database.driver, version, ...backup }
      const report = await jobs.report()
      if (report.problem) {
        throw new AppError('SERVICE_UNAVAILABLE', report.problem, {
          current: { status: 'failing', database: database.driver, version, jobs: report.jobs, ...backup },
        })
      }
      return { status: 'ok' as const, database: database.driver, version, jobs: report.jobs, ...backup }
    },
  )
  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['ops'],
        summary: 'Readiness: the database answers (for load balancers and container healthchecks)',
        response: { 200: Ready, ...problems(503) },
      },
    },
    async () => {
      await databaseAnswers()
      return { status: 'ok' as const }
    },
  )
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { sql } from 'drizzle-orm'
import { problems } from '../errors/problem-responses'
import { AppError } from '../errors/app-error'
import type { Database } from '../db/database'
import type { BackupStatus } from '../backup/daily-backup'

const Health = Type.Object({
  status: Type.Literal('ok'),
  database: Type.Union([Type.Literal('postgres'), Type.Literal('pglite')]),
  version: Type.String(),
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

/** Liveness and readiness in one: 200 only when the database answers. */
export const healthRoutes: FastifyPluginAsyncTypebox<{
  database: Database
  version: string
  backupStatus?: (() => Promise<BackupStatus>) | undefined
}> = async (app, { database, version, backupStatus }) => {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: { tags: ['ops'], summary: 'Health check (database included)', response: { 200: Health, ...problems(503) } },
    },
    async () => {
      try {
        await database.db.execute(sql`select 1`)
      } catch {
        throw new AppError('SERVICE_UNAVAILABLE', 'The database does not answer.')
      }
      return { status: 'ok' as const, database: database.driver, version, ...(backupStatus ? { backup: await backupStatus() } : {}) }
    },
  )
}

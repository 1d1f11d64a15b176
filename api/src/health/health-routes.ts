import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { sql } from 'drizzle-orm'
import { problems } from '../errors/problem-responses'
import { AppError } from '../errors/app-error'
import type { Database } from '../db/database'

const Health = Type.Object({
  status: Type.Literal('ok'),
  database: Type.Union([Type.Literal('postgres'), Type.Literal('pglite')]),
  version: Type.String(),
})

/** Liveness and readiness in one: 200 only when the database answers. */
export const healthRoutes: FastifyPluginAsyncTypebox<{ database: Database; version: string }> = async (app, { database, version }) => {
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
      return { status: 'ok' as const, database: database.driver, version }
    },
  )
}

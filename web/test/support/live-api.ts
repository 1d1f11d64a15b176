import type { AddressInfo } from 'node:net'
import { and, asc, eq, isNotNull } from 'drizzle-orm'
import { buildApp } from '../../../api/src/app'
import { systemClock, type Clock } from '../../../api/src/clock'
import { attachment, caseEvent, member, qrCode } from '../../../api/src/db/schema'
import { createPiiCipher } from '../../../api/src/privacy/pii-cipher'
import { seedDemo } from '../../../api/src/seed/seed-demo'
import type { Config } from '../../../api/src/config/config-schema'
import { closeServer } from '../../../api/test/support/sse-client'
import { submitCase, signIn, uniqueText } from '../../../api/test/support/case-actions'
import { testConfig, type TestApp } from '../../../api/test/support/test-app'
import { createTestDatabase } from '../../../api/test/support/test-db'

/**
 * The real API on its own database (PostgreSQL or PGlite, as the run says), seeded with the demo county and
 * listening on 127.0.0.1, for the member app's tests: unit tests of src/data over real HTTP, and browser tests.
 * The clock is the system clock: the browser's clock is real too.
 */
export async function startLiveApi(overrides: Partial<Config> = {}, clock: Clock = systemClock) {
  const database = await createTestDatabase()
  const config = testConfig({ publicBaseUrl: 'http://127.0.0.1', ...overrides })
  const app = await buildApp({ config, database, clock })
  await app.listen({ port: 0, host: '127.0.0.1' })
  await seedDemo(database.db, { cipher: createPiiCipher(config.secrets.piiKey), clock })
  const { port } = app.server.address() as AddressInfo
  const t = { app, database, clock, config, close: async () => undefined } as unknown as TestApp
  const db = database.db

  const codeOf = async (name: string) =>
    (
      await db
        .select({ code: qrCode.code, memberId: member.id })
        .from(qrCode)
        .innerJoin(member, eq(member.id, qrCode.memberId))
        .where(and(eq(member.name, name), eq(qrCode.status, 'active')))
    )[0]!

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    app,
    db,
    codeOf,
    /** A new case from a resident for the member with this name (王建国, 李秀兰…). */
    newCase: async (memberName: string, text = '路灯坏了一个多月，晚上回家很危险') => submitCase(t, (await codeOf(memberName)).code, uniqueText(text)),
    signIn: (username: string) => signIn(app, username),
    /** The events members made on a case through the API (those with an opId), in the order the server wrote them. */
    opEvents: (caseId: string) =>
      db
        .select({ id: caseEvent.id, type: caseEvent.type, body: caseEvent.body, opId: caseEvent.opId })
        .from(caseEvent)
        .where(and(eq(caseEvent.caseId, caseId), isNotNull(caseEvent.opId), eq(caseEvent.actorKind, 'member')))
        .orderBy(asc(caseEvent.id)),
    photosOf: (eventId: number) => db.select({ id: attachment.id, public: attachment.public }).from(attachment).where(eq(attachment.eventId, eventId)),
    close: async () => {
      await closeServer(app)
      await database.close()
    },
  }
}
export type LiveApi = Awaited<ReturnType<typeof startLiveApi>>

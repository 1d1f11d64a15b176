import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll } from 'vitest'
import { buildApp } from '../../src/app'
import { member, qrCode } from '../../src/db/schema'
import { createPiiCipher } from '../../src/privacy/pii-cipher'
import { seedDemo } from '../../src/seed/seed-demo'
import { ManualClock } from './manual-clock'
import { closeServer } from './sse-client'
import { testConfig, type TestApp } from './test-app'
import { createTestDatabase } from './test-db'

export interface LiveRefs {
  /** Active placard codes of 王建国 and 李秀兰 (both at 东城街道委员工作站). */
  wangCode: string
  liCode: string
  wangMemberId: string
}

/**
 * Like withDemoApp(), but closed with closeServer() (open streams and idle sockets end at once) and with the
 * codes the stream tests use; `ctx.t` and `ctx.refs` are set in beforeAll.
 */
export function withLiveDemoApp() {
  const ctx = {} as { t: TestApp; refs: LiveRefs }
  beforeAll(async () => {
    const database = await createTestDatabase()
    const clock = new ManualClock()
    const config = testConfig()
    const app = await buildApp({ config, database, clock })
    await app.ready()
    ctx.t = {
      app,
      database,
      clock,
      config,
      close: async () => {
        await closeServer(app)
        await database.close()
      },
    }
    await seedDemo(database.db, { cipher: createPiiCipher(config.secrets.piiKey), clock })
    const codeOf = async (name: string) =>
      (
        await database.db
          .select({ code: qrCode.code, memberId: member.id })
          .from(qrCode)
          .innerJoin(member, eq(member.id, qrCode.memberId))
          .where(and(eq(member.name, name), eq(qrCode.status, 'active')))
      )[0]!
    const wang = await codeOf('王建国')
    ctx.refs = { wangCode: wang.code, wangMemberId: wang.memberId, liCode: (await codeOf('李秀兰')).code }
  })
  afterAll(() => ctx.t?.close())
  return ctx
}

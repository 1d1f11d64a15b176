import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll } from 'vitest'
import { member, qrCode, station } from '../../src/db/schema'
import { createPiiCipher } from '../../src/privacy/pii-cipher'
import { seedDemo } from '../../src/seed/seed-demo'
import type { Config } from '../../src/config/config-schema'
import { createTestApp, type TestApp } from './test-app'

export interface DemoRefs {
  /** Active code of 王建国 (member, 东城街道委员工作站). */
  memberCode: string
  memberName: string
  /** Active code of 东城街道委员工作站. */
  stationCode: string
  stationId: string
  /** Code of 马德海, who is on leave. */
  onLeaveCode: string
}

/** The real app on its own database with the demo county seeded; `ctx.t` and `ctx.refs` are set in beforeAll. */
export function withDemoApp(overrides: Partial<Config> = {}) {
  const ctx = {} as { t: TestApp; refs: DemoRefs }
  beforeAll(async () => {
    ctx.t = await createTestApp(overrides)
    await seedDemo(ctx.t.database.db, { cipher: createPiiCipher(ctx.t.config.secrets.piiKey), clock: ctx.t.clock })
    const db = ctx.t.database.db
    const codeOfMember = async (name: string) =>
      (
        await db
          .select({ code: qrCode.code })
          .from(qrCode)
          .innerJoin(member, eq(member.id, qrCode.memberId))
          .where(and(eq(member.name, name), eq(qrCode.status, 'active')))
      )[0]!.code
    const [st] = await db
      .select({ id: station.id, code: qrCode.code })
      .from(qrCode)
      .innerJoin(station, eq(station.id, qrCode.stationId))
      .where(eq(station.name, '东城街道委员工作站'))
    ctx.refs = {
      memberCode: await codeOfMember('王建国'),
      memberName: '王建国',
      stationCode: st!.code,
      stationId: st!.id,
      onLeaveCode: await codeOfMember('马德海'),
    }
  })
  afterAll(() => ctx.t?.close())
  return ctx
}

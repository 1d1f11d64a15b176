import { asc, count, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STATION_KINDS } from '@mashangjian/shared'
import { appUser, caseEvent, cases, category, member, station } from '../src/db/schema'
import { createPiiCipher } from '../src/privacy/pii-cipher'
import { seedDemo, truncateAll, isEmpty } from '../src/seed/seed-demo'
import { readDemoSummary } from '../src/seed/demo-summary'
import { DEMO_PASSWORD } from '../src/seed/demo-data'
import { createTestApp, type TestApp } from './support/test-app'
import { login } from './support/fixtures'

describe('demo seed', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
    await seedDemo(t.database.db, { cipher: createPiiCipher(t.config.secrets.piiKey), clock: t.clock })
  })
  afterAll(() => t.close())
  const db = () => t.database.db

  it('creates a county with stations of different kinds, ~12 members and SLA categories', async () => {
    const stations = await db().select().from(station)
    expect(stations).toHaveLength(3)
    expect(new Set(stations.map((s) => s.kind)).size).toBe(3)
    stations.forEach((s) => expect(STATION_KINDS).toContain(s.kind))
    expect((await db().select({ n: count() }).from(member))[0]!.n).toBe(12)
    const slaClasses = new Set((await db().select().from(category)).map((c) => c.slaClass))
    expect(slaClasses).toEqual(new Set(['urgent', 'general', 'complex']))
  })

  it('creates ~30 cases in varied states, each with a timeline ending in its current state', async () => {
    const all = await db().select().from(cases)
    expect(all.length).toBeGreaterThanOrEqual(30)
    expect(new Set(all.map((c) => c.status))).toEqual(new Set(['assigned', 'accepted', 'in_progress', 'resolved', 'reopened', 'closed', 'invalid']))
    for (const c of all) {
      const events = await db().select().from(caseEvent).where(eq(caseEvent.caseId, c.id)).orderBy(asc(caseEvent.id))
      expect(events[0]!.type).toBe('submitted')
      expect(events.at(-1)!.toStatus).toBe(c.status)
      events.slice(1).forEach((e, i) => expect(e.fromStatus, `${c.publicNo} event ${i + 1}`).toBe(events[i]!.toStatus))
      const times = events.map((e) => e.occurredAt.getTime())
      expect(times).toEqual([...times].sort((a, b) => a - b))
      expect(times.at(-1)!).toBeLessThanOrEqual(t.clock.now().getTime())
      expect(c.publicNo).toMatch(/^DEMO-\d{4}-\d{6}$/)
    }
  })

  it('stores resident phones encrypted and masked, never in clear', async () => {
    const withPhone = await db()
      .select()
      .from(cases)
      .where(sql`${cases.residentPhoneEnc} is not null`)
    expect(withPhone.length).toBeGreaterThan(0)
    const cipher = createPiiCipher(t.config.secrets.piiKey)
    for (const c of withPhone) {
      expect(c.residentPhoneEnc).not.toMatch(/1\d{10}/)
      const phone = cipher.decrypt(c.residentPhoneEnc!)
      expect(c.residentPhoneMasked).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`)
    }
  })

  it('lets every demo account sign in with the demo password', async () => {
    const users = await db().select().from(appUser)
    expect(new Set(users.map((u) => u.role))).toEqual(new Set(['system_admin', 'committee_admin', 'station_admin', 'member']))
    for (const username of ['admin', 'committee', 'station', 'wangjianguo']) {
      expect((await login(t.app, username, DEMO_PASSWORD)).user.username).toBe(username)
    }
  })

  it('reports the logins and a scan URL, and reseeds after --reset', async () => {
    const before = await readDemoSummary(db())
    expect(before?.sampleScanCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/)
    await truncateAll(db())
    expect(await isEmpty(db())).toBe(true)
    await seedDemo(db(), { cipher: createPiiCipher(t.config.secrets.piiKey), clock: t.clock })
    const after = await readDemoSummary(db())
    expect(after?.sampleScanCode).not.toBe(before?.sampleScanCode)
    expect((await db().select({ n: count() }).from(cases))[0]!.n).toBeGreaterThanOrEqual(30)
  })
})

import { randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app'
import { appUser, cases, category, member, memberStation, sector, userStation } from '../../src/db/schema'
import type { Db } from '../../src/db/database'
import { hashPassword } from '../../src/auth/passwords'
import { ManualClock } from '../support/manual-clock'
import { bearer, createOrg, login, PASSWORD } from '../support/fixtures'
import { createTestDatabase, type TestDatabase } from '../support/test-db'
import { testConfig } from '../support/test-app'

export type NewCase = typeof cases.$inferInsert

/** A case row written straight into the database (no routing, no events): what the metrics and exports read. */
export async function insertCase(db: Db, values: Partial<NewCase> & Pick<NewCase, 'committeeId' | 'status' | 'createdAt'>) {
  const [row] = await db
    .insert(cases)
    .values({
      publicNo: `T-${randomBytes(5).toString('hex')}`,
      trackingSecretHash: randomBytes(16).toString('hex'),
      channel: 'qr',
      description: '测试诉求',
      ...values,
    })
    .returning()
  return row!
}

/**
 * createOrg's city → counties A, B, plus what the admin features need: sectors of county A (经济界 with member A,
 * 教育界 without members), member B at station A2 without a sector (and a login), a station admin of A2, and two
 * categories of county A.
 */
export async function createAdminOrg(db: Db) {
  const org = await createOrg(db)
  const [economy, education] = await db
    .insert(sector)
    .values([
      { committeeId: org.countyA.id, name: `经济界 ${org.countyA.shortCode}` },
      { committeeId: org.countyA.id, name: `教育界 ${org.countyA.shortCode}` },
    ])
    .returning()
  await db.update(member).set({ sectorId: economy!.id }).where(eq(member.id, org.memberA.id))
  const [memberB] = await db
    .insert(member)
    .values({ committeeId: org.countyA.id, level: 'county', name: `Member B ${org.countyA.shortCode}` })
    .returning()
  const [memberC] = await db
    .insert(member)
    .values({ committeeId: org.countyB.id, level: 'county', name: `Member C ${org.countyA.shortCode}` })
    .returning()
  await db.insert(memberStation).values([
    { memberId: org.memberA.id, stationId: org.stationA1.id },
    { memberId: memberB!.id, stationId: org.stationA2.id },
    { memberId: memberC!.id, stationId: org.stationB1.id },
  ])
  const passwordHash = await hashPassword(PASSWORD)
  const tag = org.countyA.shortCode.slice(1).toLowerCase()
  const [memberBUser] = await db
    .insert(appUser)
    .values({ username: `member-b-${tag}`, displayName: 'Member B', role: 'member', committeeId: org.countyA.id, memberId: memberB!.id, passwordHash })
    .returning()
  const [stationAdminA2] = await db
    .insert(appUser)
    .values({ username: `station-a2-${tag}`, displayName: 'Station A2', role: 'station_admin', committeeId: org.countyA.id, passwordHash })
    .returning()
  await db.insert(userStation).values({ userId: stationAdminA2!.id, stationId: org.stationA2.id })
  const [noise, roads] = await db
    .insert(category)
    .values([
      { committeeId: org.countyA.id, names: { 'zh-CN': '噪音扰民', en: 'Noise' } },
      { committeeId: org.countyA.id, names: { 'zh-CN': '道路交通', en: 'Roads' } },
    ])
    .returning()
  return {
    ...org,
    economy: economy!,
    education: education!,
    memberB: memberB!,
    memberC: memberC!,
    noise: noise!,
    roads: roads!,
    users: { ...org.users, memberB: memberBUser!, stationAdminA2: stationAdminA2! },
  }
}
export type AdminOrg = Awaited<ReturnType<typeof createAdminOrg>>

/** The real app on a database of its own with createAdminOrg, a clock at 2026-11-23 10:00 Beijing, and sign-in helpers. */
export async function adminApp() {
  const database: TestDatabase = await createTestDatabase()
  const clock = new ManualClock('2026-11-23T02:00:00Z')
  const config = testConfig()
  const app: FastifyInstance = await buildApp({ config, database, clock })
  await app.ready()
  const org = await createAdminOrg(database.db)
  const tokens = new Map<string, string>()
  const as = async (who: keyof AdminOrg['users']) => {
    let token = tokens.get(who)
    if (!token) tokens.set(who, (token = (await login(app, org.users[who].username)).accessToken))
    const headers = bearer(token)
    return {
      token,
      get: (url: string) => app.inject({ method: 'GET', url, headers }),
      post: (url: string, payload?: object) => app.inject({ method: 'POST', url, headers, payload }),
      patch: (url: string, payload: object) => app.inject({ method: 'PATCH', url, headers, payload }),
      put: (url: string, payload: object) => app.inject({ method: 'PUT', url, headers, payload }),
      del: (url: string) => app.inject({ method: 'DELETE', url, headers }),
    }
  }
  return {
    app,
    /** Its secrets too: tests that write encrypted rows themselves (issue 19) use its PII key. */
    config,
    database,
    clock,
    org,
    as,
    db: database.db,
    close: async () => {
      await app.close()
      await database.close()
    },
  }
}
export type AdminApp = Awaited<ReturnType<typeof adminApp>>

export const at = (iso: string) => new Date(`${iso}Z`)

import { and, eq, isNotNull, isNull } from 'drizzle-orm'
import { describe, expect, it, beforeAll } from 'vitest'
import type { CaseSearchResult } from '@mashangjian/shared'
import { appUser, auditLog, caseFollower, cases, committee, station, userStation } from '../../src/db/schema'
import { hashPassword } from '../../src/auth/passwords'
import { createPiiCipher } from '../../src/privacy/pii-cipher'
import { createResidentPhoneLookup } from '../../src/privacy/phone-lookup'
import { backfillResidentPhoneHashes } from '../../src/privacy/resident-phone-backfill'
import { withDemoApp } from '../support/demo-app'
import { bearer, createOrg, login, PASSWORD } from '../support/fixtures'
import { signIn, submitCase, uniqueText } from '../support/case-actions'
import { postCase } from '../support/submit'

/**
 * 电话查询 at the desk: a resident's phone finds their cases and the cases they follow, only within the caller's
 * scope, by the keyed hash (never decrypting), with one audit row per search that never holds the full number.
 */
const ctx = withDemoApp()
const db = () => ctx.t.database.db
const PHONE = '13912345678'
const tokens: Record<string, string> = {}
const search = (who: string, phone: string) =>
  ctx.t.app.inject({ method: 'POST', url: '/api/v1/cases/search', headers: bearer(tokens[who]!), payload: { phone } })

let own: { id: string; publicNo: string }
let followed: { id: string; publicNo: string }

beforeAll(async () => {
  for (const who of ['station', 'committee', 'admin', 'wangjianguo']) tokens[who] = (await signIn(ctx.t.app, who)).token
  // A station admin of another station of the same county, and a committee admin of another county.
  const [nanguan] = await db().select().from(station).where(eq(station.name, '南关社区委员工作室'))
  const [county] = await db().select().from(committee).where(eq(committee.id, nanguan!.committeeId))
  const [other] = await db()
    .insert(appUser)
    .values({
      username: 'nanguan-desk',
      displayName: '南关值班',
      role: 'station_admin',
      committeeId: county!.id,
      passwordHash: await hashPassword(PASSWORD),
    })
    .returning()
  await db().insert(userStation).values({ userId: other!.id, stationId: nanguan!.id })
  tokens.otherStation = (await login(ctx.t.app, 'nanguan-desk')).accessToken
  const org = await createOrg(db())
  tokens.otherCounty = (await login(ctx.t.app, org.users.adminA.username)).accessToken

  // The resident's own case (at 东城, through the member's code), then a case they join as a follower.
  own = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('小区门口的路灯坏了好几天，晚上回家很黑'), { phone: PHONE, consent: 'on' })
  ctx.t.clock.advanceMinutes(5)
  followed = await submitCase(ctx.t, ctx.refs.stationCode, '东城菜市场北门的下水道堵了，污水漫到人行道上，气味很大')
  const joined = await postCase(ctx.t.app, {
    code: ctx.refs.stationCode,
    description: '东城菜市场北门下水道堵了，污水漫到人行道上，气味太大了',
    joinCase: followed.publicNo,
    phone: `+86 ${PHONE.slice(0, 3)}-${PHONE.slice(3, 7)}-${PHONE.slice(7)}`,
    consent: 'on',
  })
  expect(joined.statusCode, joined.body).toBeLessThan(300)
})

describe('POST /api/v1/cases/search', () => {
  it('stores a keyed hash (not the number) with every resident phone, on cases and followers alike', async () => {
    const [c] = await db().select().from(cases).where(eq(cases.id, own.id))
    const [f] = await db().select().from(caseFollower).where(eq(caseFollower.caseId, followed.id))
    expect(c!.residentPhoneHash).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(f!.residentPhoneHash).toBe(c!.residentPhoneHash)
    expect(c!.residentPhoneHash).not.toContain(PHONE)
  })

  it('finds the own and the followed case, newest first, however the number is written', async () => {
    for (const phone of [PHONE, `+86 ${PHONE}`, `${PHONE.slice(0, 3)} ${PHONE.slice(3, 7)} ${PHONE.slice(7)}`]) {
      const res = await search('station', phone)
      expect(res.statusCode, res.body).toBe(200)
      const ids = res.json<CaseSearchResult>().items.map((c) => c.id)
      expect(ids).toEqual([followed.id, own.id])
      expect(res.body).not.toContain(PHONE)
    }
    for (const who of ['committee', 'admin']) expect((await search(who, PHONE)).json<CaseSearchResult>().items).toHaveLength(2)
  })

  it('writes one audit row per search with the masked number and the hits, never the full number', async () => {
    const before = await db().select().from(auditLog).where(eq(auditLog.action, 'case.phone_search'))
    await search('committee', PHONE)
    const after = await db().select().from(auditLog).where(eq(auditLog.action, 'case.phone_search'))
    expect(after).toHaveLength(before.length + 1)
    const row = after.find((a) => !before.some((b) => b.id === a.id))!
    expect(row.detail).toEqual({ phone: '139****5678', hits: 2 })
    expect(JSON.stringify(row)).not.toContain(PHONE)
  })

  it('is scoped: another station of the county and another county find nothing (still audited)', async () => {
    for (const who of ['otherStation', 'otherCounty']) {
      const res = await search(who, PHONE)
      expect(res.statusCode, res.body).toBe(200)
      expect(res.json<CaseSearchResult>().items).toEqual([])
    }
  })

  it('is for admins only, and a number that is not a mobile is a 400 naming body.phone', async () => {
    expect((await search('wangjianguo', PHONE)).statusCode).toBe(403)
    const bad = await search('station', '12345678')
    expect(bad.statusCode).toBe(400)
    expect(bad.headers['content-type']).toContain('application/problem+json')
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' })
    expect(bad.body).toContain('body.phone')
    const tooShort = await search('station', '139')
    expect(tooShort.statusCode).toBe(400)
  })
})

describe('backfill of phones stored before the hash', () => {
  it('hashes seeded and older rows in batches, so the search finds them; a second run does nothing', async () => {
    const missing = await db()
      .select({ id: cases.id })
      .from(cases)
      .where(and(isNull(cases.residentPhoneHash), isNotNull(cases.residentPhoneEnc)))
    // The demo seed writes ciphertexts only, like rows from before migration 0006.
    expect(missing.length).toBeGreaterThan(2)
    const [seeded] = await db().select({ version: cases.version, updatedAt: cases.updatedAt }).from(cases).where(eq(cases.id, missing[0]!.id))
    expect((await search('committee', '13893201234')).json<CaseSearchResult>().items).toEqual([])

    const cipher = createPiiCipher(ctx.t.config.secrets.piiKey)
    const residentPhones = createResidentPhoneLookup(ctx.t.config.secrets.piiKey, cipher)
    // A ciphertext that no longer decrypts is skipped, not retried forever.
    await db().insert(caseFollower).values({ caseId: own.id, trackingSecretHash: 'broken-follower', residentPhoneEnc: 'v1.AAAA' })
    const first = await backfillResidentPhoneHashes(db(), { cipher, residentPhones }, 2)
    expect(first).toEqual({ cases: missing.length, followers: 0, skipped: 1 })
    expect(
      await db()
        .select({ id: cases.id })
        .from(cases)
        .where(and(isNull(cases.residentPhoneHash), isNotNull(cases.residentPhoneEnc))),
    ).toEqual([])
    // Not a change of the case: same version, so the sync feed and open clients see nothing.
    const [after] = await db().select({ version: cases.version, updatedAt: cases.updatedAt }).from(cases).where(eq(cases.id, missing[0]!.id))
    expect(after).toEqual(seeded)

    const found = (await search('committee', '13893201234')).json<CaseSearchResult>().items
    expect(found.map((c) => c.residentPhoneMasked)).toEqual(['138****1234'])
    expect(await backfillResidentPhoneHashes(db(), { cipher, residentPhones })).toEqual({ cases: 0, followers: 0, skipped: 1 })
  })
})

import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_PLACARD_MEMBER_IDS } from '@mashangjian/shared'
import { member, memberStation, qrCode } from '../../src/db/schema'
import { newQrCode } from '../../src/qr/qr-codes'
import { bearer, createOrg, login, type Org } from '../support/fixtures'
import { createTestApp, type TestApp } from '../support/test-app'

/**
 * Who may print whose placards: a station admin their stations' members, a committee admin their subtree, the
 * system admin everyone; members and strangers nobody. Out of scope is 404 (nothing about other committees leaks).
 */
describe('placards: scope and query validation', () => {
  let t: TestApp
  let org: Org
  let memberB: { id: string }
  let memberA2: { id: string }
  const tokens: Record<string, string> = {}

  beforeAll(async () => {
    t = await createTestApp()
    const db = t.database.db
    org = await createOrg(db)
    // memberA works at station A1; A2 and B1 each get a member of their own. Everyone has an active code.
    memberB = (await db.insert(member).values({ committeeId: org.countyB.id, level: 'county', name: '乙县委员' }).returning())[0]!
    memberA2 = (await db.insert(member).values({ committeeId: org.countyA.id, level: 'county', name: '甲县二站委员' }).returning())[0]!
    await db.insert(memberStation).values([
      { memberId: org.memberA.id, stationId: org.stationA1.id },
      { memberId: memberA2.id, stationId: org.stationA2.id },
      { memberId: memberB.id, stationId: org.stationB1.id },
    ])
    await db.insert(qrCode).values([
      { code: newQrCode(), committeeId: org.countyA.id, targetKind: 'member', memberId: org.memberA.id },
      { code: newQrCode(), committeeId: org.countyA.id, targetKind: 'member', memberId: memberA2.id },
      { code: newQrCode(), committeeId: org.countyB.id, targetKind: 'member', memberId: memberB.id },
    ])
    for (const [key, user] of Object.entries(org.users)) tokens[key] = (await login(t.app, user.username)).accessToken
  })
  afterAll(() => t?.close())

  const get = (who: string | null, query: string, ext: 'pdf' | 'html' = 'pdf') =>
    t.app.inject({ url: `/api/v1/placards.${ext}?${query}`, headers: who ? bearer(tokens[who]!) : {} })

  it.each([
    // who, what, expected status
    ['stationAdminA1', 'A1', 200],
    ['stationAdminA1', 'A2', 404],
    ['stationAdminA1', 'B1', 404],
    ['adminA', 'A1', 200],
    ['adminA', 'A2', 200],
    ['adminA', 'B1', 404],
    ['adminB', 'A1', 404],
    ['adminB', 'B1', 200],
    ['cityAdmin', 'A1', 200],
    ['cityAdmin', 'B1', 200],
    ['system', 'B1', 200],
    ['memberA', 'A1', 403],
  ] as const)('%s printing station %s → %i', async (who, st, status) => {
    const stationId = { A1: org.stationA1.id, A2: org.stationA2.id, B1: org.stationB1.id }[st]
    for (const ext of ['pdf', 'html'] as const) {
      const res = await get(who, `stationId=${stationId}&layout=cards`, ext)
      expect(res.statusCode, `${ext}: ${res.body.slice(0, 200)}`).toBe(status)
      if (status !== 200) {
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
        expect(res.json().code).toBe(status === 404 ? 'NOT_FOUND' : 'FORBIDDEN')
      }
    }
  })

  it('chosen members: refused as a whole when any one is out of scope', async () => {
    expect((await get('stationAdminA1', `memberIds=${org.memberA.id}`)).statusCode).toBe(200)
    expect((await get('stationAdminA1', `memberIds=${org.memberA.id},${memberA2.id}`)).statusCode).toBe(404)
    expect((await get('adminA', `memberIds=${org.memberA.id},${memberA2.id}`)).statusCode).toBe(200)
    expect((await get('adminA', `memberIds=${org.memberA.id},${memberB.id}`)).statusCode).toBe(404)
    expect((await get('adminB', `memberIds=${memberB.id}`)).statusCode).toBe(200)
    expect((await get('cityAdmin', `memberIds=${org.memberA.id},${memberB.id}`)).statusCode).toBe(200)
    // Unknown ids look exactly like other committees' ids.
    const unknown = await get('adminA', `memberIds=${randomUUID()}`)
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().detail).toBe((await get('adminA', `memberIds=${memberB.id}`)).json().detail)
  })

  it('needs a token (header or ?access_token=)', async () => {
    const res = await get(null, `stationId=${org.stationA1.id}`)
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe('UNAUTHENTICATED')
    expect((await get(null, `stationId=${org.stationA1.id}&access_token=${tokens.adminA}`)).statusCode).toBe(200)
    expect((await get(null, `stationId=${org.stationA1.id}&access_token=${tokens.memberA}`)).statusCode).toBe(403)
  })

  const ids = (n: number) => Array.from({ length: n }, () => randomUUID()).join(',')

  it.each([
    ['neither stationId nor memberIds', 'layout=cards', 'querystring'],
    ['both stationId and memberIds', `stationId=${randomUUID()}&memberIds=${randomUUID()}`, 'querystring'],
    ['a bad layout', `stationId=${randomUUID()}&layout=banner`, 'querystring.layout'],
    ['a bad language', `stationId=${randomUUID()}&lang=fr`, 'querystring.lang'],
    ['a bad station id', 'stationId=42', 'querystring.stationId'],
    ['a bad id in the list', `memberIds=${randomUUID()},nope`, 'querystring.memberIds'],
    [`more than ${MAX_PLACARD_MEMBER_IDS} ids`, `memberIds=${ids(MAX_PLACARD_MEMBER_IDS + 1)}`, 'querystring.memberIds'],
    ['an unknown parameter', `stationId=${randomUUID()}&colour=red`, 'querystring.colour'],
  ])('400 problem+json for %s', async (_what, query, field) => {
    for (const ext of ['pdf', 'html'] as const) {
      const res = await get('adminA', query, ext)
      expect(res.statusCode, res.body).toBe(400)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      const problem = res.json()
      expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', type: 'urn:mashangjian:problem:validation-failed' })
      expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field)
    }
  })

  it(`accepts exactly ${MAX_PLACARD_MEMBER_IDS} ids (then answers for them: here, none exists)`, async () => {
    const res = await get('adminA', `memberIds=${ids(MAX_PLACARD_MEMBER_IDS)}`)
    expect(res.statusCode).toBe(404)
  })

  it('lists the placard routes in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json()
    for (const path of ['/api/v1/placards.pdf', '/api/v1/placards.html']) {
      const op = doc.paths[path].get
      expect(op.tags).toEqual(['placards'])
      expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['stationId', 'memberIds', 'layout', 'lang']))
    }
  })
})

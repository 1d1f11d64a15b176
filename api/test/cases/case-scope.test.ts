import { randomBytes, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cases, member, memberStation, appUser } from '../../src/db/schema'
import { createPiiCipher, maskPhone } from '../../src/privacy/pii-cipher'
import { hashPassword } from '../../src/auth/passwords'
import { createTestApp, type TestApp } from '../support/test-app'
import { bearer, createOrg, login, PASSWORD, type Org } from '../support/fixtures'

/**
 * Scope matrix (DESIGN.md §2, §10): every role against a case of their own, of another member, of another
 * station and of another committee, on every member/admin case endpoint. Out of scope is 404 (no existence
 * leak); the phone is shown in full only to the assignee.
 */
let t: TestApp
let org: Org
const WHICH = ['mine', 'otherMember', 'otherStation', 'otherCommittee'] as const
const ids = {} as Record<(typeof WHICH)[number], string>
const PHONE = '13611112222'
const tokens: Record<string, string> = {}

beforeAll(async () => {
  t = await createTestApp()
  const db = t.database.db
  org = await createOrg(db)
  const cipher = createPiiCipher(t.config.secrets.piiKey)
  const [other] = await db.insert(member).values({ committeeId: org.countyA.id, level: 'county', name: 'Other member' }).returning()
  await db.insert(memberStation).values([
    { memberId: org.memberA.id, stationId: org.stationA1.id },
    { memberId: other!.id, stationId: org.stationA1.id },
  ])
  await db.insert(appUser).values({
    username: `other-${org.city.shortCode}`.toLowerCase(),
    displayName: 'Other',
    role: 'member',
    committeeId: org.countyA.id,
    memberId: other!.id,
    passwordHash: await hashPassword(PASSWORD),
  })
  const insert = async (committeeId: string, stationId: string, memberId: string | null) =>
    (
      await db
        .insert(cases)
        .values({
          publicNo: `S-${randomBytes(4).toString('hex')}`,
          trackingSecretHash: randomBytes(16).toString('hex'),
          committeeId,
          stationId,
          memberId,
          channel: 'qr',
          status: 'assigned',
          description: '范围测试的诉求',
          residentPhoneEnc: cipher.encrypt(PHONE),
          residentPhoneMasked: maskPhone(PHONE),
        })
        .returning()
    )[0]!.id
  ids.mine = await insert(org.countyA.id, org.stationA1.id, org.memberA.id)
  ids.otherMember = await insert(org.countyA.id, org.stationA1.id, other!.id)
  ids.otherStation = await insert(org.countyA.id, org.stationA2.id, null)
  ids.otherCommittee = await insert(org.countyB.id, org.stationB1.id, null)
  for (const [key, user] of Object.entries(org.users)) tokens[key] = (await login(t.app, user.username)).accessToken
})
afterAll(() => t?.close())

type Who = keyof Org['users']
const MATRIX: [Who, Record<keyof typeof ids, boolean>][] = [
  ['memberA', { mine: true, otherMember: false, otherStation: false, otherCommittee: false }],
  ['stationAdminA1', { mine: true, otherMember: true, otherStation: false, otherCommittee: false }],
  ['adminA', { mine: true, otherMember: true, otherStation: true, otherCommittee: false }],
  ['adminB', { mine: false, otherMember: false, otherStation: false, otherCommittee: true }],
  ['cityAdmin', { mine: true, otherMember: true, otherStation: true, otherCommittee: true }],
  ['system', { mine: true, otherMember: true, otherStation: true, otherCommittee: true }],
]

describe.each(MATRIX)('%s', (who, sees) => {
  const req = (method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: bearer(tokens[who]!), ...(payload ? { payload } : {}) })

  it.each(WHICH)('case %s: detail, actions, inbox and sync agree on visibility', async (which) => {
    const id = ids[which]
    const detail = await req('GET', `/api/v1/cases/${id}`)
    expect(detail.statusCode, detail.body).toBe(sees[which] ? 200 : 404)
    // The phone in full reaches the assignee only.
    expect(detail.body.includes(PHONE)).toBe(who === 'memberA' && which === 'mine')
    if (sees[which]) expect(detail.json().residentPhoneMasked).toBe('136****2222')

    const action = await req('POST', `/api/v1/cases/${id}/actions`, { opId: randomUUID(), baseVersion: 1, type: 'chase', body: '请尽快处理' })
    if (!sees[which]) expect(action.statusCode).toBe(404)
    else expect([200, 409]).toContain(action.statusCode) // visible; whether a chase is allowed is the state machine's call
    expect(action.body.includes(PHONE)).toBe(false)

    const inbox = await req('GET', '/api/v1/me/cases?filter=all&limit=50')
    expect(inbox.json().items.some((c: { id: string }) => c.id === id)).toBe(sees[which])
    expect(inbox.body.includes(PHONE)).toBe(false)
    const feed = await req('GET', '/api/v1/sync?since=0&limit=1000')
    expect(feed.json().cases.some((c: { id: string }) => c.id === id)).toBe(sees[which])
    expect(feed.body.includes(PHONE)).toBe(false)
  })
})

describe('roles', () => {
  it('a member cannot chase, assign or mark invalid even their own case (409 INVALID_TRANSITION, nothing changed)', async () => {
    const version = async () => (await t.app.inject({ url: `/api/v1/cases/${ids.mine}`, headers: bearer(tokens.memberA!) })).json().version
    const before = await version()
    for (const body of [{ type: 'chase' }, { type: 'mark_invalid', reason: '不是我的事' }, { type: 'assign', memberId: org.memberA.id }]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${ids.mine}/actions`,
        headers: bearer(tokens.memberA!),
        payload: { opId: randomUUID(), baseVersion: before, ...body },
      })
      expect(res.statusCode, res.body).toBe(409)
      expect(res.json().code).toBe('INVALID_TRANSITION')
    }
    expect(await version()).toBe(before)
  })
  it('signed-out callers get 401 on every case endpoint', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/me/cases'],
      ['GET', `/api/v1/cases/${ids.mine}`],
      ['POST', `/api/v1/cases/${ids.mine}/actions`],
      ['GET', '/api/v1/sync'],
    ] as const) {
      expect((await t.app.inject({ method, url })).statusCode).toBe(401)
    }
  })
})

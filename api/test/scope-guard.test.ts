import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { accessGuard } from '../src/auth/access-guard'
import { createTestApp, type TestApp } from './support/test-app'
import { bearer, createOrg, login, PASSWORD, type Org } from './support/fixtures'

describe('scope guard', () => {
  let t: TestApp
  let org: Org
  const tokens: Record<string, string> = {}
  beforeAll(async () => {
    t = await createTestApp()
    org = await createOrg(t.database.db)
    for (const [key, user] of Object.entries(org.users)) tokens[key] = (await login(t.app, user.username)).accessToken
  })
  afterAll(() => t.close())

  const get = (url: string, who: string) => t.app.inject({ url, headers: bearer(tokens[who]!) })

  // who × resource → status. 404 (not 403) for resources outside the caller's scope: no existence leak.
  it.each([
    ['adminA', 'countyA', 200],
    ['adminA', 'countyB', 404],
    ['adminA', 'city', 404],
    ['adminB', 'countyA', 404],
    ['cityAdmin', 'countyA', 200],
    ['cityAdmin', 'countyB', 200],
    ['cityAdmin', 'city', 200],
    ['system', 'countyB', 200],
    ['stationAdminA1', 'countyA', 403],
    ['memberA', 'countyA', 403],
  ] as const)('GET committee: %s → %s is %i', async (who, target, status) => {
    const res = await get(`/api/v1/committees/${org[target].id}`, who)
    expect(res.statusCode, res.body).toBe(status)
    if (status !== 200) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  })

  it('lists a committee’s children and counts for an admin above it', async () => {
    const res = await get(`/api/v1/committees/${org.city.id}`, 'cityAdmin')
    expect(
      res
        .json()
        .children.map((c: { id: string }) => c.id)
        .sort(),
    ).toEqual([org.countyA.id, org.countyB.id].sort())
    const county = await get(`/api/v1/committees/${org.countyA.id}`, 'adminA')
    expect(county.json()).toMatchObject({ stationCount: 2, memberCount: 1 })
  })

  it.each([
    ['stationAdminA1', 'stationA1', 200],
    ['stationAdminA1', 'stationA2', 404],
    ['stationAdminA1', 'stationB1', 404],
    ['adminA', 'stationA2', 200],
    ['adminA', 'stationB1', 404],
    ['adminB', 'stationB1', 200],
    ['memberA', 'stationA1', 403],
  ] as const)('GET station: %s → %s is %i', async (who, target, status) => {
    expect((await get(`/api/v1/stations/${org[target].id}`, who)).statusCode).toBe(status)
  })

  it('does not let an admin create accounts in another committee', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(tokens.adminA!),
      payload: { username: 'intruder', displayName: 'x', password: PASSWORD, role: 'committee_admin', committeeId: org.countyB.id },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'body.committeeId' })])
  })

  it('does not let a committee admin create a system admin', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(tokens.cityAdmin!),
      payload: { username: 'root2', displayName: 'x', password: PASSWORD, role: 'system_admin' },
    })
    expect(res.statusCode).toBe(403)
  })

  it('lets a committee admin create a station admin for a station of their committee, who can then sign in', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(tokens.adminA!),
      payload: {
        username: `New.Admin-${org.countyA.shortCode}`,
        displayName: '新管理员',
        password: PASSWORD,
        role: 'station_admin',
        stationIds: [org.stationA2.id],
      },
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ role: 'station_admin', committeeId: org.countyA.id, stationIds: [org.stationA2.id] })
    const pair = await login(t.app, `new.admin-${org.countyA.shortCode}`)
    expect(pair.user.stationIds).toEqual([org.stationA2.id])
  })

  it('refuses to start an app with an /api route that does not declare who may call it', async () => {
    const app = Fastify()
    await app.register(accessGuard)
    await app.after()
    expect(() => app.get('/api/v1/forgotten', async () => 'open')).toThrow(/must declare config.access/)
    await app.close()
  })

  it('refuses a `public` route that takes a token (documents a Bearer or asks for ?access_token=): roles belong in access', async () => {
    const app = Fastify()
    await app.register(accessGuard)
    await app.after()
    expect(() => app.get('/api/v1/download', { config: { access: 'public', queryToken: true } }, async () => 'x')).toThrow(/must declare the roles/)
    expect(() => app.get('/api/v1/print', { config: { access: 'public' }, schema: { security: [{ bearerAuth: [] }] } }, async () => 'x')).toThrow(
      /must declare the roles/,
    )
    await app.close()
  })

  it('takes ?access_token= only on routes that opt in, and checks its role like a header', async () => {
    const placards = `/api/v1/placards.html?stationId=${org.stationA1.id}`
    // Opted in (a browser tab opens it): the query token is verified and its role checked.
    const admin = await t.app.inject({ url: `${placards}&access_token=${tokens.stationAdminA1}` })
    expect([401, 403], admin.body).not.toContain(admin.statusCode)
    expect((await t.app.inject({ url: `${placards}&access_token=${tokens.memberA}` })).statusCode).toBe(403)
    expect((await t.app.inject({ url: `${placards}&access_token=not-a-token` })).statusCode).toBe(401)
    expect((await t.app.inject({ url: placards })).statusCode).toBe(401)
    // Not opted in: a query token is ignored, the request is anonymous.
    expect((await t.app.inject({ url: `/api/v1/me?access_token=${tokens.memberA}` })).statusCode).toBe(401)
  })
})

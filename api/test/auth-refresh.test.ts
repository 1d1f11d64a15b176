import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TokenPair } from '@mashangjian/shared'
import { createTestApp, type TestApp } from './support/test-app'
import { bearer, createOrg, login, type Org } from './support/fixtures'

describe('refresh tokens', () => {
  let t: TestApp
  let org: Org
  beforeAll(async () => {
    t = await createTestApp()
    org = await createOrg(t.database.db)
  })
  afterAll(() => t.close())

  const refresh = (refreshToken: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } })

  it('rotates: a refresh returns a new pair and spends the old token', async () => {
    const first = await login(t.app, org.users.adminA.username)
    const res = await refresh(first.refreshToken)
    expect(res.statusCode).toBe(200)
    const second = res.json<TokenPair>()
    expect(second.refreshToken).not.toBe(first.refreshToken)
    expect(second.user.id).toBe(org.users.adminA.id)
    expect((await t.app.inject({ url: '/api/v1/me', headers: bearer(second.accessToken) })).statusCode).toBe(200)
  })

  it('detects reuse of a spent token and revokes the whole family', async () => {
    const first = await login(t.app, org.users.adminB.username)
    const second = (await refresh(first.refreshToken)).json<TokenPair>()
    const third = (await refresh(second.refreshToken)).json<TokenPair>()

    const replay = await refresh(first.refreshToken)
    expect(replay.statusCode).toBe(401)
    expect(replay.json().code).toBe('REFRESH_TOKEN_REUSED')
    // The thief's newest token is dead too, and so is the legitimate user's: both must sign in again.
    for (const token of [second.refreshToken, third.refreshToken]) {
      const res = await refresh(token)
      expect(res.statusCode).toBe(401)
      expect(res.json().code).toMatch(/REFRESH_TOKEN_(INVALID|REUSED)/)
    }
    // Other sessions of the same user (other families) are untouched.
    const otherDevice = await login(t.app, org.users.adminB.username)
    expect((await refresh(otherDevice.refreshToken)).statusCode).toBe(200)
  })

  it('rotates once for two simultaneous refreshes with the same token: both get the same new refresh token', async () => {
    const pair = await login(t.app, org.users.cityAdmin.username)
    const results = await Promise.all([refresh(pair.refreshToken), refresh(pair.refreshToken)])
    expect(results.map((r) => r.statusCode)).toEqual([200, 200])
    expect(new Set(results.map((r) => r.json<TokenPair>().refreshToken)).size).toBe(1)
  })

  it('expires refresh tokens after their lifetime', async () => {
    const pair = await login(t.app, org.users.stationAdminA1.username)
    t.clock.advance(15 * 86_400_000)
    const res = await refresh(pair.refreshToken)
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe('REFRESH_TOKEN_INVALID')
  })

  it('logs out: the family is revoked, and logging out twice is fine', async () => {
    const pair = await login(t.app, org.users.memberA.username)
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', payload: { refreshToken: pair.refreshToken } })
    expect(out.statusCode).toBe(204)
    expect(out.body).toBe('')
    expect((await refresh(pair.refreshToken)).json().code).toBe('REFRESH_TOKEN_INVALID')
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', payload: { refreshToken: pair.refreshToken } })
    expect(again.statusCode).toBe(204)
  })

  it('refuses unknown refresh tokens', async () => {
    const res = await refresh('x'.repeat(43))
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe('REFRESH_TOKEN_INVALID')
  })
})

describe('access tokens', () => {
  let t: TestApp
  let org: Org
  beforeAll(async () => {
    t = await createTestApp({ accessTokenTtlSeconds: 60 })
    org = await createOrg(t.database.db)
  })
  afterAll(() => t.close())

  it.each([
    ['no header', undefined, 'UNAUTHENTICATED'],
    ['not a bearer token', 'Basic dXNlcjpwYXNz', 'UNAUTHENTICATED'],
    ['garbage', 'Bearer not.a.jwt', 'UNAUTHENTICATED'],
  ])('answers 401 for %s', async (_name, authorization, code) => {
    const res = await t.app.inject({ url: '/api/v1/me', headers: authorization ? { authorization } : {} })
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe(code)
  })

  it('rejects a token signed with another secret', async () => {
    const other = await createTestApp({}, t.database)
    const forged = other.app.jwt.sign({ sub: org.users.system.id, role: 'system_admin', cid: null, mid: null, sids: [] })
    await other.close()
    const res = await t.app.inject({ url: '/api/v1/me', headers: bearer(forged) })
    expect(res.statusCode).toBe(401)
  })

  it('answers TOKEN_EXPIRED once the access token has expired', async () => {
    const expired = t.app.jwt.sign({ sub: org.users.adminA.id, role: 'committee_admin', cid: org.countyA.id, mid: null, sids: [] }, { expiresIn: 1 })
    await new Promise((r) => setTimeout(r, 2100))
    const res = await t.app.inject({ url: '/api/v1/me', headers: bearer(expired) })
    expect(res.statusCode).toBe(401)
    expect(res.json().code).toBe('TOKEN_EXPIRED')
  })
})

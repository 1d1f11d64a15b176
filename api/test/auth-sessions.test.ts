import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TokenPair } from '@mashangjian/shared'
import { refreshToken as refreshTokenTable } from '../src/db/schema'
import { createTestApp, type TestApp } from './support/test-app'
import { bearer, createOrg, login, type Org } from './support/fixtures'

/**
 * Issue 18: an access token must stop working the moment its session ends (logout, logout everywhere, the account
 * disabled, a new password, a changed scope), not when it runs out 15 minutes later; and a refresh whose answer
 * was lost must not end the session on every device.
 */
describe('access tokens end with their session', () => {
  let t: TestApp
  let org: Org
  beforeAll(async () => {
    t = await createTestApp()
    org = await createOrg(t.database.db)
  })
  afterAll(() => t.close())

  const myCases = (token: string) => t.app.inject({ url: '/api/v1/me/cases', headers: bearer(token) })
  const refresh = (refreshToken: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } })
  const patchUser = async (id: string, payload: object) => {
    const admin = await login(t.app, org.users.adminA.username)
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: bearer(admin.accessToken), payload })
    expect(res.statusCode, res.body).toBe(200)
  }

  it('logout: that session’s access token is refused at once; another device keeps working', async () => {
    const phone = await login(t.app, org.users.memberA.username)
    const laptop = await login(t.app, org.users.memberA.username)
    expect((await myCases(phone.accessToken)).statusCode).toBe(200)
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', payload: { refreshToken: phone.refreshToken } })
    expect(out.statusCode).toBe(204)
    const after = await myCases(phone.accessToken)
    expect(after.statusCode).toBe(401)
    expect(after.json().code).toBe('UNAUTHENTICATED')
    expect((await t.app.inject({ url: '/api/v1/me', headers: bearer(phone.accessToken) })).statusCode).toBe(401)
    expect((await myCases(laptop.accessToken)).statusCode).toBe(200)
  })

  it('logout everywhere: every access token and refresh token of the user is refused at once', async () => {
    const phone = await login(t.app, org.users.stationAdminA1.username)
    const laptop = await login(t.app, org.users.stationAdminA1.username)
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: bearer(phone.accessToken) })
    expect(out.statusCode).toBe(204)
    for (const pair of [phone, laptop]) {
      expect((await myCases(pair.accessToken)).statusCode).toBe(401)
      expect((await refresh(pair.refreshToken)).statusCode).toBe(401)
    }
    const again = await login(t.app, org.users.stationAdminA1.username)
    expect((await myCases(again.accessToken)).statusCode).toBe(200)
  })

  it('disabling the account: its access token is refused at once', async () => {
    const pair = await login(t.app, org.users.memberA.username)
    expect((await myCases(pair.accessToken)).statusCode).toBe(200)
    await patchUser(org.users.memberA.id, { disabled: true })
    expect((await myCases(pair.accessToken)).statusCode).toBe(401)
    await patchUser(org.users.memberA.id, { disabled: false })
    // Enabling again does not bring the old session back.
    expect((await myCases(pair.accessToken)).statusCode).toBe(401)
    expect((await refresh(pair.refreshToken)).statusCode).toBe(401)
    expect((await myCases((await login(t.app, org.users.memberA.username)).accessToken)).statusCode).toBe(200)
  })

  it('a new password: every access token of the account is refused at once', async () => {
    const pair = await login(t.app, org.users.memberA.username)
    await patchUser(org.users.memberA.id, { password: 'a-brand-new-password' })
    expect((await myCases(pair.accessToken)).statusCode).toBe(401)
    expect((await refresh(pair.refreshToken)).statusCode).toBe(401)
    const fresh = await login(t.app, org.users.memberA.username, 'a-brand-new-password')
    expect((await myCases(fresh.accessToken)).statusCode).toBe(200)
  })

  // Roles cannot change (PATCH /users/{id} has no role); what can change in the token is a station admin's stations.
  it('changed stations: the old access token (with the old stations) is refused; a refresh carries the new ones', async () => {
    const pair = await login(t.app, org.users.stationAdminA1.username)
    expect(pair.user.stationIds).toEqual([org.stationA1.id])
    await patchUser(org.users.stationAdminA1.id, { stationIds: [org.stationA2.id] })
    expect((await myCases(pair.accessToken)).statusCode).toBe(401)
    const res = await refresh(pair.refreshToken)
    expect(res.statusCode).toBe(200)
    const next = res.json<TokenPair>()
    expect(next.user.stationIds).toEqual([org.stationA2.id])
    expect((await myCases(next.accessToken)).statusCode).toBe(200)
  })

  it('a replayed (stolen) refresh token: the family is revoked and so are its access tokens', async () => {
    const first = await login(t.app, org.users.adminB.username)
    const second = (await refresh(first.refreshToken)).json<TokenPair>()
    await refresh(second.refreshToken)
    t.clock.advance(31_000)
    expect((await refresh(first.refreshToken)).json().code).toBe('REFRESH_TOKEN_REUSED')
    expect((await myCases(second.accessToken)).statusCode).toBe(401)
  })
})

describe('refresh grace window', () => {
  let t: TestApp
  let org: Org
  beforeAll(async () => {
    t = await createTestApp()
    org = await createOrg(t.database.db)
  })
  afterAll(() => t.close())

  const refresh = (refreshToken: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } })
  const myCases = (token: string) => t.app.inject({ url: '/api/v1/me/cases', headers: bearer(token) })

  it('a refresh repeated within 30 s (the first answer was lost) gets the same pair; the family lives on', async () => {
    const pair = await login(t.app, org.users.memberA.username)
    const lost = await refresh(pair.refreshToken)
    expect(lost.statusCode).toBe(200)
    t.clock.advance(20_000)
    const retry = await refresh(pair.refreshToken)
    expect(retry.statusCode, retry.body).toBe(200)
    const a = lost.json<TokenPair>()
    const b = retry.json<TokenPair>()
    expect(b.refreshToken).toBe(a.refreshToken)
    expect(b.refreshExpiresAt).toBe(a.refreshExpiresAt)
    expect(b.user).toEqual(a.user)
    for (const token of [a.accessToken, b.accessToken]) expect((await myCases(token)).statusCode).toBe(200)
    // No revocation anywhere: the family's tokens are intact and the next rotation works.
    const rows = await t.database.db.select().from(refreshTokenTable).where(eq(refreshTokenTable.userId, org.users.memberA.id))
    expect(rows.filter((r) => r.revokedAt)).toEqual([])
    const next = await refresh(b.refreshToken)
    expect(next.statusCode).toBe(200)
    expect(next.json<TokenPair>().refreshToken).not.toBe(b.refreshToken)
  })

  it('two simultaneous refreshes with the same token both get the same pair', async () => {
    const pair = await login(t.app, org.users.cityAdmin.username)
    const results = await Promise.all([refresh(pair.refreshToken), refresh(pair.refreshToken)])
    expect(results.map((r) => r.statusCode)).toEqual([200, 200])
    const [a, b] = results.map((r) => r.json<TokenPair>())
    expect(a!.refreshToken).toBe(b!.refreshToken)
    expect((await refresh(a!.refreshToken)).statusCode).toBe(200)
  })

  it('after the window, presenting the spent token again is reuse: the family is revoked', async () => {
    const pair = await login(t.app, org.users.adminA.username)
    const next = (await refresh(pair.refreshToken)).json<TokenPair>()
    t.clock.advance(31_000)
    const replay = await refresh(pair.refreshToken)
    expect(replay.statusCode).toBe(401)
    expect(replay.json().code).toBe('REFRESH_TOKEN_REUSED')
    expect((await refresh(next.refreshToken)).statusCode).toBe(401)
    expect((await myCases(next.accessToken)).statusCode).toBe(401)
  })

  it('within the window but after the new token was itself used: reuse, the family is revoked', async () => {
    const pair = await login(t.app, org.users.system.username)
    const second = (await refresh(pair.refreshToken)).json<TokenPair>()
    const third = (await refresh(second.refreshToken)).json<TokenPair>()
    const replay = await refresh(pair.refreshToken)
    expect(replay.json().code).toBe('REFRESH_TOKEN_REUSED')
    expect((await refresh(third.refreshToken)).statusCode).toBe(401)
  })

  it('a logged-out session gets nothing back within the window', async () => {
    const pair = await login(t.app, org.users.adminB.username)
    const next = (await refresh(pair.refreshToken)).json<TokenPair>()
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', payload: { refreshToken: next.refreshToken } })
    const retry = await refresh(pair.refreshToken)
    expect(retry.statusCode).toBe(401)
    expect(retry.json().code).toBe('REFRESH_TOKEN_INVALID')
  })
})

import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appUser } from '../src/db/schema'
import { createTestApp, type TestApp } from './support/test-app'
import { bearer, createOrg, login, PASSWORD, type Org } from './support/fixtures'

describe('POST /api/v1/auth/login', () => {
  let t: TestApp
  let org: Org
  beforeAll(async () => {
    t = await createTestApp()
    org = await createOrg(t.database.db)
  })
  afterAll(() => t.close())

  const attempt = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } })

  it('signs in with the right password and returns a token pair that opens /me', async () => {
    const pair = await login(t.app, org.users.adminA.username)
    expect(pair.expiresIn).toBe(900)
    expect(pair.user).toMatchObject({ role: 'committee_admin', committeeId: org.countyA.id, stationIds: [] })
    const me = await t.app.inject({ url: '/api/v1/me', headers: bearer(pair.accessToken) })
    expect(me.statusCode).toBe(200)
    expect(me.json()).toMatchObject({ id: org.users.adminA.id, username: org.users.adminA.username })
    expect(me.json()).not.toHaveProperty('passwordHash')
  })

  it('accepts the username in any case and reports station scope', async () => {
    const pair = await login(t.app, org.users.stationAdminA1.username.toUpperCase())
    expect(pair.user.stationIds).toEqual([org.stationA1.id])
  })

  it.each([
    ['wrong password', 'admin-b', 'not-the-password'],
    ['unknown user', 'nobody-at-all', PASSWORD],
  ])('answers 401 INVALID_CREDENTIALS for a %s, without saying which', async (_case, who, password) => {
    const username = who === 'admin-b' ? org.users.adminB.username : who
    const res = await attempt(username, password)
    expect(res.statusCode).toBe(401)
    expect(res.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' })
  })

  it('refuses a disabled account with 403 ACCOUNT_DISABLED', async () => {
    await t.database.db.update(appUser).set({ disabledAt: t.clock.now() }).where(eq(appUser.id, org.users.system.id))
    const res = await attempt(org.users.system.username, PASSWORD)
    expect(res.statusCode).toBe(403)
    expect(res.json().code).toBe('ACCOUNT_DISABLED')
  })
})

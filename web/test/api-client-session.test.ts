import 'fake-indexeddb/auto'
import { randomUUID } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TokenPair } from '@mashangjian/shared'
import { appUser } from '../../api/src/db/schema'
import { DEMO_PASSWORD } from '../../api/src/seed/demo-data'
import { SignedOutError, createApiClient } from '../src/data/api-client'
import { openAppDb, type Session } from '../src/data/db'
import { startLiveApi, type LiveApi } from './support/live-api'

/**
 * The member app's HTTP client against the real API, for issue 18's session changes: a revoked access token is
 * refused at once (the client refreshes once, or signs out), and a refresh whose answer was lost is not reuse.
 */
describe('member app sessions (src/data/api-client over real HTTP)', () => {
  let api: LiveApi
  beforeAll(async () => {
    api = await startLiveApi()
  }, 90_000)
  afterAll(() => api?.close())

  async function client() {
    const db = openAppDb(`session-${randomUUID()}`)
    let signedOut = 0
    const c = createApiClient({
      baseUrl: api.url,
      db,
      onSignedOut: () => {
        signedOut++
      },
    })
    await c.signIn('wangjianguo', DEMO_PASSWORD)
    const session = async () => (await c.session())!
    const expireAccessToken = async () => (await db).put('meta', { ...(await session()), accessExpiresAt: 0 } satisfies Session, 'session')
    return { c, session, expireAccessToken, signedOut: () => signedOut }
  }
  const myCases = (c: Awaited<ReturnType<typeof client>>['c']) => c.request<{ items: unknown[] }>('/api/v1/me/cases')

  it('refreshes when the access token runs out, rotating the refresh token', async () => {
    const m = await client()
    await myCases(m.c)
    const before = await m.session()
    await m.expireAccessToken()
    await myCases(m.c)
    expect((await m.session()).refreshToken).not.toBe(before.refreshToken)
    expect(m.signedOut()).toBe(0)
  })

  it('a refresh whose answer was lost: the next refresh with the same token still works, the session lives on', async () => {
    const m = await client()
    const spent = (await m.session()).refreshToken
    // The app sent this refresh, the server rotated, the answer never arrived.
    const lost = await fetch(`${api.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: spent }),
    })
    expect(lost.status).toBe(200)
    const lostPair = (await lost.json()) as TokenPair
    await m.expireAccessToken()
    await myCases(m.c)
    expect((await m.session()).refreshToken).toBe(lostPair.refreshToken)
    expect(m.signedOut()).toBe(0)
    await m.expireAccessToken()
    await myCases(m.c)
    expect(m.signedOut()).toBe(0)
  })

  it('access tokens made stale on the server (session version raised): one 401, one refresh, the request succeeds', async () => {
    const m = await client()
    const before = await m.session()
    await api.db
      .update(appUser)
      .set({ sessionVersion: sql`${appUser.sessionVersion} + 1` })
      .where(eq(appUser.id, before.user.id))
    const stale = await fetch(`${api.url}/api/v1/me/cases`, { headers: { authorization: `Bearer ${before.accessToken}` } })
    expect(stale.status).toBe(401)
    await myCases(m.c)
    expect((await m.session()).accessToken).not.toBe(before.accessToken)
    expect(m.signedOut()).toBe(0)
  })

  it('logout everywhere from another device: this app is signed out on its next request', async () => {
    const phone = await client()
    const laptop = await client()
    await laptop.c.request('/api/v1/auth/logout-all', { method: 'POST' })
    await expect(myCases(phone.c)).rejects.toBeInstanceOf(SignedOutError)
    expect(phone.signedOut()).toBe(1)
  })
})

import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { appUser, pushSubscription } from '../../src/db/schema'
import { signIn } from '../support/case-actions'
import { browserKeys } from '../support/fake-push-service'
import { withDemoApp } from '../support/demo-app'

/**
 * Issue 18: a push endpoint belongs to the user who registered it until that user removes it (or the push service
 * says it is gone); another user's registration of the same endpoint is refused with 409 PUSH_ENDPOINT_TAKEN.
 */
const ctx = withDemoApp()
const db = () => ctx.t.database.db
const userId = async (username: string) => (await db().select({ id: appUser.id }).from(appUser).where(eq(appUser.username, username)))[0]!.id
const rowsAt = (endpoint: string) => db().select().from(pushSubscription).where(eq(pushSubscription.endpoint, endpoint))
const endpoint = (tag: string) => `https://push.example.net/send/${tag}-${Math.random().toString(36).slice(2)}`
const subscribe = (who: { headers: Record<string, string> }, url: string, keys = browserKeys().keys) =>
  ctx.t.app.inject({ method: 'POST', url: '/api/v1/push/subscriptions', headers: who.headers, payload: { endpoint: url, expirationTime: null, keys } })

describe('push endpoint ownership', () => {
  it("refuses another user's registration of an endpoint (409 PUSH_ENDPOINT_TAKEN), keeping the owner's keys and saying nothing of the owner", async () => {
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const url = endpoint('victim')
    const owner = browserKeys().keys
    expect((await subscribe(wang, url, owner)).statusCode).toBe(201)

    for (const username of ['lixiulan', 'station', 'committee']) {
      const attacker = await signIn(ctx.t.app, username)
      const res = await subscribe(attacker, url)
      expect(res.statusCode, `${username}: ${res.body}`).toBe(409)
      expect(res.headers['content-type']).toContain('application/problem+json')
      expect(res.json()).toMatchObject({ code: 'PUSH_ENDPOINT_TAKEN', status: 409 })
      expect(res.body).not.toContain(await userId('wangjianguo'))
      expect(res.body).not.toMatch(/wangjianguo|王建国/)
    }
    expect(await rowsAt(url)).toMatchObject([{ userId: await userId('wangjianguo'), p256dh: owner.p256dh, auth: owner.auth }])

    // The owner subscribing again from the same browser still updates it.
    const renewed = browserKeys().keys
    expect((await subscribe(wang, url, renewed)).statusCode).toBe(201)
    expect(await rowsAt(url)).toMatchObject([{ userId: await userId('wangjianguo'), p256dh: renewed.p256dh, auth: renewed.auth }])
  })

  it('a shared phone: once the first user removed the endpoint (sign-out), the next user may register it', async () => {
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const li = await signIn(ctx.t.app, 'lixiulan')
    const url = endpoint('shared')
    expect((await subscribe(wang, url)).statusCode).toBe(201)
    expect((await subscribe(li, url)).statusCode).toBe(409)
    const del = await ctx.t.app.inject({ method: 'DELETE', url: '/api/v1/push/subscriptions', headers: wang.headers, payload: { endpoint: url } })
    expect(del.statusCode).toBe(204)
    expect((await subscribe(li, url)).statusCode).toBe(201)
    expect(await rowsAt(url)).toMatchObject([{ userId: await userId('lixiulan') }])
  })

  it('two users registering the same new endpoint at once: one gets it, the other 409', async () => {
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const li = await signIn(ctx.t.app, 'lixiulan')
    const url = endpoint('race')
    const answers = await Promise.all([subscribe(wang, url), subscribe(li, url)])
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409])
    const winner = answers[0]!.statusCode === 201 ? 'wangjianguo' : 'lixiulan'
    expect(await rowsAt(url)).toMatchObject([{ userId: await userId(winner) }])
  })
})

import { eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appUser, pushSubscription, station } from '../src/db/schema'
import { createPushNotifier, vapidSubject } from '../src/push/push-notifier'
import { createPushRepo } from '../src/push/push-repo'
import { signIn } from './support/case-actions'
import { browserKeys, decryptPush, startFakePushService, verifyVapid } from './support/fake-push-service'
import { withLiveDemoApp } from './support/live-app'

const ctx = withLiveDemoApp()
const db = () => ctx.t.database.db
const userId = async (username: string) => (await db().select({ id: appUser.id }).from(appUser).where(eq(appUser.username, username)))[0]!.id
const rowsAt = (endpoint: string) => db().select().from(pushSubscription).where(eq(pushSubscription.endpoint, endpoint))
const endpoint = (tag: string) => `https://push.example.net/send/${tag}-${Math.random().toString(36).slice(2)}`

describe('push subscription API', () => {
  it('gives signed-in users the VAPID public key', async () => {
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    expect((await wang.get('/api/v1/push/key')).json()).toEqual({ publicKey: ctx.t.config.secrets.vapidPublicKey })
    expect((await ctx.t.app.inject({ method: 'GET', url: '/api/v1/push/key' })).statusCode).toBe(401)
  })

  it('stores a subscription for the caller and updates it when the same browser subscribes again', async () => {
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const url = endpoint('wang')
    const post = (keys: { p256dh: string; auth: string }) =>
      ctx.t.app.inject({ method: 'POST', url: '/api/v1/push/subscriptions', headers: wang.headers, payload: { endpoint: url, expirationTime: null, keys } })
    const first = await post(browserKeys().keys)
    expect(first.statusCode, first.body).toBe(201)
    expect(first.json()).toMatchObject({ id: expect.any(String), endpoint: url, createdAt: expect.any(String) })
    const again = browserKeys().keys
    expect((await post(again)).json().id).toBe(first.json().id)
    expect(await rowsAt(url)).toMatchObject([{ userId: await userId('wangjianguo'), p256dh: again.p256dh, auth: again.auth }])
  })

  it('rejects what could never be delivered to (400 with the field)', async () => {
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const { keys } = browserKeys()
    const cases: [Record<string, unknown>, string][] = [
      [{ endpoint: 'http://push.example.net/x', keys }, 'body.endpoint'],
      [{ endpoint: 'not a url', keys }, 'body.endpoint'],
      [{ endpoint: 'https://127.0.0.1/push/x', keys }, 'body.endpoint'],
      [{ endpoint: 'https://[::1]/push/x', keys }, 'body.endpoint'],
      [{ endpoint: 'https://localhost/push/x', keys }, 'body.endpoint'],
      [{ endpoint: 'https://metadata.internal/x', keys }, 'body.endpoint'],
      [{ endpoint: endpoint('k') }, 'body.keys'],
      [{ endpoint: endpoint('k'), keys: { ...keys, p256dh: Buffer.alloc(32, 7).toString('base64url') } }, 'body.keys.p256dh'],
      [{ endpoint: endpoint('k'), keys: { ...keys, auth: Buffer.alloc(12, 7).toString('base64url') } }, 'body.keys.auth'],
    ]
    for (const [payload, field] of cases) {
      const res = await ctx.t.app.inject({ method: 'POST', url: '/api/v1/push/subscriptions', headers: wang.headers, payload })
      expect(res.statusCode, JSON.stringify(payload)).toBe(400)
      expect(res.json().code).toBe('VALIDATION_FAILED')
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field)
    }
  })

  it('lets a user remove only their own subscription', async () => {
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const li = await signIn(ctx.t.app, 'lixiulan')
    const url = endpoint('mine')
    await ctx.t.app.inject({ method: 'POST', url: '/api/v1/push/subscriptions', headers: wang.headers, payload: { endpoint: url, keys: browserKeys().keys } })
    const del = (who: typeof wang) =>
      ctx.t.app.inject({ method: 'DELETE', url: '/api/v1/push/subscriptions', headers: who.headers, payload: { endpoint: url } })
    expect((await del(li)).statusCode).toBe(204)
    expect(await rowsAt(url)).toHaveLength(1)
    expect((await del(wang)).statusCode).toBe(204)
    expect(await rowsAt(url)).toHaveLength(0)
    expect((await del(wang)).statusCode).toBe(204)
  })
})

describe('the Web Push member notifier, against a local push service', () => {
  let push: Awaited<ReturnType<typeof startFakePushService>>
  beforeAll(async () => {
    push = await startFakePushService()
  })
  afterAll(() => push?.close())
  const notifier = (timeoutMs?: number) =>
    createPushNotifier({
      repo: createPushRepo(db()),
      log: ctx.t.app.log,
      clock: ctx.t.clock,
      timeoutMs,
      vapid: {
        subject: vapidSubject(ctx.t.config.publicBaseUrl),
        publicKey: ctx.t.config.secrets.vapidPublicKey,
        privateKey: ctx.t.config.secrets.vapidPrivateKey,
      },
    })
  // Stored through the repo: the API takes only https endpoints, this push service speaks plain http.
  const subscribe = async (username: string, path: string) => {
    const browser = browserKeys()
    const url = `${push.origin}${path}`
    await createPushRepo(db()).upsert(await userId(username), { endpoint: url, ...browser.keys, userAgent: 'test' })
    return { ...browser, url, path }
  }

  it("sends one encrypted, VAPID-signed POST per subscription of the member's account; a 410 removes that one", async () => {
    const [a, b, gone] = [
      await subscribe('wangjianguo', '/ok/wang-a'),
      await subscribe('wangjianguo', '/ok/wang-b'),
      await subscribe('wangjianguo', '/gone/wang-c'),
    ]
    await subscribe('lixiulan', '/ok/li')
    push.received.length = 0
    const caseId = '0191b7e4-0000-7000-8000-000000000001'
    await notifier().notify({ kind: 'assigned', memberId: ctx.refs.wangMemberId, caseId, publicNo: 'DEMO-2026-000123', text: '新诉求：楼道灯坏了' })

    expect(push.received.map((r) => r.path).sort()).toEqual(['/gone/wang-c', '/ok/wang-a', '/ok/wang-b'])
    for (const r of push.received) {
      expect(r.method).toBe('POST')
      expect(verifyVapid(r.headers.authorization, ctx.t.config.secrets.vapidPublicKey)).toMatchObject({ aud: push.origin, sub: 'mailto:push@msj.test' })
      expect(r.headers).toMatchObject({ 'content-encoding': 'aes128gcm', ttl: '86400', urgency: 'high' })
    }
    const sent = push.received.find((r) => r.path === a.path)!
    expect(JSON.parse(decryptPush(sent.body, a.ecdh, a.auth))).toEqual({
      title: '新的群众诉求 DEMO-2026-000123',
      body: '新诉求：楼道灯坏了',
      url: `/app/cases/${caseId}`,
      kind: 'assigned',
    })
    expect(await rowsAt(gone.url)).toHaveLength(0)
    expect((await rowsAt(a.url))[0]!.lastUsedAt).toEqual(ctx.t.clock.now())
    expect(await rowsAt(b.url)).toHaveLength(1)
  })

  it("reaches a station's admins when the notice is for the station's queue", async () => {
    await subscribe('station', '/ok/station-admin')
    push.received.length = 0
    const [dongcheng] = await db().select({ id: station.id }).from(station).where(eq(station.name, '东城街道委员工作站'))
    await notifier().notify({ kind: 'escalated', memberId: null, stationId: dongcheng!.id, text: '超时未接单' })
    expect(push.received.map((r) => r.path)).toEqual(['/ok/station-admin'])
  })

  it('never throws: a hanging service times out, a 500 is logged, a 404 removes the subscription', async () => {
    await db()
      .delete(pushSubscription)
      .where(inArray(pushSubscription.userId, [await userId('lixiulan')]))
    const [hang, fail, missing] = [await subscribe('lixiulan', '/hang/li'), await subscribe('lixiulan', '/fail/li'), await subscribe('lixiulan', '/missing/li')]
    const [li] = await db().select({ memberId: appUser.memberId }).from(appUser).where(eq(appUser.username, 'lixiulan'))
    const started = Date.now()
    await expect(notifier(300).notify({ kind: 'digest', memberId: li!.memberId, text: '今日待接单 1 件' })).resolves.toBeUndefined()
    expect(Date.now() - started).toBeLessThan(3000)
    expect(await rowsAt(hang.url)).toHaveLength(1)
    expect(await rowsAt(fail.url)).toHaveLength(1)
    expect(await rowsAt(missing.url)).toHaveLength(0)
  })
})

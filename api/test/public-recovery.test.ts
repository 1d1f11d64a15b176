import { eq, like } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { auditLog, caseFollower, cases, notification, publicThrottle, trackingLink } from '../src/db/schema'
import { render } from '../src/notifications/render'
import { withDemoApp } from './support/demo-app'
import { signIn } from './support/case-actions'
import { startFakeProviders } from './support/fake-providers'
import { postCase } from './support/submit'

const fakes = await startFakeProviders()
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

/**
 * 找回我的诉求 (issue 16): number + phone texts a new tracking link through the notifier; the answer never tells
 * whether the pair matched; attempts are limited per address, number and phone; new links are revocable.
 */
describe('recovering a case by public number and phone', () => {
  const ctx = withDemoApp({ publicBaseUrl: 'https://msj.example.gov.cn' })
  const db = () => ctx.t.database.db
  let ipSeq = 0
  /** Each test its own address, so the per-address limit is tested where meant. */
  const freshIp = () => `10.20.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`

  beforeAll(async () => {
    const admin = await signIn(ctx.t.app, 'committee')
    const channel = await ctx.t.app.inject({
      method: 'POST',
      url: '/api/v1/notification-channels',
      headers: admin.headers,
      payload: { name: '阿里云短信', settings: fakes.aliyun.settings, credentials: fakes.aliyun.credentials },
    })
    expect(channel.statusCode, channel.body).toBe(201)
  })

  async function submit(description: string, phone: string, extra: Record<string, string> = {}) {
    const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description, phone, consent: 'on', confirmNew: '1', ...extra })
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as { publicNo: string; trackingUrl: string; trackingSecret: string }
  }
  const recoverJson = (publicNo: string, phone: string, ip = freshIp()) =>
    ctx.t.app.inject({ method: 'POST', url: '/api/v1/public/recovery', remoteAddress: ip, payload: { publicNo, phone } })
  const recoverForm = (publicNo: string, phone: string, ip = freshIp()) =>
    ctx.t.app.inject({ method: 'POST', url: '/t/recover', remoteAddress: ip, headers: FORM, payload: new URLSearchParams({ publicNo, phone }).toString() })
  const caseId = async (publicNo: string) => (await db().select({ id: cases.id }).from(cases).where(eq(cases.publicNo, publicNo)))[0]!.id
  const recoveryNotices = async (publicNo: string) =>
    (
      await db()
        .select()
        .from(notification)
        .where(eq(notification.caseId, await caseId(publicNo)))
    ).filter((n) => n.params.notice === 'recovery')
  /**
   * Delivers the outbox now and answers the recovery SMS the fake Alibaba Cloud received for this phone since
   * `from` (told apart from receipts by their idempotency key, which Alibaba gets as OutId).
   */
  async function smsTo(phone: string, from: number) {
    await ctx.t.app.services.notifications.idle()
    await ctx.t.app.services.notifications.deliverDue()
    return fakes.aliyun.received.slice(from).filter((m) => m.phone === phone && m.outId?.startsWith('recovery:'))
  }
  const secretOf = (url: string) => url.replace('https://msj.example.gov.cn/t/', '')

  it('texts a new link to the submitter; the new and the old link both open the case', async () => {
    const phone = '13700000001'
    const c = await submit('小区东门外的下水井盖丢了，晚上很危险', phone)
    const from = fakes.aliyun.received.length
    const res = await recoverJson(` ${c.publicNo.toLowerCase()} `, '137 0000 0001')
    expect(res.statusCode, res.body).toBe(202)
    expect(res.json()).toEqual({
      status: 'accepted',
      message: '如果编号和手机号匹配，我们已把新的查询链接发送到这个手机号。几分钟内没有收到，请核对编号和手机号后再试。',
    })

    const recovered = await smsTo(phone, from)
    expect(recovered).toHaveLength(1)
    expect(recovered[0]!.params).toEqual({ publicNo: c.publicNo, url: expect.stringMatching(/^https:\/\/msj\.example\.gov\.cn\/t\/[A-Za-z0-9_-]{32}$/) })
    const secret = secretOf(recovered[0]!.params.url!)
    expect(secret).not.toBe(c.trackingSecret)

    const [link] = await db()
      .select()
      .from(trackingLink)
      .where(eq(trackingLink.caseId, await caseId(c.publicNo)))
    expect(link).toMatchObject({ followerId: null, reason: 'recovery', revokedAt: null })
    expect(link!.secretHash).toMatch(/^[0-9a-f]{64}$/)
    expect(link!.secretEnc).not.toContain(secret)

    const byNew = await ctx.t.app.inject({ url: `/api/v1/public/tracking/${secret}` })
    expect(byNew.json()).toMatchObject({ publicNo: c.publicNo, role: 'owner' })
    const page = await ctx.t.app.inject({ url: `/t/${secret}` })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(c.publicNo)
    expect((await ctx.t.app.inject({ url: `/t/${c.trackingSecret}` })).statusCode).toBe(200)
  })

  it('words the SMS as a recovery in the resident’s language, with the opt-out (gateway and log channels)', () => {
    const params = { publicNo: 'DEMO-2026-000012', url: 'https://msj.example.gov.cn/t/abc', notice: 'recovery' }
    expect(render('resident.received', params, 'zh-CN').text).toBe(
      '【码上见】您的诉求DEMO-2026-000012的查询链接：https://msj.example.gov.cn/t/abc（原链接仍然有效） 回复TD退订',
    )
    expect(render('resident.received', params, 'en').text).toContain('Tracking link for your request DEMO-2026-000012')
    expect(render('resident.received', params, 'ug').text).toContain('ئىز قوغلاش ئۇلىنىشى')
  })

  it('gives a wrong pair exactly the same answer and sends nothing', async () => {
    const phone = '13700000002'
    const c = await submit('楼道里堆满了杂物，消防通道被堵死了', phone)
    const [right, wrongPhone, noCase] = [
      await recoverJson(c.publicNo, phone),
      await recoverJson(c.publicNo, '13799999999'),
      await recoverJson('DEMO-2099-999999', phone),
    ]
    for (const r of [wrongPhone, noCase]) {
      expect(r.statusCode).toBe(right.statusCode)
      expect(r.headers['content-type']).toBe(right.headers['content-type'])
      expect(r.body).toBe(right.body)
    }
    const [rightPage, wrongPage, noCasePage] = [
      await recoverForm(c.publicNo, phone),
      await recoverForm(c.publicNo, '13799999999'),
      await recoverForm('DEMO-2099-999999', phone),
    ]
    expect(rightPage.statusCode).toBe(200)
    expect(rightPage.body).toContain('如果编号和手机号匹配，我们已把新的查询链接发送到这个手机号')
    for (const r of [wrongPage, noCasePage]) {
      expect(r.statusCode).toBe(200)
      expect(r.headers['content-type']).toBe(rightPage.headers['content-type'])
      expect(r.body).toBe(rightPage.body)
    }
    // Two matches (JSON and form), nothing for the wrong pairs.
    expect(await recoveryNotices(c.publicNo)).toHaveLength(2)
    expect(
      await db()
        .select()
        .from(trackingLink)
        .where(eq(trackingLink.caseId, await caseId(c.publicNo))),
    ).toHaveLength(2)
  })

  it('texts a follower’s own new link when the phone is one who joined the case', async () => {
    const first = await submit('东城小区五号楼后面的路灯已经坏了半个月，晚上一片漆黑', '13700000003')
    const joined = await postCase(ctx.t.app, {
      code: ctx.refs.memberCode,
      description: '东城小区五号楼后面的路灯坏了半个月了，晚上一片漆黑',
      joinCase: first.publicNo,
      phone: '13700000004',
      consent: 'on',
    })
    expect(joined.json().status).toBe('joined')
    const from = fakes.aliyun.received.length
    expect((await recoverJson(first.publicNo, '13700000004')).statusCode).toBe(202)
    const [f] = await db()
      .select({ id: caseFollower.id })
      .from(caseFollower)
      .where(eq(caseFollower.caseId, await caseId(first.publicNo)))
    const [link] = await db()
      .select()
      .from(trackingLink)
      .where(eq(trackingLink.caseId, await caseId(first.publicNo)))
    expect(link!.followerId).toBe(f!.id)
    const sms = await smsTo('13700000004', from)
    expect(sms).toHaveLength(1)
    expect(secretOf(sms[0]!.params.url!)).not.toBe(joined.json().trackingSecret)
    expect(await smsTo('13700000003', from)).toEqual([])
    const view = await ctx.t.app.inject({ url: `/api/v1/public/tracking/${secretOf(sms[0]!.params.url!)}` })
    expect(view.json()).toMatchObject({ publicNo: first.publicNo, role: 'follower', canRate: false })
  })

  it('a merged case: the new link leads on to the case it went into, as the old one does', async () => {
    const phone = '13700000005'
    const merged = await submit('公园的健身器材螺丝松了，老人用着很危险', phone)
    const survivor = await submit('公园健身区的器材有几个坏了需要维修', '13700000006')
    await db()
      .update(cases)
      .set({ status: 'merged', mergedInto: await caseId(survivor.publicNo) })
      .where(eq(cases.publicNo, merged.publicNo))
    const from = fakes.aliyun.received.length
    await recoverJson(merged.publicNo, phone)
    const [sms] = await smsTo(phone, from)
    const secret = secretOf(sms!.params.url!)
    const old = (await ctx.t.app.inject({ url: `/api/v1/public/tracking/${merged.trackingSecret}` })).json()
    const fresh = (await ctx.t.app.inject({ url: `/api/v1/public/tracking/${secret}` })).json()
    expect(fresh).toMatchObject({ publicNo: merged.publicNo, status: 'merged', mergedIntoPublicNo: survivor.publicNo })
    expect(fresh).toEqual(old)
    expect((await ctx.t.app.inject({ url: `/api/v1/public/tracking/${secret}/merged` })).json()).toMatchObject({ publicNo: survivor.publicNo })
  })

  it('a revoked link opens nothing; the original link still works', async () => {
    const phone = '13700000007'
    const c = await submit('菜市场门口的垃圾桶满了没人清', phone)
    const from = fakes.aliyun.received.length
    await recoverJson(c.publicNo, phone)
    const sent = await smsTo(phone, from)
    const secret = secretOf(sent[0]!.params.url!)
    expect((await ctx.t.app.inject({ url: `/t/${secret}` })).statusCode).toBe(200)
    const id = await caseId(c.publicNo)
    const revoke = (who: { headers: Record<string, string> }, original = false) =>
      ctx.t.app.inject({ method: 'POST', url: `/api/v1/cases/${id}/tracking-links/revoke`, headers: who.headers, payload: { original } })
    // Members cannot; staff can, within their scope.
    expect((await revoke(await signIn(ctx.t.app, 'wangjianguo'))).statusCode).toBe(403)
    const station = await signIn(ctx.t.app, 'station')
    const first = await revoke(station)
    expect(first.statusCode, first.body).toBe(200)
    expect(first.json()).toEqual({ recoveryLinks: 1, original: false })
    expect((await ctx.t.app.inject({ url: `/t/${secret}` })).statusCode).toBe(404)
    expect((await ctx.t.app.inject({ url: `/api/v1/public/tracking/${secret}` })).statusCode).toBe(404)
    expect((await ctx.t.app.inject({ url: `/t/${c.trackingSecret}` })).statusCode).toBe(200)
    // The original link as well: it opens nothing now; the resident recovers a fresh one with number and phone.
    expect((await revoke(station, true)).json()).toEqual({ recoveryLinks: 0, original: true })
    expect((await ctx.t.app.inject({ url: `/t/${c.trackingSecret}` })).statusCode).toBe(404)
    const again = fakes.aliyun.received.length
    await recoverJson(c.publicNo, phone)
    const [fresh] = await smsTo(phone, again)
    expect((await ctx.t.app.inject({ url: `/t/${secretOf(fresh!.params.url!)}` })).statusCode).toBe(200)
    const audits = await db().select().from(auditLog).where(eq(auditLog.action, 'case.tracking_links_revoked'))
    expect(audits.filter((a) => a.targetId === id).map((a) => a.detail)).toEqual([
      { recoveryLinks: 1, original: false },
      { recoveryLinks: 0, original: true },
    ])
    expect(
      (
        await ctx.t.app.inject({
          method: 'POST',
          url: `/api/v1/cases/00000000-0000-4000-8000-000000000000/tracking-links/revoke`,
          headers: station.headers,
          payload: {},
        })
      ).statusCode,
    ).toBe(404)
  })

  it("stops sending after 5 tries a day for one number and phone, with the same answer; a new day sends again; strangers' wrong guesses use up nothing", async () => {
    const phone = '13700000008'
    const c = await submit('十字路口的红绿灯时间太短，老人过不去马路', phone)
    const answers: string[] = []
    // Someone who knows the public number guesses phones: same answer, nothing sent, and the resident's own tries stay.
    for (let i = 0; i < 6; i++) {
      const r = await recoverJson(c.publicNo, `1370000010${i}`, `10.9.0.${i}`)
      expect(r.statusCode).toBe(202)
      answers.push(r.body)
    }
    for (let i = 0; i < 6; i++) {
      const r = await recoverJson(c.publicNo, phone, `10.9.1.${i}`)
      expect(r.statusCode).toBe(202)
      answers.push(r.body)
    }
    expect(new Set(answers).size).toBe(1)
    expect(await recoveryNotices(c.publicNo)).toHaveLength(5) // the resident's 5 tries; the 6th sent nothing
    ctx.t.clock.advance(86_400_000 + 1000)
    await recoverJson(c.publicNo, phone)
    expect(await recoveryNotices(c.publicNo)).toHaveLength(6)
  })

  it('stops sending after 5 tries a day for one phone, across numbers', async () => {
    const phone = '13700000009'
    const c = await submit('小区里有人遛狗不牵绳，孩子被吓哭了', phone)
    for (let i = 0; i < 5; i++) expect((await recoverJson(`DEMO-2098-00000${i}`, phone)).statusCode).toBe(202)
    expect((await recoverJson(c.publicNo, phone)).statusCode).toBe(202)
    expect(await recoveryNotices(c.publicNo)).toHaveLength(0)
  })

  it('answers the 11th try in an hour from one address with 429 RECOVERY_THROTTLED (JSON) or a page (form)', async () => {
    const ip = '10.99.0.1'
    for (let i = 0; i < 10; i++) expect((await recoverJson(`DEMO-2097-00000${i}`, `1360000000${i}`, ip)).statusCode).toBe(202)
    const json = await recoverJson('DEMO-2097-000010', '13600000010', ip)
    expect(json.statusCode).toBe(429)
    expect(json.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(json.json()).toMatchObject({ code: 'RECOVERY_THROTTLED', status: 429 })
    expect(Number(json.headers['retry-after'])).toBeGreaterThan(0)
    const page = await recoverForm('DEMO-2097-000011', '13600000011', ip)
    expect(page.statusCode).toBe(429)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(page.body).toContain('尝试次数太多')
    // Throttled tries do not count against the number they named.
    expect(await db().select().from(publicThrottle).where(like(publicThrottle.key, 'recovery:pair:DEMO-2097-000010:%'))).toEqual([])
    ctx.t.clock.advance(3_600_000 + 1000)
    expect((await recoverJson('DEMO-2097-000012', '13600000012', ip)).statusCode).toBe(202)
  })

  it('counts the limits in the database: another app on the same database sees them', async () => {
    const ip = '10.98.0.1'
    for (let i = 0; i < 10; i++) await recoverJson(`DEMO-2096-00000${i}`, `1350000000${i}`, ip)
    const { createTestApp } = await import('./support/test-app')
    const other = await createTestApp({ publicBaseUrl: 'https://msj.example.gov.cn' }, ctx.t.database)
    try {
      other.clock.advance(ctx.t.clock.now().getTime() - other.clock.now().getTime())
      const res = await other.app.inject({
        method: 'POST',
        url: '/api/v1/public/recovery',
        remoteAddress: ip,
        payload: { publicNo: 'DEMO-2096-000010', phone: '13500000010' },
      })
      expect(res.statusCode).toBe(429)
    } finally {
      await other.app.close()
    }
  })

  it('rejects missing, malformed and overlong fields with field messages (form kept; JSON problem)', async () => {
    const page = await ctx.t.app.inject({ method: 'POST', url: '/t/recover', remoteAddress: freshIp(), headers: FORM, payload: 'publicNo=DEMO-12&phone=' })
    expect(page.statusCode).toBe(400)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(page.body).toContain('value="DEMO-12"')
    expect(page.body).toContain('请填写诉求编号，例如 DEMO-2026-000012')
    expect(page.body).toContain('请填写提交诉求时留的11位手机号')
    expect(page.body).toContain('aria-invalid="true"')
    // The language links lead to the form (a GET), never to the POST's address.
    expect(page.body).toContain('href="/t?lang=ug"')
    expect(page.body).not.toContain('/t/recover?lang=ug"')

    const json = await ctx.t.app.inject({
      method: 'POST',
      url: '/api/v1/public/recovery?lang=en',
      remoteAddress: freshIp(),
      payload: { publicNo: 'x'.repeat(500), phone: '12345' },
    })
    expect(json.statusCode).toBe(400)
    expect(json.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(json.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [
        { field: 'body.publicNo', message: 'Please enter the reference number, e.g. DEMO-2026-000012' },
        { field: 'body.phone', message: 'Please enter an 11-digit mobile number, e.g. 13812345678' },
      ],
    })
    const missing = await ctx.t.app.inject({ method: 'POST', url: '/api/v1/public/recovery', remoteAddress: freshIp(), payload: {} })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.publicNo', 'body.phone'])
    const huge = await ctx.t.app.inject({
      method: 'POST',
      url: '/api/v1/public/recovery',
      remoteAddress: freshIp(),
      payload: { publicNo: 'x'.repeat(3000), phone: '1' },
    })
    expect(huge.statusCode).toBe(400)
  })

  it('audit-logs every attempt (address, outcome) and every link issued, never the phone or the secret', async () => {
    const phone = '13700000011'
    const c = await submit('路边停车位被占用做生意，车没地方停', phone)
    const ip = freshIp()
    await recoverJson(c.publicNo, phone, ip)
    await recoverJson(c.publicNo, '13711111111', ip)
    const rows = await db().select().from(auditLog).where(eq(auditLog.actorIp, ip))
    expect(rows.map((r) => [r.action, r.detail.outcome ?? r.detail.reason])).toEqual(
      expect.arrayContaining([
        ['case.recovery_attempt', 'matched'],
        ['tracking_link.issued', 'recovery'],
        ['case.recovery_attempt', 'no_match'],
      ]),
    )
    expect(rows).toHaveLength(3)
    const [link] = await db()
      .select()
      .from(trackingLink)
      .where(eq(trackingLink.caseId, await caseId(c.publicNo)))
    const secret = (await import('../src/privacy/pii-cipher')).createPiiCipher(ctx.t.config.secrets.piiKey).decrypt(link!.secretEnc)
    const text = JSON.stringify(rows)
    for (const forbidden of [phone, '13711111111', secret, link!.secretHash]) expect(text).not.toContain(forbidden)
  })

  it('serves the form at /t in all four languages, linked from the scan page', async () => {
    for (const [lang, heading] of [
      ['zh-CN', '找回我的诉求'],
      ['en', 'Find my request'],
      ['ug', 'ئىلتىماسىمنى تېپىش'],
      ['kk-Arab-CN', 'ٴوتىنىشىمدى تابۋ'],
    ] as const) {
      const res = await ctx.t.app.inject({ url: `/t?lang=${lang}` })
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain(`<h1>${heading}</h1>`)
      expect(res.body).toContain(`action="/t/recover?lang=${lang}"`)
    }
    const scan = await ctx.t.app.inject({ url: `/q/${ctx.refs.memberCode}` })
    expect(scan.body).toContain('href="/t?lang=zh-CN"')
    expect(scan.body).toContain('已经提交过？找回我的诉求')
  })
})

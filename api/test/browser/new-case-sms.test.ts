/// <reference lib="dom" />
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { cases, member } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { browserMissing, launchChromium } from '../support/browser'
import { signIn } from '../support/case-actions'
import { startFakeProviders } from '../support/fake-providers'
import { outboxOf } from '../support/outbox'

const fakes = await startFakeProviders()
const MEMBER_PHONE = '13911112222'

/**
 * Issue 13's browser acceptance: a resident scans in Chromium (JavaScript off, as in WeChat on a cheap phone),
 * and the member hears of the case by SMS at the (fake) Alibaba Cloud provider, with their own number and a link
 * to the case in the member app; at night the SMS waits for 07:00 Beijing time on the test clock.
 */
describe.skipIf(browserMissing)('a new case reaches its member by SMS', () => {
  const ctx = withDemoApp({ publicBaseUrl: 'https://msj.example.gov.cn' })
  let browser: Browser
  let base: string
  beforeAll(async () => {
    await ctx.t.app.listen({ port: 0, host: '127.0.0.1' })
    base = `http://127.0.0.1:${(ctx.t.app.server.address() as { port: number }).port}`
    browser = await launchChromium()
    // The committee's SMS account (Alibaba Cloud, at the fake) and a phone on 王建国's record, both through the API.
    const admin = await signIn(ctx.t.app, 'committee')
    const send = (method: 'POST' | 'PATCH', url: string, payload: object) => ctx.t.app.inject({ method, url, headers: admin.headers, payload })
    const channel = await send('POST', '/api/v1/notification-channels', {
      name: '阿里云短信',
      settings: fakes.aliyun.settings,
      credentials: fakes.aliyun.credentials,
    })
    expect(channel.statusCode, channel.body).toBe(201)
    const [wang] = await ctx.t.database.db.select({ id: member.id }).from(member).where(eq(member.name, '王建国'))
    const patched = await send('PATCH', `/api/v1/members/${wang!.id}`, { phone: MEMBER_PHONE })
    expect(patched.statusCode, patched.body).toBe(200)
  })
  afterAll(async () => {
    await browser?.close()
  })

  async function scan(text: string): Promise<string> {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false, locale: 'zh-CN' })
    const page = await context.newPage()
    await page.goto(`${base}/q/${ctx.refs.memberCode}`)
    await page.getByLabel('遇到了什么问题？').fill(text)
    await Promise.all([page.waitForURL(/\/t\/[A-Za-z0-9_-]+\?new=1$/), page.getByRole('button', { name: '提交' }).click()])
    const publicNo = (await page.textContent('main'))!.match(/DEMO-\d{4}-\d{6}/)![0]
    await context.close()
    const [row] = await ctx.t.database.db.select({ id: cases.id }).from(cases).where(eq(cases.publicNo, publicNo))
    return row!.id
  }

  const smsFor = (caseId: string) => fakes.aliyun.received.filter((m) => m.params.url?.endsWith(`/app/cases/${caseId}`))

  it('in the daytime: at once, to the member’s number, with a link to the case in the member app', async () => {
    const caseId = await scan(`东门菜场边的路灯不亮了，晚上买菜看不清 ${Date.now()}`)
    await fakes.aliyun.waitForReceived(1, 20_000)
    const [sms] = smsFor(caseId)
    expect(sms).toMatchObject({ phone: MEMBER_PHONE, templateCode: fakes.aliyun.settings.templates['member.assigned'] })
    expect(sms!.params.url).toBe(`https://msj.example.gov.cn/app/cases/${caseId}`)
    const [row] = (await outboxOf(ctx.t.database.db, { caseId, templateKeys: ['member.assigned'] })).filter((r) => r.channel === 'sms')
    expect(row).toMatchObject({ status: 'sent', provider: 'aliyun_sms', attempts: 1, segments: expect.any(Number) })
  }, 60_000)

  it('at night: held until 07:00 Beijing time, then sent once', async () => {
    // 23:30 in Beijing on the test clock (15:30 UTC).
    const now = ctx.t.clock.now()
    ctx.t.clock.advance(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 15, 30) - now.getTime())
    const before = fakes.aliyun.received.length
    const caseId = await scan(`小区后门的井盖松了，踩上去会翻 ${Date.now()}`)
    await ctx.t.app.services.notifications.idle()
    await ctx.t.app.services.notifications.deliverDue()
    const [held] = (await outboxOf(ctx.t.database.db, { caseId, templateKeys: ['member.assigned'] })).filter((r) => r.channel === 'sms')
    expect(held).toMatchObject({ status: 'pending', attempts: 0 })
    expect(held!.nextAttemptAt.toISOString()).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 23, 0)).toISOString())
    expect(smsFor(caseId)).toEqual([])

    ctx.t.clock.advance(7 * 3_600_000 + 29 * 60_000) // 06:59
    await ctx.t.app.services.notifications.deliverDue()
    expect(smsFor(caseId)).toEqual([])
    ctx.t.clock.advance(60_000) // 07:00
    await ctx.t.app.services.notifications.deliverDue()
    expect(smsFor(caseId)).toHaveLength(1)
    expect(smsFor(caseId)[0]!.phone).toBe(MEMBER_PHONE)
    await ctx.t.app.services.notifications.deliverDue()
    expect(smsFor(caseId)).toHaveLength(1)
    expect(fakes.aliyun.received.length).toBe(before + 1)
  }, 60_000)
})

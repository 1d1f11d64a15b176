/// <reference lib="dom" />
import { count, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { trackingLink } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { browserMissing, launchChromium } from '../support/browser'
import { signIn } from '../support/case-actions'
import { startFakeProviders } from '../support/fake-providers'

const fakes = await startFakeProviders()
const PUBLIC_BASE = 'https://msj.example.gov.cn'
const PHONE = '13955556666'

/**
 * Issue 16's acceptance for 找回我的诉求: in Chromium with JavaScript off at 360 px, a resident who lost the link
 * goes from the scan page to /t, gives the number and the phone, gets the new link by SMS (captured at the fake
 * Alibaba Cloud provider, through the real outbox) and opens it; a wrong pair gets the identical page and no SMS.
 */
describe.skipIf(browserMissing)('recovering a case by number and phone in Chromium', () => {
  const ctx = withDemoApp({ publicBaseUrl: PUBLIC_BASE })
  let browser: Browser
  let base: string
  beforeAll(async () => {
    await ctx.t.app.listen({ port: 0, host: '127.0.0.1' })
    base = `http://127.0.0.1:${(ctx.t.app.server.address() as { port: number }).port}`
    browser = await launchChromium()
    const admin = await signIn(ctx.t.app, 'committee')
    const channel = await ctx.t.app.inject({
      method: 'POST',
      url: '/api/v1/notification-channels',
      headers: admin.headers,
      payload: { name: '阿里云短信', settings: fakes.aliyun.settings, credentials: fakes.aliyun.credentials },
    })
    expect(channel.statusCode, channel.body).toBe(201)
  })
  afterAll(async () => {
    await browser?.close()
  })

  async function residentPage() {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      javaScriptEnabled: false,
      locale: 'zh-CN',
      deviceScaleFactor: 2,
      isMobile: true,
    })
    const page = await context.newPage()
    const requests: string[] = []
    page.on('request', (r) => requests.push(r.url()))
    return { context, page, requests }
  }
  const fitsScreen = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth)
  const recoverySms = () => fakes.aliyun.received.filter((m) => m.phone === PHONE && m.outId?.startsWith('recovery:'))

  async function askForLink(page: Page, publicNo: string, phone: string): Promise<string> {
    await page.goto(`${base}/q/${ctx.refs.memberCode}`)
    await Promise.all([page.waitForURL(/\/t\?lang=zh-CN$/), page.getByRole('link', { name: '已经提交过？找回我的诉求' }).click()])
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('找回我的诉求')
    expect(await fitsScreen(page)).toBeLessThanOrEqual(360)
    await page.getByLabel('诉求编号').fill(publicNo)
    await page.getByLabel('手机号').fill(phone)
    await Promise.all([page.waitForURL(/\/t\/recover/), page.getByRole('button', { name: '发送查询链接' }).click()])
    expect(await fitsScreen(page)).toBeLessThanOrEqual(360)
    return page.content()
  }

  it('texts a new link for the right pair; a wrong pair sees the very same page and gets nothing', async () => {
    const { context, page, requests } = await residentPage()
    // A case with a phone, submitted as residents do.
    await page.goto(`${base}/q/${ctx.refs.memberCode}`)
    await page.getByLabel('遇到了什么问题？').fill('小区北门的路灯坏了两个星期，晚上看不见路，老人不敢出门')
    await page.getByLabel('手机号').fill(PHONE)
    await page.getByLabel('我同意委员用这个号码联系我').check()
    await Promise.all([page.waitForURL(/\/t\/[A-Za-z0-9_-]+\?new=1$/), page.getByRole('button', { name: '提交' }).click()])
    const oldLink = page.url().replace(/\?new=1$/, '')
    const publicNo = (await page.textContent('main'))!.match(/DEMO-\d{4}-\d{6}/)![0]

    // Lost the link: from the scan page to /t, the number typed in lower case.
    const answer = await askForLink(page, publicNo.toLowerCase(), PHONE)
    expect(await page.textContent('main')).toContain('如果编号和手机号匹配，我们已把新的查询链接发送到这个手机号')
    expect(answer).not.toContain(publicNo)

    const [sms] = await (async () => {
      const until = Date.now() + 20_000
      while (recoverySms().length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50))
      return recoverySms()
    })()
    expect(sms, 'the recovery SMS reached the provider').toBeDefined()
    expect(sms!.templateCode).toBe(fakes.aliyun.settings.templates['resident.received'])
    expect(sms!.params.publicNo).toBe(publicNo)
    const newLink = sms!.params.url!.replace(PUBLIC_BASE, base)
    expect(newLink).toMatch(/\/t\/[A-Za-z0-9_-]{32}$/)
    expect(newLink).not.toBe(oldLink)

    await page.goto(newLink)
    expect(await page.textContent('main')).toContain(publicNo)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('诉求进度')
    expect(await fitsScreen(page)).toBeLessThanOrEqual(360)
    // The old link keeps working.
    await page.goto(oldLink)
    expect(await page.textContent('main')).toContain(publicNo)

    // A wrong phone for the same number: byte for byte the same answer page, and nothing is sent.
    const links = async () => (await ctx.t.database.db.select({ n: count() }).from(trackingLink))[0]!.n
    const linksBefore = await links()
    const wrong = await askForLink(page, publicNo, '13955550000')
    expect(wrong).toBe(answer)
    await ctx.t.app.services.notifications.idle()
    await ctx.t.app.services.notifications.deliverDue()
    expect(recoverySms()).toHaveLength(1)
    expect(fakes.aliyun.received.filter((m) => m.phone === '13955550000')).toEqual([])
    expect(await links()).toBe(linksBefore)
    // The right pair still answers the same page (nothing on it depends on the match).
    expect(await askForLink(page, publicNo, PHONE)).toBe(answer)
    expect(requests.every((u) => u.startsWith(base))).toBe(true)
    const [own] = await ctx.t.database.db.select({ n: count() }).from(trackingLink).where(eq(trackingLink.reason, 'recovery'))
    expect(own!.n).toBe(linksBefore + 1)
    await context.close()
  }, 90_000)
})

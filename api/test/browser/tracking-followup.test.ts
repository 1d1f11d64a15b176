/// <reference lib="dom.iterable" />
/// <reference lib="dom" />
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { cases } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { browserMissing, launchChromium } from '../support/browser'
import { jpegWithGps } from '../support/images'
import { signIn, submitCase, uniqueText } from '../support/case-actions'

/** issue 16 acceptance, the tracking page side: a resident on a 360 px phone with JavaScript off, real Chromium. */
describe.skipIf(browserMissing)('tracking page in Chromium', () => {
  const ctx = withDemoApp()
  let browser: Browser
  let base: string
  beforeAll(async () => {
    await ctx.t.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = ctx.t.app.server.address() as { port: number }
    base = `http://127.0.0.1:${port}`
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  async function phone(javaScriptEnabled = false) {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      javaScriptEnabled,
      locale: 'zh-CN',
      deviceScaleFactor: 2,
      isMobile: true,
    })
    if (javaScriptEnabled) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base })
    return { context, page: await context.newPage() }
  }

  it("JS off: submit, keep the link, add text and a photo; it shows on the page and on the member's timeline", async () => {
    const { context, page } = await phone()
    await page.goto(`${base}/q/${ctx.refs.memberCode}`)
    await page.getByLabel('遇到了什么问题？').fill(uniqueText('三号楼楼道的灯坏了，晚上上楼看不见台阶'))
    await Promise.all([page.waitForURL(/\/t\/[A-Za-z0-9_-]+\?new=1$/), page.getByRole('button', { name: '提交' }).click()])
    const secret = new URL(page.url()).pathname.split('/')[2]!
    // The confirmation shows the link itself (absolute, PUBLIC_BASE_URL) and how to recover it; the copy button
    // needs JavaScript and is not offered without it.
    await expect(page.getByTestId('tracking-link').textContent()).resolves.toBe(`http://msj.test/t/${secret}`)
    await expect(page.getByTestId('recover-hint').textContent()).resolves.toMatch(/凭查询编号 DEMO-\d{4}-\d{6} 和您留的手机号可以找回/)
    await expect(page.getByRole('button', { name: '复制链接' }).isVisible()).resolves.toBe(false)
    const publicNo = (await page.locator('.no').textContent())!.trim()

    await page.getByLabel('补充说明').fill('今天又看了一下，二楼和三楼的灯都不亮')
    await page.getByLabel('第1张照片').setInputFiles({ name: 'IMG_2001.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps(1600, 1200) })
    await Promise.all([page.waitForURL(/\?added=1/), page.getByRole('button', { name: '提交补充' }).click()])
    await expect(page.getByTestId('added').textContent()).resolves.toContain('已收到您的补充')
    await expect(page.getByTestId('timeline').textContent()).resolves.toContain('今天又看了一下，二楼和三楼的灯都不亮')
    const img = page.getByRole('img', { name: '群众上传的照片 1' })
    await img.scrollIntoViewIfNeeded()
    await expect(img.isVisible()).resolves.toBe(true)
    // Loaded (not a broken image), downscaled for the phone, and within the 360 px screen.
    await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0))
    const size = await img.evaluate((i: HTMLImageElement) => ({ natural: i.naturalWidth, shown: i.getBoundingClientRect().width }))
    expect(size.natural).toBeLessThanOrEqual(640)
    expect(size.shown).toBeLessThanOrEqual(360)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await context.close()

    // The member who holds the case sees the follow-up with its photo on their timeline.
    const [row] = await ctx.t.database.db.select({ id: cases.id }).from(cases).where(eq(cases.publicNo, publicNo))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const detail = await wang.detail(row!.id)
    const added = detail.events.find((e) => e.type === 'resident_added_info')
    expect(added).toMatchObject({ body: '今天又看了一下，二楼和三楼的灯都不亮' })
    const photos = detail.attachments.filter((a) => a.eventId === added!.id)
    expect(photos).toHaveLength(1)
    const file = await wang.get(photos[0]!.url)
    expect(file.statusCode).toBe(200)
    expect(file.headers['content-type']).toBe('image/jpeg')
  })

  it("JS off: the member's answer comes before the rating form, and the chosen rating is shown after rating", async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('小区门口的减速带被压坏了，车开过去声音很大'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    await wang.ok(c.id, { type: 'resolve', reply: '已请物业更换了新的减速带' })

    const { context, page } = await phone()
    await page.goto(`${base}/t/${c.trackingSecret}`)
    const answer = page.getByText('已请物业更换了新的减速带')
    const form = page.getByTestId('rating-form')
    const [answerBox, formBox] = [await answer.boundingBox(), await form.boundingBox()]
    expect(answerBox!.y + answerBox!.height).toBeLessThanOrEqual(formBox!.y)
    await page.getByLabel('基本满意').check()
    await Promise.all([page.waitForURL(/\?rated=1/), page.getByRole('button', { name: '提交评价' }).click()])
    await expect(page.getByRole('status').textContent()).resolves.toContain('您的评价：基本满意')
    // …and on every later view, where the form is gone.
    await page.goto(`${base}/t/${c.trackingSecret}`)
    await expect(page.getByTestId('rating-given').textContent()).resolves.toBe('您的评价：基本满意')
    await expect(page.getByTestId('rating-form').count()).resolves.toBe(0)
    await context.close()
  })

  it('JS on: the copy button appears and copies the link', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('楼下的快递柜一直占着消防通道'))
    const { context, page } = await phone(true)
    await page.goto(`${base}/t/${c.trackingSecret}?new=1`)
    const button = page.getByRole('button', { name: '复制链接' })
    await expect(button.isVisible()).resolves.toBe(true)
    await button.click()
    await page.getByRole('button', { name: '已复制' }).waitFor()
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(`http://msj.test/t/${c.trackingSecret}`)
    await context.close()
  })
})

/// <reference lib="dom.iterable" />
/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { withDemoApp } from '../support/demo-app'
import { browserMissing, launchChromium } from '../support/browser'
import { jpegWithGps } from '../support/images'

/** A resident on a cheap phone: 360 px wide, real Chromium, the real server on a real database. */
describe.skipIf(browserMissing)('resident flow in Chromium', () => {
  const ctx = withDemoApp()
  let browser: Browser
  let base: string
  let photo: Buffer
  beforeAll(async () => {
    await ctx.t.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = ctx.t.app.server.address() as { port: number }
    // The server's PUBLIC_BASE_URL is not this port; pages use relative links, so that does not matter.
    base = `http://127.0.0.1:${port}`
    browser = await launchChromium()
    photo = await jpegWithGps(1200, 900)
  })
  afterAll(async () => {
    await browser?.close()
  })

  async function residentPage(javaScriptEnabled: boolean) {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      javaScriptEnabled,
      locale: 'zh-CN',
      deviceScaleFactor: 2,
      isMobile: true,
    })
    const requests: string[] = []
    const page = await context.newPage()
    page.on('request', (r) => requests.push(r.url()))
    return { context, page, requests }
  }

  it.each([
    ['JavaScript disabled', false],
    ['JavaScript enabled', true],
  ])('%s: scan, describe with a photo, land on the tracking page', async (_name, js) => {
    const { context, page, requests } = await residentPage(js)
    await page.goto(`${base}/q/${ctx.refs.memberCode}`)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('王建国')
    // Usable at 360 px: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    await page
      .getByLabel('遇到了什么问题？')
      .fill(js ? '菜市场东边的下水道返味，夏天苍蝇特别多，摊主们都很发愁' : '小区北门的路灯坏了两个星期，晚上看不见路，老人不敢出门')
    await page.getByLabel('手机号').fill('13912345678')
    await page.getByLabel('我同意委员用这个号码联系我').check()
    await page.getByLabel('第1张照片').setInputFiles({ name: 'IMG_1234.jpg', mimeType: 'image/jpeg', buffer: photo })
    await Promise.all([page.waitForURL(/\/t\/[A-Za-z0-9_-]+\?new=1$/), page.getByRole('button', { name: '提交' }).click()])
    const text = await page.textContent('main')
    expect(text).toContain('提交成功')
    expect(text).toMatch(/DEMO-\d{4}-\d{6}/)
    expect(text).toContain('已派单，等待委员接单')
    expect(requests.every((u) => u.startsWith(base))).toBe(true)
    await context.close()
  })

  it('shows a field error next to the field, announced, and keeps the text', async () => {
    const { context, page } = await residentPage(false)
    await page.goto(`${base}/q/${ctx.refs.memberCode}`)
    await page.getByLabel('遇到了什么问题？').fill('路灯坏')
    await page.getByRole('button', { name: '提交' }).click()
    await page.waitForLoadState()
    const field = page.getByLabel('遇到了什么问题？')
    await expect(field.inputValue()).resolves.toBe('路灯坏')
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true')
    const describedBy = (await field.getAttribute('aria-describedby'))!
    expect(describedBy).toContain('description-error')
    await expect(page.locator('#description-error').textContent()).resolves.toBe('请至少写5个字')
    await expect(page.getByRole('alert').first().isVisible()).resolves.toBe(true)
    await context.close()
  })

  it.each([['ug'], ['kk-Arab-CN']])('in %s the page is right to left', async (lang) => {
    const { context, page } = await residentPage(true)
    await page.goto(`${base}/q/${ctx.refs.memberCode}?lang=${lang}`)
    await expect(page.evaluate(() => getComputedStyle(document.body).direction)).resolves.toBe('rtl')
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang)
    // Text at least 16 px and touch targets at least 44 px tall.
    const sizes = await page.evaluate(() =>
      [...document.querySelectorAll('input:not([type=hidden]):not([tabindex="-1"]), select, textarea, button')].map((el) => ({
        font: parseFloat(getComputedStyle(el).fontSize),
        height: el.getBoundingClientRect().height,
        type: (el as HTMLInputElement).type,
      })),
    )
    for (const s of sizes) {
      expect(s.font).toBeGreaterThanOrEqual(16)
      if (s.type !== 'checkbox' && s.type !== 'radio') expect(s.height).toBeGreaterThanOrEqual(44)
    }
    await context.close()
  })
})

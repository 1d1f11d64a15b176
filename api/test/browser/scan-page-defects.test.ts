/// <reference lib="dom.iterable" />
/// <reference lib="dom" />
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContextOptions } from 'playwright-core'
import { attachment, cases } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { browserMissing, launchChromium } from '../support/browser'
import { jpegWithGps } from '../support/images'
import { postCase } from '../support/submit'

/** Issue 16, the scan page's defects, as a resident meets them: 360 px, real Chromium, the real server. */
describe.skipIf(browserMissing)('scan page defects in Chromium (issue 16)', () => {
  const ctx = withDemoApp()
  const db = () => ctx.t.database.db
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

  async function residentPage(javaScriptEnabled: boolean, options: BrowserContextOptions = {}) {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      javaScriptEnabled,
      locale: 'zh-CN',
      deviceScaleFactor: 2,
      isMobile: true,
      ...options,
    })
    const page = await context.newPage()
    const problems: string[] = []
    // The form error's own 400 is expected; anything else the console complains about (CSP, scripts) is not.
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 400/.test(m.text())) problems.push(m.text())
    })
    page.on('response', (r) => {
      if (r.status() >= 500 || (r.status() === 404 && !r.url().includes('/t/'))) problems.push(`${r.status()} ${r.url()}`)
    })
    return { context, page, problems }
  }
  const caseWith = async (description: string) => (await db().select().from(cases).where(eq(cases.description, description)))[0]

  it('JS off: the language switch after a form error keeps the form and its text, and the form then posts in that language', async () => {
    const { context, page, problems } = await residentPage(false)
    await page.goto(`${base}/q/${ctx.refs.memberCode}`)
    await page.getByLabel('遇到了什么问题？').fill('路灯坏')
    await page.getByLabel('地点（可不填）').fill('北门')
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: '提交' }).click()])
    await expect(page.locator('#description-error').textContent()).resolves.toBe('请至少写5个字')

    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.status() === 200),
      page.getByRole('button', { name: 'ئۇيغۇرچە' }).click(),
    ])
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ug')
    await expect(page.locator('textarea[name=description]').inputValue()).resolves.toBe('路灯坏')
    await expect(page.locator('input[name=location]').inputValue()).resolves.toBe('北门')
    await expect(page.getByRole('alert').count()).resolves.toBe(0)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    expect(await page.textContent('body')).not.toContain('"statusCode"')

    const description = '小区北门的路灯坏了两个星期，晚上看不见路（语言切换测试）'
    await page.locator('textarea[name=description]').fill(description)
    await Promise.all([page.waitForURL(/\/t\/[A-Za-z0-9_-]+\?new=1$/), page.locator('form#scan-form button[type=submit]:not([name])').click()])
    expect((await caseWith(description))?.residentLocale).toBe('ug')
    expect(problems).toEqual([])
    await context.close()
  })

  it('JS off: the duplicate prompt keeps the chosen photo, and a plain 提交 after it creates the case with the photo', async () => {
    const first = '南门外的人行道砖松动了好多块，下雨天一踩就溅一身泥水'
    expect((await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: first })).statusCode).toBe(201)
    const { context, page } = await residentPage(false)
    await page.goto(`${base}/q/${ctx.refs.memberCode}`)
    const again = `${first}，请尽快修一修`
    await page.getByLabel('遇到了什么问题？').fill(again)
    await page.getByLabel('第1张照片').setInputFiles({ name: 'IMG_1.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps(1200, 900) })
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: '提交', exact: true }).click()])
    await expect(page.getByRole('heading', { name: '已有类似问题正在处理' }).isVisible()).resolves.toBe(true)
    await expect(page.getByText('已保留您选择的1张照片').isVisible()).resolves.toBe(true)
    await Promise.all([page.waitForURL(/\/t\/[A-Za-z0-9_-]+\?new=1$/), page.getByRole('button', { name: '提交', exact: true }).click()])
    const row = await caseWith(again)
    expect(row).toBeDefined()
    expect(await db().select().from(attachment).where(eq(attachment.caseId, row!.id))).toHaveLength(1)
    await context.close()
  })

  it('JS on: a pasted 5,000-character text is kept whole, with a visible counter, and no CSP complaint', async () => {
    const { context, page, problems } = await residentPage(true)
    await page.goto(`${base}/q/${ctx.refs.memberCode}`)
    const counter = page.locator('#description-count')
    await expect(counter.textContent()).resolves.toBe('0/2000')
    await expect(counter.isVisible()).resolves.toBe(true)
    await page.getByLabel('遇到了什么问题？').focus()
    await page.keyboard.insertText('楼道里的灯不亮了'.repeat(625))
    await expect(
      page
        .getByLabel('遇到了什么问题？')
        .inputValue()
        .then((v) => [...v].length),
    ).resolves.toBe(5000)
    await expect(counter.textContent()).resolves.toBe('5000/2000')
    await expect(counter.getAttribute('class')).resolves.toContain('error')
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: '提交' }).click()])
    await expect(page.locator('#description-error').textContent()).resolves.toBe('请不要超过2000字')
    await expect(
      page
        .getByLabel('遇到了什么问题？')
        .inputValue()
        .then((v) => [...v].length),
    ).resolves.toBe(5000)
    expect(problems.filter((p) => /Content Security Policy|Refused/.test(p))).toEqual([])
    await context.close()
  })

  it('JS on, location allowed: "使用我的位置" stores the coordinates with the case', async () => {
    const { context, page, problems } = await residentPage(true, {
      geolocation: { latitude: 43.825592, longitude: 87.616848, accuracy: 35 },
      permissions: ['geolocation'],
    })
    await page.goto(`${base}/q/${ctx.refs.memberCode}`)
    const description = '菜市场门口的积水一直不退，老人买菜要绕很远（定位测试）'
    await page.getByLabel('遇到了什么问题？').fill(description)
    await page.getByRole('button', { name: '使用我的位置' }).click()
    await page.locator('#geo-status', { hasText: '已记录您的位置（误差约35米）' }).waitFor()
    await Promise.all([page.waitForURL(/\/t\/[A-Za-z0-9_-]+\?new=1$/), page.getByRole('button', { name: '提交', exact: true }).click()])
    expect(await caseWith(description)).toMatchObject({ lat: 43.825592, lng: 87.616848, locationAccuracy: 35 })
    expect(problems).toEqual([])
    await context.close()
  })

  it('JS on, location refused: a clear message, and the text field for the place stays', async () => {
    const { context, page } = await residentPage(true)
    await page.goto(`${base}/q/${ctx.refs.memberCode}`)
    await page.getByRole('button', { name: '使用我的位置' }).click()
    await page.locator('#geo-status', { hasText: '没有获得定位权限，请在上面写明地点' }).waitFor()
    await expect(page.locator('input[name=lat]').inputValue()).resolves.toBe('')
    await expect(page.getByLabel('地点（可不填）').isEditable()).resolves.toBe(true)
    await context.close()
  })

  it('JS off: no location button, the place is typed', async () => {
    const { context, page } = await residentPage(false)
    await page.goto(`${base}/q/${ctx.refs.memberCode}`)
    await expect(page.getByRole('button', { name: '使用我的位置' }).count()).resolves.toBe(0)
    await expect(page.getByLabel('地点（可不填）').isVisible()).resolves.toBe(true)
    await context.close()
  })

  it.each(['ug', 'zh-CN'])('%s: the first letter of the timeline does not sit on its bar', async (lang) => {
    const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: `健身器材的螺丝松了，摇摇晃晃很危险（${lang}时间线）`, confirmNew: '1' })
    const { context, page } = await residentPage(true)
    await page.goto(`${base}${res.json().trackingUrl}?lang=${lang}`)
    const box = await page.evaluate(() => {
      const ol = document.querySelector('ol.timeline')!
      const walker = document.createTreeWalker(ol.querySelector('li')!, NodeFilter.SHOW_TEXT)
      let first = walker.nextNode()
      while (first && !first.textContent!.trim()) first = walker.nextNode()
      const range = document.createRange()
      range.selectNodeContents(first!)
      const text = range.getBoundingClientRect()
      const bar = ol.getBoundingClientRect()
      const style = getComputedStyle(ol)
      return {
        dir: style.direction,
        text: { left: text.left, right: text.right },
        barLeft: bar.left,
        barRight: bar.right,
        start: parseFloat(style.borderInlineStartWidth),
      }
    })
    if (lang === 'ug') {
      expect(box.dir).toBe('rtl')
      expect(box.text.right).toBeLessThanOrEqual(box.barRight - box.start)
    } else {
      expect(box.text.left).toBeGreaterThanOrEqual(box.barLeft + box.start)
    }
    await context.close()
  })
})

/// <reference lib="dom.iterable" />
/// <reference lib="dom" />
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { cases } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { browserMissing, launchChromium } from '../support/browser'
import { aggregateAll } from '../support/metrics'

const require = createRequire(import.meta.url)

/** axe-core itself, injected through the DevTools protocol (the page has no script and its CSP would block one). */
async function axeViolations(page: Page) {
  const source = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8')
  await page.evaluate(source)
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> }
      }
    ).axe
    const r = await axe.run(document, { resultTypes: ['violations'] })
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }))
  })
}

/** The transparency page as a resident's cheap phone shows it: 360 px, JavaScript off, the real server and database. */
describe.skipIf(browserMissing)('transparency page in Chromium', () => {
  const ctx = withDemoApp()
  let browser: Browser
  let base: string
  beforeAll(async () => {
    const db = ctx.t.database.db
    // Publish the demo county's closed matters; one with a moderated text carrying a phone and an ID number.
    const closed = await db
      .select({ id: cases.id })
      .from(cases)
      .where(inArray(cases.status, ['closed', 'resolved']))
    expect(closed.length).toBeGreaterThan(3)
    await db
      .update(cases)
      .set({ publishable: true })
      .where(
        inArray(
          cases.id,
          closed.map((c) => c.id),
        ),
      )
    await db.update(cases).set({ publicText: '路灯已全部修好，居民可拨打13500135000反映，登记证件110101199003071234' }).where(eq(cases.id, closed[0]!.id))
    await aggregateAll(db, ctx.t.app.services.metricsAggregator)
    await ctx.t.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = ctx.t.app.server.address() as { port: number }
    base = `http://127.0.0.1:${port}`
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it.each([
    ['zh-CN', '/p/demo'],
    ['ug', '/p/DEMO?lang=ug'],
    ['en, a station', 'station'],
  ])('%s: no axe violation, no sideways scroll, nothing fetched from another host', async (_name, path) => {
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
    const url = path === 'station' ? `/p/DEMO/${ctx.refs.stationId}?lang=en` : path
    const res = await page.goto(`${base}${url}`)
    expect(res!.status()).toBe(200)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/履职公开|ئاشكارىلىقى|Public record/)
    const text = (await page.textContent('main'))!
    expect(text).not.toContain('13500135000')
    expect(text).not.toContain('110101199003071234')
    if (path === '/p/demo') {
      expect(text).toContain('135****5000')
      expect(await page.locator('ul.matters li').count()).toBeGreaterThan(3)
      expect(await page.locator('table').count()).toBeGreaterThan(1)
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    expect(await page.locator('script').count()).toBe(0)
    expect(requests.length).toBeGreaterThan(0)
    expect(requests.filter((u) => !u.startsWith(`${base}/`))).toEqual([])
    await context.close()
    // axe-core needs timers, which a JavaScript-off page does not run: it audits the same script-free page in a
    // context with JavaScript on (the page has no script of its own, so the DOM is the same).
    const axeContext = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN', deviceScaleFactor: 2, isMobile: true })
    const axePage = await axeContext.newPage()
    const axeRequests: string[] = []
    axePage.on('request', (r) => axeRequests.push(r.url()))
    await axePage.goto(`${base}${url}`)
    expect(await axeViolations(axePage)).toEqual([])
    expect(axeRequests.filter((u) => !u.startsWith(`${base}/`))).toEqual([])
    await axeContext.close()
  })

  it('follows a station link and back without JavaScript', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false, locale: 'zh-CN' })
    const page = await context.newPage()
    await page.goto(`${base}/p/DEMO`)
    await Promise.all([page.waitForURL(new RegExp(`/p/DEMO/${ctx.refs.stationId}$`)), page.getByRole('link', { name: '东城街道委员工作站' }).click()])
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('东城街道委员工作站')
    await Promise.all([page.waitForURL(/\/p\/DEMO$/), page.getByRole('link', { name: /全部工作站/ }).click()])
    await context.close()
  })
})

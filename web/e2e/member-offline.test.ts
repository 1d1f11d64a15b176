import { describe, expect, it } from 'vitest'
import { browserMissing } from '../../api/test/support/browser'
import { jpegWithGps } from '../../api/test/support/images'
import { newPhone, act, flappingNetwork, openCase, openInApp, pendingCount, signInAsMember, waitUntilSynced, withMemberApp } from './support/member-browser'

// The member app in Debian's chromium against the real API on a real database (issue 6, tests 1–4).
describe.skipIf(browserMissing)('member app, offline and back', () => {
  const ctx = withMemberApp('e2e')

  it('signs in, shows the inbox, and the service worker controls the page', async () => {
    const c = await ctx.api.newCase('王建国', '小区门口的井盖松动了')
    const context = await newPhone(ctx.browser)
    const page = await context.newPage()
    await signInAsMember(page, ctx.api.url, 'wangjianguo')
    await expect.poll(() => page.locator(`[data-case-id="${c.id}"]`).count(), { timeout: 30_000 }).toBe(1)
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${ctx.api.url}/app/sw.js`)
    expect(Number(await page.textContent('[data-testid=count-new]'))).toBeGreaterThanOrEqual(1)
    // The narrowest phones: nothing wider than 320 px, on the inbox and on a case.
    await page.setViewportSize({ width: 320, height: 640 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    await openCase(page, c.id)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    await context.close()
  }, 120_000)

  it('opens offline with the cached inbox; accept, note with photo and resolve made offline reach the server once each, in order', async () => {
    const c = await ctx.api.newCase('王建国', '楼道里的灯坏了，老人上下楼不方便')
    const context = await newPhone(ctx.browser)
    const page = await context.newPage()
    await signInAsMember(page, ctx.api.url, 'wangjianguo')
    await page.waitForSelector(`[data-case-id="${c.id}"]`)

    await context.setOffline(true)
    await page.reload()
    await page.waitForSelector('[data-testid=offline-banner]')
    await page.waitForSelector(`[data-case-id="${c.id}"]`)

    await openCase(page, c.id)
    await act(page, 'accept')
    await act(page, 'note', async (p) => {
      await p.fill('#body', '已到现场查看，拍照留存')
      await p.setInputFiles('[data-testid=photo-input]', { name: 'scene.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps(640, 480) })
    })
    await act(page, 'resolve', (p) => p.fill('#reply', '已联系物业，楼道灯已更换'))
    // The page re-reads the device after each action: under load the last one can take a moment to show.
    await expect.poll(() => page.locator('[data-testid=timeline-pending]').count(), { timeout: 30_000 }).toBe(3)
    await expect.poll(() => page.getAttribute('[data-testid=case-page]', 'data-status'), { timeout: 30_000 }).toBe('resolved')
    await expect.poll(() => pendingCount(page), { timeout: 30_000 }).toBe(3)
    expect(await ctx.api.opEvents(c.id)).toEqual([])

    await context.setOffline(false)
    await waitUntilSynced(page)
    const events = await ctx.api.opEvents(c.id)
    expect(events.map((e) => e.type)).toEqual(['accepted', 'note', 'resolved'])
    expect(await ctx.api.photosOf(events[1]!.id)).toHaveLength(1)
    await expect.poll(() => page.locator('[data-testid=timeline-pending]').count(), { timeout: 30_000 }).toBe(0)
    await expect.poll(() => page.locator('[data-testid=timeline-event][data-type=resolved]').count(), { timeout: 30_000 }).toBe(1)
    await context.close()
  }, 120_000)

  it('a flapping network: 32 actions over 4 cases reach the server exactly once each', async () => {
    const made = await Promise.all([0, 1, 2, 3].map((i) => ctx.api.newCase('王建国', `第${i}户反映自来水水压不足`)))
    const context = await newPhone(ctx.browser)
    const page = await context.newPage()
    await signInAsMember(page, ctx.api.url, 'wangjianguo')
    for (const c of made) await page.waitForSelector(`[data-case-id="${c.id}"]`)

    const weather = flappingNetwork(context, 20261123)

    const expected = new Map<string, string[]>()
    for (const [n, c] of made.entries()) {
      await openCase(page, c.id)
      await act(page, 'accept')
      const bodies = Array.from({ length: 7 }, (_, i) => `走访记录 ${n}-${i}`)
      for (const body of bodies) await act(page, 'note', (p) => p.fill('#body', body))
      expected.set(c.id, bodies)
    }
    await weather.stop()
    await openInApp(page, '/app/')
    await waitUntilSynced(page, 90_000)

    for (const c of made) {
      const events = await ctx.api.opEvents(c.id)
      expect(events.map((e) => e.type)).toEqual(['accepted', ...Array(7).fill('note')])
      expect(events.slice(1).map((e) => e.body)).toEqual(expected.get(c.id))
      expect(new Set(events.map((e) => e.opId)).size).toBe(8)
    }
    await context.close()
  }, 180_000)

  it('a case reassigned while the member was offline: the member sees the conflict and nothing is dropped silently', async () => {
    const c = await ctx.api.newCase('王建国', '菜市场门口占道经营，堵路')
    const context = await newPhone(ctx.browser)
    const page = await context.newPage()
    page.on('dialog', (d) => void d.accept())
    await signInAsMember(page, ctx.api.url, 'wangjianguo')
    await page.waitForSelector(`[data-case-id="${c.id}"]`)

    await context.setOffline(true)
    const admin = await ctx.api.signIn('station')
    await admin.ok(c.id, { type: 'assign', memberId: (await ctx.api.codeOf('李秀兰')).memberId })
    await openCase(page, c.id)
    await act(page, 'accept')
    // The page re-reads the device after the sheet closes: wait for it to show the action waiting.
    await expect.poll(() => pendingCount(page), { timeout: 30_000 }).toBe(1)

    await context.setOffline(false)
    await page.click('[data-testid=sync-state]')
    const card = page.locator('[data-testid=conflict]')
    await card.waitFor({ timeout: 60_000 })
    expect(await card.textContent()).toContain('已不在您名下')
    expect(await card.textContent()).toContain('接单')
    expect(await ctx.api.opEvents(c.id)).toEqual([])
    // Still there after another complete sync (its time is shown on the chip), until the member decides.
    const before = await page.getAttribute('[data-testid=sync-state]', 'data-last-synced')
    await page.click('[data-testid=sync-state]')
    await expect.poll(() => page.getAttribute('[data-testid=sync-state]', 'data-last-synced'), { timeout: 30_000 }).not.toBe(before)
    expect(await page.locator('[data-testid=conflict]').count()).toBe(1)
    await openInApp(page, '/app/')
    await page.waitForSelector('[data-testid=attention-banner]')
    await page.click('[data-testid=conflict] >> text=放弃这条操作')
    await expect.poll(() => page.locator('[data-testid=conflict]').count(), { timeout: 30_000 }).toBe(0)
    await context.close()
  }, 90_000)
})

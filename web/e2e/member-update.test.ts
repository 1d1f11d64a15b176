import { describe, expect, it } from 'vitest'
import { browserMissing } from '../../api/test/support/browser'
import { newPhone, act, buildWebApp, openCase, pendingCount, signInAsMember, withMemberApp } from './support/member-browser'

// Issue 6, test 5: a new version is deployed while the app is open; the member is told and updates safely.
describe.skipIf(browserMissing)('member app update', () => {
  const ctx = withMemberApp('v1')

  it('shows "ready offline", then "update available" after a deploy, and asks before updating over pending actions', async () => {
    const c = await ctx.api.newCase('王建国', '健身器材坏了，孩子容易受伤')
    const context = await newPhone(ctx.browser)
    // Records what the page tells a service worker: "no" must never send the waiting worker SKIP_WAITING. Checked
    // as a fact right after the click (the handler runs synchronously in the click), not as "no reload within 500 ms".
    await context.addInitScript(() => {
      const sent: unknown[] = []
      Object.assign(window, { __swMessages: sent })
      const post = ServiceWorker.prototype.postMessage
      ServiceWorker.prototype.postMessage = function (this: ServiceWorker, ...args: Parameters<ServiceWorker['postMessage']>) {
        sent.push(args[0])
        return post.apply(this, args)
      } as ServiceWorker['postMessage']
    })
    const page = await context.newPage()
    const skipWaitingSent = () =>
      page.evaluate(() => ((window as unknown as { __swMessages: { type?: string }[] }).__swMessages ?? []).filter((m) => m?.type === 'SKIP_WAITING').length)
    const dialogs: string[] = []
    let acceptDialog = false
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void (acceptDialog ? d.accept() : d.dismiss())
    })
    await signInAsMember(page, ctx.api.url, 'wangjianguo')
    // The toast says 可离线使用 for a few seconds; the header keeps the state.
    await page.waitForSelector('header[data-offline-ready=true]')
    expect(await page.getAttribute('html', 'data-build')).toBe('v1')

    // Deploy: the same server now serves another build (another build id, so other hashed assets and sw.js).
    await buildWebApp(ctx.dist, 'v2')
    await page.reload()
    await page.waitForSelector('[data-testid=update-available]', { timeout: 60_000 })
    expect(await page.getAttribute('html', 'data-build')).toBe('v1')

    // An action made offline waits in the outbox.
    await context.setOffline(true)
    await openCase(page, c.id)
    await act(page, 'accept')
    await expect.poll(() => pendingCount(page), { timeout: 30_000 }).toBe(1)

    // With an action still pending the member is asked first; saying no keeps this version.
    await page.click('[data-testid=update-available]')
    expect(dialogs.at(-1)).toContain('待同步')
    expect(await skipWaitingSent()).toBe(0)
    expect(await page.getAttribute('html', 'data-build')).toBe('v1')
    await page.waitForSelector('[data-testid=update-available]')

    // Saying yes switches to the new version; the outbox survives the reload and is sent once back online.
    acceptDialog = true
    await page.click('[data-testid=update-available]')
    await page.waitForFunction(() => document.documentElement.dataset.build === 'v2', undefined, { timeout: 60_000 })
    await page.waitForSelector('[data-testid=sync-state]')
    await context.setOffline(false)
    await page.click('[data-testid=sync-state]')
    await expect.poll(async () => (await ctx.api.opEvents(c.id)).map((e) => e.type), { timeout: 60_000 }).toEqual(['accepted'])
    await context.close()
  }, 180_000)
})

import { and, count, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { Activity, MemberLedgerReport } from '@mashangjian/shared'
import { activity, activityPhoto } from '../../api/src/db/schema'
import { browserMissing } from '../../api/test/support/browser'
import { jpegWithGps } from '../../api/test/support/images'
import { openAdminPage, signInAsAdmin } from './support/admin-browser'
import { newPhone, openInApp, pendingCount, signInAsMember, waitUntilSynced, withMemberApp } from './support/member-browser'

// issue 15: a member logs an activity with a photo with the network off; it reaches the server exactly once, and
// counts in the ledger only after the station confirms it.
describe.skipIf(browserMissing)('member app, 我的履职 offline', () => {
  const ctx = withMemberApp('e2e-activities')

  it('logged offline with a photo, a reload and a flapping network: stored once; counted once confirmed', async () => {
    const place = `东城社区活动室 ${Date.now()}`
    const rows = async () => (await ctx.api.db.select({ n: count() }).from(activity).where(eq(activity.place, place)))[0]!.n
    const station = await ctx.api.signIn('station')
    const wang = await ctx.api.signIn('wangjianguo')
    const memberId = (await ctx.api.app.inject({ url: '/api/v1/me', headers: wang.headers })).json<{ memberId: string }>().memberId
    const ledger = async () => {
      const res = await ctx.api.app.inject({ url: `/api/v1/members/${memberId}/ledger`, headers: station.headers })
      expect(res.statusCode, res.body).toBe(200)
      return res.json<MemberLedgerReport>().counts.research
    }
    const researchBefore = await ledger()

    const context = await newPhone(ctx.browser)
    const page = await context.newPage()
    await signInAsMember(page, ctx.api.url, 'wangjianguo')
    await openInApp(page, '/app/activities')
    await page.waitForSelector('[data-testid=activity-form]')
    // The narrowest phones: the form fits 320 px.
    await page.setViewportSize({ width: 320, height: 640 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)

    await context.setOffline(true)
    await page.selectOption('select[name=kind]', 'research')
    await page.fill('input[name=place]', place)
    await page.fill('textarea[name=notes]', '调研老旧小区加装电梯')
    await page.setInputFiles('[data-testid=activity-photo-input]', { name: 'site.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps(640, 480) })
    await page.click('[data-testid=activity-form] button[type=submit]')
    await page.waitForSelector('[data-testid=activity-item][data-status=queued]')
    await expect.poll(() => pendingCount(page), { timeout: 30_000 }).toBe(1)

    // Still offline, the page is opened again: the activity and its photo are still on the phone.
    await page.reload()
    await page.waitForSelector('[data-testid=offline-banner]')
    await openInApp(page, '/app/activities')
    await page.waitForSelector('[data-testid=activity-item][data-status=queued]')
    expect(await rows()).toBe(0)

    // The first send reaches the server but its answer is lost on the way back: the phone must send it again
    // (same opId), and the server must answer with the activity it already has.
    let lostAnswers = 0
    await page.route('**/api/v1/me/activities', async (route) => {
      if (lostAnswers > 0) return route.continue()
      await route.fetch()
      lostAnswers++
      await route.abort('connectionreset')
    })
    // The network flaps while it is sent: every send carries the same opId.
    for (const offline of [false, true, false, true]) {
      await context.setOffline(offline)
      if (!offline) await page.click('[data-testid=sync-state]').catch(() => undefined)
    }
    await context.setOffline(false)
    await waitUntilSynced(page, 60_000, async () => (await rows()) === 1)
    expect(await rows()).toBe(1)
    expect(lostAnswers).toBe(1)
    await expect.poll(() => page.locator('[data-testid=activity-item][data-status=pending]').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(1)
    await expect.poll(() => page.locator('[data-testid=activity-item][data-status=queued]').count(), { timeout: 30_000 }).toBe(0)

    const [row] = await ctx.api.db.select().from(activity).where(eq(activity.place, place))
    expect(row).toMatchObject({ status: 'pending', source: 'member', kind: 'research', memberId })
    expect((await ctx.api.db.select({ n: count() }).from(activityPhoto).where(eq(activityPhoto.activityId, row!.id)))[0]!.n).toBe(1)
    // Pending: not counted.
    expect(await ledger()).toBe(researchBefore)

    const confirm = await ctx.api.app.inject({
      method: 'POST',
      url: `/api/v1/activities/${row!.id}/review`,
      headers: station.headers,
      payload: { decision: 'confirm' },
    })
    expect(confirm.statusCode, confirm.body).toBe(200)
    expect(confirm.json<Activity>().status).toBe('confirmed')
    expect(await ledger()).toBe(researchBefore + 1)
    expect(
      (
        await ctx.api.db
          .select({ n: count() })
          .from(activity)
          .where(and(eq(activity.place, place), eq(activity.status, 'confirmed')))
      )[0]!.n,
    ).toBe(1)
    await context.close()
  }, 180_000)

  it('the station admin confirms a pending activity in the console; the ledger then counts it', async () => {
    // The demo's pending one: 王建国's reception day, logged from the phone.
    const [demo] = await ctx.api.db
      .select()
      .from(activity)
      .where(and(eq(activity.kind, 'reception_day'), eq(activity.status, 'pending')))
    expect(demo).toBeDefined()
    const station = await ctx.api.signIn('station')
    const count = async () =>
      (await ctx.api.app.inject({ url: `/api/v1/members/${demo!.memberId}/ledger`, headers: station.headers })).json<MemberLedgerReport>().counts.receptionDays
    const before = await count()
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'station')
    await openAdminPage(page, 'activities', 'activity-review-page')
    const item = page.locator(`[data-testid=activity-review-item][data-activity-id="${demo!.id}"]`)
    await item.waitFor()
    await item.locator('[data-testid=activity-confirm]').click()
    await item.waitFor({ state: 'detached' })
    const [after] = await ctx.api.db.select().from(activity).where(eq(activity.id, demo!.id))
    expect(after!.status).toBe('confirmed')
    expect(await count()).toBe(before + 1)
    await context.close()
  }, 120_000)
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChannelView, DepartmentFigures, DepartmentView } from '@mashangjian/shared'
import { browserMissing } from '../../api/test/support/browser'
import { startFakeProviders, type FakeProviders } from '../../api/test/support/fake-providers'
import { jpegWithGps } from '../../api/test/support/images'
import { signInAsAdmin } from './support/admin-browser'
import { act, newPhone, openCase, signInAsMember, waitUntilSynced, withMemberApp } from './support/member-browser'

/**
 * Issue 14's acceptance, end to end in Debian's chromium against the real API on a real database: a resident's case
 * → the member hands it off offline and syncs → the department's link, as the notifier delivered it to the
 * department's group robot, opened with JavaScript off → 签收 and an answer with a photo → the member sees the
 * answer, relays it and resolves → the resident's tracking page shows the relayed answer → the dashboard's
 * department figures count it.
 */
describe.skipIf(browserMissing)('交办 end to end', { timeout: 240_000 }, () => {
  const ctx = withMemberApp('e2e-handoff-loop')
  let fakes: FakeProviders
  beforeAll(async () => {
    fakes = await startFakeProviders()
  })
  afterAll(() => fakes?.close())

  it('resident → member (offline hand-off) → department (no JavaScript) → member relays and resolves → resident → dashboard', async () => {
    // The committee's admin sets the department up with its work group's robot (the fake 企业微信 robot on loopback).
    const admin = await ctx.api.signIn('committee')
    const robot = await ctx.api.app.inject({
      method: 'POST',
      url: '/api/v1/notification-channels',
      headers: admin.headers,
      payload: { name: '住建局工作群', settings: fakes.wecom.settings, credentials: fakes.wecom.credentials },
    })
    expect(robot.statusCode, robot.body).toBe(201)
    const dep = await ctx.api.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: admin.headers,
      payload: { name: '县城市管理局', kind: 'bureau', contactName: '李科长', robotChannelId: robot.json<ChannelView>().id },
    })
    expect(dep.statusCode, dep.body).toBe(201)
    const department = dep.json<DepartmentView>()

    // The resident's description carries a phone and an ID number: the department must see neither in clear.
    const c = await ctx.api.newCase('王建国', '东关路下水井盖缺失，联系人张女士13500135000，身份证620102198805061234，请尽快处理')

    // The member accepts, then, offline, hands the question to the department; back online it syncs.
    const phone = await newPhone(ctx.browser)
    const page = await phone.newPage()
    await signInAsMember(page, ctx.api.url, 'wangjianguo')
    await page.waitForSelector(`[data-case-id="${c.id}"]`)
    await openCase(page, c.id)
    await act(page, 'accept')
    await waitUntilSynced(page, 60_000, async () => (await ctx.api.opEvents(c.id)).some((e) => e.type === 'accepted'))
    // Read the departments once online (kept with the case for offline use), then lose the network.
    await page.click('[data-testid=action-handoff]')
    await page.locator('[data-testid=dest-department]', { hasText: '县城市管理局' }).waitFor()
    await page.keyboard.press('Escape')
    await page.waitForSelector('[data-testid=sheet-handoff]', { state: 'detached' })
    await phone.setOffline(true)
    await act(page, 'handoff', async (p) => {
      await p.locator('[data-testid=dest-department]', { hasText: '县城市管理局' }).click()
      await p.fill('#question', '请城管局核实东关路井盖缺失情况并尽快补装')
    })
    await page.waitForSelector('[data-testid=handoff-pending]')
    await phone.setOffline(false)
    await waitUntilSynced(page, 60_000, async () => (await ctx.api.opEvents(c.id)).some((e) => e.type === 'handed_off'))
    expect((await ctx.api.opEvents(c.id)).map((e) => e.type)).toEqual(['accepted', 'handed_off'])

    // The department's link, from the message the notifier posted to its group robot.
    await expect.poll(() => fakes.wecom.received.length, { timeout: 60_000 }).toBeGreaterThan(0)
    const message = fakes.wecom.received.map((m) => m.content).find((text) => text.includes('县城市管理局'))!
    const path = /\/d\/[A-Za-z0-9_-]{32}/.exec(message)?.[0]
    expect(path, message).toBeDefined()

    // The department, on a phone with JavaScript off: sees the question with the numbers masked, 签收, answers with a photo.
    const office = await ctx.browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 }, locale: 'zh-CN' })
    const desk = await office.newPage()
    await desk.goto(`${ctx.api.url}${path}`)
    const shown = await desk.textContent('main')
    expect(shown).toContain('请城管局核实东关路井盖缺失情况并尽快补装')
    expect(shown).not.toContain('13500135000')
    expect(shown).not.toContain('620102198805061234')
    expect(shown).toContain('135****5000')
    await desk.click('button:has-text("签收")')
    await desk.waitForURL(/done=acknowledged/)
    const answer = '已派人核查，东关路缺失井盖已于今日补装完毕，并增设警示标识。'
    await desk.fill('textarea[name=answer]', answer)
    await desk.fill('input[name=responderName]', '李科长')
    await desk.setInputFiles('input[name=photo1]', { name: 'done.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps(800, 600) })
    await desk.click('button:has-text("提交答复")')
    await desk.waitForURL(/done=answered/)
    await office.close()

    // The member sees the answer on the case, relays it as the public reply (edited a little) and resolves.
    const card = page.locator('[data-testid=handoff][data-status=answered]')
    await expect
      .poll(
        async () => {
          if ((await card.count()) === 0) await page.click('[data-testid=sync-state]').catch(() => undefined)
          return card.count()
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(1)
    expect(await card.locator('[data-testid=handoff-answer]').textContent()).toBe(answer)
    await expect.poll(() => card.locator('[data-testid=handoff-photo]').count(), { timeout: 30_000 }).toBe(1)
    await card.locator('[data-testid=handoff-relay]').click()
    await page.waitForSelector('[data-testid=sheet-resolve]')
    expect(await page.inputValue('#reply')).toBe(answer)
    const relayed = `${answer}感谢您的反映。`
    await page.fill('#reply', relayed)
    await page.click('[data-testid=sheet-submit]')
    await page.waitForSelector('[data-testid=sheet-resolve]', { state: 'detached' })
    await waitUntilSynced(page, 60_000, async () => (await ctx.api.opEvents(c.id)).some((e) => e.type === 'resolved'))
    await expect.poll(() => page.getAttribute('[data-testid=case-page]', 'data-status'), { timeout: 30_000 }).toBe('resolved')
    await phone.close()

    // The resident's tracking page (JavaScript off too) shows the relayed answer, never the department's own words alone.
    const resident = await ctx.browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' })
    const tracking = await resident.newPage()
    await tracking.goto(`${ctx.api.url}/t/${c.trackingSecret}`)
    expect(await tracking.textContent('main')).toContain(relayed)
    await resident.close()

    // The dashboard's department figures count it: one hand-off, answered on time, and the ranking shows it.
    const { committeeId } = (await admin.get('/api/v1/me')).json<{ committeeId: string }>()
    const figures = (await admin.get(`/api/v1/dashboard/departments?scope=committee&id=${committeeId}`)).json<DepartmentFigures>()
    const row = figures.items.find((d) => d.departmentId === department.id)
    expect(row, JSON.stringify(figures.items)).toMatchObject({
      counts: { handoffs: 1, answered: 1, answeredOnTime: 1, returned: 0 },
      rates: { onTimeRate: 1 },
      rank: 1,
    })
    expect(row!.medianAckMinutes).not.toBeNull()
    const { context, page: dashboard } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee')
    const ranked = dashboard.locator('[data-testid=department-row]', { hasText: '县城市管理局' })
    await ranked.waitFor()
    expect(await ranked.textContent()).toContain('100.0%')
    await context.close()
  })
})

import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { CaseDestinations, CommitteeSettingsView, DepartmentView } from '@mashangjian/shared'
import { browserMissing } from '../../api/test/support/browser'
import { LAPTOP, openAdminPage, signInAsAdmin } from './support/admin-browser'
import { withMemberApp } from './support/member-browser'
import { expectNoSeriousAxeViolations, expectPhoneFriendly } from './support/page-checks'

/** A day (YYYY-MM-DD) in China Standard Time, as the date input takes it. */
const cstDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10)

// 交办 at the station desk (issue 14) in Debian's chromium against the real API on the seeded demo county: the desk
// hands a case to a department from the case page, issues a new link (shown once, copied), revokes it and withdraws
// the hand-off; the committee's hand-off settings survive saving the deadlines; the screens at 320 px.
describe.skipIf(browserMissing)('station desk: 交办', { timeout: 180_000 }, () => {
  const ctx = withMemberApp('handoff-desk-e2e')

  async function department(name: string): Promise<DepartmentView> {
    const committee = await ctx.api.signIn('committee')
    const res = await ctx.api.app.inject({ method: 'POST', url: '/api/v1/departments', headers: committee.headers, payload: { kind: 'bureau', name } })
    expect(res.statusCode, res.body).toBe(201)
    return res.json<DepartmentView>()
  }
  async function deskAdmin(width?: number) {
    const options = width ? { ...LAPTOP, viewport: { width, height: 720 } } : LAPTOP
    const signedIn = await signInAsAdmin(ctx.browser, ctx.api.url, 'station', options)
    signedIn.context.setDefaultTimeout(60_000)
    await signedIn.page.waitForSelector('[data-testid=cases-page]')
    return signedIn
  }
  const openDeskCase = (page: Page, id: string) => openAdminPage(page, `cases/${id}`, 'desk-case')

  it('the desk hands a case to a department, issues a new link shown once, revokes it and withdraws the hand-off', async () => {
    const dep = await department('县市场监管局')
    const c = await ctx.api.newCase('王建国', '菜市场的电子秤不准，缺斤短两')
    const station = await ctx.api.signIn('station')
    const dest = (await station.get(`/api/v1/cases/${c.id}/destinations`)).json<CaseDestinations>()
    expect(dest.departments?.map((d) => d.id)).toContain(dep.id)

    const { context, page } = await deskAdmin()
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ctx.api.url })
    await openDeskCase(page, c.id)
    await page.click('[data-testid=desk-action-handoff]')
    await page.waitForSelector('[data-testid=desk-sheet-handoff]')
    await expect.poll(() => page.locator('#desk-handoff-department option').allTextContents()).toContain('县市场监管局（局/委/办）')
    await expect.poll(() => page.inputValue('#desk-handoff-due')).toBe(cstDay(dest.handoffDueAt!))
    // Nothing chosen: the sheet says so and sends nothing.
    await page.click('[data-testid=desk-sheet-submit]')
    await page.waitForSelector('[data-testid=sheet-invalid]')
    await page.selectOption('#desk-handoff-department', dep.id)
    await page.fill('#desk-handoff-question', '请市场监管局抽检菜市场电子秤并告知处理结果')
    const day = cstDay(new Date(Date.parse(dest.handoffDueAt!) + 86_400_000).toISOString())
    await page.fill('#desk-handoff-due', day)
    await page.click('[data-testid=desk-sheet-submit]')
    await page.waitForSelector('[data-testid=desk-sheet-handoff]', { state: 'detached' })
    await page.waitForSelector('[data-testid=toast]')

    const item = page.locator(`[data-testid=desk-handoff]`)
    await item.waitFor()
    expect(await item.getAttribute('data-status')).toBe('sent')
    expect(await item.locator('[data-testid=desk-handoff-status]').textContent()).toBe('已发送')
    expect(await item.locator('[data-testid=desk-handoff-question]').textContent()).toBe('请市场监管局抽检菜市场电子秤并告知处理结果')
    expect(await page.textContent('[data-testid=desk-awaiting-department]')).toBe('等待部门答复')
    expect(await page.locator('[data-testid=desk-event][data-type=handed_off]').count()).toBe(1)
    const handoff = (await station.detail(c.id)).handoffs![0]!
    expect(handoff).toMatchObject({ departmentId: dep.id, status: 'sent', dueAt: new Date(`${day}T18:00:00+08:00`).toISOString(), linkRevoked: false })

    // 生成新链接: the URL is shown once, with a copy button.
    const issued = page.waitForResponse((r) => r.url().endsWith(`/api/v1/handoffs/${handoff.id}/link`) && r.request().method() === 'POST')
    await item.locator('[data-testid=desk-handoff-new-link]').click()
    expect((await issued).status()).toBe(200)
    const url = (await item.locator('[data-testid=desk-handoff-url]').textContent())!
    expect(url).toMatch(/^https?:\/\//)
    await item.locator('[data-testid=desk-handoff-copy]').click()
    await item.locator('text=已复制').waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url)
    await expectNoSeriousAxeViolations(page, 'case page with a new hand-off link')
    // Gone when the page is opened again: the API does not tell it twice.
    await openAdminPage(page, 'cases', 'cases-page')
    await openDeskCase(page, c.id)
    await item.waitFor()
    expect(await item.locator('[data-testid=desk-handoff-url]').count()).toBe(0)

    // 作废链接 (asks first).
    await item.locator('[data-testid=desk-handoff-revoke]').click()
    await item.locator('[data-testid=desk-handoff-revoke-confirm]').click()
    await item.locator('[data-testid=desk-handoff-revoked]').waitFor()
    expect((await station.detail(c.id)).handoffs![0]!.linkRevoked).toBe(true)

    // 撤回 (asks first): the case no longer waits for the department.
    await item.locator('[data-testid=desk-handoff-withdraw]').click()
    await item.locator('[data-testid=desk-handoff-withdraw-confirm]').click()
    await expect.poll(() => item.getAttribute('data-status')).toBe('withdrawn')
    expect(await item.locator('[data-testid=desk-handoff-status]').textContent()).toBe('已撤回')
    expect(await item.locator('[data-testid=desk-handoff-new-link]').count()).toBe(0)
    expect(await page.locator('[data-testid=desk-awaiting-department]').count()).toBe(0)
    expect(await page.locator('[data-testid=desk-event][data-type=handoff_withdrawn]').count()).toBe(1)
    await context.close()
  })

  it('the hand-off settings are saved, and saving the deadlines again keeps them', async () => {
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee', LAPTOP)
    context.setDefaultTimeout(60_000)
    await openAdminPage(page, 'settings', 'settings-page')
    await page.waitForSelector('[data-testid=handoff-settings]')
    expect(await page.getAttribute('#handoff-reply-days', 'placeholder')).toBe('5')
    await page.fill('#handoff-reply-days', '3')
    await page.check('[data-testid=handoff-pause]')
    await page.click('[data-testid=deadlines-save]')
    await page.waitForSelector('[data-testid=toast]')
    const committee = await ctx.api.signIn('committee')
    const me = (await committee.get('/api/v1/me')).json<{ committeeId: string }>()
    const read = async () => (await committee.get(`/api/v1/committees/${me.committeeId}/settings`)).json<CommitteeSettingsView>()
    await expect.poll(async () => (await read()).effective.handoff).toEqual({ replyDays: 3, pauseResolveClock: true })

    // Only a deadline changed: the hand-off settings go with the PUT and stay as they are.
    await page.waitForSelector('[data-testid=deadlines-form]')
    await page.fill('#auto-close', '9')
    await page.click('[data-testid=deadlines-save]')
    await expect.poll(async () => (await read()).overrides.autoCloseDays).toBe(9)
    expect((await read()).effective.handoff).toEqual({ replyDays: 3, pauseResolveClock: true })
    expect(await page.inputValue('#handoff-reply-days')).toBe('3')
    expect(await page.isChecked('[data-testid=handoff-pause]')).toBe(true)
    await context.close()
  })

  it('the new screens fit 320 px: one heading, labelled controls, no serious axe violation', async () => {
    const dep = await department('县交通运输局')
    const c = await ctx.api.newCase('王建国', '公交车站牌上的线路信息过时了')
    const station = await ctx.api.signIn('station')
    await station.ok(c.id, { type: 'handoff', departmentId: dep.id, question: '请交通运输局更新站牌上的线路信息' })
    const { context, page } = await deskAdmin(320)
    await openDeskCase(page, c.id)
    await page.waitForSelector('[data-testid=desk-handoff]')
    await page.click('[data-testid=desk-handoff-new-link]')
    await page.waitForSelector('[data-testid=desk-handoff-url]')
    await expectPhoneFriendly(page, 'case page with a hand-off and its new link')
    await expectNoSeriousAxeViolations(page, 'case page with a hand-off and its new link')
    await page.click('[data-testid=desk-action-handoff]')
    await page.waitForSelector('#desk-handoff-department option >> nth=1', { state: 'attached' })
    await expectPhoneFriendly(page, 'case page with the handoff sheet')
    await expectNoSeriousAxeViolations(page, 'case page with the handoff sheet')
    await page.keyboard.press('Escape')
    await context.close()

    const admin = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee', { ...LAPTOP, viewport: { width: 320, height: 720 } })
    admin.context.setDefaultTimeout(60_000)
    await openAdminPage(admin.page, 'settings', 'settings-page')
    await admin.page.waitForSelector('[data-testid=handoff-settings]')
    await expectPhoneFriendly(admin.page, 'settings with the hand-off settings')
    await expectNoSeriousAxeViolations(admin.page, 'settings with the hand-off settings')
    await admin.context.close()
  })
})

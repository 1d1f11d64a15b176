import { describe, expect, it } from 'vitest'
import type { CaseDestinations, DepartmentView, HandoffLinkResult } from '@mashangjian/shared'
import { browserMissing } from '../../api/test/support/browser'
import { expectNoSeriousAxeViolations } from './support/page-checks'
import { newPhone, openCase, openInApp, pendingCount, signInAsMember, waitUntilSynced, withMemberApp } from './support/member-browser'

/** A day (YYYY-MM-DD) in China Standard Time, as the date input takes it. */
const cstDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10)

// 交办 (issue 14) in the member app, in Debian's chromium against the real API on a real database: the member hands
// a case to a department while offline (the department list kept with the case), it lands once back online, and the
// case and the inbox say it waits for the department; the screens at 320 px.
describe.skipIf(browserMissing)('member app: 交办 to a department', { timeout: 180_000 }, () => {
  const ctx = withMemberApp('e2e-handoff')

  /** A department of the demo county (the committee admin adds it, as on the 职能部门 page). */
  async function department(name: string): Promise<DepartmentView> {
    const committee = await ctx.api.signIn('committee')
    const res = await ctx.api.app.inject({ method: 'POST', url: '/api/v1/departments', headers: committee.headers, payload: { kind: 'bureau', name } })
    expect(res.statusCode, res.body).toBe(201)
    return res.json<DepartmentView>()
  }

  it('hands a case to a department offline; back online it lands once and the case waits for the department', async () => {
    const dep = await department('县住建局')
    const c = await ctx.api.newCase('王建国', '小区二次供水水箱多年没清洗，水有异味')
    const wang = await ctx.api.signIn('wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    const dest = (await wang.get(`/api/v1/cases/${c.id}/destinations`)).json<CaseDestinations>()
    expect(dest.departments?.map((d) => d.name)).toContain('县住建局')

    const context = await newPhone(ctx.browser, { viewport: { width: 320, height: 640 } })
    const page = await context.newPage()
    await signInAsMember(page, ctx.api.url, 'wangjianguo')
    // Accepted: under 办理中.
    await page.click('[data-testid=tab-open]')
    await page.waitForSelector(`[data-case-id="${c.id}"]`)
    await openCase(page, c.id)
    await page.waitForSelector('[data-testid=timeline-event]')
    expect(await page.locator('[data-testid=awaiting-department]').count()).toBe(0)

    // Online the sheet reads the departments fresh (and keeps them with the case).
    await page.click('[data-testid=action-handoff]')
    await page.waitForSelector('[data-testid=sheet-handoff]')
    await page.locator('[data-testid=dest-department]', { hasText: '县住建局' }).waitFor()
    expect(await page.locator('[data-testid=handoff-offline]').count()).toBe(0)
    await page.keyboard.press('Escape')
    await page.waitForSelector('[data-testid=sheet-handoff]', { state: 'detached' })

    await context.setOffline(true)
    await page.click('[data-testid=action-handoff]')
    await page.waitForSelector('[data-testid=handoff-offline]')
    // The reply-by day defaults to the committee's reply time, as the server worked it out when the list was read.
    await expect.poll(() => page.inputValue('#dueAt')).toBe(cstDay(dest.handoffDueAt!))
    // Without a department or a question the sheet says what is missing and queues nothing.
    await page.click('[data-testid=sheet-submit]')
    await page.waitForSelector('[data-testid=field-error-department]')
    await page.locator('[data-testid=dest-department]', { hasText: '县住建局' }).click()
    await page.fill('#question', '短')
    await page.click('[data-testid=sheet-submit]')
    await page.waitForSelector('[data-testid=field-error-question]')
    expect(await pendingCount(page)).toBe(0)
    await page.fill('#question', '请住建局核实该小区二次供水水箱的清洗记录，并告知清洗安排')
    // A later day than the default: 18:00 Beijing time on it is what goes to the server.
    const day = cstDay(new Date(Date.parse(dest.handoffDueAt!) + 2 * 86_400_000).toISOString())
    await page.fill('#dueAt', day)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    await expectNoSeriousAxeViolations(page, 'handoff sheet', '.sheet')
    await page.click('[data-testid=sheet-submit]')
    await page.waitForSelector('[data-testid=sheet-handoff]', { state: 'detached' })
    await expect.poll(() => pendingCount(page), { timeout: 30_000 }).toBe(1)
    // Shown at once, before the server has it: in progress, waiting for the department, the hand-off waiting to sync.
    await expect.poll(() => page.getAttribute('[data-testid=case-page]', 'data-status'), { timeout: 30_000 }).toBe('in_progress')
    await page.waitForSelector('[data-testid=case-page] [data-testid=awaiting-department]')
    await page.waitForSelector('[data-testid=handoff-pending]')
    expect(await ctx.api.opEvents(c.id)).toHaveLength(1) // the accept only

    await context.setOffline(false)
    await waitUntilSynced(page, 60_000, async () => (await ctx.api.opEvents(c.id)).some((e) => e.type === 'handed_off'))
    expect((await ctx.api.opEvents(c.id)).map((e) => e.type)).toEqual(['accepted', 'handed_off'])
    const server = await wang.detail(c.id)
    expect(server.awaitingDepartment).toBe(true)
    expect(server.handoffs).toHaveLength(1)
    expect(server.handoffs![0]).toMatchObject({
      departmentId: dep.id,
      departmentName: '县住建局',
      status: 'sent',
      question: '请住建局核实该小区二次供水水箱的清洗记录，并告知清洗安排',
      dueAt: new Date(`${day}T18:00:00+08:00`).toISOString(),
    })

    // The case page, from the server now: the hand-off with its status and deadline, and the badge.
    const card = page.locator('[data-testid=handoff]')
    await card.waitFor({ timeout: 60_000 })
    expect(await card.getAttribute('data-status')).toBe('sent')
    expect(await card.locator('[data-testid=handoff-status]').textContent()).toBe('已发送')
    expect(await page.locator('[data-testid=handoff-pending]').count()).toBe(0)
    expect(await page.textContent('[data-testid=case-page] [data-testid=awaiting-department]')).toBe('等待部门答复')
    expect(await page.locator('[data-testid=timeline-event][data-type=handed_off]').count()).toBe(1)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    expect(await page.locator('h1').count()).toBe(1)
    await expectNoSeriousAxeViolations(page, 'case page with a hand-off')

    // The inbox row says so too.
    await openInApp(page, '/app/?tab=open')
    const row = page.locator(`[data-case-id="${c.id}"]`)
    await row.waitFor()
    expect(await row.locator('[data-testid=awaiting-department]').textContent()).toBe('等待部门答复')
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    await expectNoSeriousAxeViolations(page, 'inbox with a case awaiting a department')
    await context.close()
  })

  it('the department answers through its link; the member relays the answer (edited) to the resident and resolves', async () => {
    const c = await ctx.api.newCase('王建国', '小区路灯线路老化，晚上经常断电')
    const wang = await ctx.api.signIn('wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    // One of the demo county's departments.
    const dep = (await wang.get(`/api/v1/cases/${c.id}/destinations`)).json<CaseDestinations>().departments!.find((d) => d.name === '县自来水公司')!
    await wang.ok(c.id, { type: 'handoff', departmentId: dep.id, question: '请供电公司检查小区路灯线路并安排更换' })
    const handoffId = (await wang.detail(c.id)).handoffs![0]!.id
    // The case's member may issue the link (the old one stops working); the department answers on its page.
    const link = await ctx.api.app.inject({ method: 'POST', url: `/api/v1/handoffs/${handoffId}/link`, headers: wang.headers, payload: {} })
    expect(link.statusCode, link.body).toBe(200)
    const path = new URL(link.json<HandoffLinkResult>().url).pathname
    const answered = await ctx.api.app.inject({
      method: 'POST',
      url: `${path}/answer`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ answer: '已安排施工队本周五更换老化线路，预计停电两小时', responderName: '李工' }).toString(),
    })
    expect(answered.statusCode, answered.body).toBe(303)

    const context = await newPhone(ctx.browser, { viewport: { width: 320, height: 640 } })
    const page = await context.newPage()
    await signInAsMember(page, ctx.api.url, 'wangjianguo')
    await openCase(page, c.id)
    const card = page.locator('[data-testid=handoff][data-status=answered]')
    await card.waitFor()
    expect(await card.locator('[data-testid=handoff-status]').textContent()).toBe('已答复')
    expect(await card.locator('[data-testid=handoff-answer]').textContent()).toBe('已安排施工队本周五更换老化线路，预计停电两小时')
    expect(await page.locator('[data-testid=case-page] [data-testid=awaiting-department]').count()).toBe(0)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    await expectNoSeriousAxeViolations(page, 'case page with an answered hand-off')

    await card.locator('[data-testid=handoff-relay]').click()
    await page.waitForSelector('[data-testid=sheet-resolve]')
    expect(await page.inputValue('#reply')).toBe('已安排施工队本周五更换老化线路，预计停电两小时')
    await page.fill('#reply', '经联系县供电公司：已安排施工队本周五更换老化线路，预计停电两小时')
    await page.click('[data-testid=sheet-submit]')
    await page.waitForSelector('[data-testid=sheet-resolve]', { state: 'detached' })
    await waitUntilSynced(page, 60_000, async () => (await ctx.api.opEvents(c.id)).some((e) => e.type === 'resolved'))
    const resolved = (await ctx.api.opEvents(c.id)).find((e) => e.type === 'resolved')!
    expect(resolved.body).toBe('经联系县供电公司：已安排施工队本周五更换老化线路，预计停电两小时')
    expect((await wang.detail(c.id)).status).toBe('resolved')
    await context.close()
  })

  it('an open hand-off is withdrawn from the case page (queued like any action); the case no longer waits', async () => {
    const dep = await department('县水务局')
    const c = await ctx.api.newCase('王建国', '村里的自来水管冬天冻裂，三户人家停水')
    const wang = await ctx.api.signIn('wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    await wang.ok(c.id, { type: 'handoff', departmentId: dep.id, question: '请水务局安排抢修冻裂的自来水管' })

    const context = await newPhone(ctx.browser)
    const page = await context.newPage()
    await signInAsMember(page, ctx.api.url, 'wangjianguo')
    await openCase(page, c.id)
    const card = page.locator('[data-testid=handoff][data-status=sent]')
    await card.waitFor()
    await card.locator('[data-testid=handoff-withdraw]').click()
    await card.locator('[data-testid=handoff-withdraw-confirm]').click()
    await waitUntilSynced(page, 60_000, async () => (await ctx.api.opEvents(c.id)).some((e) => e.type === 'handoff_withdrawn'))
    const server = await wang.detail(c.id)
    expect(server.handoffs![0]!.status).toBe('withdrawn')
    expect(server.awaitingDepartment ?? false).toBe(false)
    await page.locator('[data-testid=handoff][data-status=withdrawn]').waitFor({ timeout: 60_000 })
    expect(await page.textContent('[data-testid=handoff] [data-testid=handoff-status]')).toBe('已撤回')
    await expect.poll(() => page.locator('[data-testid=case-page] [data-testid=awaiting-department]').count(), { timeout: 30_000 }).toBe(0)
    await context.close()
  })
})

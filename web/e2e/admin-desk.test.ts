import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { formatDate, type CaseDestinations, type DashboardSummary } from '@mashangjian/shared'
import { browserMissing } from '../../api/test/support/browser'
import { LAPTOP, openAdminPage, signInAsAdmin } from './support/admin-browser'
import { act, newPhone, openCase, signInAsMember, waitUntilSynced, withMemberApp } from './support/member-browser'
import { expectNoSeriousAxeViolations, expectPhoneFriendly } from './support/page-checks'

// The station desk (issue 12) in Debian's chromium against the real API on a freshly seeded database: the queue
// with its reasons, desk actions from the case page, phone intake, 回访, scope, and every new screen at 320 px.
// Each test walks the desk and the member app: room for a loaded machine (two cores shared with chromium).
describe.skipIf(browserMissing)('station desk', { timeout: 180_000 }, () => {
  const ctx = withMemberApp('desk-e2e')

  /** The station admin of 东城街道委员工作站 on a laptop (or at `width`), landed on the desk. */
  async function deskAdmin(width?: number) {
    const options = width ? { ...LAPTOP, viewport: { width, height: 720 } } : LAPTOP
    const signedIn = await signInAsAdmin(ctx.browser, ctx.api.url, 'station', options)
    signedIn.context.setDefaultTimeout(60_000)
    await signedIn.page.waitForSelector('[data-testid=cases-page]')
    return signedIn
  }
  const openDeskCase = (page: Page, id: string) => openAdminPage(page, `cases/${id}`, 'desk-case')
  /** Opens a desk action's sheet, lets `fill` fill it, sends it and waits until the sheet has closed. */
  async function deskAct(page: Page, action: string, fill?: () => Promise<void>) {
    await page.click(`[data-testid=desk-action-${action}]`)
    await page.waitForSelector(`[data-testid=desk-sheet-${action}]`)
    await fill?.()
    await page.click('[data-testid=desk-sheet-submit]')
    await page.waitForSelector(`[data-testid=desk-sheet-${action}]`, { state: 'detached' })
    await page.waitForSelector('[data-testid=toast]')
  }
  // The console writes a moment with its year, in Beijing time: 2026年12月25日 23:59.
  const fmt = (iso: string) => formatDate(iso, 'zh-CN', 'dateTime')

  it("a case a member declined waits in the queue with its reason, is assigned from the desk and reaches that member's inbox", async () => {
    const wang = await ctx.api.signIn('wangjianguo')
    const c = await ctx.api.newCase('王建国', '小区门口的井盖松动，车压过去响声很大')
    await wang.ok(c.id, { type: 'decline', reason: '这件事不在我的界别，请改派' })

    const { context, page } = await deskAdmin()
    // Station admins land on the desk, on the queue.
    expect(new URL(page.url()).pathname).toBe('/app/admin/cases')
    expect(await page.getAttribute('[data-testid=desk-tab-queue]', 'aria-pressed')).toBe('true')
    const row = page.locator(`[data-testid=desk-row][data-case-id="${c.id}"]`)
    await row.waitFor()
    const reason = await row.locator('[data-testid=queue-reason]').textContent()
    expect(reason).toContain('委员退单')
    expect(reason).toContain('这件事不在我的界别，请改派')
    // The console's navigation counts the queue as the API does.
    const station = await ctx.api.signIn('station')
    const queued = (await station.get('/api/v1/me/cases?filter=queue&limit=1')).json<{ counts: Record<string, number> }>().counts.queue!
    expect(queued).toBeGreaterThan(0)
    await expect.poll(() => page.getAttribute('[data-testid=queue-badge]', 'data-count')).toBe(String(queued))
    expect(await page.textContent('[data-testid=desk-count-queue]')).toBe(String(queued))

    await row.click()
    await page.waitForSelector('[data-testid=desk-case]')
    expect(await page.textContent('[data-testid=desk-case] [data-testid=queue-reason]')).toContain('委员退单')
    expect(await page.locator('[data-testid=desk-event][data-type=declined]').count()).toBe(1)
    expect(await page.textContent('[data-testid=desk-routing]')).toBe('群众扫了委员本人的码')

    // The picker shows each member's open load, who is on duty now and their sector, as /destinations says.
    const dest = (await station.get(`/api/v1/cases/${c.id}/destinations`)).json<CaseDestinations>()
    const zhou = dest.members.find((m) => m.name === '周文斌')!
    expect(zhou).toBeTruthy()
    await page.click('[data-testid=desk-action-assign]')
    await page.waitForSelector('[data-testid=desk-sheet-assign]')
    const pick = page.locator('[data-testid=pick-member][data-member-name="周文斌"]')
    await pick.waitFor()
    const line = await pick.textContent()
    expect(line).toContain(`手头 ${zhou.openCases} 件`)
    expect(line).toContain('经济界')
    expect(await page.locator('[data-testid=pick-member] [data-testid=on-duty]').count()).toBe(dest.members.filter((m) => m.onDutyNow).length)
    await pick.click()
    await page.click('[data-testid=desk-sheet-submit]')
    await page.waitForSelector('[data-testid=desk-sheet-assign]', { state: 'detached' })
    await expect.poll(() => page.textContent('[data-testid=desk-member]')).toBe('周文斌')
    expect(await page.locator('[data-testid=desk-case] [data-testid=queue-reason]').count()).toBe(0)
    // Gone from the queue.
    await openAdminPage(page, 'cases?tab=queue', 'cases-page')
    await expect.poll(() => page.textContent('[data-testid=desk-count-queue]')).toBe(String(queued - 1))
    expect(await page.locator(`[data-testid=desk-row][data-case-id="${c.id}"]`).count()).toBe(0)
    await context.close()

    // 周文斌 sees it in 新派单 on his phone.
    const phone = await newPhone(ctx.browser)
    const mp = await phone.newPage()
    await signInAsMember(mp, ctx.api.url, 'zhouwenbin')
    await mp.click('[data-testid=tab-new]')
    await mp.waitForSelector(`[data-testid=case-row][data-case-id="${c.id}"]`)
    await phone.close()
  })

  it('an assignment sent on a stale version shows what changed and is sent again on the case as it is now', async () => {
    const wang = await ctx.api.signIn('wangjianguo')
    const c = await ctx.api.newCase('王建国', '公交站的遮阳棚被风吹坏了')
    await wang.ok(c.id, { type: 'decline', reason: '请派给熟悉交通的委员' })
    const { context, page } = await deskAdmin()
    await openDeskCase(page, c.id)
    await page.click('[data-testid=desk-action-assign]')
    await page.waitForSelector('[data-testid=desk-sheet-assign]')
    const opId = await page.getAttribute('[data-testid=desk-sheet-assign]', 'data-op-id')
    // Meanwhile the committee office gives it to 陈明.
    const committee = await ctx.api.signIn('committee')
    const chen = (await committee.get(`/api/v1/cases/${c.id}/destinations`)).json<CaseDestinations>().members.find((m) => m.name === '陈明')!
    await committee.ok(c.id, { type: 'assign', memberId: chen.id })

    await page.click('[data-testid=pick-member][data-member-name="周文斌"]')
    await page.click('[data-testid=desk-sheet-submit]')
    await page.waitForSelector('[data-testid=desk-conflict]')
    expect(await page.textContent('[data-testid=desk-conflict-now]')).toContain('陈明')
    await page.click('[data-testid=desk-conflict-retry]')
    await page.waitForSelector('[data-testid=desk-sheet-assign]', { state: 'detached' })
    await expect.poll(() => page.textContent('[data-testid=desk-member]')).toBe('周文斌')
    // Redone as a new decision (a new opId), once.
    const detail = await committee.detail(c.id)
    const assigned = detail.events.filter((e) => e.type === 'assigned' && e.actorKind === 'admin')
    expect(assigned.map((e) => e.opId)).not.toContain(opId)
    expect(assigned).toHaveLength(2)
    await context.close()
  })

  it("an extension asked for in the member app is approved on the desk and the member's case shows the new deadline", async () => {
    const wang = await ctx.api.signIn('wangjianguo')
    const c = await ctx.api.newCase('王建国', '楼道里的声控灯坏了，老人晚上下楼看不见')
    await wang.ok(c.id, { type: 'accept' })

    const phone = await newPhone(ctx.browser)
    const mp = await phone.newPage()
    await signInAsMember(mp, ctx.api.url, 'wangjianguo')
    await openCase(mp, c.id)
    const until = new Date(Date.now() + 8 * 3600_000 + 20 * 86_400_000).toISOString().slice(0, 10)
    await act(mp, 'request_extension', async (p) => {
      await p.fill('#reason', '要等物业和供电部门一起来修')
      await p.fill('#until', until)
    })
    await waitUntilSynced(mp)
    const asked = new Date(`${until}T23:59:00+08:00`).toISOString()
    await expect.poll(async () => (await wang.detail(c.id)).extensionRequestedUntil).toBe(asked)

    const { context, page } = await deskAdmin()
    await openDeskCase(page, c.id)
    expect(await page.textContent('[data-testid=desk-extension]')).toBe(fmt(asked))
    await deskAct(page, 'approve_extension', async () => {
      expect(await page.textContent('[data-testid=extension-asked]')).toContain(fmt(asked))
    })
    await expect.poll(() => page.textContent('[data-testid=desk-resolve-due]')).toBe(fmt(asked))
    expect(await page.locator('[data-testid=desk-action-approve_extension]').count()).toBe(0)
    expect(await page.locator('[data-testid=desk-event][data-type=extension_approved]').count()).toBe(1)
    await context.close()

    // The member's case now runs to the new deadline (some 20 days, not the 7 of a general case).
    await expect
      .poll(
        async () => {
          await mp.click('[data-testid=sync-state]').catch(() => undefined)
          const text = (await mp.textContent('[data-testid=case-page] .deadline')) ?? ''
          return Number(text.match(/剩余 (\d+) 天/)?.[1] ?? 0)
        },
        { timeout: 60_000 },
      )
      .toBeGreaterThanOrEqual(15)
    await phone.close()
  })

  it("two similar cases are merged on the desk; both link to each other and the resident's tracking page links to the survivor", async () => {
    const merged = await ctx.api.newCase('王建国', '东风路菜市场门口污水外溢，气味很大')
    const survivor = await ctx.api.newCase('王建国', '东风路菜市场门口下水道冒污水，很臭')
    const { context, page } = await deskAdmin()
    await openDeskCase(page, merged.id)
    await deskAct(page, 'merge', async () => {
      await page.fill('#desk-merge-no', survivor.publicNo)
      await page.click('[data-testid=merge-find]')
      expect(await page.textContent('[data-testid=merge-found]')).toContain(survivor.publicNo)
      await page.fill('#desk-reason', '同一处污水问题，合并办理')
    })
    await expect.poll(() => page.getAttribute('[data-testid=desk-case]', 'data-status')).toBe('merged')
    expect(await page.textContent('[data-testid=merged-into-link]')).toContain(survivor.publicNo)
    await page.click('[data-testid=merged-into-link]')
    await expect.poll(() => page.textContent('[data-testid=desk-case] h2')).toContain(survivor.publicNo)
    expect(await page.textContent('[data-testid=merged-from]')).toContain(merged.publicNo)

    const resident = await ctx.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' })
    resident.setDefaultTimeout(60_000)
    const rp = await resident.newPage()
    await rp.goto(`${ctx.api.url}/t/${merged.trackingSecret}`)
    const link = rp.locator('[data-testid=merged-into]')
    await link.waitFor()
    expect(await link.textContent()).toContain(survivor.publicNo)
    await link.click()
    await expect.poll(() => rp.textContent('body')).toContain(survivor.publicNo)
    await resident.close()
    await context.close()
  })

  it('a phone intake on the desk records a case (phone only with consent) that the chosen member accepts', async () => {
    const { context, page } = await deskAdmin()
    await page.click('[data-testid=intake-open]')
    await page.waitForSelector('[data-testid=intake-form]')
    expect(await page.isChecked('[data-testid=intake-channel-phone]')).toBe(true)
    // No phone without the resident's consent.
    expect(await page.isDisabled('#intake-phone')).toBe(true)
    await expect.poll(() => page.locator('#intake-member option').count()).toBeGreaterThan(1)
    const chen = await page.locator('#intake-member option', { hasText: '陈明' }).getAttribute('value')
    await page.selectOption('#intake-member', chen!)
    await page.fill('#intake-description', '来电反映：人民路 12 号楼下的路灯一直不亮，已经两周了')
    await page.fill('#intake-location', '人民路 12 号')
    await page.check('[data-testid=intake-consent]')
    await page.fill('#intake-phone', '13800138123')
    await page.click('[data-testid=intake-submit]')
    await page.waitForSelector('[data-testid=intake-done]')
    const publicNo = await page.getAttribute('[data-testid=intake-public-no]', 'data-public-no')
    expect(publicNo).toMatch(/^[A-Z0-9]+-\d{4}-\d+$/)
    expect(await page.getAttribute('[data-testid=intake-tracking-url]', 'href')).toMatch(/\/t\/[^/]+$/)
    const id = (await page.getAttribute('[data-testid=intake-done]', 'data-case-id'))!

    await page.click('[data-testid=intake-open-case]')
    await page.waitForSelector('[data-testid=desk-case]')
    expect(await page.textContent('[data-testid=desk-member]')).toBe('陈明')
    expect(await page.textContent('[data-testid=desk-routing]')).toBe('工作人员受理时指定')
    expect(await page.textContent('[data-testid=desk-phone]')).toContain('138****8123')
    expect(await page.textContent('[data-testid=desk-case]')).not.toContain('13800138123')

    const member = await ctx.api.signIn('chenming')
    const accepted = await member.ok(id, { type: 'accept' })
    expect(accepted.case.status).toBe('accepted')
    expect(accepted.case.channel).toBe('phone')
    await context.close()
  })

  it('the workspace pages by cursor (下一页 and back), filters by status and channel, and finds a case by number and by phone', async () => {
    // Enough phone cases at the desk for more than one page of 20.
    const station = await ctx.api.signIn('station')
    const stationId = (await station.get('/api/v1/me')).json<{ stationIds: string[] }>().stationIds[0]!
    for (let i = 0; i < 21; i++) {
      const res = await ctx.api.app.inject({
        method: 'POST',
        url: '/api/v1/cases/intake',
        headers: station.headers,
        payload: { opId: crypto.randomUUID(), channel: 'visit', stationId, description: `来访登记第 ${i + 1} 件：小区垃圾清运不及时`, consent: false },
      })
      expect(res.statusCode, res.body).toBe(201)
    }
    const { context, page } = await deskAdmin()
    await page.click('[data-testid=desk-tab-all]')
    await page.click('.desk-filters summary')
    await page.selectOption('#f-channel', 'visit')
    await expect.poll(() => page.locator('[data-testid=desk-row]').count()).toBe(20)
    const ids = () => page.locator('[data-testid=desk-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-case-id')))
    const first = await ids()
    await page.click('[data-testid=desk-next]')
    await expect.poll(() => page.textContent('.pager')).toContain('第 2 页')
    // The next page follows the cursor: none of the first page's cases again (the old rows show until it loads).
    await expect
      .poll(async () => {
        const shown = await ids()
        return shown.length > 0 && !shown.some((id) => first.includes(id))
      })
      .toBe(true)
    for (const text of await page.locator('[data-testid=desk-row] .cat').allTextContents()) if (text.includes('·')) expect(text).toContain('来访')
    await page.click('[data-testid=desk-prev]')
    await expect.poll(ids).toEqual(first)
    // A status filter narrows the list to that status.
    await page.selectOption('#f-status', 'assigned')
    await expect.poll(async () => [...new Set(await page.locator('[data-testid=desk-row] .status').allTextContents())]).toEqual(['待接单'])
    await page.click('[data-testid=filters-clear]')

    // By number, and by the resident's phone (the page says the search is recorded).
    const c = await ctx.api.newCase('王建国', '路口红绿灯时间太短，老人过不去马路')
    await page.click('.desk-search summary')
    await page.fill('#desk-no', c.publicNo)
    await page.click('[data-testid=search-number]')
    await expect.poll(() => page.locator('[data-testid=desk-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-public-no')))).toEqual([c.publicNo])
    expect(await page.textContent('#desk-phone-hint')).toContain('审计日志')
    const withPhone = await ctx.api.app.inject({
      method: 'POST',
      url: '/api/v1/cases/intake',
      headers: station.headers,
      payload: {
        opId: crypto.randomUUID(),
        channel: 'phone',
        stationId,
        description: '来电：楼顶水箱漏水，顶楼住户家里渗水',
        residentPhone: '13900139456',
        consent: true,
      },
    })
    expect(withPhone.statusCode, withPhone.body).toBe(201)
    await page.fill('#desk-phone', '13900139456')
    await page.click('[data-testid=search-phone]')
    await expect
      .poll(() => page.locator('[data-testid=desk-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-case-id'))))
      .toEqual([withPhone.json<{ case: { id: string } }>().case.id])
    await page.click('[data-testid=search-clear]')
    await page.waitForSelector('[data-testid=desk-tab-all][aria-pressed=true]')
    await context.close()
  })

  it('a 回访 with a rating by phone is counted in 满意率', async () => {
    const chen = await ctx.api.signIn('chenming')
    const c = await ctx.api.newCase('陈明', '社区健身器材的螺丝松了，孩子玩很危险')
    await chen.ok(c.id, { type: 'accept' })
    await chen.ok(c.id, { type: 'resolve', reply: '已请社区维修，螺丝都拧紧了，请您放心' })

    const committee = await ctx.api.signIn('committee')
    const me = (await committee.get('/api/v1/me')).json<{ committeeId: string }>()
    const year = new Date().getFullYear()
    // The figures come from the aggregates the minute job keeps (run here as that job would).
    const figures = async () => {
      for (let n = 1; n > 0;) n = await ctx.api.app.services.metricsAggregator.catchUp()
      const res = await committee.get(`/api/v1/dashboard/summary?scope=committee&id=${me.committeeId}&from=${year}-01-01&to=${year + 1}-01-01`)
      expect(res.statusCode, res.body).toBe(200)
      return res.json<DashboardSummary>().current
    }
    const before = await figures()

    const { context, page } = await deskAdmin()
    await openDeskCase(page, c.id)
    await deskAct(page, 'follow_up', async () => {
      // The caller is the admin, the time is now: only the outcome and the rating to choose.
      expect(await page.inputValue('#desk-caller')).toBe('东城工作站管理员')
      expect(await page.inputValue('#desk-called-at')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)
      await page.check('[data-testid=outcome-reached]')
      await page.selectOption('#desk-rating', 'satisfied')
      await page.fill('#desk-follow-note', '群众说修得很及时')
    })
    await expect.poll(() => page.textContent('[data-testid=desk-rating]')).toContain('满意')
    expect(await page.textContent('[data-testid=desk-rating]')).toContain('回访电话')
    expect(await page.getAttribute('[data-testid=desk-case]', 'data-status')).toBe('closed')
    expect(await page.locator('[data-testid=desk-event][data-type=followed_up]').count()).toBe(1)
    await context.close()

    const after = await expect
      .poll(async () => (await figures()).counts.rated, { timeout: 60_000 })
      .toBe(before.counts.rated + 1)
      .then(figures)
    expect(after.counts.satisfied).toBe(before.counts.satisfied + 1)
    if (before.rates.satisfactionRate !== null && before.rates.satisfactionRate < 1)
      expect(after.rates.satisfactionRate!).toBeGreaterThan(before.rates.satisfactionRate)
    expect((await chen.detail(c.id)).ratingSource).toBe('phone')
  })

  it('every desk screen fits 320 px: one heading, labelled controls, no serious axe violation; the navigation is one row', async () => {
    const wang = await ctx.api.signIn('wangjianguo')
    const c = await ctx.api.newCase('王建国', '人行道上的地砖翘起来了，老人容易绊倒')
    await wang.ok(c.id, { type: 'decline', reason: '请派给负责市政的委员' })
    const { context, page } = await deskAdmin(320)
    // One row of links, scrolling sideways inside itself, with the current page marked.
    const nav = await page.$eval('.admin-nav', (el) => ({
      height: el.getBoundingClientRect().height,
      first: (el.firstElementChild as HTMLElement).getBoundingClientRect().height,
    }))
    expect(nav.height).toBeLessThan(nav.first * 2)
    expect(await page.getAttribute('[data-testid=nav-cases]', 'aria-current')).toBe('page')

    await page.waitForSelector(`[data-testid=desk-row][data-case-id="${c.id}"]`)
    await expectPhoneFriendly(page, 'queue')
    await expectNoSeriousAxeViolations(page, 'queue')

    await page.click('[data-testid=desk-tab-all]')
    await page.waitForSelector('[data-testid=desk-row]')
    await page.click('.desk-filters summary')
    await page.click('.desk-search summary')
    await expectPhoneFriendly(page, 'workspace list with filters and search open')
    await expectNoSeriousAxeViolations(page, 'workspace list')

    await openDeskCase(page, c.id)
    await page.click('[data-testid=desk-action-assign]')
    await page.waitForSelector('[data-testid=pick-member]')
    await expectPhoneFriendly(page, 'case page with the assign sheet')
    await expectNoSeriousAxeViolations(page, 'case page with the assign sheet')
    await page.keyboard.press('Escape')
    await page.waitForSelector('[data-testid=desk-sheet-assign]', { state: 'detached' })
    await page.click('[data-testid=desk-action-mark_invalid]')
    await page.waitForSelector('[data-testid=desk-sheet-mark_invalid]')
    // The reason for 无效 is shown to the resident: the sheet says so.
    expect(await page.textContent('[data-testid=reason-hint]')).toContain('群众')
    await expectPhoneFriendly(page, 'case page with the invalid sheet')
    await page.keyboard.press('Escape')

    await openAdminPage(page, 'cases/new', 'intake-form')
    await expectPhoneFriendly(page, 'intake form')
    await expectNoSeriousAxeViolations(page, 'intake form')
    await context.close()
  })

  it("a station admin opening another station's case sees not-found (the API answers 404)", async () => {
    const other = await ctx.api.newCase('张志强', '南关小学门口早上堵车严重')
    const station = await ctx.api.signIn('station')
    expect((await station.get(`/api/v1/cases/${other.id}`)).statusCode).toBe(404)
    const { context, page } = await deskAdmin()
    await openAdminPage(page, `cases/${other.id}`, 'case-not-found')
    expect(await page.locator('[data-testid=desk-case]').count()).toBe(0)
    // Nor is it found by its number.
    await openAdminPage(page, 'cases?tab=all', 'cases-page')
    await page.click('.desk-search summary')
    await page.fill('#desk-no', other.publicNo)
    await page.click('[data-testid=search-number]')
    await page.waitForSelector('[data-testid=desk-empty]')
    await context.close()
  })
})

import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { browserMissing } from '../../api/test/support/browser'
import { LAPTOP, memberNames, openAdminPage, signInAsAdmin } from './support/admin-browser'
import { PHONE, withMemberApp } from './support/member-browser'

// The admin console's CRUD pages in Debian's chromium against the real API on a freshly seeded database (issue 7).
// Each test walks several pages: more time than vitest's default 30 s, for a loaded CI machine.
describe.skipIf(browserMissing)('admin console: roster, ledger, reports, exports', { timeout: 90_000 }, () => {
  const ctx = withMemberApp('admin-e2e')

  it('a committee admin adds a member: a bad phone is reported under the field, fixed, and the member is listed', async () => {
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee')
    await openAdminPage(page, 'members', 'members-page')
    await page.waitForSelector('[data-testid=member-row]')
    // The whole demo county (12 members) on one page of 20.
    expect(await page.locator('[data-testid=member-row]').count()).toBe(12)

    await page.click('[data-testid=member-new]')
    await page.waitForSelector('[data-testid=member-editor]')
    // Keyboard users land in the form: focus is on its heading.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H3')
    await page.fill('#member-name', '赵测试')
    await page.fill('#member-phone', '1380013')
    await page.getByLabel('东城街道委员工作站').check()
    // The sectors of the committee load with the form.
    await expect.poll(() => page.locator('#member-sector option').count()).toBeGreaterThan(1)
    await page.selectOption('#member-sector', { label: '经济界' })
    await page.fill('#member-title', '社区医生')
    await page.click('[data-testid=member-save]')

    const phoneError = page.locator('[data-testid=field-error-member-phone]')
    await phoneError.waitFor()
    expect(await phoneError.textContent()).toContain('11 位手机号')
    expect(await page.getAttribute('#member-phone', 'aria-invalid')).toBe('true')
    expect(await page.getAttribute('#member-phone', 'aria-describedby')).toContain('member-phone-error')
    // Only the phone was wrong: nothing else is marked, and what was typed is kept.
    expect(await page.locator('.field-error').count()).toBe(1)
    expect(await page.inputValue('#member-name')).toBe('赵测试')
    expect(await page.locator('[data-testid=member-row]').count()).toBe(12)

    await page.fill('#member-phone', '138 0013 8000')
    await page.click('[data-testid=member-save]')
    await page.waitForSelector('[data-testid=toast]')
    expect(await page.textContent('[data-testid=toast]')).toContain('赵测试')
    expect(await page.locator('.field-error').count()).toBe(0)

    // Listed (found by name), with its level, sector, station and the phone masked.
    await page.fill('#member-q', '赵测')
    await expect.poll(() => memberNames(page)).toEqual(['赵测试'])
    const row = page.locator('[data-testid=member-row]').first()
    const text = await row.textContent()
    expect(text).toContain('县级')
    expect(text).toContain('经济界')
    expect(text).toContain('东城街道委员工作站')
    expect(text).toContain('138****8000')
    expect(text).toContain('在任')
    expect(text).not.toContain('13800138000')
    await context.close()
  })

  it('a committee admin uploads a portrait, deactivates a member and cannot delete one with history', async () => {
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee')
    await openAdminPage(page, 'members', 'members-page')
    await page.fill('#member-q', '周文斌')
    await expect.poll(() => memberNames(page)).toEqual(['周文斌'])
    await page.click('[data-testid=member-edit]')
    await page.waitForSelector('[data-testid=member-editor]')

    const png = await readFile(new URL('../public/icons/icon-192.png', import.meta.url))
    await page.setInputFiles('[data-testid=member-photo-file]', { name: 'portrait.png', mimeType: 'image/png', buffer: png })
    await page.click('[data-testid=member-photo-upload]')
    await page.waitForSelector('[data-testid=member-photo]')
    const src = await page.getAttribute('[data-testid=member-photo]', 'src')
    expect(src).toMatch(/^\/api\/v1\/public\/members\/.+\/photo\?v=/)
    // The image the page shows is served (re-encoded as JPEG).
    const res = await page.request.get(`${ctx.api.url}${src}`)
    expect(res.headers()['content-type']).toBe('image/jpeg')

    // Delete is refused for a member with cases, QR codes and an account: the page says to deactivate instead.
    await page.click('[data-testid=member-delete]')
    await page.click('[data-testid=member-delete-confirm]')
    await expect.poll(() => page.locator('.danger-zone [role=alert]').textContent()).toContain('停用')

    await page.click('[data-testid=member-deactivate]')
    await page.click('[data-testid=member-deactivate-confirm]')
    await expect.poll(() => page.textContent('[data-testid=toast]')).toContain('已停用')
    await expect.poll(() => page.locator('[data-testid=member-row] .pill').textContent()).toBe('停用')
    await context.close()
  })

  it('a committee admin opens a station, adds a category named in four languages, and makes a station admin for it', async () => {
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee')
    await openAdminPage(page, 'stations', 'stations-page')
    await page.click('[data-testid=station-new]')
    await page.selectOption('#station-kind', 'post')
    await page.fill('#station-name', '北街委员驿站')
    await page.fill('#station-address', '示范县北街28号')
    await page.fill('#station-hours', '每周三 9:00–12:00')
    await page.fill('#station-lat', '123')
    await page.click('[data-testid=station-save]')
    expect(await page.textContent('[data-testid=field-error-station-lat]')).toContain('不能大于 90')
    await page.fill('#station-lat', '35.5')
    await page.fill('#station-lng', '104.6')
    await page.click('[data-testid=station-save]')
    await expect.poll(() => page.textContent('[data-testid=toast]')).toContain('北街委员驿站')
    await expect.poll(() => page.locator('[data-testid=station-row]', { hasText: '北街委员驿站' }).textContent()).toContain('委员驿站')

    await openAdminPage(page, 'org', 'org-page')
    await page.waitForSelector('[data-testid=category-row]')
    await page.click('[data-testid=category-new]')
    await page.fill('#category-name-en', 'Elderly care')
    await page.click('[data-testid=category-save]')
    await page.waitForSelector('[data-testid=field-error-category-name-zh-CN]')
    await page.fill('#category-name-zh-CN', '养老服务')
    await page.fill('#category-name-ug', 'ياشانغانلار مۇلازىمىتى')
    await page.fill('#category-name-kk-Arab-CN', 'قارتتار قىزمەتى')
    await page.selectOption('#category-sector', { label: '医药卫生界' })
    await page.selectOption('#category-sla', 'complex')
    await page.click('[data-testid=category-save]')
    const category = page.locator('[data-testid=category-row]', { hasText: '养老服务' })
    await category.waitFor()
    expect(await category.textContent()).toContain('医药卫生界')
    expect(await category.textContent()).toContain('复杂')
    expect(await category.locator('[lang=ug]').getAttribute('dir')).toBe('rtl')

    await openAdminPage(page, 'users', 'users-page')
    await page.click('[data-testid=user-new]')
    await page.fill('#user-display', '北街驿站管理员')
    await page.fill('#user-username', 'beijie')
    await page.fill('#user-password', 'short')
    await page.click('[data-testid=user-save]')
    await page.waitForSelector('[data-testid=field-error-user-password]')
    // The schema is checked first, then the rules: a station admin needs a station.
    await page.fill('#user-password', 'beijie-2026')
    await page.click('[data-testid=user-save]')
    await page.waitForSelector('[data-testid=field-error-user-stations]')
    expect(await page.locator('[data-testid=field-error-user-password]').count()).toBe(0)
    await page.getByLabel('北街委员驿站').check()
    await page.click('[data-testid=user-save]')
    await expect.poll(() => page.textContent('[data-testid=toast]')).toContain('beijie')
    await page.fill('#user-q', 'beijie')
    await expect.poll(() => page.locator('[data-testid=user-row]').count()).toBe(1)
    expect(await page.textContent('[data-testid=user-row]')).toContain('北街委员驿站')
    await context.close()

    // The new account signs in and sees its station (and no members yet).
    const other = await ctx.browser.newContext(LAPTOP)
    const p2 = await other.newPage()
    await p2.goto(`${ctx.api.url}/app/`)
    await p2.fill('#username', 'beijie')
    await p2.fill('#password', 'beijie-2026')
    await p2.click('button[type=submit]')
    // A station admin lands on the desk's queue (诉求办理).
    await p2.waitForSelector('[data-testid=cases-page]')
    await openAdminPage(p2, 'stations', 'stations-page')
    await expect.poll(() => p2.locator('[data-testid=station-row]').allTextContents()).toEqual([expect.stringContaining('北街委员驿站')])
    await other.close()
  })

  it('a station admin sees only the members of their own station, and no committee-wide pages', async () => {
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'station', PHONE)
    const nav = await page.locator('.admin-nav a').allTextContents()
    expect(nav).toContain('委员')
    expect(nav).not.toContain('账号')
    expect(nav).not.toContain('委员会设置')

    await openAdminPage(page, 'members', 'members-page')
    await page.waitForSelector('[data-testid=member-row]')
    const names = await memberNames(page)
    // 东城街道委员工作站: 王建国, 李秀兰, 陈明, 黄海燕, 周文斌 (and the member added by the committee in the first test).
    expect(names).toEqual(expect.arrayContaining(['王建国', '李秀兰', '陈明', '黄海燕']))
    for (const other of ['张志强', '刘桂芳', '杨丽娟', '赵永福', '吴晓梅', '马德海', '孙玉珍']) expect(names).not.toContain(other)
    // Searching for another station's member finds nothing.
    await page.fill('#member-q', '张志强')
    await page.waitForSelector('[data-testid=empty]')
    // Only their station to filter by, no delete button for a station admin, and nothing wider than the phone.
    expect(await page.locator('#member-station-filter option').allTextContents()).toEqual(['全部工作站', '东城街道委员工作站'])
    await page.fill('#member-q', '王建国')
    await expect.poll(() => memberNames(page)).toEqual(['王建国'])
    await page.click('[data-testid=member-edit]')
    await page.waitForSelector('[data-testid=member-editor]')
    expect(await page.locator('[data-testid=member-delete]').count()).toBe(0)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)

    // The API agrees: another station's member does not exist for this admin (404, not 403: no existence leak).
    const station = await ctx.api.signIn('station')
    const committee = await ctx.api.signIn('committee')
    const others = (await committee.get('/api/v1/members?q=张志强')).json<{ items: { id: string }[] }>().items
    expect(others).toHaveLength(1)
    expect((await station.get(`/api/v1/members/${others[0]!.id}`)).statusCode).toBe(404)
    await context.close()
  })

  it('drafts a 社情民意 report from a case, submits it, records the decision, and downloads it as PDF', async () => {
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee')
    await openAdminPage(page, 'reports', 'reports-page')
    await expect.poll(() => page.textContent('[data-testid=report-count-draft]')).toContain('0')

    await page.click('[data-testid=report-new]')
    await page.waitForSelector('[data-testid=report-form]')
    // Without a title or a case the draft is refused, each reason under its field.
    await page.click('[data-testid=report-save]')
    await page.waitForSelector('[data-testid=field-error-report-title]')
    await page.waitForSelector('[data-testid=field-error-report-cases]')

    await page.fill('#report-title', '关于人民路夜市油烟噪音扰民问题的建议')
    await page.fill('#report-summary', '群众反映人民路夜市烧烤店营业到凌晨，油烟和噪音影响周边居民休息。')
    await page.fill('#report-suggestion', '建议市场监管、城管部门联合规范夜市经营时间，推广油烟净化设备。')
    await page.selectOption('#report-member', { label: '王建国' })
    await page.waitForSelector('[data-testid=pick-case]')
    const first = page.locator('[data-testid=pick-case]').first()
    const caseId = await first.getAttribute('data-case-id')
    await first.check()
    await page.click('[data-testid=report-save]')

    const view = page.locator('[data-testid=report-view]')
    await view.waitFor()
    expect(await view.getAttribute('data-status')).toBe('draft')
    expect(await page.textContent('[data-testid=toast]')).toContain('草稿')
    expect(await page.locator('[data-testid=report-row]').count()).toBe(1)
    await expect.poll(() => page.textContent('[data-testid=report-count-draft]')).toContain('1')
    expect(caseId).toBeTruthy()

    await page.click('[data-testid=report-submit]')
    await page.click('[data-testid=report-submit-confirm]')
    await expect.poll(() => view.getAttribute('data-status')).toBe('submitted')
    await expect.poll(() => page.textContent('[data-testid=report-count-submitted]')).toContain('1')

    // A decision needs the deciding body.
    await page.click('[data-testid=report-adopt]')
    await page.waitForSelector('[data-testid=field-error-report-decided-by]')
    await page.fill('#report-decided-by', '县委办公室')
    await page.click('[data-testid=report-adopt]')
    await expect.poll(() => view.getAttribute('data-status')).toBe('adopted')
    expect(await view.textContent()).toContain('县委办公室')

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=report-pdf]')])
    expect(download.suggestedFilename()).toMatch(/\.pdf$/)
    const pdf = await readFile((await download.path())!)
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    await context.close()
  })

  it('the ledger lists members against the targets, opens the printable 履职档案, records an activity and exports', async () => {
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee')
    // The county measures its members by 阿克塞 "六个一" (chosen in the committee settings).
    await openAdminPage(page, 'settings', 'settings-page')
    await page.waitForSelector('[data-testid=targets-form]')
    expect(await page.textContent('[data-testid=targets-source]')).toContain('系统默认')
    await page.check('[data-testid=preset-akesai_six_ones]')
    await page.click('[data-testid=targets-save]')
    await expect.poll(() => page.textContent('[data-testid=targets-source]')).toContain('自己的设置')

    await openAdminPage(page, 'ledger', 'ledger-page')
    await page.waitForSelector('[data-testid=ledger-row]')
    const row = page.locator('[data-testid=ledger-row]', { hasText: '王建国' })
    expect(await row.count()).toBe(1)
    expect(await row.locator('[data-testid=targets-met]').textContent()).toMatch(/\d+ \/ 6 项/)
    expect(await row.locator('.target-chips li', { hasText: '接待日' }).textContent()).toContain('0/1')
    // 联系界别群众 for the whole committee: counts, no names or phones (in the first days of January the demo's contacts fall in the year before).
    await expect.poll(() => page.textContent('[data-testid=contact-totals]').catch(() => '')).toMatch(/联系界别群众：本年共 \d+ 人次 · \d+\/\d+ 位委员/)

    // The printable page opens in a new tab with the token in its query.
    const [tab] = await Promise.all([context.waitForEvent('page'), row.locator('[data-testid=ledger-print]').click()])
    await tab.waitForLoadState()
    expect(tab.url()).toContain('/ledger.html?')
    expect(tab.url()).toContain('access_token=')
    expect(await tab.textContent('body')).toContain('王建国')
    expect(await tab.textContent('body')).toContain('履职')
    await tab.close()

    // Record a reception day: it shows in the member's list and the ledger counts it. (The demo member already has
    // activities of his own, logged from the phone: the list grows by one.)
    await row.locator('[data-testid=record-activity]').click()
    await page.waitForSelector('[data-testid=activity-editor]')
    await page.waitForSelector('[data-testid=activity-list] li, [data-testid=no-activities]')
    const listed = await page.locator('[data-testid=activity-list] li').count()
    await page.selectOption('#activity-kind', 'reception_day')
    await page.click('[data-testid=activity-save]')
    await page.waitForSelector('[data-testid=field-error-activity-title]')
    await page.fill('#activity-title', '参加东城街道委员接待日')
    await page.click('[data-testid=activity-save]')
    await expect.poll(() => page.textContent('[data-testid=toast]')).toContain('委员接待日')
    await expect.poll(() => page.locator('[data-testid=activity-list] li').count()).toBe(listed + 1)
    await expect.poll(() => row.locator('.target-chips li', { hasText: '接待日' }).textContent()).toContain('1/1')

    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=ledger-export-csv]')])
    expect(csv.suggestedFilename()).toMatch(/^ledgers-.*\.csv$/)
    const text = (await readFile((await csv.path())!)).toString('utf8')
    expect(text).toContain('王建国')
    await context.close()
  })

  it('every console page fits a 320 px phone, with one heading per page and labelled form controls', async () => {
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee', { ...PHONE, viewport: { width: 320, height: 640 } })
    const pages = [
      ['members', 'members-page'],
      ['stations', 'stations-page'],
      ['ledger', 'ledger-page'],
      ['reports', 'reports-page'],
      ['exports', 'exports-page'],
      ['org', 'org-page'],
      ['settings', 'settings-page'],
      ['users', 'users-page'],
    ] as const
    for (const [sub, testId] of pages) {
      await openAdminPage(page, sub, testId)
      await page.waitForSelector('.skeleton-block', { state: 'detached' })
      expect(await page.evaluate(() => document.documentElement.scrollWidth), sub).toBeLessThanOrEqual(320)
      expect(await page.locator('main h2').count(), sub).toBe(1)
      // Every visible input, select and textarea has a label (its own <label for>, or aria-label).
      const unlabelled = await page.$$eval('main input:not([type=hidden]), main select, main textarea', (els) =>
        els
          .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label') && !el.closest('label'))
          .map((el) => el.outerHTML.slice(0, 80)),
      )
      expect(unlabelled, sub).toEqual([])
    }
    await context.close()
  })

  it('exports cases with the chosen filters as CSV and Excel', async () => {
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee', LAPTOP)
    await openAdminPage(page, 'exports', 'exports-page')
    await page.click('text=今年')
    await page.selectOption('#export-filter', 'all')
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-cases-csv]')])
    expect(csv.suggestedFilename()).toMatch(/^cases-.*\.csv$/)
    const text = (await readFile((await csv.path())!)).toString('utf8')
    // Phones masked, never in full (demo case phone 13893201234).
    expect(text).not.toContain('13893201234')
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-cases-xlsx]')])
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/)
    await context.close()
  })
})

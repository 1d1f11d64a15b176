import { randomBytes, randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { appUser, cases, department, handoff } from '../../api/src/db/schema'
import { browserMissing } from '../../api/test/support/browser'
import { signInAsAdmin } from './support/admin-browser'
import { expectNoSeriousAxeViolations } from './support/page-checks'
import { withMemberApp } from './support/member-browser'

// Polish users asked for (issue 12): the sign-in page is not members-only, and the dashboard reads at 360 px.
describe.skipIf(browserMissing)('sign-in page and dashboard on a phone', () => {
  const ctx = withMemberApp('e2e-dashboard')

  it('the sign-in page does not call itself members-only', async () => {
    const context = await ctx.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' })
    const page = await context.newPage()
    await page.goto(`${ctx.api.url}/app/`)
    await page.waitForSelector('#username')
    expect((await page.textContent('main h2'))?.trim()).toBe('登录')
    expect(await page.textContent('main')).not.toContain('委员登录')
    expect(await page.textContent('main')).toContain('工作站')
    await context.close()
  }, 60_000)

  it('at 360 px: a compact 对比 select, a 月份 legend, ranking names on one line in their own card', async () => {
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee', { viewport: { width: 360, height: 740 }, locale: 'zh-CN' })
    await page.waitForSelector('[data-testid=ranking] tbody tr')
    await page.waitForSelector('.chart .u-legend')
    // The 职能部门 section (issue 14) is there once its figures came (the demo has no departments: its empty note).
    await page.waitForSelector('[data-testid=department-none], [data-testid=department-ranking] tbody tr')
    expect((await page.textContent('#dept-figures-title'))?.trim()).toBe('职能部门')
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360)
    // The select is as wide as its words, not the page.
    const select = await page.locator('[data-testid=compare]').boundingBox()
    expect(select!.width).toBeLessThan(250)
    // uPlot's x series says 月份, not "Time".
    expect(await page.locator('.chart .u-legend .u-series').first().textContent()).toContain('月份')
    expect(await page.locator('.chart .u-legend').textContent()).not.toContain('Time')
    // Each station's name stays on one line (the table squeezed it to one character a line).
    const names = page.locator('[data-testid=ranking] td.name')
    expect(await names.count()).toBeGreaterThanOrEqual(3)
    for (const box of await names.evaluateAll((tds) =>
      tds.map((td) => {
        const r = td.getBoundingClientRect()
        return { width: r.width, height: r.height, lineHeight: parseFloat(getComputedStyle(td).lineHeight) || 24 }
      }),
    )) {
      expect(box.width).toBeGreaterThan(200)
      expect(box.height).toBeLessThan(box.lineHeight * 2 + 12)
    }
    await expectNoSeriousAxeViolations(page, 'dashboard at 360 px', '[data-testid=dashboard]')
    await context.close()
  }, 120_000)

  it('at 320 px: the 职能部门 ranking (issue 14) is a table of labelled cards without a sideways scroll', async () => {
    // A department of the demo committee with one hand-off answered within the hour (written straight into the database).
    const db = ctx.api.db
    const [admin] = await db.select({ committeeId: appUser.committeeId }).from(appUser).where(eq(appUser.username, 'committee'))
    const [someCase] = await db.select({ id: cases.id }).from(cases).where(eq(cases.committeeId, admin!.committeeId!)).limit(1)
    const [dept] = await db.insert(department).values({ committeeId: admin!.committeeId!, name: '县住房和城乡建设局', kind: 'bureau' }).returning()
    const now = Date.now()
    await db.insert(handoff).values({
      caseId: someCase!.id,
      committeeId: admin!.committeeId!,
      departmentId: dept!.id,
      question: '请核实',
      status: 'answered',
      opId: randomUUID(),
      sentAt: new Date(now - 3_600_000),
      dueAt: new Date(now + 86_400_000),
      answeredAt: new Date(now - 1_800_000),
      secretHash: randomBytes(16).toString('hex'),
      secretEnc: 'unused',
    })
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee', { viewport: { width: 320, height: 700 }, locale: 'zh-CN' })
    const row = page.locator('[data-testid=department-row]', { hasText: '县住房和城乡建设局' })
    await row.waitFor()
    expect(await row.textContent()).toContain('100.0%')
    expect(await page.locator('[data-testid=department-ranking] thead th').allTextContents()).toEqual([
      '名次',
      '职能部门',
      '交办数',
      '签收用时中位数',
      '答复用时中位数',
      '按时答复率',
      '退回率',
    ])
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    await expectNoSeriousAxeViolations(page, 'department ranking at 320 px', '[data-testid=dashboard]')
    await context.close()
  }, 120_000)
})

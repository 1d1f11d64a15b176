import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { browserMissing } from '../../api/test/support/browser'
import { caseEvent, cases, category } from '../../api/src/db/schema'
import { expectNoSeriousAxeViolations } from './support/page-checks'
import { openAdminPage, signInAsAdmin } from './support/admin-browser'
import { newPhone, openCase, signInAsMember, withMemberApp } from './support/member-browser'

const WIDTH = 360
/** The date isolates (FSI … PDI) formatDate puts around a date in right-to-left text. */
const bare = (s: string | null) => (s ?? '').replace(/[\u2066-\u2069]/g, '').trim()

async function expectNoSidewaysScroll(page: Page, label: string) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${label}: page width`).toBeLessThanOrEqual(WIDTH)
}

async function htmlLangDir(page: Page) {
  return page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }))
}

// Issue 15: the member app in Uyghur on a 360 px phone (Debian's chromium, the real API on a real database).
describe.skipIf(browserMissing)('member app in Uyghur, right to left', () => {
  const ctx = withMemberApp('e2e-rtl')

  it('chosen in the profile and remembered; RTL at 360 px with no sideways scroll and no serious axe violations; dates day.month; timeline bar on the inline-start side; a category with no Uyghur name shown in Chinese, marked', async () => {
    const db = ctx.api.db
    // A case whose category the committee has not named in Uyghur, submitted (for this test) at 06:05 on 4 December 2026, Beijing time.
    const fallbackCase = await ctx.api.newCase('王建国', '村口的路灯一到晚上就不亮，孩子放学回家很危险')
    const [row] = await db.select({ committeeId: cases.committeeId }).from(cases).where(eq(cases.id, fallbackCase.id))
    const [untranslated] = await db
      .insert(category)
      .values({ committeeId: row!.committeeId, names: { 'zh-CN': '殡葬服务', en: 'Funeral services' }, sortOrder: 99 })
      .returning({ id: category.id })
    await db.update(cases).set({ categoryId: untranslated!.id }).where(eq(cases.id, fallbackCase.id))
    await db
      .update(caseEvent)
      .set({ occurredAt: new Date('2026-12-03T22:05:00Z') })
      .where(and(eq(caseEvent.caseId, fallbackCase.id), eq(caseEvent.type, 'submitted')))
    // And one in a demo category, which the seed names in Uyghur.
    const namedCase = await ctx.api.newCase('王建国', '楼下烧烤店半夜还在营业，油烟和吵闹声让人睡不着')
    const noiseRow = (await db.select({ id: category.id, names: category.names }).from(category).where(eq(category.committeeId, row!.committeeId))).find(
      (c) => c.names['zh-CN'] === '噪音扰民',
    )
    expect(noiseRow!.names.ug, 'the demo data names its categories in Uyghur').toMatch(/[\u0600-\u06FF]/)
    expect(noiseRow!.names['kk-Arab-CN'], 'and in Kazakh').toMatch(/[\u0600-\u06FF]/)
    await db.update(cases).set({ categoryId: noiseRow!.id }).where(eq(cases.id, namedCase.id))

    const context = await newPhone(ctx.browser, { viewport: { width: WIDTH, height: 740 } })
    const page = await context.newPage()
    await signInAsMember(page, ctx.api.url, 'wangjianguo')
    expect(await htmlLangDir(page)).toEqual({ lang: 'zh-CN', dir: 'ltr' })

    // Chosen in the profile: the page reloads in Uyghur, right to left.
    await page.click('a[href="/app/me"]')
    await page.waitForSelector('[data-testid=language]')
    await Promise.all([page.waitForEvent('load'), page.selectOption('[data-testid=language]', 'ug')])
    await page.waitForSelector('[data-testid=language]')
    expect(await htmlLangDir(page)).toEqual({ lang: 'ug', dir: 'rtl' })
    expect(await page.locator('h3 label[for=lang]').textContent()).toBe('تىل')
    await expectNoSidewaysScroll(page, 'profile')
    await expectNoSeriousAxeViolations(page, 'profile (ug)')

    // Remembered across a reload; and set before first paint by a blocking script in <head>, not by the app module.
    await page.goto(`${ctx.api.url}/app/`)
    await page.waitForSelector(`[data-case-id="${fallbackCase.id}"]`)
    expect(await htmlLangDir(page)).toEqual({ lang: 'ug', dir: 'rtl' })
    expect(
      await page.evaluate(() => {
        const s = document.head.querySelector<HTMLScriptElement>('script[src$="locale-boot.js"]')
        return s !== null && !s.async && !s.defer && s.type === ''
      }),
    ).toBe(true)

    // The inbox.
    await page.waitForSelector(`[data-case-id="${namedCase.id}"]`)
    await expectNoSidewaysScroll(page, 'inbox')
    await expectNoSeriousAxeViolations(page, 'inbox (ug)')
    const fallbackRow = page.locator(`[data-case-id="${fallbackCase.id}"] [data-testid=category-fallback]`)
    expect(await fallbackRow.locator('bdi[lang="zh-CN"]').textContent()).toBe('殡葬服务')
    expect(await fallbackRow.textContent()).toContain('(خەنزۇچە)')
    const namedRow = page.locator(`[data-case-id="${namedCase.id}"]`)
    expect(await namedRow.locator('.cat').textContent()).toBe(noiseRow!.names.ug)
    expect(await namedRow.locator('[data-testid=category-fallback]').count()).toBe(0)

    // The case page.
    await openCase(page, fallbackCase.id)
    await page.waitForSelector('[data-testid=timeline-event][data-type=submitted]')
    await expectNoSidewaysScroll(page, 'case page')
    await expectNoSeriousAxeViolations(page, 'case page (ug)')
    const marked = page.locator('[data-testid=case-page] [data-testid=category-fallback]')
    expect(await marked.locator('bdi[lang="zh-CN"]').textContent()).toBe('殡葬服务')
    expect(await marked.getAttribute('title')).toContain('ئۇيغۇرچە')

    // 06:05 on 4 December 2026 reads day.month, never year first ("2026-4-12").
    const when = bare(await page.locator('[data-testid=timeline-event][data-type=submitted] .when').textContent())
    expect(when).toMatch(/^4\.12 06:05/)
    expect(when).not.toMatch(/2026/)

    // The timeline's bar is on the inline-start side: the right, with every entry to its left.
    const bar = await page.evaluate(() => {
      const ol = document.querySelector('ol.timeline')!
      const style = getComputedStyle(ol)
      const box = ol.getBoundingClientRect()
      const items = [...ol.querySelectorAll('li')].map((li) => li.getBoundingClientRect())
      return { right: parseFloat(style.borderRightWidth), left: parseFloat(style.borderLeftWidth), barRight: box.right, itemRights: items.map((r) => r.right) }
    })
    expect(bar.right).toBe(3)
    expect(bar.left).toBe(0)
    for (const r of bar.itemRights) expect(r).toBeLessThanOrEqual(bar.barRight - bar.right)

    // The back chevron points right (the way back in a right-to-left page).
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('[data-testid=back-icon]')!).transform)).toBe('matrix(-1, 0, 0, 1, 0, 0)')

    // An action sheet, mirrored too: no sideways scroll, no serious violations.
    await page.click('[data-testid=action-accept]')
    await page.waitForSelector('[data-testid=sheet-accept]')
    await expectNoSidewaysScroll(page, 'accept sheet')
    await expectNoSeriousAxeViolations(page, 'accept sheet (ug)', '.sheet')
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.sheet')!).direction)).toBe('rtl')
    await context.close()
  }, 180_000)

  it('the console lists the categories missing a language, so an admin sees what to translate', async () => {
    const db = ctx.api.db
    const [noise] = (await db.select({ committeeId: category.committeeId, names: category.names }).from(category)).filter(
      (c) => c.names['zh-CN'] === '噪音扰民',
    )
    await db.insert(category).values({ committeeId: noise!.committeeId, names: { 'zh-CN': '法律援助' }, sortOrder: 98 })
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee')
    await openAdminPage(page, 'org', 'org-page')
    const row = page.locator('[data-testid=category-missing]', { hasText: '法律援助' })
    await row.waitFor()
    expect(await row.getAttribute('data-missing')).toBe('ug kk-Arab-CN en')
    expect(await row.textContent()).toContain('缺少：维吾尔文、哈萨克文、英文')
    // The demo categories are named in every language: none of them is listed.
    expect(await page.locator('[data-testid=category-missing]', { hasText: '噪音扰民' }).count()).toBe(0)
    await context.close()
  }, 120_000)
})

import { describe, expect, it } from 'vitest'
import { browserMissing } from '../../api/test/support/browser'
import { LAPTOP, openAdminPage, signInAsAdmin } from './support/admin-browser'
import { newPhone, openCase, signInAsMember, withMemberApp } from './support/member-browser'
import { expectNoSeriousAxeViolations } from './support/page-checks'

// Issue 16, the staff side of the transparency page: the desk's case page and the member's resolved case carry the
// switch "允许在公开页面展示" (off by default) and a moderated text; /p/DEMO then shows it masked, or not at all.
describe.skipIf(browserMissing)('publishing a resolved case on the transparency page', { timeout: 180_000 }, () => {
  const ctx = withMemberApp('publication-e2e')
  const publicPage = async () => (await fetch(`${ctx.api.url}/p/DEMO`)).text()

  it('the desk switches it on with a moderated text; the member switches it off again', async () => {
    const wang = await ctx.api.signIn('wangjianguo')
    const c = await ctx.api.newCase('王建国', '健身广场的路灯不亮了，晚上锻炼的老人看不清台阶')
    await wang.ok(c.id, { type: 'accept' })
    await wang.ok(c.id, { type: 'resolve', reply: 'E2E-REPLY 已请供电所更换灯具，有问题可打13500135000' })
    expect(await publicPage()).not.toContain('E2E-REPLY')

    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'station', LAPTOP)
    context.setDefaultTimeout(60_000)
    await openAdminPage(page, `cases/${c.id}`, 'desk-case')
    const allow = page.getByLabel('允许在公开页面展示')
    await allow.waitFor()
    expect(await allow.isChecked()).toBe(false)
    await allow.check()
    await page.getByLabel('公开的文字（可不填）').fill('E2E-PUBLIC 健身广场路灯已修复，联系电话13500135000')
    await page.click('[data-testid=publication-save]')
    await page.waitForSelector('[data-testid=publication-saved]')
    expect(await page.textContent('[data-testid=publication-preview]')).toContain('E2E-PUBLIC 健身广场路灯已修复，联系电话135****5000')
    await expectNoSeriousAxeViolations(page, 'desk publication', '[data-testid=publication]')
    await context.close()
    const published = await publicPage()
    expect(published).toContain('E2E-PUBLIC 健身广场路灯已修复，联系电话135****5000')
    expect(published).not.toContain('13500135000')
    expect(published).not.toContain('E2E-REPLY')

    const phone = await newPhone(ctx.browser)
    const member = await phone.newPage()
    await signInAsMember(member, ctx.api.url, 'wangjianguo')
    await openCase(member, c.id)
    const mine = member.getByLabel('允许在公开页面展示')
    await mine.waitFor()
    expect(await mine.isChecked()).toBe(true)
    await mine.uncheck()
    await member.click('[data-testid=publication-save]')
    await member.waitForSelector('[data-testid=publication-saved]')
    await phone.close()
    expect(await publicPage()).not.toContain('E2E-PUBLIC')
  })
})

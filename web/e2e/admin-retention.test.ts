import { and, eq, isNotNull } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { qrCode } from '../../api/src/db/schema'
import { browserMissing } from '../../api/test/support/browser'
import { openAdminPage, signInAsAdmin } from './support/admin-browser'
import { withMemberApp } from './support/member-browser'

// Issue 19: the committee admin sets how long personal data is kept, in the console; the scan page promises it.
describe.skipIf(browserMissing)('console: personal-data retention', { timeout: 90_000 }, () => {
  const ctx = withMemberApp('admin-retention')

  it('shows the default, refuses 11 years under the field, saves 5 and the scan page says 5', async () => {
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee')
    await openAdminPage(page, 'settings', 'settings-page')
    const section = page.locator('[data-testid=retention-settings]')
    await section.locator('#retention-years').waitFor()
    expect(await section.locator('#retention-years-hint').textContent()).toContain('现行 3 年（默认）')
    expect(await section.locator('#retention-years').getAttribute('placeholder')).toBe('3')

    await section.locator('#retention-years').fill('11')
    await section.locator('[data-testid=retention-save]').click()
    await section.locator('[data-testid=field-error-retention-years]').waitFor()
    expect(await section.locator('#retention-years').getAttribute('aria-invalid')).toBe('true')

    await section.locator('#retention-years').fill('5')
    const saved = page.waitForResponse((r) => r.url().includes('/retention') && r.request().method() === 'PUT')
    await section.locator('[data-testid=retention-save]').click()
    const committeeId = /committees\/([^/]+)\/retention/.exec((await saved).url())![1]!
    await expect.poll(() => section.locator('[data-testid=toast]').textContent()).toContain('保存期限已更新')
    await expect.poll(() => section.locator('#retention-years-hint').textContent()).toContain('现行 5 年；')

    // The resident scanning one of that committee's member codes is told its number.
    const [code] = await ctx.api.db
      .select({ code: qrCode.code })
      .from(qrCode)
      .where(and(eq(qrCode.committeeId, committeeId), eq(qrCode.status, 'active'), isNotNull(qrCode.memberId)))
      .limit(1)
    const scan = await context.newPage()
    await scan.goto(`${ctx.api.url}/q/${code!.code}`)
    expect(await scan.locator('[data-testid=privacy-body]').textContent()).toContain('结案满5年后删除')
    await context.close()
  })
})

import { readFile } from 'node:fs/promises'
import { and, eq, like } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { PhoneDataExport } from '@mashangjian/shared'
import { auditLog, cases } from '../../api/src/db/schema'
import { browserMissing } from '../../api/test/support/browser'
import { postCase } from '../../api/test/support/submit'
import { LAPTOP, openAdminPage, signInAsAdmin } from './support/admin-browser'
import { withMemberApp } from './support/member-browser'

const PHONE = '13700000077'

// 个人信息申请 (issue 19) in Debian's chromium against the real API on the demo county: a committee admin looks a
// resident's number up with a reason, exports the person's file (downloaded), and erases the number after confirming.
describe.skipIf(browserMissing)('admin console: a person’s request about their phone number', { timeout: 180_000 }, () => {
  const ctx = withMemberApp('privacy-e2e')

  it('looks up → exports → erases; the station admin is not offered the page', async () => {
    const code = (await ctx.api.codeOf('王建国')).code
    for (const description of [`幸福路二号楼的下水道堵了，请打 ${PHONE} 联系`, '幸福路口的红绿灯坏了，早高峰很乱'])
      expect((await postCase(ctx.api.app, { code, description, phone: PHONE, consent: 'on', confirmNew: '1' })).statusCode).toBe(201)

    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee', { ...LAPTOP, acceptDownloads: true })
    await openAdminPage(page, 'privacy', 'privacy-page')
    expect(await page.textContent('[data-testid=nav-privacy]')).toBe('个人信息申请')
    // The reason is required: the server's message shows under its field.
    await page.fill('#privacy-phone', '137 0000 0077')
    await page.click('[data-testid=privacy-lookup]')
    await page.waitForSelector('[data-testid=field-error-privacy-reason]')
    await page.fill('#privacy-reason', '本人到工作站申请查阅并删除')
    await page.click('[data-testid=privacy-lookup]')
    await expect.poll(() => page.textContent('[data-testid=privacy-summary]')).toBe('找到 2 件诉求、0 条并单关注、0 条联系记录。')
    expect(await page.locator('[data-testid=privacy-cases] tbody tr').count()).toBe(2)

    const download = page.waitForEvent('download')
    await page.click('[data-testid=privacy-export]')
    const file = await download
    expect(file.suggestedFilename()).toMatch(/^personal-data-\d{4}-\d{2}-\d{2}\.json$/)
    const exported = JSON.parse(await readFile((await file.path())!, 'utf8')) as PhoneDataExport
    expect(exported.phone).toBe(PHONE)
    expect(exported.cases.map((c) => c.description)).toContain(`幸福路二号楼的下水道堵了，请打 ${PHONE} 联系`)

    await page.click('[data-testid=privacy-erase]')
    await page.click('[data-testid=privacy-erase-confirm]')
    await expect.poll(() => page.textContent('[data-testid=privacy-erased]')).toBe('已删除：2 件诉求、0 条并单关注、0 条联系记录，替换文字中的号码 1 处。')
    await expect.poll(() => page.textContent('[data-testid=privacy-summary]')).toBe('本范围内没有这个手机号的信息。')
    const rows = await ctx.api.db.select().from(cases).where(like(cases.description, '幸福路二号楼%'))
    expect(rows).toEqual([
      expect.objectContaining({ description: '幸福路二号楼的下水道堵了，请打 [号码已删除] 联系', residentPhoneEnc: null, residentPhoneHash: null }),
    ])
    const audits = await ctx.api.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetKind, 'phone')))
    expect(audits.map((a) => a.action).sort()).toEqual(['privacy.phone_erased', 'privacy.phone_exported', 'privacy.phone_lookup', 'privacy.phone_lookup'])
    expect(JSON.stringify(audits)).not.toContain(PHONE)
    await context.close()

    // Station admins are not offered it (and the API refuses them).
    const station = await signInAsAdmin(ctx.browser, ctx.api.url, 'station')
    expect(await station.page.locator('[data-testid=nav-privacy]').count()).toBe(0)
    await station.context.close()
  })
})

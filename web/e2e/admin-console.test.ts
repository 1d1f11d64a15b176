import { readFile } from 'node:fs/promises'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { DashboardSummary } from '@mashangjian/shared'
import { member, qrCode } from '../../api/src/db/schema'
import { browserMissing } from '../../api/test/support/browser'
import { pdfText, popplerMissing } from '../../api/test/support/pdf-tools'
import { HEADER, csvFile } from '../../api/test/support/roster-files'
import { newPhone, withMemberApp } from './support/member-browser'

const pct = (r: number | null) => (r === null ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`)

// Issue 7: an admin imports a roster, prints the station's placards and reads the dashboard, in chromium
// against the real API.
describe.skipIf(browserMissing || popplerMissing)('admin console', () => {
  const ctx = withMemberApp('admin-e2e')

  it('imports a roster, downloads the station placards with the new members, and shows the API dashboard figures', async () => {
    const context = await newPhone(ctx.browser, { viewport: { width: 1100, height: 900 }, acceptDownloads: true })
    const page = await context.newPage()
    await page.goto(`${ctx.api.url}/app/`)
    await page.fill('#username', 'committee')
    await page.fill('#password', 'demo12345')
    await page.click('button[type=submit]')
    // Admins land on the console's dashboard.
    await page.waitForSelector('[data-testid=dashboard] .tiles')
    expect(new URL(page.url()).pathname).toBe('/app/admin/')

    // The tiles say what the API says.
    const admin = await ctx.api.signIn('committee')
    const me = (await admin.get('/api/v1/me')).json<{ committeeId: string }>()
    const year = new Date().getFullYear()
    const res = await admin.get(`/api/v1/dashboard/summary?scope=committee&id=${me.committeeId}&from=${year}-01-01&to=${year + 1}-01-01&compare=year`)
    expect(res.statusCode, res.body).toBe(200)
    const summary = res.json<DashboardSummary>()
    for (const rate of ['responseRate', 'resolutionRate', 'satisfactionRate'] as const) {
      expect(await page.textContent(`[data-testid=rate-${rate}]`)).toBe(pct(summary.current.rates[rate]))
    }
    expect(await page.locator('[data-testid=overdue] li').count()).toBe(Math.min(20, summary.overdue.total))

    // Roster: two new members for 东城街道委员工作站, checked first, then imported.
    await page.click('text=名册导入')
    await page.waitForSelector('[data-testid=import-page]')
    const roster = csvFile([
      HEADER,
      ['赵文博', '13911110001', '县', '经济界', '东城街道委员工作站', '县商会会长', '在职'],
      ['钱丽华', '13911110002', '县', '医药卫生界', '东城街道委员工作站', '社区医生', '在职'],
    ])
    await page.setInputFiles('[data-testid=roster-file]', { name: 'roster.csv', mimeType: 'text/csv', buffer: roster })
    await page.click('[data-testid=roster-check]')
    await page.waitForSelector('[data-testid=import-counts]')
    expect(await page.textContent('[data-testid=count-add]')).toBe('2')
    expect(await page.textContent('[data-testid=count-error]')).toBe('0')
    await page.click('[data-testid=import-confirm]')
    await page.waitForSelector('[data-testid=import-done]')
    const added = await ctx.api.db
      .select({ id: member.id })
      .from(member)
      .innerJoin(qrCode, and(eq(qrCode.memberId, member.id), eq(qrCode.status, 'active')))
      .where(eq(member.name, '赵文博'))
    expect(added).toHaveLength(1)

    // Placards for the station, downloaded as a PDF: the imported members are on it with the others.
    await page.click('text=二维码台卡')
    await page.waitForSelector('[data-testid=placards-page]')
    await page.selectOption('[data-testid=placard-station]', {
      label: (await page.locator('[data-testid=placard-station] option', { hasText: '东城街道委员工作站' }).textContent())!,
    })
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=placard-pdf]')])
    const pdf = await readFile((await download.path())!)
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    const text = pdfText(pdf)
    for (const name of ['王建国', '赵文博', '钱丽华']) expect(text).toContain(name)
    await context.close()
  }, 120_000)
})

describe.skipIf(browserMissing)('admin console: committee tree', () => {
  const ctx = withMemberApp('admin-tree')

  it('a system admin adds a county committee below the city, with a field error first', async () => {
    const context = await newPhone(ctx.browser, { viewport: { width: 1100, height: 900 } })
    const page = await context.newPage()
    await page.goto(`${ctx.api.url}/app/admin/committees`)
    await page.fill('#username', 'admin')
    await page.fill('#password', 'demo12345')
    await page.click('button[type=submit]')
    await page.waitForSelector('[data-testid=committee-row]')
    const before = await page.locator('[data-testid=committee-row]').count()
    await page.click('[data-testid=committee-new]')
    await page.selectOption('#committee-parent', { label: '示范市政协' })
    await page.fill('#committee-name', '东山县政协')
    // A case-number prefix must start with a letter: the field says so.
    await page.fill('#committee-code', '1X')
    await page.click('[data-testid=committee-save]')
    await page.waitForSelector('[data-testid=field-error-committee-code]')
    await page.fill('#committee-code', 'DS')
    await page.click('[data-testid=committee-save]')
    await expect.poll(() => page.locator('[data-testid=committee-row]').count(), { timeout: 30_000 }).toBe(before + 1)
    expect(await page.textContent('[data-testid=committee-tree]')).toContain('东山县政协')
    await context.close()
  }, 120_000)
})

import { readFile } from 'node:fs/promises'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { PublicUrlReach } from '@mashangjian/shared'
import { qrCode, station } from '../../api/src/db/schema'
import { DESIGNS, onPage, pageSpecs } from '../../api/src/placards/placard-layouts'
import { browserMissing } from '../../api/test/support/browser'
import { decodeQrIn, pdfText, popplerMissing, rasterise } from '../../api/test/support/pdf-tools'
import { LAPTOP, openAdminPage, signInAsAdmin } from './support/admin-browser'
import { withMemberApp } from './support/member-browser'
import { expectNoSeriousAxeViolations, expectPhoneFriendly } from './support/page-checks'

/** The page at phone width (320 px): no sideways scroll, one h2, labelled controls, no serious axe findings. */
async function checkAtPhoneWidth(page: Page, label: string) {
  const size = page.viewportSize()!
  await page.setViewportSize({ width: 320, height: 740 })
  try {
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    await expectPhoneFriendly(page, label)
    await expectNoSeriousAxeViolations(page, label)
  } finally {
    await page.setViewportSize(size)
  }
}

const row = (page: Page, code: string) => page.locator(`[data-testid=qr-row][data-code="${code}"]`)
const statusOf = (page: Page, code: string) => row(page, code).getAttribute('data-status')

// Issue 12: QR codes managed from the console, the station's own placard, and the warning about an address
// residents' phones cannot reach (the test server's PUBLIC_BASE_URL is http://127.0.0.1).
describe.skipIf(browserMissing || popplerMissing)('admin console: QR codes and the station placard', () => {
  const ctx = withMemberApp('admin-qr')

  it("a committee admin issues, rotates and revokes a member's code; the revoked code's scan page says so", async () => {
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee')
    await openAdminPage(page, 'members', 'members-page')
    await page.click('[data-testid=member-row]:has([data-testid=member-name]:text-is("王建国")) [data-testid=member-edit]')
    await page.waitForSelector('[data-testid=qr-panel] [data-testid=qr-row]')
    const original = (await ctx.api.codeOf('王建国')).code
    expect(await statusOf(page, original)).toBe('active')
    // The image is the code's own SVG; the scan URL is shown; the address warning is there too.
    expect(await row(page, original).locator('img').getAttribute('src')).toBe(`/api/v1/qr/${original}.svg`)
    await expect
      .poll(() =>
        row(page, original)
          .locator('img')
          .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
      )
      .toBe(true)
    expect(await row(page, original).textContent()).toContain(`/q/${original}`)
    await page.waitForSelector('[data-testid=qr-panel] [data-testid=public-url-warning][data-reason=loopback]')
    await page.waitForSelector('[data-testid=qr-print]')
    await checkAtPhoneWidth(page, 'member page with QR codes')

    // Issue a second code.
    await page.click('[data-testid=qr-issue]')
    await expect.poll(() => page.locator('[data-testid=qr-row]').count()).toBe(2)
    expect(await page.textContent('[data-testid=qr-panel] [data-testid=toast]')).toMatch(/已签发新二维码 [0-9A-Z]{10}/)

    // Rotate the original: asked first (the 90-day redirect explained), then a new code replaces it.
    await row(page, original).locator('[data-testid=qr-rotate]').click()
    expect(await row(page, original).textContent()).toContain('90 天')
    await row(page, original).locator('[data-testid=qr-rotate-confirm]').click()
    await expect.poll(() => statusOf(page, original)).toBe('revoked')
    await expect.poll(() => page.locator('[data-testid=qr-row]').count()).toBe(3)
    const successor = page.locator('[data-testid=qr-row]', { has: page.locator('[data-testid=qr-replaces]', { hasText: original }) })
    const rotatedTo = (await successor.getAttribute('data-code'))!
    expect(await successor.getAttribute('data-status')).toBe('active')
    expect(await row(page, original).textContent()).toMatch(/旧码指向新码至 \d{4}年\d{1,2}月\d{1,2}日/)

    // Revoke the new one: asked first, then shown revoked.
    await row(page, rotatedTo).locator('[data-testid=qr-revoke]').click()
    await row(page, rotatedTo).locator('[data-testid=qr-revoke-confirm]').click()
    await expect.poll(() => statusOf(page, rotatedTo)).toBe('revoked')
    expect(await page.textContent('[data-testid=qr-panel] [data-testid=toast]')).toContain(`二维码 ${rotatedTo} 已停用`)
    const [db] = await ctx.api.db.select({ status: qrCode.status }).from(qrCode).where(eq(qrCode.code, rotatedTo))
    expect(db!.status).toBe('revoked')

    // A resident scanning the revoked code gets the friendly page pointing to the station.
    const resident = await context.newPage()
    const res = await resident.goto(`${ctx.api.url}/q/${rotatedTo}`)
    expect(res!.status()).toBe(410)
    expect(await resident.textContent('body')).toContain('这个二维码已停用')
    expect(await resident.textContent('body')).toContain('东城街道委员工作站')
    await resident.close()
    await context.close()
  }, 180_000)

  it("the station page shows the station's code; the placards page warns about the address and prints the station placard", async () => {
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee', { ...LAPTOP, acceptDownloads: true })
    const [dongcheng] = await ctx.api.db.select({ id: station.id }).from(station).where(eq(station.name, '东城街道委员工作站'))
    const [stationCode] = await ctx.api.db
      .select({ code: qrCode.code })
      .from(qrCode)
      .where(and(eq(qrCode.stationId, dongcheng!.id), eq(qrCode.status, 'active')))

    await openAdminPage(page, 'stations', 'stations-page')
    await page.click('[data-testid=station-row]:has-text("东城街道委员工作站") [data-testid=station-edit]')
    await page.waitForSelector(`[data-testid=qr-panel] [data-testid=qr-row][data-code="${stationCode!.code}"][data-status=active]`)
    await checkAtPhoneWidth(page, 'station page with QR codes')

    await openAdminPage(page, 'placards', 'placards-page')
    const warning = page.locator('[data-testid=placards-page] [data-testid=public-url-warning]')
    await warning.waitFor()
    expect(await warning.getAttribute('data-reason')).toBe('loopback')
    expect(await warning.textContent()).toContain('http://127.0.0.1')
    await page.selectOption('[data-testid=placard-station]', dongcheng!.id)
    await page.check('[data-testid=placard-subject-station]')
    await page.check('input[name=layout][value=poster]')
    await checkAtPhoneWidth(page, 'placards page')
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=placard-pdf]')])
    const pdf = await readFile((await download.path())!)
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    const [sheet] = rasterise(pdf)
    const [panel] = pageSpecs('poster', 1)[0]!.panels
    const { publicBaseUrl } = (await (await ctx.api.signIn('committee')).get('/api/v1/placards/settings')).json<PublicUrlReach>()
    expect(decodeQrIn(sheet!, onPage(panel!, DESIGNS.poster.qr))).toBe(`${publicBaseUrl}/q/${stationCode!.code}`)
    expect(pdfText(pdf).replace(/\s+/g, '')).toContain('接待委员：')
    await context.close()
  }, 180_000)

  it("a station admin manages their own station's code; without one the placards page says to issue it first", async () => {
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'station')
    await openAdminPage(page, 'stations', 'stations-page')
    await page.click('[data-testid=station-row]:has-text("东城街道委员工作站") [data-testid=station-qr]')
    await page.waitForSelector('[data-testid=station-qr-editor] [data-testid=qr-row][data-status=active]')
    const code = (await page.getAttribute('[data-testid=qr-row][data-status=active]', 'data-code'))!
    await page.click(`[data-testid=qr-row][data-code="${code}"] [data-testid=qr-revoke]`)
    await page.click(`[data-testid=qr-row][data-code="${code}"] [data-testid=qr-revoke-confirm]`)
    await page.waitForSelector('[data-testid=qr-none]')
    await checkAtPhoneWidth(page, 'station admin: station QR codes')

    await openAdminPage(page, 'placards', 'placards-page')
    await page.check('[data-testid=placard-subject-station]')
    await page.waitForSelector('[data-testid=station-no-code]')
    expect(await page.isDisabled('[data-testid=placard-pdf]')).toBe(true)

    // Issued again from the station page, the placard can be printed.
    await openAdminPage(page, 'stations', 'stations-page')
    await page.click('[data-testid=station-row]:has-text("东城街道委员工作站") [data-testid=station-qr]')
    await page.click('[data-testid=qr-issue]')
    await page.waitForSelector('[data-testid=qr-row][data-status=active]')
    await openAdminPage(page, 'placards', 'placards-page')
    await page.check('[data-testid=placard-subject-station]')
    await expect.poll(() => page.isDisabled('[data-testid=placard-pdf]')).toBe(false)
    expect(await page.locator('[data-testid=station-no-code]').count()).toBe(0)
    await context.close()
  }, 180_000)
})

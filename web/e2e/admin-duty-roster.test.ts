import { and, asc, desc, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { caseEvent, cases, member, qrCode, station } from '../../api/src/db/schema'
import { browserMissing, launchChromium } from '../../api/test/support/browser'
import { ManualClock } from '../../api/test/support/manual-clock'
import { openAdminPage, signInAsAdmin } from './support/admin-browser'
import { buildWebApp, scratchDir } from './support/member-browser'
import { startLiveApi, type LiveApi } from '../test/support/live-api'

const DAY = 86_400_000

/**
 * Issue 15, reception days: a station admin sets "the 1st and 3rd Thursday" in the console; on such a Thursday a
 * station-code submission goes to the receiving member (routing reason on_duty) and the scan page names who
 * receives; on another day it names the next reception day. The API runs on a hand-moved clock, starting on
 * Friday 4 December 2026, 10:00 Beijing (the day after the 1st Thursday).
 */
describe.skipIf(browserMissing)('admin console: reception-day roster (接待日)', { timeout: 120_000 }, () => {
  const clock = new ManualClock('2026-12-04T02:00:00Z')
  let api: LiveApi
  let browser: Browser
  let scratch: Awaited<ReturnType<typeof scratchDir>> | undefined
  beforeAll(async () => {
    scratch = await scratchDir()
    await buildWebApp(scratch.dir, 'duty-roster')
    api = await startLiveApi({ webDistDir: scratch.dir }, clock)
    browser = await launchChromium()
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await api?.close()
    await scratch?.remove()
  })

  it('a station admin sets the 1st and 3rd Thursday; the scan page and routing follow it', async () => {
    const { context, page } = await signInAsAdmin(browser, api.url, 'station')
    await openAdminPage(page, 'stations', 'stations-page')
    await page.click('[data-testid=station-reception]')
    await page.waitForSelector('[data-testid=reception-page]')
    // The demo roster, in words.
    await expect
      .poll(() => page.locator('[data-testid=duty-rule-text]').allTextContents())
      .toEqual(['每周二 09:00–11:30：李秀兰、王建国', '每月第1、3个周四 15:00–17:30：陈明、周文斌'])

    // Both demo rules go, so the only reception day is the one set here.
    for (let n = 2; n > 0; n--) {
      await page.locator('[data-testid=duty-rule-delete]').first().click()
      await page.click('[data-testid=duty-rule-delete-confirm]')
      await expect.poll(() => page.locator('[data-testid=duty-rule]').count()).toBe(n - 1)
    }
    await expect.poll(() => page.locator('[data-testid=duty-upcoming-day]').count()).toBe(0)

    await page.click('[data-testid=duty-rule-new]')
    await page.waitForSelector('[data-testid=duty-rule-editor]')
    await page.selectOption('#duty-kind', 'monthly')
    await page.getByLabel('第1个').check()
    await page.getByLabel('第3个').check()
    await page.getByLabel('周四').check()
    // A wrong end first: the server's message lands under the field.
    await page.fill('#duty-starts', '09:00')
    await page.fill('#duty-ends', '08:30')
    await page.getByLabel('王建国').check()
    await page.click('[data-testid=duty-rule-save]')
    await page.waitForSelector('[data-testid=field-error-duty-ends]')
    await page.fill('#duty-ends', '11:30')
    await page.click('[data-testid=duty-rule-save]')
    await expect.poll(() => page.locator('[data-testid=duty-rule-text]').allTextContents()).toEqual(['每月第1、3个周四 09:00–11:30：王建国'])
    await expect
      .poll(async () => (await page.locator('[data-testid=duty-upcoming-day]').allTextContents()).slice(0, 3))
      .toEqual(['12月17日（周四） 09:00–11:30 王建国', '1月7日（周四） 09:00–11:30 王建国', '1月21日（周四） 09:00–11:30 王建国'])
    await context.close()

    const [code] = await api.db
      .select({ code: qrCode.code })
      .from(qrCode)
      .innerJoin(station, eq(station.id, qrCode.stationId))
      .where(and(eq(station.name, '东城街道委员工作站'), eq(qrCode.status, 'active')))
    const resident = await browser.newContext({ locale: 'zh-CN' })
    const scan = await resident.newPage()
    // Friday 4 December: the next reception day.
    await scan.goto(`${api.url}/q/${code!.code}`)
    expect(await scan.textContent('[data-testid=reception]')).toBe('下次接待日：12月17日（周四）09:00–11:30 · 东城街道委员工作站')

    // Thursday 17 December (the 3rd), 10:00: who receives, and a submission goes to him as on duty.
    clock.advance(13 * DAY)
    await scan.goto(`${api.url}/q/${code!.code}`)
    expect(await scan.textContent('[data-testid=reception]')).toBe('今天接待：王建国 09:00–11:30')
    const text = `接待日测试：楼道灯坏了 ${Date.now()}`
    await scan.fill('textarea[name=description]', text)
    await scan.check('#consent')
    await Promise.all([scan.waitForNavigation(), scan.click('#scan-form button[type=submit]')])
    const [row] = await api.db
      .select({ id: cases.id, memberName: member.name })
      .from(cases)
      .innerJoin(member, eq(member.id, cases.memberId))
      .where(eq(cases.description, text))
      .orderBy(desc(cases.createdAt))
    expect(row?.memberName).toBe('王建国')
    const [assigned] = await api.db
      .select({ data: caseEvent.data })
      .from(caseEvent)
      .where(and(eq(caseEvent.caseId, row!.id), eq(caseEvent.type, 'assigned')))
      .orderBy(asc(caseEvent.id))
    expect(assigned!.data.reason).toBe('on_duty')

    // Friday 18 December: the next is the 1st Thursday of January.
    clock.advance(DAY)
    await scan.goto(`${api.url}/q/${code!.code}`)
    expect(await scan.textContent('[data-testid=reception]')).toBe('下次接待日：1月7日（周四）09:00–11:30 · 东城街道委员工作站')
    await resident.close()
  })
})

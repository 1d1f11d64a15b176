import { describe, expect, it } from 'vitest'
import type { ChannelView, DepartmentPage, DepartmentView } from '@mashangjian/shared'
import { browserMissing } from '../../api/test/support/browser'
import { LAPTOP, openAdminPage, signInAsAdmin } from './support/admin-browser'
import { withMemberApp } from './support/member-browser'
import { expectNoSeriousAxeViolations, expectPhoneFriendly } from './support/page-checks'

// 职能部门 (issue 14) in Debian's chromium against the real API on the seeded demo county: a committee admin adds a
// department with its contact and group robot (a bad phone is reported under the field; the phone is only ever
// shown masked), edits it, deactivates it and deletes another; a station admin reads the list; the page at 320 px.
describe.skipIf(browserMissing)('admin console: departments', { timeout: 120_000 }, () => {
  const ctx = withMemberApp('departments-e2e')
  const PHONE = '0931-8765432'

  /** The demo county's robot (offered) and SMS account (not offered: no group to post a hand-off to). */
  async function channels() {
    const committee = await ctx.api.signIn('committee')
    const add = async (payload: object) => {
      const res = await ctx.api.app.inject({ method: 'POST', url: '/api/v1/notification-channels', headers: committee.headers, payload })
      expect(res.statusCode, res.body).toBe(201)
      return res.json<ChannelView>()
    }
    await add({
      name: '县政协短信',
      settings: { provider: 'aliyun_sms', accessKeyId: 'LTAI-departments-e2e', signName: '码上见', templates: {} },
      credentials: { accessKeySecret: 'sms-secret-4711' },
    })
    const robot = await add({ name: '住建局工作群', settings: { provider: 'wecom_robot' }, credentials: { key: 'robot-key-4711' } })
    return { committee, robot }
  }

  it('a committee admin adds a department with a robot channel, edits it, deactivates it; the phone stays masked', async () => {
    const { committee, robot } = await channels()
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee', LAPTOP)
    await openAdminPage(page, 'departments', 'departments-page')
    expect(await page.locator('[data-testid=nav-departments]').getAttribute('aria-current')).toBe('page')
    expect(await page.textContent('[data-testid=nav-departments]')).toBe('职能部门')
    // The demo county comes with its own departments.
    await page.locator('[data-testid=department-row]', { hasText: '县自然资源局' }).waitFor()

    await page.click('[data-testid=department-new]')
    await page.waitForSelector('[data-testid=department-editor]')
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H3')
    await page.fill('#department-name', '县住建局')
    await page.selectOption('#department-kind', 'bureau')
    await page.fill('#department-contact-name', '王科长')
    await page.fill('#department-phone', '0931-12')
    // Only the committee's robots and webhooks are offered.
    await expect.poll(() => page.locator('#department-robot option').allTextContents()).toEqual(['（不推送）', '住建局工作群'])
    await page.selectOption('#department-robot', robot.id)
    await page.click('[data-testid=department-save]')
    const phoneError = page.locator('[data-testid=field-error-department-phone]')
    await phoneError.waitFor()
    expect(await phoneError.textContent()).toContain('0931-1234567')
    expect(await page.getAttribute('#department-phone', 'aria-invalid')).toBe('true')
    expect(await page.inputValue('#department-name')).toBe('县住建局')

    await page.fill('#department-phone', PHONE)
    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/departments') && r.request().method() === 'POST')
    await page.click('[data-testid=department-save]')
    const answer = await created
    expect(answer.status()).toBe(201)
    expect(await answer.text()).not.toContain('8765432')
    const department = JSON.parse(await answer.text()) as DepartmentView
    expect(department).toMatchObject({
      name: '县住建局',
      kind: 'bureau',
      contactName: '王科长',
      contactPhoneMasked: '0931-****5432',
      robotChannel: { id: robot.id },
    })
    await page.waitForSelector('[data-testid=toast]')
    const row = page.locator(`[data-testid=department-row][data-department-id="${department.id}"]`)
    await row.waitFor()
    expect(await row.locator('[data-testid=department-contact]').textContent()).toBe('王科长0931-****5432')
    expect(await row.locator('[data-testid=department-robot]').textContent()).toBe('住建局工作群')
    expect(await row.locator('[data-testid=department-state]').textContent()).toBe('在用')

    // The editor stays open on the saved department: the phone box is empty, the saved number only masked.
    expect(await page.inputValue('#department-phone')).toBe('')
    expect(await page.textContent('#department-phone-hint')).toContain('0931-****5432')
    expect(await page.content()).not.toContain('8765432')
    await page.fill('#department-name', '县住房和城乡建设局')
    await page.selectOption('#department-kind', 'other')
    const patched = page.waitForResponse((r) => r.url().endsWith(`/api/v1/departments/${department.id}`) && r.request().method() === 'PATCH')
    await page.click('[data-testid=department-save]')
    // An empty phone box keeps the saved number: the request does not carry it.
    expect(JSON.parse((await patched).request().postData() ?? '{}')).not.toHaveProperty('contactPhone')
    await expect.poll(() => row.locator('[data-testid=department-name]').textContent()).toBe('县住房和城乡建设局')
    expect(await row.textContent()).toContain('其他')
    expect(await row.textContent()).toContain('0931-****5432')

    // 停用 from the list.
    await row.locator('[data-testid=department-toggle]').click()
    await expect.poll(() => row.locator('[data-testid=department-state]').textContent()).toBe('已停用')
    const stored = (await committee.get(`/api/v1/departments/${department.id}`)).json<DepartmentView>()
    expect(stored).toMatchObject({
      name: '县住房和城乡建设局',
      kind: 'other',
      active: false,
      contactPhoneMasked: '0931-****5432',
      robotChannel: { id: robot.id },
    })
    await context.close()
  })

  it('deletes a department after confirming; a station admin reads the list without edit controls', async () => {
    const committee = await ctx.api.signIn('committee')
    const res = await ctx.api.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: committee.headers,
      payload: { name: '误加的部门', kind: 'other' },
    })
    expect(res.statusCode, res.body).toBe(201)
    const spare = res.json<DepartmentView>()
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee', LAPTOP)
    await openAdminPage(page, 'departments', 'departments-page')
    const row = page.locator(`[data-testid=department-row][data-department-id="${spare.id}"]`)
    await row.locator('[data-testid=department-edit]').click()
    await page.click('[data-testid=department-delete]')
    await page.click('[data-testid=department-delete-confirm]')
    await row.waitFor({ state: 'detached' })
    expect(await page.textContent('[data-testid=toast]')).toContain('误加的部门')
    expect((await committee.get(`/api/v1/departments/${spare.id}`)).statusCode).toBe(404)
    await context.close()

    const desk = await signInAsAdmin(ctx.browser, ctx.api.url, 'station', LAPTOP)
    await openAdminPage(desk.page, 'departments', 'departments-page')
    await desk.page.waitForSelector('[data-testid=department-row]')
    const all = (await (await ctx.api.signIn('station')).get('/api/v1/departments')).json<DepartmentPage>()
    expect(await desk.page.locator('[data-testid=department-row]').count()).toBe(all.total)
    expect(await desk.page.locator('[data-testid=department-new], [data-testid=department-edit], [data-testid=department-toggle]').count()).toBe(0)
    await desk.context.close()
  })

  it('the departments page fits 320 px: one heading, labelled controls, no serious axe violation, with the editor open', async () => {
    const { context, page } = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee', { ...LAPTOP, viewport: { width: 320, height: 720 } })
    await openAdminPage(page, 'departments', 'departments-page')
    await page.waitForSelector('[data-testid=department-row]')
    await expectPhoneFriendly(page, 'departments page')
    await expectNoSeriousAxeViolations(page, 'departments page')
    await page.locator('[data-testid=department-edit]').first().click()
    await page.waitForSelector('[data-testid=department-editor]')
    await expectPhoneFriendly(page, 'the department editor')
    await expectNoSeriousAxeViolations(page, 'the department editor')
    await page.click('[data-testid=department-new]')
    await page.waitForSelector('#department-name')
    await expectPhoneFriendly(page, 'a new department')
    await expectNoSeriousAxeViolations(page, 'a new department')
    await context.close()
  })
})

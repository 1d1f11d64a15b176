import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import {
  SMS_TEMPLATE_KEYS,
  type ChannelList,
  type ChannelView,
  type NotificationList,
  type NotificationPreferencesView,
  type NotificationView,
} from '@mashangjian/shared'
import { browserMissing } from '../../api/test/support/browser'
import { startFakeProviders, type FakeProviders } from '../../api/test/support/fake-providers'
import { LAPTOP, openAdminPage, signInAsAdmin } from './support/admin-browser'
import { newPhone, openInApp, signInAsMember, withMemberApp } from './support/member-browser'
import { expectNoSeriousAxeViolations, expectPhoneFriendly } from './support/page-checks'

// Notifications (issue 13) in Debian's chromium against the real API and fake providers on loopback: a committee
// admin configures an Alibaba Cloud SMS channel (the secret never comes back), sends a test and reads the
// provider's answer; a notice refused by an integrator's webhook shows in 发送失败的通知 and on the case page, and
// 重试 queues it again; a member turns SMS off in the app and it stays off; the new screens at 320 px.
describe.skipIf(browserMissing)('notifications', { timeout: 180_000 }, () => {
  const ctx = withMemberApp('notify-e2e')
  let providers: FakeProviders
  beforeAll(async () => {
    providers = await startFakeProviders({ autoClose: false })
  })
  afterAll(() => providers?.close())

  async function committeeAdmin(width?: number) {
    const options = width ? { ...LAPTOP, viewport: { width, height: 720 } } : LAPTOP
    const signedIn = await signInAsAdmin(ctx.browser, ctx.api.url, 'committee', options)
    signedIn.context.setDefaultTimeout(60_000)
    await openAdminPage(signedIn.page, 'notifications', 'notifications-page')
    return signedIn
  }
  const channelRow = (page: Page, id: string) => page.locator(`[data-testid=channel-row][data-channel-id="${id}"]`)
  /** The page's HTML and every form control's value: where a secret must not appear. */
  const everythingShown = async (page: Page) =>
    `${await page.content()}\n${(await page.$$eval('input, textarea', (els) => els.map((e) => (e as HTMLInputElement).value))).join('\n')}`

  it("a committee admin adds an 阿里云短信 channel; the secret is never shown back; 发送测试 shows the provider's answer", async () => {
    const aliyun = providers.aliyun
    aliyun.reset()
    const secret = aliyun.credentials.accessKeySecret!
    const { context, page } = await committeeAdmin()

    await page.click('[data-testid=channel-new]')
    await page.waitForSelector('[data-testid=channel-editor]')
    await page.selectOption('#channel-provider', 'aliyun_sms')
    await page.fill('#channel-name', '县政协短信')
    await page.fill('#channel-accessKeyId', aliyun.settings.accessKeyId)
    await page.fill('#channel-signName', aliyun.settings.signName)
    await page.fill('#channel-regionId', aliyun.settings.regionId!)
    await page.fill('#channel-endpoint', aliyun.endpoint)
    await page.fill('#channel-secret-accessKeySecret', secret)
    expect(await page.getAttribute('#channel-secret-accessKeySecret', 'type')).toBe('password')
    // Each notice kind says which variables its template receives.
    expect(await page.textContent('[data-testid=channel-templates]')).toContain('${publicNo}')
    for (const k of SMS_TEMPLATE_KEYS) await page.fill(`#channel-tpl-${k.replace(/\./g, '-')}`, aliyun.settings.templates[k]!)
    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/notification-channels') && r.request().method() === 'POST')
    await page.click('[data-testid=channel-save]')
    const answer = await created
    expect(answer.status()).toBe(201)
    // The API's answer names the secret but never carries it.
    const body = await answer.text()
    expect(body).not.toContain(secret)
    const channel = JSON.parse(body) as ChannelView
    expect(channel.credentialsSet).toEqual(['accessKeySecret'])
    await page.waitForSelector('[data-testid=channel-editor]', { state: 'detached' })
    const row = channelRow(page, channel.id)
    await row.waitFor()
    expect(await row.locator('[data-testid=channel-name]').textContent()).toBe('县政协短信')
    expect(await row.locator('[data-testid=channel-secrets]').textContent()).toContain('已保存（不显示）')
    expect(await everythingShown(page)).not.toContain(secret)
    const committee = await ctx.api.signIn('committee')
    const listed = await committee.get('/api/v1/notification-channels')
    expect(listed.statusCode).toBe(200)
    expect(listed.body).not.toContain(secret)
    expect(listed.json<ChannelList>().items.find((c) => c.id === channel.id)?.credentialsSet).toEqual(['accessKeySecret'])

    // Editing shows the secret as saved, with a way to replace it; never prefilled.
    await row.locator('[data-testid=channel-edit]').click()
    await page.waitForSelector('[data-testid=channel-editor]')
    expect(await page.textContent('[data-testid=secret-accessKeySecret-saved]')).toBe('已保存（不显示）')
    expect(await page.locator('#channel-secret-accessKeySecret').count()).toBe(0)
    expect(await page.inputValue('#channel-tpl-member-assigned')).toBe(aliyun.settings.templates['member.assigned'])
    await page.click('[data-testid=secret-accessKeySecret-replace]')
    expect(await page.inputValue('#channel-secret-accessKeySecret')).toBe('')
    expect(await everythingShown(page)).not.toContain(secret)
    // Saved with the box left empty: the secret is kept.
    await page.fill('#channel-name', '县政协短信（阿里云）')
    const updated = page.waitForResponse((r) => r.url().endsWith(`/api/v1/notification-channels/${channel.id}`) && r.request().method() === 'PUT')
    await page.click('[data-testid=channel-save]')
    expect(JSON.parse((await (await updated).request().postData()) ?? '{}')).not.toHaveProperty('credentials')
    await expect.poll(() => row.locator('[data-testid=channel-name]').textContent()).toBe('县政协短信（阿里云）')

    // 发送测试 asks for a phone and shows what the provider answered.
    await row.locator('[data-testid=channel-test-open]').click()
    await row.locator('[data-testid=channel-test-phone]').fill('13800138000')
    await row.locator('[data-testid=channel-test-send]').click()
    const result = row.locator('[data-testid=channel-test-result]')
    await row.locator('[data-testid=channel-test-result][data-ok=true]').waitFor()
    expect(await result.getAttribute('aria-live')).toBe('polite')
    expect(await result.textContent()).toContain('测试成功')
    const [sent] = await aliyun.waitForReceived(1)
    expect(sent!.phone).toBe('13800138000')
    expect(sent!.templateCode).toBe(aliyun.settings.templates.test)
    expect(await result.locator('[data-testid=test-provider-code]').textContent()).toBe('OK')
    expect(await result.locator('[data-testid=test-message-id]').textContent()).toBe(sent!.bizId)
    expect(await result.locator('[data-testid=test-http-status]').textContent()).toBe('200')

    // A refusal is shown as the provider said it.
    aliyun.failNext('permanent')
    await row.locator('[data-testid=channel-test-send]').click()
    await row.locator('[data-testid=channel-test-result][data-ok=false]').waitFor()
    expect(await result.textContent()).toContain('测试失败')
    expect(await result.locator('[data-testid=test-provider-code]').textContent()).toBe('isv.SMS_TEMPLATE_ILLEGAL')
    expect(await result.locator('[data-testid=test-provider-message]').textContent()).toBe('模板不合法(不存在或被拉黑)')
    expect(aliyun.received).toHaveLength(1)

    // Disabled, then enabled again.
    await row.locator('[data-testid=channel-toggle]').click()
    await expect.poll(() => row.locator('[data-testid=channel-state]').textContent()).toBe('已停用')
    await row.locator('[data-testid=channel-toggle]').click()
    await expect.poll(() => row.locator('[data-testid=channel-state]').textContent()).toBe('启用中')
    expect((await committee.get('/api/v1/notification-channels')).json<ChannelList>().items.find((c) => c.id === channel.id)?.credentialsSet).toEqual([
      'accessKeySecret',
    ])
    await context.close()
  })

  it('a notice the webhook refused is listed as failed, shows on the case page, and 重试 queues it again', async () => {
    const committee = await ctx.api.signIn('committee')
    const hook = providers.webhook
    hook.reset()
    // An integrator's endpoint that answers 404: not worth retrying, so the notice fails at once.
    const gone = hook.endpoint.replace('/hooks/mashangjian', '/hooks/gone')
    const res = await ctx.api.app.inject({
      method: 'POST',
      url: '/api/v1/notification-channels',
      headers: committee.headers,
      payload: { name: '数据平台', settings: { provider: 'webhook', url: gone }, credentials: hook.credentials },
    })
    expect(res.statusCode, res.body).toBe(201)
    const channel = res.json<ChannelView>()
    const c = await ctx.api.newCase('王建国', '小区东门的路灯不亮了')
    const failedOf = async () =>
      (await committee.get(`/api/v1/cases/${c.id}/notifications`)).json<NotificationList>().items.find((n) => n.channel === 'webhook' && n.status === 'failed')
    await expect.poll(failedOf, { timeout: 60_000 }).toBeTruthy()
    const notice = (await failedOf())!

    const { context, page } = await committeeAdmin()
    const row = page.locator(`[data-testid=failed-row][data-notification-id="${notice.id}"]`)
    await row.waitFor()
    expect(await row.locator('[data-testid=failed-case]').textContent()).toBe(c.publicNo)
    expect(await row.locator('[data-testid=failed-case]').getAttribute('href')).toBe(`/app/admin/cases/${c.id}`)
    expect(await row.textContent()).toContain('诉求事件（Webhook）')
    expect(await row.textContent()).toContain('数据平台')
    expect(await row.locator('[data-testid=failed-error]').textContent()).toContain('404')

    // The case page's 通知记录 shows it with the provider's answer.
    await row.locator('[data-testid=failed-case]').click()
    await page.waitForSelector('[data-testid=desk-case]')
    const logged = page.locator(`[data-testid=delivery-row][data-notification-id="${notice.id}"]`)
    await logged.waitFor()
    expect(await logged.getAttribute('data-status')).toBe('failed')
    expect(await logged.locator('[data-testid=delivery-status]').textContent()).toBe('发送失败')
    expect(await logged.locator('[data-testid=delivery-answer]').textContent()).toContain('404')
    expect(await logged.locator('[data-testid=delivery-retry]').count()).toBe(1)

    // The station admin of 东城 sees the notice too (their station's case), but no channel settings.
    const desk = await signInAsAdmin(ctx.browser, ctx.api.url, 'station', LAPTOP)
    await openAdminPage(desk.page, 'notifications', 'notifications-page')
    await desk.page.locator(`[data-testid=failed-row][data-notification-id="${notice.id}"]`).waitFor()
    expect(await desk.page.locator('[data-testid=channels]').count()).toBe(0)
    await desk.context.close()

    // The integrator fixes their endpoint; 重试 puts the notice back in the queue and it is delivered.
    const fixed = await ctx.api.app.inject({
      method: 'PUT',
      url: `/api/v1/notification-channels/${channel.id}`,
      headers: committee.headers,
      payload: { name: channel.name, settings: { provider: 'webhook', url: hook.endpoint } },
    })
    expect(fixed.statusCode, fixed.body).toBe(200)
    await openAdminPage(page, 'notifications', 'notifications-page')
    await row.waitFor()
    const retried = page.waitForResponse((r) => r.url().endsWith(`/api/v1/notifications/${notice.id}/retry`))
    await row.locator('[data-testid=failed-retry]').click()
    const again = await retried
    expect(again.status()).toBe(200)
    // Back in the queue: the answer is read just after the API nudged delivery, so it may already be on its way.
    expect(['pending', 'sending', 'sent']).toContain(((await again.json()) as NotificationView).status)
    await page.waitForSelector('[data-testid=failed-toast]')
    await row.waitFor({ state: 'detached' })
    const [event] = await hook.waitForReceived(1, 60_000)
    expect(event!.event).toMatchObject({ id: event!.delivery })
    await expect
      .poll(async () => (await committee.get(`/api/v1/cases/${c.id}/notifications`)).json<NotificationList>().items.find((n) => n.id === notice.id)?.status, {
        timeout: 60_000,
      })
      .toBe('sent')
    // The case page's log follows: sent, after two tries, no 重试 any more.
    await openAdminPage(page, `cases/${c.id}`, 'desk-case')
    await expect.poll(() => logged.getAttribute('data-status')).toBe('sent')
    expect(await logged.locator('[data-testid=delivery-attempts]').textContent()).toBe('2')
    expect(await logged.locator('[data-testid=delivery-retry]').count()).toBe(0)
    await context.close()
  })

  it('a member turns SMS off in the app and it stays off after a reload; without a phone the switch says why', async () => {
    const committee = await ctx.api.signIn('committee')
    const { memberId } = await ctx.api.codeOf('王建国')
    const withPhone = await ctx.api.app.inject({
      method: 'PATCH',
      url: `/api/v1/members/${memberId}`,
      headers: committee.headers,
      payload: { phone: '13800138001' },
    })
    expect(withPhone.statusCode, withPhone.body).toBe(200)

    const phone = await newPhone(ctx.browser)
    const mp = await phone.newPage()
    await signInAsMember(mp, ctx.api.url, 'wangjianguo')
    await openInApp(mp, '/app/me')
    const sms = mp.locator('[data-testid=notify-sms]')
    await sms.waitFor()
    expect(await sms.isChecked()).toBe(true)
    expect(await sms.isDisabled()).toBe(false)
    expect(await sms.getAttribute('role')).toBe('switch')
    expect(await mp.textContent('[data-testid=notify-sms-hint]')).toContain('138****8001')
    const saved = mp.waitForResponse((r) => r.url().endsWith('/api/v1/me/notification-preferences') && r.request().method() === 'PUT')
    await mp.click('label[for=notify-sms]')
    expect((await saved).status()).toBe(200)
    await expect.poll(() => mp.textContent('[data-testid=notify-message]')).toBe('已保存通知方式')
    expect(await sms.isChecked()).toBe(false)
    const wang = await ctx.api.signIn('wangjianguo')
    expect((await wang.get('/api/v1/me/notification-preferences')).json<NotificationPreferencesView>()).toMatchObject({ sms: false, push: true })

    await mp.reload()
    await mp.locator('[data-testid=notify-sms]').waitFor()
    await expect.poll(() => mp.locator('[data-testid=notify-sms]').isChecked()).toBe(false)
    expect(await mp.locator('[data-testid=notify-push]').isChecked()).toBe(true)
    await expectNoSeriousAxeViolations(mp, 'profile with notification switches', '[data-testid=notify-prefs]')
    // Offline the choice is shown as last read and cannot be changed (no queued preference).
    await phone.setOffline(true)
    await mp.locator('[data-testid=notify-offline]').waitFor()
    expect(await mp.locator('[data-testid=notify-push]').isDisabled()).toBe(true)
    expect(await mp.locator('[data-testid=notify-sms]').isChecked()).toBe(false)
    await phone.setOffline(false)
    await phone.close()

    // 李秀兰 has no phone on her record: SMS cannot be turned on, and the app says whom to ask.
    const other = await newPhone(ctx.browser, { viewport: { width: 320, height: 640 } })
    const op = await other.newPage()
    await signInAsMember(op, ctx.api.url, 'lixiulan')
    await openInApp(op, '/app/me')
    await op.locator('[data-testid=notify-sms]').waitFor()
    expect(await op.locator('[data-testid=notify-sms]').isDisabled()).toBe(true)
    expect(await op.locator('[data-testid=notify-sms]').isChecked()).toBe(false)
    expect(await op.textContent('[data-testid=notify-sms-hint]')).toBe('请联系工作站登记手机号')
    expect(await op.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    await other.close()
  })

  it('the notifications page fits 320 px: one heading, labelled controls, no serious axe violation, with the editor and a test open', async () => {
    const { context, page } = await committeeAdmin(320)
    await page.waitForSelector('[data-testid=channel-row]')
    await page.waitForSelector('[data-testid=failed-notices] table, [data-testid=failed-empty]')
    await expectPhoneFriendly(page, 'notifications page')
    await expectNoSeriousAxeViolations(page, 'notifications page')

    const sms = page.locator('[data-testid=channel-row][data-provider=aliyun_sms]').first()
    await sms.locator('[data-testid=channel-test-open]').click()
    await sms.locator('[data-testid=channel-test-phone]').fill('13800138000')
    await sms.locator('[data-testid=channel-test-send]').click()
    await sms.locator('[data-testid=channel-test-result][data-ok]').waitFor()
    await expectPhoneFriendly(page, 'a channel test answered')
    await expectNoSeriousAxeViolations(page, 'a channel test answered')

    await sms.locator('[data-testid=channel-edit]').click()
    await page.waitForSelector('[data-testid=channel-editor]')
    await expectPhoneFriendly(page, 'the SMS channel editor')
    await expectNoSeriousAxeViolations(page, 'the SMS channel editor')
    await page.click('[data-testid=channel-editor] .buttons button[type=button]')
    await page.click('[data-testid=channel-new]')
    await page.selectOption('#channel-provider', 'dingtalk_robot')
    expect(await page.locator('#channel-station option').count()).toBeGreaterThan(1)
    await expectPhoneFriendly(page, 'a new robot channel')
    await expectNoSeriousAxeViolations(page, 'a new robot channel')
    await context.close()
  })
})

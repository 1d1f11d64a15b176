import { and, count, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { MemberLedgerReport } from '@mashangjian/shared'
import { browserMissing } from '../../api/test/support/browser'
import { cases, contact, member } from '../../api/src/db/schema'
import { flappingNetwork, newPhone, openInApp, signInAsMember, waitUntilSynced, withMemberApp } from './support/member-browser'

// 界别群众 contacts (issue 15) in Debian's chromium against the real API on a real database: recorded offline,
// stored exactly once whatever the network does, counted by the ledger.
describe.skipIf(browserMissing)('member app, contacts offline and back', () => {
  const ctx = withMemberApp('e2e-contacts')

  const memberId = async (name: string) => (await ctx.api.db.select({ id: member.id }).from(member).where(eq(member.name, name)))[0]!.id
  const contactsNamed = async (name: string) => (await ctx.api.db.select({ n: count() }).from(contact).where(eq(contact.name, name)))[0]!.n
  async function ledger(id: string): Promise<MemberLedgerReport> {
    const login = await fetch(`${ctx.api.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'committee', password: 'demo12345' }),
    })
    const { accessToken } = (await login.json()) as { accessToken: string }
    const res = await fetch(`${ctx.api.url}/api/v1/members/${id}/ledger`, { headers: { authorization: `Bearer ${accessToken}` } })
    expect(res.status).toBe(200)
    return (await res.json()) as MemberLedgerReport
  }

  it('a contact logged offline, across an offline reload and a lost answer, is stored once and counted by the ledger', async () => {
    const wang = await memberId('王建国')
    const before = (await ledger(wang)).counts.sectorContacts
    const context = await newPhone(ctx.browser)
    const page = await context.newPage()
    await signInAsMember(page, ctx.api.url, 'wangjianguo')
    // Open the screen once online (the demo's contacts are listed), then lose the network.
    await page.click('[data-testid=nav-contacts]')
    await expect.poll(() => page.locator('[data-testid=contact-row]').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2)
    await context.setOffline(true)
    await page.reload()
    await page.waitForSelector('[data-testid=offline-banner]')
    await page.waitForSelector('[data-testid=contact-add]')

    await page.click('[data-testid=contact-add]')
    await page.fill('#contact-name', '菜市场摊主老杨')
    await page.fill('#contact-phone', '13912340000')
    await page.selectOption('#contact-kind', 'visit')
    await page.fill('#contact-place', '东城农贸市场')
    await page.fill('#contact-raised', '市场顶棚漏雨，下雨天摊位没法摆')
    await page.click('[data-testid=contact-save]')
    await page.waitForSelector('[data-testid=contact-row][data-pending=true]')
    expect(await page.textContent('[data-testid=contact-row][data-pending=true]')).toContain('菜市场摊主老杨')
    await expect.poll(() => page.getAttribute('[data-testid=sync-state]', 'data-pending'), { timeout: 30_000 }).toBe('1')

    // The phone restarts the app while still offline: the contact is still there, still waiting.
    await page.reload()
    await page.waitForSelector('[data-testid=contact-row][data-pending=true]')
    expect(await contactsNamed('菜市场摊主老杨')).toBe(0)

    // Back online, but the first answer is lost on the way back (the server stored it): the outbox sends it again.
    let lost = 0
    await context.route('**/api/v1/contacts', async (route) => {
      if (route.request().method() !== 'POST' || lost > 0) return route.fallback()
      lost++
      await route.fetch()
      await route.abort('connectionreset')
    })
    await context.setOffline(false)
    await waitUntilSynced(page, 90_000, async () => lost === 1 && (await contactsNamed('菜市场摊主老杨')) === 1)
    expect(lost).toBe(1)
    await expect.poll(() => page.locator('[data-testid=contact-row][data-pending=true]').count(), { timeout: 30_000 }).toBe(0)
    await expect.poll(() => page.locator('[data-testid=contact-row]', { hasText: '菜市场摊主老杨' }).count(), { timeout: 30_000 }).toBe(1)
    expect(await contactsNamed('菜市场摊主老杨')).toBe(1)
    const [row] = await ctx.api.db.select().from(contact).where(eq(contact.name, '菜市场摊主老杨'))
    expect(row).toMatchObject({ memberId: wang, kind: 'visit', place: '东城农贸市场', phoneMasked: '139****0000' })
    expect(JSON.stringify(row)).not.toContain('13912340000')

    // The ledger counts it (once).
    const after = await ledger(wang)
    expect(after.counts.sectorContacts).toBe(before + 1)
    expect(after.contactTarget.actual).toBe(before + 1)
    await expect.poll(() => page.textContent('[data-testid=contacts-target]'), { timeout: 30_000 }).toContain(`${before + 1}`)

    // Online, the member turns it into a case for the person: assigned to themself.
    const saved = page.locator('[data-testid=contact-row]', { hasText: '菜市场摊主老杨' })
    await saved.locator('[data-testid=contact-to-case]').click()
    await saved.locator('[data-testid=contact-consent]').check()
    await saved.locator('[data-testid=contact-confirm-case]').click()
    await page.waitForSelector('[data-testid=contacts-notice]')
    const [k] = await ctx.api.db
      .select({ memberId: cases.memberId, channel: cases.channel })
      .from(cases)
      .where(and(eq(cases.description, '市场顶棚漏雨，下雨天摊位没法摆')))
    expect(k).toEqual({ memberId: wang, channel: 'visit' })
    await context.close()
  }, 180_000)

  it('a flapping network while contacts are logged: each is stored exactly once', async () => {
    const context = await newPhone(ctx.browser)
    const page = await context.newPage()
    await signInAsMember(page, ctx.api.url, 'lixiulan')
    await openInApp(page, '/app/contacts')
    await page.waitForSelector('[data-testid=contact-add]')

    const weather = flappingNetwork(context, 20261205, 400)
    const names = Array.from({ length: 6 }, (_, i) => `界别群众${i}号`)
    for (const name of names) {
      await page.click('[data-testid=contact-add]')
      await page.fill('#contact-name', name)
      await page.fill('#contact-raised', `${name}反映的问题`)
      await page.click('[data-testid=contact-save]')
      await page.waitForSelector('[data-testid=contact-form]', { state: 'detached' })
    }
    await weather.stop()
    await waitUntilSynced(page, 90_000, async () => {
      for (const name of names) if ((await contactsNamed(name)) !== 1) return false
      return true
    })
    for (const name of names) expect(await contactsNamed(name)).toBe(1)
    await context.close()
  }, 180_000)
})

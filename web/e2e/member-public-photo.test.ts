import { describe, expect, it } from 'vitest'
import { browserMissing } from '../../api/test/support/browser'
import { jpegWithGps } from '../../api/test/support/images'
import { newPhone, act, openCase, signInAsMember, waitUntilSynced, withMemberApp } from './support/member-browser'

// issue 16: a member shows their answer's photo on the resident's tracking page (a checkbox, off by default).
describe.skipIf(browserMissing)('member app: answer photos for the resident', () => {
  const ctx = withMemberApp('e2e-public-photo')

  it('the resolve sheet offers "在群众的查询页面显示" once a photo is chosen; ticked, the resident sees the photo', async () => {
    const c = await ctx.api.newCase('王建国', '楼下花坛的护栏倒了，小孩容易绊倒')
    const context = await newPhone(ctx.browser)
    const page = await context.newPage()
    await signInAsMember(page, ctx.api.url, 'wangjianguo')
    await page.waitForSelector(`[data-case-id="${c.id}"]`)
    await openCase(page, c.id)
    await act(page, 'accept')
    await act(page, 'resolve', async (p) => {
      await p.fill('#reply', '护栏已经重新固定好了，请看照片')
      // Nothing to show before a photo is chosen; then the box is there, unticked.
      expect(await p.locator('[data-testid=photos-public]').count()).toBe(0)
      await p.setInputFiles('[data-testid=photo-input]', { name: 'fixed.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps(800, 600) })
      const box = p.getByLabel('在群众的查询页面显示')
      expect(await box.isChecked()).toBe(false)
      await box.check()
    })
    await waitUntilSynced(page, 60_000, async () => (await ctx.api.opEvents(c.id)).some((e) => e.type === 'resolved'))
    const resolved = (await ctx.api.opEvents(c.id)).find((e) => e.type === 'resolved')!
    expect(await ctx.api.photosOf(resolved.id)).toEqual([expect.objectContaining({ public: true })])

    const resident = await context.newPage()
    await resident.goto(`${ctx.api.url}/t/${c.trackingSecret}`)
    const img = resident.getByRole('img', { name: '委员上传的照片 1' })
    await img.scrollIntoViewIfNeeded()
    await resident.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0))
    expect(await img.isVisible()).toBe(true)
    await context.close()
  }, 180_000)
})

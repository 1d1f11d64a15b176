/// <reference lib="dom" />
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { attachment, caseEvent, handoff } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { browserMissing, launchChromium } from '../support/browser'
import { jpegWithGps } from '../support/images'
import { signIn, submitCase, uniqueText } from '../support/case-actions'
import { handOff } from '../support/handoff-fixture'

/** A department's clerk on a small phone: 320 px, JavaScript off, the real server on a real database. */
describe.skipIf(browserMissing)('department page in Chromium without JavaScript', () => {
  const ctx = withDemoApp()
  let browser: Browser
  let base: string
  beforeAll(async () => {
    await ctx.t.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = ctx.t.app.server.address() as { port: number }
    base = `http://127.0.0.1:${port}`
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('opens the link, 签收, answers with a photo and sees the confirmation', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('学校门口的斑马线磨没了，电话13812345678'))
    await (await signIn(ctx.t.app, 'wangjianguo')).ok(c.id, { type: 'accept' })
    const h = await handOff(ctx.t, c.id, { question: '请交警大队重新施划斑马线' })

    const context = await browser.newContext({
      viewport: { width: 320, height: 640 },
      javaScriptEnabled: false,
      locale: 'zh-CN',
      isMobile: true,
      deviceScaleFactor: 2,
    })
    const page = await context.newPage()
    const requests: string[] = []
    page.on('request', (r) => requests.push(r.url()))
    await page.goto(`${base}/d/${h.secret}`)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('交办事项')
    await expect(page.textContent('main')).resolves.toContain('请交警大队重新施划斑马线')
    await expect(page.textContent('main')).resolves.not.toContain('13812345678')
    // Usable at 320 px: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)

    await Promise.all([page.waitForURL(/\?done=acknowledged$/), page.getByRole('button', { name: '签收', exact: true }).click()])
    await expect(page.getByRole('status').textContent()).resolves.toContain('已签收')
    await expect(page.getByRole('button', { name: '签收', exact: true }).count()).resolves.toBe(0)

    await page.getByLabel('答复内容').fill('已安排于下周一夜间重新施划，届时请绕行。')
    await page.getByLabel('答复人（可选）').fill('交警大队 秩序科')
    await page.getByLabel('第1张照片').setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: await jpegWithGps(1200, 900) })
    await Promise.all([page.waitForURL(/\?done=answered$/), page.getByRole('button', { name: '提交答复' }).click()])
    const done = await page.textContent('main')
    expect(done).toContain('答复已提交')
    expect(done).toContain('已安排于下周一夜间重新施划')
    expect(done).toContain('1张')
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320)
    // No external resource on any of the pages.
    expect(requests.every((u) => u.startsWith(base))).toBe(true)

    const db = ctx.t.database.db
    expect((await db.select().from(handoff).where(eq(handoff.id, h.id)))[0]).toMatchObject({ status: 'answered', responderName: '交警大队 秩序科' })
    const photos = await db
      .select({ id: attachment.id })
      .from(attachment)
      .innerJoin(caseEvent, eq(caseEvent.id, attachment.eventId))
      .where(and(eq(attachment.caseId, c.id), eq(caseEvent.type, 'handoff_answered')))
    expect(photos).toHaveLength(1)
    await context.close()
  })
})

import { eq, like } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { attachment, publicThrottle, submissionKey } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { uniqueText } from '../support/case-actions'
import { jpegWithGps } from '../support/images'
import { postCase } from '../support/submit'

/** What the resident pages leave behind is removed by the hourly job (public-cleanup.ts), and only that. */
describe('public leftovers cleanup', () => {
  const ctx = withDemoApp()
  const db = () => ctx.t.database.db
  const pendingRows = () => db().select({ key: attachment.storageKey }).from(attachment).where(like(attachment.storageKey, 'cases/pending/%'))

  it('removes kept photos no case claimed after a day (row and file), spent throttle rows and idempotency keys; keeps fresh ones', async () => {
    const photo = await jpegWithGps(800, 600)
    // A form shown again (the text is too short): its photo is kept for the next post.
    const refused = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: '坏' }, [{ name: 'photo1', data: photo }], { html: true })
    expect(refused.statusCode).toBe(400)
    const [kept] = await pendingRows()
    expect(kept).toBeDefined()
    const keptStored = () => ctx.t.app.services.blobs.get(kept!.key).then((b) => b !== undefined)
    expect(await keptStored()).toBe(true)
    // An idempotency key and a throttle counter of today.
    const stored = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: uniqueText('楼下的路灯不亮了好几天') }, [], {
      headers: { 'idempotency-key': 'cleanup-key-0123456789abcdef' },
    })
    expect(stored.statusCode).toBe(201)
    await db().insert(publicThrottle).values({ key: 'recovery:ip:test', count: 3, windowStartedAt: ctx.t.clock.now() })

    // Within the day nothing goes.
    expect(await ctx.t.app.services.publicCleanup.run()).toEqual({ pendingPhotos: 0, throttleRows: 0, submissionKeys: 0 })
    ctx.t.clock.advance(49 * 3_600_000)
    const report = await ctx.t.app.services.publicCleanup.run()
    expect(report.pendingPhotos).toBeGreaterThanOrEqual(1)
    expect(report.throttleRows).toBeGreaterThanOrEqual(1)
    expect(report.submissionKeys).toBeGreaterThanOrEqual(1)
    expect(await pendingRows()).toEqual([])
    expect(await keptStored()).toBe(false)
    expect(await db().select().from(publicThrottle).where(eq(publicThrottle.key, 'recovery:ip:test'))).toEqual([])
    expect(await db().select().from(submissionKey)).toEqual([])
  })
})

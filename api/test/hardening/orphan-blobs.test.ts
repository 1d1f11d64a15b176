import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { attachment, member } from '../../src/db/schema'
import { ageBlob, hasBlob } from '../support/blob-age'
import { withDemoApp } from '../support/demo-app'
import { jpegWithGps } from '../support/images'
import { postCase } from '../support/submit'

/**
 * Issue 17: each kill -9 during photo submissions left 0–4 photo files with no database row, and nothing removed
 * them. The hourly sweep removes blobs older than an hour that no row names, and nothing else.
 */
describe('the sweep of attachment files no row names', () => {
  const ctx = withDemoApp()
  const age = (key: string, hours: number) => ageBlob(ctx.t, key, new Date(ctx.t.clock.now().getTime() - hours * 3_600_000))

  it('removes old unnamed files, keeps files rows name and files still inside their submission', async () => {
    const db = ctx.t.database.db
    // A resident's photo, recorded by its attachment row: named, and made old.
    const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: '路灯坏了，晚上很黑，请尽快修理' }, [
      { name: 'photo1', data: await jpegWithGps() },
    ])
    expect(res.statusCode, res.body).toBe(201)
    const [photo] = await db.select({ key: attachment.storageKey }).from(attachment)
    age(photo!.key, 5)
    // A member's portrait, named by the member row.
    const blobs = ctx.t.app.services.blobs
    const bytes = Buffer.from('bytes are bytes')
    await blobs.put('members/2026/10/portrait.jpg', bytes)
    age('members/2026/10/portrait.jpg', 24 * 40)
    const [someone] = await db.select({ id: member.id }).from(member).limit(1)
    await db.update(member).set({ photoKey: 'members/2026/10/portrait.jpg' }).where(eq(member.id, someone!.id))
    // Left by a killed process: no row, two hours old.
    await blobs.put('cases/2026/11/orphan-old.jpg', bytes)
    age('cases/2026/11/orphan-old.jpg', 2)
    // The placard portrait cache: derived copies no row names, on purpose.
    await blobs.put('placard-photos/300/members/2026/10/portrait.jpg', bytes)
    age('placard-photos/300/members/2026/10/portrait.jpg', 5)
    // Written ten minutes ago: its transaction may still be running.
    await blobs.put('cases/2026/12/orphan-new.jpg', bytes)
    age('cases/2026/12/orphan-new.jpg', 1 / 6)

    expect(await ctx.t.app.services.orphanSweep.run()).toEqual({ checked: 3, removed: 1 })
    expect(await hasBlob(ctx.t, 'cases/2026/11/orphan-old.jpg')).toBe(false)
    expect(await hasBlob(ctx.t, 'cases/2026/12/orphan-new.jpg')).toBe(true)
    expect(await hasBlob(ctx.t, 'members/2026/10/portrait.jpg')).toBe(true)
    expect(await hasBlob(ctx.t, photo!.key)).toBe(true)
    expect(await hasBlob(ctx.t, 'placard-photos/300/members/2026/10/portrait.jpg')).toBe(true)
    // Nothing more to remove on a second run.
    expect(await ctx.t.app.services.orphanSweep.run()).toEqual({ checked: 2, removed: 0 })
  })
})

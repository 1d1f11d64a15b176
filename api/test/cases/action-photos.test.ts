import { randomUUID } from 'node:crypto'
import { count, eq } from 'drizzle-orm'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { attachment, caseEvent } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { signIn, submitCase, uniqueText, type SignedIn } from '../support/case-actions'
import { jpegWithGps, notAnImage } from '../support/images'
import { footprint } from '../support/submit'

const ctx = withDemoApp()
const db = () => ctx.t.database.db

/** What the member app sends for an action with photos taken offline. */
function postWithPhotos(user: SignedIn, caseId: string, action: unknown, photos: Buffer[]) {
  const form = new FormData()
  if (action !== undefined) form.append('action', typeof action === 'string' ? action : JSON.stringify(action))
  photos.forEach((p, i) => form.append(`photo${i + 1}`, new Blob([new Uint8Array(p)], { type: 'image/jpeg' }), `p${i + 1}.jpg`))
  return ctx.t.app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/actions/with-photos`, headers: user.headers, payload: form })
}

describe('actions with photos', () => {
  it("stores the photos with the action's event, re-encoded without EXIF/GPS; a replay stores nothing more", async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('河道里堆满了建筑垃圾'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    const action = { type: 'note', opId: randomUUID(), baseVersion: (await wang.detail(c.id)).version, body: '现场照片：垃圾约两车' }
    const res = await postWithPhotos(wang, c.id, action, [await jpegWithGps(), await jpegWithGps(800, 600)])
    expect(res.statusCode, res.body).toBe(200)
    const eventId = res.json().events[0].id
    const detail = await wang.detail(c.id)
    const photos = detail.attachments.filter((a) => a.eventId === eventId)
    expect(photos).toHaveLength(2)
    const image = await wang.get(photos[0]!.url)
    expect(image.headers['content-type']).toBe('image/jpeg')
    const meta = await sharp(image.rawPayload).metadata()
    expect(meta.exif).toBeUndefined()
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(1600)

    const before = await footprint(db(), ctx.t.app.services.blobs)
    const again = await postWithPhotos(wang, c.id, action, [await jpegWithGps()])
    expect(again.json()).toMatchObject({ replayed: true, events: [{ id: eventId }] })
    expect(await footprint(db(), ctx.t.app.services.blobs)).toEqual(before)
  })

  it.each([
    ['no action field', undefined, 1, 'body.action'],
    ['action not JSON', '{not json', 1, 'body.action'],
    ['a decline without its reason', { type: 'decline' }, 0, 'body.action'],
    ['a .exe renamed .jpg', { type: 'note', body: '附件' }, -1, 'body.photo1'],
    ['4 photos', { type: 'note', body: '四张照片' }, 4, 'body.photos'],
  ] as const)('refuses %s with 400 and keeps no event, row or file', async (_name, action, photoCount, field) => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('桥下的涵洞被堵住了'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const body = typeof action === 'object' ? { opId: randomUUID(), baseVersion: (await wang.detail(c.id)).version, ...action } : action
    const photos = photoCount === -1 ? [notAnImage(2048)] : await Promise.all(Array.from({ length: photoCount }, () => jpegWithGps(400, 300)))
    const before = await footprint(db(), ctx.t.app.services.blobs)
    const res = await postWithPhotos(wang, c.id, body, photos)
    expect(res.statusCode, res.body).toBe(400)
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field)
    expect(await footprint(db(), ctx.t.app.services.blobs)).toEqual(before)
    expect((await db().select({ n: count() }).from(caseEvent).where(eq(caseEvent.caseId, c.id)))[0]!.n).toBe(2)
  })

  it("another member's case is 404 and leaves no file behind; JSON is 415", async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('村里的自来水有异味'))
    const li = await signIn(ctx.t.app, 'lixiulan')
    const before = await footprint(db(), ctx.t.app.services.blobs)
    const res = await postWithPhotos(li, c.id, { type: 'note', opId: randomUUID(), baseVersion: 2, body: '越权' }, [await jpegWithGps(400, 300)])
    expect(res.statusCode).toBe(404)
    expect(await footprint(db(), ctx.t.app.services.blobs)).toEqual(before)
    expect((await db().select({ n: count() }).from(attachment).where(eq(attachment.caseId, c.id)))[0]!.n).toBe(0)
    const json = await ctx.t.app.inject({ method: 'POST', url: `/api/v1/cases/${c.id}/actions/with-photos`, headers: li.headers, payload: { type: 'note' } })
    expect(json.statusCode).toBe(415)
  })
})

import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { caseEvent, caseOp } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { signIn, submitCase, uniqueText } from '../support/case-actions'

/**
 * Issue 18: an opId names one request. Sent again exactly (a lost answer, a replayed outbox) it answers the first
 * answer; reused for another action, another body, another case or by another user it is refused with 409
 * OP_ID_REUSED, and nothing changes.
 */
const ctx = withDemoApp()
const db = () => ctx.t.database.db
const post = (token: string, caseId: string, payload: object) =>
  ctx.t.app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/actions`, headers: { authorization: `Bearer ${token}` }, payload })
const eventTypes = async (caseId: string) =>
  (await db().select({ type: caseEvent.type }).from(caseEvent).where(eq(caseEvent.caseId, caseId))).map((e) => e.type)

describe('opId reuse', () => {
  it("a resolve sent with an accept's opId is refused with 409 OP_ID_REUSED and changes nothing", async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('楼道灯坏了一个月没人修'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const opId = randomUUID()
    const accepted = await post(wang.token, c.id, { opId, baseVersion: (await wang.detail(c.id)).version, type: 'accept' })
    expect(accepted.statusCode, accepted.body).toBe(200)
    const version = accepted.json().case.version

    const resolve = await post(wang.token, c.id, { opId, baseVersion: version, type: 'resolve', reply: '已联系物业换好灯泡。' })
    expect(resolve.statusCode, resolve.body).toBe(409)
    expect(resolve.headers['content-type']).toContain('application/problem+json')
    expect(resolve.json()).toMatchObject({ code: 'OP_ID_REUSED', status: 409 })
    expect((await wang.detail(c.id)).version).toBe(version)
    expect(await eventTypes(c.id)).not.toContain('resolved')

    // The resolve with an opId of its own goes through.
    expect((await post(wang.token, c.id, { opId: randomUUID(), baseVersion: version, type: 'resolve', reply: '已联系物业换好灯泡。' })).statusCode).toBe(200)
  })

  it('the same type with a different body is refused; the exact same request is replayed, whatever baseVersion it carries', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('垃圾桶满了没人清运'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const opId = randomUUID()
    const body = { opId, baseVersion: (await wang.detail(c.id)).version, type: 'note', body: '下午去现场看过', occurredAt: '2024-05-01T08:00:00.000Z' }
    const first = await post(wang.token, c.id, body)
    expect(first.statusCode, first.body).toBe(200)
    const version = first.json().case.version

    for (const changed of [
      { ...body, body: '下午去现场看过，已拍照' },
      { ...body, visibility: 'public' },
      { ...body, occurredAt: '2024-05-01T09:00:00.000Z' },
      { ...body, type: 'contact_log', method: 'phone' },
    ]) {
      const res = await post(wang.token, c.id, changed)
      expect(res.statusCode, JSON.stringify(changed)).toBe(409)
      expect(res.json().code).toBe('OP_ID_REUSED')
    }

    // A lost answer: the outbox sends the very same body again, and again after the case moved on.
    const again = await post(wang.token, c.id, body)
    expect(again.statusCode, again.body).toBe(200)
    expect(again.json()).toMatchObject({ replayed: true, case: { version } })
    // The schema's default filled in is the same request as the default left out.
    expect((await post(wang.token, c.id, { ...body, visibility: 'internal' })).json()).toMatchObject({ replayed: true })
    expect((await wang.ok(c.id, { type: 'accept' })).case.version).toBe(version + 1)
    const late = await post(wang.token, c.id, body)
    expect(late.statusCode, late.body).toBe(200)
    expect(late.json()).toMatchObject({ replayed: true, case: { version } })
    expect((await eventTypes(c.id)).filter((t) => t === 'note')).toHaveLength(1)
  })

  it('the same opId on another case, or by another user, is OP_ID_REUSED and says nothing of the first', async () => {
    const a = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('路灯不亮，晚上出行不安全'))
    const b = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('小区健身器材损坏'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const station = await signIn(ctx.t.app, 'station')
    const opId = randomUUID()
    expect((await post(wang.token, a.id, { opId, baseVersion: (await wang.detail(a.id)).version, type: 'accept' })).statusCode).toBe(200)

    const otherCase = await post(wang.token, b.id, { opId, baseVersion: (await wang.detail(b.id)).version, type: 'accept' })
    expect(otherCase.statusCode).toBe(409)
    expect(otherCase.json().code).toBe('OP_ID_REUSED')
    expect(otherCase.body).not.toContain(a.id)
    expect(await eventTypes(b.id)).not.toContain('accepted')

    const otherUser = await post(station.token, a.id, { opId, baseVersion: (await station.detail(a.id)).version, type: 'note', body: '站长备注' })
    expect(otherUser.statusCode).toBe(409)
    expect(otherUser.json().code).toBe('OP_ID_REUSED')
  })

  it('a reused opId on the photo route is refused before the photos are looked at', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('井盖松动，车辆经过响声很大'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const opId = randomUUID()
    const baseVersion = (await wang.detail(c.id)).version
    expect((await post(wang.token, c.id, { opId, baseVersion, type: 'accept' })).statusCode).toBe(200)
    const boundary = 'x-op-id-reuse'
    const action = JSON.stringify({ opId, baseVersion: baseVersion + 1, type: 'note', body: '现场照片' })
    const payload = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="action"',
      '',
      action,
      `--${boundary}`,
      'Content-Disposition: form-data; name="photo1"; filename="photo1.jpg"',
      'Content-Type: image/jpeg',
      '',
      'not really a jpeg',
      `--${boundary}--`,
      '',
    ].join('\r\n')
    const res = await ctx.t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${c.id}/actions/with-photos`,
      payload,
      headers: { ...wang.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    })
    expect(res.statusCode, res.body).toBe(409)
    expect(res.json().code).toBe('OP_ID_REUSED')
  })

  it('an answer stored before requests were fingerprinted (no hash) is replayed as before', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('楼下餐馆油烟直排'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const opId = randomUUID()
    const baseVersion = (await wang.detail(c.id)).version
    expect((await post(wang.token, c.id, { opId, baseVersion, type: 'accept' })).statusCode).toBe(200)
    const [stored] = await db().select().from(caseOp).where(eq(caseOp.opId, opId))
    expect(stored!.requestHash).toEqual(expect.any(String))
    await db().update(caseOp).set({ requestHash: null }).where(eq(caseOp.opId, opId))
    const res = await post(wang.token, c.id, { opId, baseVersion, type: 'note', body: '旧数据：不知道第一次是什么请求' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ replayed: true, case: { status: 'accepted' } })
    // Still only for the same user and case.
    const station = await signIn(ctx.t.app, 'station')
    expect((await post(station.token, c.id, { opId, baseVersion, type: 'accept' })).json().code).toBe('OP_ID_REUSED')
  })

  it("a staff intake's opId: the same form again is replayed, another form or an action with it is OP_ID_REUSED", async () => {
    const station = await signIn(ctx.t.app, 'station')
    const intake = (body: object) => ctx.t.app.inject({ method: 'POST', url: '/api/v1/cases/intake', headers: station.headers, payload: body })
    const body = { opId: randomUUID(), channel: 'phone', stationId: ctx.refs.stationId, description: uniqueText('电话受理：小区路灯不亮'), consent: false }
    const first = await intake(body)
    expect(first.statusCode, first.body).toBe(201)
    expect((await intake(body)).json()).toMatchObject({ replayed: true, case: { id: first.json().case.id } })
    const other = await intake({ ...body, description: uniqueText('电话受理：另一件事') })
    expect(other.statusCode, other.body).toBe(409)
    expect(other.json().code).toBe('OP_ID_REUSED')
  })
})

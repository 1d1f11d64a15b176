import { and, asc, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { auditLog, caseEvent, member } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { rate, signIn, submitCase, uniqueText } from '../support/case-actions'

const ctx = withDemoApp()
const db = () => ctx.t.database.db
const types = async (caseId: string) =>
  (await db().select({ type: caseEvent.type }).from(caseEvent).where(eq(caseEvent.caseId, caseId)).orderBy(asc(caseEvent.id))).map((e) => e.type)

describe('the whole loop through the HTTP API', () => {
  it('submit → routed → accept → note → resolve → resident rates satisfied → closed', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('小区路灯坏了一个月没人修，晚上出门很危险'), { phone: '13912345678', consent: 'on' })
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const inbox = (await wang.get('/api/v1/me/cases?filter=new')).json()
    expect(inbox.items.map((i: { id: string }) => i.id)).toContain(c.id)
    expect(inbox.counts.new).toBeGreaterThan(0)

    const seen = await wang.detail(c.id)
    expect(seen).toMatchObject({ status: 'assigned', residentPhone: '13912345678', residentPhoneMasked: '139****5678', memberName: '王建国' })
    expect(seen.allowedActions).toContain('accept')
    const views = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, c.id), eq(auditLog.action, 'case.phone_viewed')))
    expect(views).toHaveLength(1)

    expect((await wang.ok(c.id, { type: 'accept' })).case.status).toBe('accepted')
    expect((await wang.ok(c.id, { type: 'note', body: '已电话联系居民，约好明天上午去现场' })).case.status).toBe('in_progress')
    const resolved = await wang.ok(c.id, { type: 'resolve', reply: '已联系街道办，路灯已于今日修复' })
    expect(resolved.case).toMatchObject({ status: 'resolved', resolvedAt: expect.any(String) })

    const rated = await rate(ctx.t, c.trackingSecret, 'satisfied', '谢谢委员')
    expect(rated.statusCode, rated.body).toBe(200)
    expect((await wang.detail(c.id)).status).toBe('closed')
    expect(await types(c.id)).toEqual(['submitted', 'assigned', 'accepted', 'note', 'resolved', 'rated', 'closed'])
    // Every member action is audit-logged with its transition.
    const audited = await db().select().from(auditLog).where(eq(auditLog.targetId, c.id)).orderBy(asc(auditLog.id))
    expect(audited.map((a) => a.action).filter((a) => a !== 'case.phone_viewed')).toEqual([
      'case.submitted',
      'case.accept',
      'case.note',
      'case.resolve',
      'case.rate',
    ])
    expect(audited.find((a) => a.action === 'case.resolve')!.detail).toMatchObject({ from: 'in_progress', to: 'resolved' })
  })

  it('decline → station queue → the station admin assigns another member, who accepts', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('菜市场门口的积水一下雨就漫到路上'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const declined = await wang.ok(c.id, { type: 'decline', reason: '本人近期在外地学习，无法及时处理' })
    expect(declined.case).toMatchObject({ status: 'assigned', memberId: null })
    expect((await wang.get(`/api/v1/cases/${c.id}`)).statusCode).toBe(404)

    const station = await signIn(ctx.t.app, 'station')
    const queue = (await station.get('/api/v1/me/cases?filter=queue')).json()
    expect(queue.items.map((i: { id: string }) => i.id)).toContain(c.id)
    const [li] = await db().select().from(member).where(eq(member.name, '李秀兰'))
    const assigned = await station.ok(c.id, { type: 'assign', memberId: li!.id })
    expect(assigned.case).toMatchObject({ status: 'assigned', memberId: li!.id, memberName: '李秀兰' })

    const liUser = await signIn(ctx.t.app, 'lixiulan')
    expect((await liUser.ok(c.id, { type: 'accept' })).case.status).toBe('accepted')
    expect(await types(c.id)).toEqual(['submitted', 'assigned', 'declined', 'assigned', 'accepted'])
  })

  it('unsatisfied → reopened → accepted and resolved again → a second rating closes it', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('楼上装修噪音从早到晚，周末也不停'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    await wang.ok(c.id, { type: 'resolve', reply: '已与物业沟通，装修时间限定在工作日' })
    expect((await rate(ctx.t, c.trackingSecret, 'unsatisfied', '周末还是很吵')).json()).toEqual({ status: 'reopened' })
    const reopened = await wang.detail(c.id)
    expect(reopened).toMatchObject({ status: 'reopened', reopenCount: 1 })
    expect(reopened.allowedActions).toContain('accept')
    await wang.ok(c.id, { type: 'accept' })
    await wang.ok(c.id, { type: 'resolve', reply: '物业已张贴告示并安排巡查，周末禁止施工' })
    expect((await rate(ctx.t, c.trackingSecret, 'unsatisfied')).json()).toEqual({ status: 'closed' })
    expect(await types(c.id)).toEqual(['submitted', 'assigned', 'accepted', 'resolved', 'rated', 'reopened', 'accepted', 'resolved', 'rated', 'closed'])
  })

  it('refuses what the state machine does not allow with 409 INVALID_TRANSITION and the current case', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('公交站牌被撞倒了一直没扶起来'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const res = await wang.act(c.id, { type: 'resolve', reply: '还没接单就想办结' })
    expect(res.statusCode).toBe(409)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json()).toMatchObject({ code: 'INVALID_TRANSITION', current: { id: c.id, status: 'assigned' } })
    const station = await signIn(ctx.t.app, 'station')
    expect((await station.act(c.id, { type: 'accept' })).json().code).toBe('INVALID_TRANSITION')
  })

  it('validates action bodies: a decline needs a reason, a resolve a reply, types must be known', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('小区垃圾清运不及时，味道很大'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    for (const body of [
      { type: 'decline' },
      { type: 'resolve', reply: '' },
      { type: 'fly' },
      { type: 'accept', opId: 'not-a-uuid' },
      { type: 'accept', baseVersion: 0 },
    ]) {
      const res = await wang.act(c.id, body)
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
      expect(res.json().code).toBe('VALIDATION_FAILED')
    }
    expect(await types(c.id)).toEqual(['submitted', 'assigned'])
  })

  it('answers an inbox cursor it never gave out with 400 on querystring.cursor', async () => {
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    for (const cursor of ['abc', Buffer.from('not-a-date|x').toString('base64url'), Buffer.from(`${new Date().toISOString()}|nope`).toString('base64url')]) {
      const res = await wang.get(`/api/v1/me/cases?cursor=${cursor}`)
      expect(res.statusCode, cursor).toBe(400)
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'querystring.cursor' }] })
    }
  })

  it('documents the member/admin case API in OpenAPI, bearer-protected', async () => {
    const doc = (await ctx.t.app.inject({ url: '/docs/json' })).json()
    for (const [path, method] of [
      ['/api/v1/me/cases', 'get'],
      ['/api/v1/cases/{id}', 'get'],
      ['/api/v1/cases/{id}/actions', 'post'],
      ['/api/v1/cases/{id}/actions/with-photos', 'post'],
      ['/api/v1/attachments/{id}', 'get'],
      ['/api/v1/sync', 'get'],
      ['/api/v1/stream', 'get'],
      ['/api/v1/metrics', 'get'],
      ['/api/v1/push/subscriptions', 'post'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined()
      expect(doc.paths[path][method].security).toEqual([{ bearerAuth: [] }])
    }
  })

  it('an extension request moves the resolve deadline once an admin approves it', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('村道塌了一段，需要协调交通部门修'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const accepted = await wang.ok(c.id, { type: 'accept' })
    const until = new Date(new Date(accepted.case.resolveDueAt!).getTime() + 10 * 86_400_000).toISOString()
    await wang.ok(c.id, { type: 'request_extension', reason: '需要交通局现场勘察', until })
    const station = await signIn(ctx.t.app, 'station')
    const approved = await station.ok(c.id, { type: 'approve_extension' })
    expect(approved.case).toMatchObject({ resolveDueAt: until, extensionRequestedUntil: null })
    expect((await station.act(c.id, { type: 'approve_extension' })).json().code).toBe('INVALID_TRANSITION')
  })
})

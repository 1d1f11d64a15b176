import { and, asc, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { auditLog, caseEvent } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { signIn, submitCase, uniqueText } from '../support/case-actions'
import { outboxOf, who } from '../support/outbox'

const ctx = withDemoApp()
/** 督办 notices written for the case (in the action's transaction: there when the answer is). */
const chases = async (caseId: string) => outboxOf(ctx.t.database.db, { caseId, templateKeys: ['member.chased', 'station.chased'] })

describe('督办 (chase) by an admin', () => {
  it('a station admin’s chase is an internal event on the case and a notice to its member', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('楼道里的电动车充电线乱拉，存在火灾隐患'))
    const station = await signIn(ctx.t.app, 'station')
    const chased = await station.ok(c.id, { type: 'chase', body: '群众反映较急，请今天内联系' })
    expect(chased.case.status).toBe('assigned')
    expect(chased.events).toEqual([expect.objectContaining({ type: 'chased', visibility: 'internal', body: '群众反映较急，请今天内联系', actorKind: 'admin' })])
    const rows = await chases(c.id)
    expect(who(rows)).toEqual([['member.chased', 'member', chased.case.memberId]])
    expect(rows[0]!.params).toMatchObject({ publicNo: c.publicNo, note: '群众反映较急，请今天内联系' })
    const events = await ctx.t.database.db.select({ type: caseEvent.type }).from(caseEvent).where(eq(caseEvent.caseId, c.id)).orderBy(asc(caseEvent.id))
    expect(events.map((e) => e.type)).toEqual(['submitted', 'assigned', 'chased'])
    const audited = await ctx.t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, c.id), eq(auditLog.action, 'case.chase')))
    expect(audited).toHaveLength(1)
    // The member sees the chase on the timeline.
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    expect((await wang.detail(c.id)).events.map((e) => e.type)).toContain('chased')
  })

  it('a committee admin can chase too; a chase made on an older version still applies (it only adds to the timeline)', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('公交站牌被撞歪了，一直没人扶正'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    const committee = await signIn(ctx.t.app, 'committee')
    const res = await committee.ok(c.id, { type: 'chase', baseVersion: 1 })
    expect(res).toMatchObject({ rebased: true, case: { status: 'accepted' } })
    expect(who(await chases(c.id)).map(([key]) => key)).toEqual(['member.chased'])
  })

  it('a case waiting in the station queue: the chase goes to the station’s admins', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('小区门口的减速带坏了，车开过去很响'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(c.id, { type: 'decline', reason: '近期出差，无法办理' })
    const committee = await signIn(ctx.t.app, 'committee')
    await committee.ok(c.id, { type: 'chase', body: '请工作站尽快派单' })
    expect(who(await chases(c.id))).toEqual([['station.chased', 'station', ctx.refs.stationId]])
  })

  it('a member cannot chase (409 INVALID_TRANSITION) and nobody is notified', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('路口红绿灯时间太短，老人过不去'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const res = await wang.act(c.id, { type: 'chase' })
    expect(res.statusCode).toBe(409)
    expect(res.json().code).toBe('INVALID_TRANSITION')
    expect(await chases(c.id)).toEqual([])
  })
})

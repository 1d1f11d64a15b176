import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { CaseDetail, CaseSummary } from '@mashangjian/shared'
import { appUser, attachment, auditLog, caseEvent, handoff, station, userStation } from '../../src/db/schema'
import { hashPassword } from '../../src/auth/passwords'
import { handoffSecretHash } from '../../src/handoffs/handoff-secret'
import { DEMO_PASSWORD } from '../../src/seed/demo-data'
import { withDemoApp } from '../support/demo-app'
import { outboxOf } from '../support/outbox'
import { signIn } from '../support/case-actions'
import { handoffFixtures } from './handoff-fixtures'

const ctx = withDemoApp()
const f = handoffFixtures(ctx)

describe('交办: handing a case to a department (case actions)', () => {
  it('a member hands off: the case goes 办理中, an internal event, the hand-off row and the department notice by its channel', async () => {
    const housing = await f.addDepartment('县住建局', 'robot')
    const water = await f.addDepartment('县水务局', 'sms')
    const roads = await f.addDepartment('县交通局', 'log')
    const c = await f.acceptedCase()
    const result = await f.handOff(c.wang, c.id, housing.id)
    expect(result.case).toMatchObject({ status: 'in_progress', awaitingDepartment: true, resolvePausedAt: null })
    const [ev] = result.events
    expect(ev).toMatchObject({ type: 'handed_off', visibility: 'internal', body: '请核实该路段的维修责任单位并答复处理时限' })
    const [h] = await f.handoffsOf(c.id)
    expect(ev!.data).toEqual({ handoffId: h!.id, departmentId: housing.id, departmentName: '县住建局', dueAt: h!.dueAt.toISOString() })
    expect(h).toMatchObject({
      status: 'sent',
      departmentId: housing.id,
      committeeId: await f.committeeId(),
      createdByMemberId: (await f.caseRow(c.id)).memberId,
      opId: expect.any(String),
      closedAt: null,
    })
    expect(h!.secretHash).toMatch(/^[0-9a-f]{64}$/)
    expect(h!.secretEnc).toMatch(/^v1\./)
    // The resident's page shows nothing of it.
    const tracking = (await ctx.t.app.inject({ url: `/api/v1/public/tracking/${c.trackingSecret}` })).body
    expect(tracking).not.toContain('县住建局')

    // Two more departments on the same case: each its own row and notice, by the department's own reach.
    ctx.t.clock.advanceMinutes(1)
    await f.handOff(c.wang, c.id, water.id, { question: '请核实供水管网是否渗漏导致路面塌陷' })
    ctx.t.clock.advanceMinutes(1)
    await f.handOff(c.wang, c.id, roads.id, { question: '请评估路面修复所需时间' })
    const rows = await f.handoffsOf(c.id)
    expect(rows.map((r) => r.departmentId)).toEqual([housing.id, water.id, roads.id])
    const notices = await outboxOf(f.db(), { caseId: c.id, templateKeys: ['department.handoff'] })
    expect(notices.map((n) => [n.recipientKind, n.recipientId, n.channel])).toEqual([
      ['department', rows[0]!.id, 'robot'],
      ['department', rows[1]!.id, 'sms'],
      ['department', rows[2]!.id, 'log'],
    ])
    expect(notices[0]!.params).toMatchObject({ department: '县住建局', publicNo: c.publicNo })
    expect(JSON.stringify(notices)).not.toContain(rows[0]!.secretEnc)

    // The detail lists them newest first, with the member's name.
    const detail = await c.wang.detail(c.id)
    expect(detail.handoffs!.map((x) => x.departmentName)).toEqual(['县交通局', '县水务局', '县住建局'])
    expect(detail.handoffs![2]).toMatchObject({ status: 'sent', createdByName: '王建国', linkRevoked: false, photos: [], answer: null })
    expect(detail).toMatchObject({ awaitingDepartment: true })
  })

  it('the same opId replayed makes one hand-off; the same opId for another body is refused', async () => {
    const d = await f.addDepartment('县市场监管局')
    const c = await f.acceptedCase('饭店油烟直排居民楼，气味很大')
    const opId = randomUUID()
    const body = { opId, type: 'handoff', departmentId: d.id, question: '请核查该饭店油烟净化设施' }
    const first = await c.wang.act(c.id, body)
    const again = await c.wang.act(c.id, { ...body, baseVersion: first.json().case.version - 1 })
    expect(first.statusCode, first.body).toBe(200)
    expect(again.json()).toMatchObject({ replayed: true })
    expect(await f.handoffsOf(c.id)).toHaveLength(1)
    expect((await c.wang.act(c.id, { ...body, question: '另一个问题内容不同' })).statusCode).toBe(409)
  })

  it("refuses another committee's department (404), an inactive one (409) and a bad deadline (400 on body.dueAt)", async () => {
    const c = await f.acceptedCase('村道边的排水沟堵了')
    const foreign = await c.wang.act(c.id, { type: 'handoff', departmentId: await f.foreignDepartment(), question: '请清理排水沟' })
    expect(foreign.statusCode).toBe(404)
    const off = await f.addDepartment('县林业局')
    const admin = await signIn(ctx.t.app, 'committee')
    await ctx.t.app.inject({ method: 'PATCH', url: `/api/v1/departments/${off.id}`, headers: admin.headers, payload: { active: false } })
    const inactive = await c.wang.act(c.id, { type: 'handoff', departmentId: off.id, question: '请清理排水沟' })
    expect(inactive.statusCode).toBe(409)
    expect(inactive.json()).toMatchObject({ code: 'CONFLICT' })
    expect(inactive.json().detail).toContain('县林业局')
    const d = await f.addDepartment('县农业农村局')
    const now = ctx.t.clock.now().getTime()
    for (const dueAt of [new Date(now - 60_000), new Date(now + 91 * 86_400_000)]) {
      const res = await c.wang.act(c.id, { type: 'handoff', departmentId: d.id, question: '请清理排水沟', dueAt: dueAt.toISOString() })
      expect(res.statusCode, res.body).toBe(400)
      expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.dueAt'])
    }
    const chosen = new Date(now + 3 * 86_400_000).toISOString()
    await f.handOff(c.wang, c.id, d.id, { dueAt: chosen })
    expect((await f.handoffsOf(c.id))[0]!.dueAt.toISOString()).toBe(chosen)
    expect(await f.handoffsOf(c.id)).toHaveLength(1)
  })

  it('the default deadline is 5 working days at 18:00 Beijing time: from a Friday, the next Friday', async () => {
    // Move the clock to the next Friday 10:00 Beijing (02:00 UTC).
    const now = ctx.t.clock.now()
    const friday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + ((5 - now.getUTCDay() + 7) % 7 || 7), 2))
    ctx.t.clock.advance(friday.getTime() - now.getTime())
    const d = await f.addDepartment('县教育局')
    const c = await f.acceptedCase('学校门口早晚接送时段交通拥堵')
    await f.handOff(c.wang, c.id, d.id)
    const [h] = await f.handoffsOf(c.id)
    expect(h!.dueAt.toISOString()).toBe(new Date(friday.getTime() + 7 * 86_400_000 + 8 * 3_600_000).toISOString())
    const destinations = (await c.wang.get(`/api/v1/cases/${c.id}/destinations`)).json()
    expect(destinations.handoffDueAt).toBe(h!.dueAt.toISOString())
    expect(destinations.departments).toEqual(expect.arrayContaining([{ id: d.id, name: '县教育局', kind: 'bureau' }]))
    expect(destinations.departments.map((x: { name: string }) => x.name)).not.toContain('县林业局') // inactive
  })

  it("withdraw: the hand-off ends (link dead), an internal event; twice is refused; another case's hand-off is not found", async () => {
    const d = await f.addDepartment('县卫健委')
    const c = await f.acceptedCase('社区诊所晚上没人值班')
    await f.handOff(c.wang, c.id, d.id)
    const [h] = await f.handoffsOf(c.id)
    const other = await f.acceptedCase('另一个小区也没有夜间诊所')
    expect((await other.wang.act(other.id, { type: 'withdraw_handoff', handoffId: h!.id })).statusCode).toBe(404)
    const res = await c.wang.ok(c.id, { type: 'withdraw_handoff', handoffId: h!.id, reason: '问错了部门，改交卫健局' })
    expect(res.case).toMatchObject({ awaitingDepartment: false, status: 'in_progress' })
    expect(res.events[0]).toMatchObject({
      type: 'handoff_withdrawn',
      visibility: 'internal',
      body: '问错了部门，改交卫健局',
      data: { handoffId: h!.id, departmentName: '县卫健委' },
    })
    expect((await f.handoffsOf(c.id))[0]).toMatchObject({ status: 'withdrawn', closedAt: ctx.t.clock.now() })
    const again = await c.wang.act(c.id, { type: 'withdraw_handoff', handoffId: h!.id })
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ code: 'INVALID_TRANSITION' })
    // A department with hand-offs is deactivated, not deleted.
    const admin = await signIn(ctx.t.app, 'committee')
    const del = await ctx.t.app.inject({ method: 'DELETE', url: `/api/v1/departments/${d.id}`, headers: admin.headers })
    expect(del.statusCode).toBe(409)
    expect(del.json()).toMatchObject({ code: 'IN_USE' })
  })

  it('a case that ends expires its open hand-offs in the same transaction (resolve by the member, invalid by the desk)', async () => {
    const d = await f.addDepartment('县城管局')
    const c = await f.acceptedCase('人行道上堆满了建筑垃圾')
    await f.handOff(c.wang, c.id, d.id)
    await f.handOff(c.wang, c.id, d.id, { question: '第二个问题：何时清运' })
    const resolved = await c.wang.ok(c.id, { type: 'resolve', reply: '已协调清运完毕' })
    expect(resolved.case).toMatchObject({ status: 'resolved', awaitingDepartment: false })
    expect(resolved.events.map((e) => e.type)).toEqual(['resolved', 'handoff_expired', 'handoff_expired'])
    expect(resolved.events[1]).toMatchObject({ visibility: 'internal', actorKind: 'system', data: { departmentName: '县城管局' } })
    expect((await f.handoffsOf(c.id)).map((h) => [h.status, h.closedAt])).toEqual([
      ['expired', ctx.t.clock.now()],
      ['expired', ctx.t.clock.now()],
    ])
    const [audit] = await f
      .db()
      .select()
      .from(auditLog)
      .where(eq(auditLog.targetId, c.id))
      .then((rows) => rows.filter((r) => r.action === 'case.resolve'))
    expect((audit!.detail as { expiredHandoffs: string[] }).expiredHandoffs).toHaveLength(2)

    const desk = await signIn(ctx.t.app, 'station')
    const x = await f.acceptedCase('重复提交的井盖问题')
    await f.handOff(desk, x.id, d.id)
    await desk.ok(x.id, { type: 'mark_invalid', reason: '重复提交' })
    expect((await f.handoffsOf(x.id))[0]).toMatchObject({ status: 'expired' })
    // A case that ends with nothing handed off writes no expiry event.
    const y = await f.acceptedCase('路灯不亮')
    expect((await y.wang.ok(y.id, { type: 'resolve', reply: '已更换灯泡，路灯已修好' })).events.map((e) => e.type)).toEqual(['resolved'])
  })

  it('awaitingDepartment in the inbox list and the sync feed; photos of the answer on the hand-off', async () => {
    const d = await f.addDepartment('县文化和旅游局')
    const c = await f.acceptedCase('山坡有落石风险')
    const start = (await c.wang.get('/api/v1/sync')).json().cursor as string
    await f.handOff(c.wang, c.id, d.id)
    const list = (await c.wang.get('/api/v1/me/cases?filter=open')).json<{ items: CaseSummary[] }>()
    expect(list.items.find((i) => i.id === c.id)).toMatchObject({ awaitingDepartment: true })
    expect(list.items.every((i) => typeof i.awaitingDepartment === 'boolean')).toBe(true)
    const deadline = Date.now() + 10_000
    let seen: CaseSummary | undefined
    for (let cursor = start; !seen && Date.now() < deadline;) {
      const page = (await c.wang.get(`/api/v1/sync?since=${cursor}`)).json()
      seen = page.cases.find((x: CaseSummary) => x.id === c.id && x.awaitingDepartment)
      cursor = page.cursor
      if (!seen) await new Promise((r) => setTimeout(r, 50))
    }
    expect(seen).toMatchObject({ awaitingDepartment: true, status: 'in_progress' })

    // The department's answer (written by its page) carries photos: they show on the hand-off, served like the case's.
    const [h] = await f.handoffsOf(c.id)
    const [answer] = await f
      .db()
      .insert(caseEvent)
      .values({
        caseId: c.id,
        type: 'handoff_answered',
        actorKind: 'system',
        visibility: 'internal',
        body: '已安排清理落石',
        data: { handoffId: h!.id },
        occurredAt: ctx.t.clock.now(),
        receivedAt: ctx.t.clock.now(),
      })
      .returning()
    const [photo] = await f
      .db()
      .insert(attachment)
      .values({
        caseId: c.id,
        eventId: answer!.id,
        storageKey: 'x/y.jpg',
        mime: 'image/jpeg',
        bytes: 10,
        width: 640,
        height: 480,
        sha256: 'ab',
      })
      .returning()
    const view = (await c.wang.detail(c.id)).handoffs![0]!
    expect(view.photos).toEqual([{ id: photo!.id, url: `/api/v1/attachments/${photo!.id}`, width: 640, height: 480 }])
  })
})

describe("交办: the department's link, from the staff side", () => {
  it('the assignee reissues (new URL, the old secret no longer matches) and revokes; both audit-logged without the secret', async () => {
    const d = await f.addDepartment('县民政局')
    const c = await f.acceptedCase('独居老人家里暖气不热')
    await f.handOff(c.wang, c.id, d.id)
    const [h] = await f.handoffsOf(c.id)
    const link = async () => {
      const res = await ctx.t.app.inject({ method: 'POST', url: `/api/v1/handoffs/${h!.id}/link`, headers: c.wang.headers })
      expect(res.statusCode, res.body).toBe(200)
      return res.json<{ url: string; handoff: { id: string; linkRevoked: boolean } }>()
    }
    const first = await link()
    expect(first.url).toMatch(/^http:\/\/msj\.test\/d\/[\w-]{32}$/)
    expect(first.handoff).toMatchObject({ id: h!.id, linkRevoked: false })
    const second = await link()
    expect(second.url).not.toBe(first.url)
    const byHash = async (url: string) =>
      (
        await f
          .db()
          .select({ id: handoff.id })
          .from(handoff)
          .where(eq(handoff.secretHash, handoffSecretHash(url.split('/d/')[1]!)!))
      ).length
    expect(await byHash(first.url)).toBe(0)
    expect(await byHash(second.url)).toBe(1)

    const revoked = await ctx.t.app.inject({ method: 'DELETE', url: `/api/v1/handoffs/${h!.id}/link`, headers: c.wang.headers })
    expect(revoked.statusCode).toBe(204)
    expect((await f.handoffsOf(c.id))[0]!.linkRevokedAt).toEqual(ctx.t.clock.now())
    expect((await c.wang.detail(c.id)).handoffs![0]).toMatchObject({ linkRevoked: true })

    const audits = await f.db().select().from(auditLog).where(eq(auditLog.targetId, h!.id))
    expect(audits.map((a) => a.action)).toEqual(['handoff.link_issued', 'handoff.link_issued', 'handoff.link_revoked'])
    const text = JSON.stringify(audits)
    for (const url of [first.url, second.url]) expect(text).not.toContain(url.split('/d/')[1]!)
    const created = (await f.db().select().from(auditLog).where(eq(auditLog.targetId, c.id))).find((a) => a.action === 'case.handoff')
    expect(created!.detail).toMatchObject({ handoffId: h!.id })

    // A closed hand-off gets no new link.
    await c.wang.ok(c.id, { type: 'withdraw_handoff', handoffId: h!.id })
    const closed = await ctx.t.app.inject({ method: 'POST', url: `/api/v1/handoffs/${h!.id}/link`, headers: c.wang.headers })
    expect(closed.statusCode).toBe(409)
  })

  it('the desk in scope may; a station admin of another station, another member or an unknown id get 404', async () => {
    const d = await f.addDepartment('县人社局')
    const c = await f.acceptedCase('工资被拖欠三个月')
    await f.handOff(c.wang, c.id, d.id)
    const [h] = await f.handoffsOf(c.id)
    const post = (headers: Record<string, string>, id = h!.id) => ctx.t.app.inject({ method: 'POST', url: `/api/v1/handoffs/${id}/link`, headers })
    expect((await post((await signIn(ctx.t.app, 'station')).headers)).statusCode).toBe(200)
    expect((await post((await signIn(ctx.t.app, 'committee')).headers)).statusCode).toBe(200)

    const [shouyang] = await f.db().select().from(station).where(eq(station.name, '首阳镇委员联络室'))
    const [other] = await f
      .db()
      .insert(appUser)
      .values({
        username: `shouyang-${randomUUID().slice(0, 6)}`,
        displayName: '首阳管理员',
        role: 'station_admin',
        committeeId: shouyang!.committeeId,
        passwordHash: await hashPassword(DEMO_PASSWORD),
      })
      .returning()
    await f.db().insert(userStation).values({ userId: other!.id, stationId: shouyang!.id })
    const outsider = await signIn(ctx.t.app, other!.username)
    expect((await post(outsider.headers)).statusCode).toBe(404)
    expect((await ctx.t.app.inject({ method: 'DELETE', url: `/api/v1/handoffs/${h!.id}/link`, headers: outsider.headers })).statusCode).toBe(404)
    expect((await post((await signIn(ctx.t.app, 'zhangzhiqiang')).headers)).statusCode).toBe(404)
    expect((await post(c.wang.headers, randomUUID())).statusCode).toBe(404)
    // The outsider does not see the case's detail either (the same scope).
    expect((await outsider.get(`/api/v1/cases/${c.id}`)).statusCode).toBe(404)
    expect(((await c.wang.detail(c.id)) as CaseDetail).handoffs).toHaveLength(1)
  })
})

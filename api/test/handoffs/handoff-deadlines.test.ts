import { describe, expect, it } from 'vitest'
import type { CommitteeSettingsView } from '@mashangjian/shared'
import { withDemoApp } from '../support/demo-app'
import { outboxOf } from '../support/outbox'
import { signIn } from '../support/case-actions'
import { handoffFixtures } from './handoff-fixtures'

const HOUR = 3_600_000
const ctx = withDemoApp()
const f = handoffFixtures(ctx)
const sweep = () => ctx.t.app.services.deadlines.run()

/** The committee's hand-off settings through the admin API (the rest of its settings kept as they are). */
async function setHandoffSettings(handoff: { pauseResolveClock?: boolean; replyDays?: number } | undefined) {
  const admin = await signIn(ctx.t.app, 'committee')
  const url = `/api/v1/committees/${await f.committeeId()}/settings`
  const { overrides } = (await admin.get(url)).json<CommitteeSettingsView>()
  const res = await ctx.t.app.inject({
    method: 'PUT',
    url,
    headers: admin.headers,
    payload: { slaHours: overrides.slaHours, ...(overrides.autoCloseDays !== null && { autoCloseDays: overrides.autoCloseDays }), ...(handoff && { handoff }) },
  })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<CommitteeSettingsView>()
}

const caseNotices = async (caseId: string) =>
  (await outboxOf(f.db(), { caseId, templateKeys: ['member.resolve_reminder', 'member.overdue', 'department.reminder', 'department.overdue'] })).map(
    (n) => n.templateKey,
  )

/** On the dashboard's live list of cases past their resolve deadline (the committee's, first 100). */
async function onDashboardOverdue(caseId: string): Promise<boolean> {
  const res = await (await signIn(ctx.t.app, 'committee')).get(`/api/v1/dashboard/overdue?scope=committee&id=${await f.committeeId()}&kind=resolve&limit=100`)
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ items: { case: { id: string } }[] }>().items.some((i) => i.case.id === caseId)
}

describe('交办 and the clocks (the deadline sweep run with a moved clock)', () => {
  it('committee settings carry the hand-off defaults; a PUT without `handoff` goes back to them', async () => {
    expect((await setHandoffSettings(undefined)).effective.handoff).toEqual({ replyDays: 5, pauseResolveClock: false })
    const on = await setHandoffSettings({ pauseResolveClock: true, replyDays: 3 })
    expect(on.overrides.handoff).toEqual({ pauseResolveClock: true, replyDays: 3 })
    expect(on.effective.handoff).toEqual({ replyDays: 3, pauseResolveClock: true })
    expect((await setHandoffSettings(undefined)).overrides.handoff).toEqual({})
  })

  it('pause on: the resolve clock stands still while a department has the case, then the deadline moves by the pause', async () => {
    await sweep() // whatever the demo data had due is handled first
    await setHandoffSettings({ pauseResolveClock: true })
    const d = await f.addDepartment('县住建局')
    const c = await f.acceptedCase()
    const due = (await f.caseRow(c.id)).resolveDueAt!
    ctx.t.clock.advance(HOUR)
    const pausedAt = ctx.t.clock.now()
    const handed = await f.handOff(c.wang, c.id, d.id)
    expect(handed.case.resolvePausedAt).toBe(pausedAt.toISOString())
    // A second hand-off keeps the first pause.
    await f.handOff(c.wang, c.id, d.id, { question: '第二个问题：请一并核实排水情况' })
    expect((await f.caseRow(c.id)).resolvePausedAt).toEqual(pausedAt)

    // Well past the resolve deadline: no reminder, no overdue mark, not overdue anywhere.
    ctx.t.clock.advance(due.getTime() - ctx.t.clock.now().getTime() + 24 * HOUR)
    await sweep()
    await sweep()
    expect(await f.eventsOf(c.id, 'overdue')).toHaveLength(0)
    expect(await caseNotices(c.id)).not.toContain('member.resolve_reminder')
    expect(await caseNotices(c.id)).not.toContain('member.overdue')
    expect((await c.wang.detail(c.id)).overdue).toBe(false)
    const overdueList = (await c.wang.get('/api/v1/me/cases?filter=overdue')).json()
    expect(overdueList.items.map((i: { id: string }) => i.id)).not.toContain(c.id)
    expect(await onDashboardOverdue(c.id)).toBe(false)

    // The first withdrawal leaves one open: still paused. The last one restarts the clock, the deadline moved on.
    const [h1, h2] = await f.handoffsOf(c.id)
    await c.wang.ok(c.id, { type: 'withdraw_handoff', handoffId: h1!.id })
    expect((await f.caseRow(c.id)).resolvePausedAt).toEqual(pausedAt)
    const resumedAt = ctx.t.clock.now()
    const res = await c.wang.ok(c.id, { type: 'withdraw_handoff', handoffId: h2!.id })
    expect(res.case).toMatchObject({ resolvePausedAt: null, awaitingDepartment: false, overdue: false })
    const after = await f.caseRow(c.id)
    expect(after.resolveDueAt!.getTime()).toBe(due.getTime() + (resumedAt.getTime() - pausedAt.getTime()))
    expect(after.resolvePausedAt).toBeNull()
    // From here the clock runs again: past the moved deadline the sweep marks it.
    ctx.t.clock.advance(after.resolveDueAt!.getTime() - ctx.t.clock.now().getTime() + 60_000)
    await sweep()
    expect(await f.eventsOf(c.id, 'overdue')).toHaveLength(1)
    expect((await c.wang.detail(c.id)).overdue).toBe(true)
  })

  it('pause on: a case that ends while paused clears the pause with its hand-offs', async () => {
    await setHandoffSettings({ pauseResolveClock: true })
    const d = await f.addDepartment('县交通运输局')
    const c = await f.acceptedCase('公交站台的遮雨棚塌了')
    await f.handOff(c.wang, c.id, d.id)
    expect((await f.caseRow(c.id)).resolvePausedAt).not.toBeNull()
    await c.wang.ok(c.id, { type: 'resolve', reply: '已协调公交公司修复遮雨棚' })
    expect(await f.caseRow(c.id)).toMatchObject({ status: 'resolved', resolvePausedAt: null })
    expect((await f.handoffsOf(c.id))[0]).toMatchObject({ status: 'expired' })
  })

  it('pause off (the default): the resolve clock runs on while the department has the case', async () => {
    await setHandoffSettings(undefined)
    const d = await f.addDepartment('县供电公司')
    const c = await f.acceptedCase('小区停电三天了')
    const handed = await f.handOff(c.wang, c.id, d.id)
    expect(handed.case.resolvePausedAt).toBeNull()
    ctx.t.clock.advance((await f.caseRow(c.id)).resolveDueAt!.getTime() - ctx.t.clock.now().getTime() + 60_000)
    await sweep()
    expect(await f.eventsOf(c.id, 'overdue')).toHaveLength(1)
    expect((await c.wang.detail(c.id)).overdue).toBe(true)
    expect(await onDashboardOverdue(c.id)).toBe(true)
  })

  it('the department is reminded 24 h before its deadline once, and marked overdue once after it (still open)', async () => {
    await setHandoffSettings(undefined)
    const d = await f.addDepartment('县水务局', 'robot')
    const c = await f.acceptedCase('自来水发黄有异味')
    await f.handOff(c.wang, c.id, d.id)
    const [h] = await f.handoffsOf(c.id)
    // An expired hand-off of another case is never reminded.
    const ended = await f.acceptedCase('路边水管漏水')
    await f.handOff(ended.wang, ended.id, d.id)
    await ended.wang.ok(ended.id, { type: 'resolve', reply: '已关阀门并修好水管' })

    ctx.t.clock.advance(h!.dueAt.getTime() - ctx.t.clock.now().getTime() - 23 * HOUR)
    const first = await sweep()
    expect(first.handoffReminders).toBeGreaterThanOrEqual(1)
    expect((await sweep()).handoffReminders).toBe(0)
    expect((await caseNotices(c.id)).filter((k) => k.startsWith('department.'))).toEqual(['department.reminder'])
    expect((await f.handoffsOf(c.id))[0]!.remindedAt).toEqual(ctx.t.clock.now())
    expect(await caseNotices(ended.id)).toEqual([])

    const version = (await f.caseRow(c.id)).version
    ctx.t.clock.advance(24 * HOUR)
    const late = await sweep()
    expect(late.handoffOverdue).toBeGreaterThanOrEqual(1)
    expect((await sweep()).handoffOverdue).toBe(0)
    const marks = await f.eventsOf(c.id, 'handoff_overdue')
    expect(marks).toHaveLength(1)
    expect(marks[0]).toMatchObject({
      visibility: 'internal',
      actorKind: 'system',
      data: { handoffId: h!.id, departmentName: '县水务局', dueAt: h!.dueAt.toISOString() },
    })
    expect((await f.caseRow(c.id)).version).toBeGreaterThan(version)
    expect((await f.handoffsOf(c.id))[0]).toMatchObject({ status: 'sent', overdueAt: ctx.t.clock.now() })
    const notices = await outboxOf(f.db(), { caseId: c.id, templateKeys: ['department.reminder', 'department.overdue'] })
    expect(notices.map((n) => [n.templateKey, n.recipientKind, n.recipientId, n.channel])).toEqual([
      ['department.reminder', 'department', h!.id, 'robot'],
      ['department.overdue', 'department', h!.id, 'robot'],
    ])
    expect((await c.wang.detail(c.id)).handoffs![0]).toMatchObject({ overdueAt: ctx.t.clock.now().toISOString(), status: 'sent' })
  })

  it('pause on: a case already late when it was handed off stays late while paused (review finding)', async () => {
    await setHandoffSettings({ pauseResolveClock: true })
    const d = await f.addDepartment('县信访局')
    const c = await f.acceptedCase()
    const due = (await f.caseRow(c.id)).resolveDueAt!
    ctx.t.clock.advance(due.getTime() - ctx.t.clock.now().getTime() + HOUR)
    await f.handOff(c.wang, c.id, d.id)
    expect((await f.caseRow(c.id)).resolvePausedAt).not.toBeNull()
    expect((await c.wang.detail(c.id)).overdue).toBe(true)
    const overdueList = (await c.wang.get('/api/v1/me/cases?filter=overdue')).json()
    expect(overdueList.items.map((i: { id: string }) => i.id)).toContain(c.id)
    expect(await onDashboardOverdue(c.id)).toBe(true)
    await setHandoffSettings(undefined)
  })
})

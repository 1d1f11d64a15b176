import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { caseEvent, cases, member } from '../../src/db/schema'
import type { TemplateKey } from '@mashangjian/shared'
import { outboxOf, who } from '../support/outbox'
import { startJobs } from '../../src/jobs/job-runner'
import { withDemoApp } from '../support/demo-app'
import { rate, signIn, submitCase, uniqueText } from '../support/case-actions'

const HOUR = 3_600_000
const ctx = withDemoApp()
const db = () => ctx.t.database.db
const sweep = () => ctx.t.app.services.deadlines.run()
const caseRow = async (id: string) => (await db().select().from(cases).where(eq(cases.id, id)))[0]!
const eventTypes = async (id: string) =>
  (await db().select({ type: caseEvent.type }).from(caseEvent).where(eq(caseEvent.caseId, id)).orderBy(caseEvent.id)).map((e) => e.type)

const DEADLINE_NOTICES: TemplateKey[] = ['member.accept_reminder', 'member.resolve_reminder', 'member.overdue', 'station.escalated']
/** Deadline notices written for the case: `[templateKey, recipientKind, recipientId]`, media collapsed. */
const noticesOf = async (caseId: string, keys = DEADLINE_NOTICES) => who(await outboxOf(db(), { caseId, templateKeys: keys }))

describe('deadlines and jobs (clock moved by hand)', () => {
  it('accept timeout: reminded an hour before, then escalated to the station queue (督办) once', async () => {
    await sweep() // whatever the demo data had due is handled first
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('村口的桥栏杆断了，孩子上学要过桥'))
    const wangId = (await caseRow(c.id)).memberId!
    ctx.t.clock.advance(23.5 * HOUR)
    await sweep()
    expect(await noticesOf(c.id)).toEqual([['member.accept_reminder', 'member', wangId]])
    await sweep()
    expect(await noticesOf(c.id)).toHaveLength(1)

    ctx.t.clock.advance(1 * HOUR)
    const report = await sweep()
    expect(report.escalated).toBeGreaterThanOrEqual(1)
    expect(await caseRow(c.id)).toMatchObject({ status: 'assigned', memberId: null, escalatedAt: ctx.t.clock.now() })
    expect(await eventTypes(c.id)).toEqual(['submitted', 'assigned', 'escalated'])
    expect((await noticesOf(c.id)).at(-1)).toEqual(['station.escalated', 'station', ctx.refs.stationId])
    const station = await signIn(ctx.t.app, 'station')
    const queue = (await station.get('/api/v1/me/cases?filter=queue')).json()
    expect(queue.items.map((i: { id: string }) => i.id)).toContain(c.id)
    await sweep()
    expect(await eventTypes(c.id)).toEqual(['submitted', 'assigned', 'escalated'])
  })

  it('an accepted case past its resolve deadline is marked overdue once and its member told', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('老旧小区下水管道反味，夏天更严重'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    ctx.t.clock.advance(6.5 * 24 * HOUR)
    await sweep()
    expect((await noticesOf(c.id)).map(([key]) => key)).toEqual(['member.resolve_reminder'])
    ctx.t.clock.advance(1 * 24 * HOUR)
    await sweep()
    await sweep()
    expect((await eventTypes(c.id)).filter((t) => t === 'overdue')).toHaveLength(1)
    expect(await caseRow(c.id)).toMatchObject({ status: 'accepted', overdueAt: expect.any(Date) })
    expect((await noticesOf(c.id)).map(([key]) => key)).toEqual(['member.resolve_reminder', 'member.overdue'])
    expect((await wang.detail(c.id)).overdue).toBe(true)
    const overdue = (await wang.get('/api/v1/me/cases?filter=overdue')).json()
    expect(overdue.items.map((i: { id: string }) => i.id)).toContain(c.id)
  })

  it('a case resolved late and reopened by an unsatisfied resident can be reminded and marked overdue again', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('楼道里的消防栓没有水'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    ctx.t.clock.advance(8 * 24 * HOUR)
    await sweep()
    expect((await caseRow(c.id)).overdueAt).not.toBeNull()
    await wang.ok(c.id, { type: 'resolve', reply: '已联系物业检修消防栓' })
    expect((await rate(ctx.t, c.trackingSecret, 'unsatisfied', '还是没水')).json()).toEqual({ status: 'reopened' })
    expect(await caseRow(c.id)).toMatchObject({ status: 'reopened', overdueAt: null, resolveRemindedAt: null, resolvedAt: null })
    ctx.t.clock.advance(8 * 24 * HOUR)
    await sweep()
    expect((await eventTypes(c.id)).filter((t) => t === 'overdue')).toHaveLength(2)
  })

  it('a resolved case nobody rates closes after 7 days; a rated one is not touched', async () => {
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const unrated = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('社区卫生站周末不开门，看病不方便'))
    const rated = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('健身广场的灯晚上八点就关了'))
    for (const c of [unrated, rated]) {
      await wang.ok(c.id, { type: 'accept' })
      await wang.ok(c.id, { type: 'resolve', reply: '已与社区协调，调整了开放时间' })
    }
    expect((await rate(ctx.t, rated.trackingSecret, 'satisfied')).statusCode).toBe(200)
    ctx.t.clock.advance(6 * 24 * HOUR)
    await sweep()
    expect((await caseRow(unrated.id)).status).toBe('resolved')
    ctx.t.clock.advance(1.1 * 24 * HOUR)
    await sweep()
    expect(await caseRow(unrated.id)).toMatchObject({ status: 'closed', closeReason: 'no_rating' })
    expect((await eventTypes(unrated.id)).at(-1)).toBe('closed')
    expect((await eventTypes(rated.id)).filter((t) => t === 'closed')).toHaveLength(1)
  })

  it('a member is told of a new case: routed to them, or assigned to them by the station admin (not of their own actions)', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('小区门口修路，挖开后一直没填'))
    const wangId = (await caseRow(c.id)).memberId!
    expect(await noticesOf(c.id, ['member.assigned'])).toEqual([['member.assigned', 'member', wangId]])
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(c.id, { type: 'decline', reason: '请改派给熟悉市政的委员' })
    const station = await signIn(ctx.t.app, 'station')
    const [li] = await db().select().from(member).where(eq(member.name, '李秀兰'))
    await station.ok(c.id, { type: 'assign', memberId: li!.id })
    // Both written at the same (test) clock time: compare as a set.
    expect((await noticesOf(c.id, ['member.assigned'])).sort()).toEqual(
      [
        ['member.assigned', 'member', wangId],
        ['member.assigned', 'member', li!.id],
      ].sort(),
    )
  })

  it('the daily digest tells each member with open cases their counts', async () => {
    const members = await ctx.t.app.services.deadlines.digest()
    expect(members).toBeGreaterThan(0)
    const digests = await outboxOf(db(), { templateKeys: ['member.digest'] })
    expect(who(digests)).toHaveLength(members)
    expect(digests[0]!.params).toEqual({
      waiting: expect.stringMatching(/^\d+$/),
      working: expect.stringMatching(/^\d+$/),
      overdue: expect.stringMatching(/^\d+$/),
    })
    // Once a day: a second run (a restart, another process) writes nothing new.
    await ctx.t.app.services.deadlines.digest()
    expect(await outboxOf(db(), { templateKeys: ['member.digest'] })).toHaveLength(digests.length)
  })

  it('pg-boss runs the sweep on the same database', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('小区快递柜坏了，包裹只能放门口'))
    ctx.t.clock.advance(25 * HOUR)
    const jobs = await startJobs({
      database: ctx.t.database,
      databaseUrl: ctx.t.database.url,
      sweep: ctx.t.app.services.deadlines,
      audit: ctx.t.app.services.audit,
      metrics: ctx.t.app.services.metricsAggregator,
      log: ctx.t.app.log,
      notifications: ctx.t.app.services.notifications,
      publicCleanup: ctx.t.app.services.publicCleanup,
      orphanSweep: ctx.t.app.services.orphanSweep,
    })
    try {
      await jobs.runNow('deadline-sweep')
      const deadline = Date.now() + 20_000
      while ((await caseRow(c.id)).memberId !== null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
      expect(await caseRow(c.id)).toMatchObject({ memberId: null, escalatedAt: expect.any(Date) })
      const escalations = await db()
        .select()
        .from(caseEvent)
        .where(and(eq(caseEvent.caseId, c.id), eq(caseEvent.type, 'escalated')))
      expect(escalations).toHaveLength(1)
    } finally {
      await jobs.stop()
    }
  }, 30_000)
})

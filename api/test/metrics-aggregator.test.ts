import { eq, sql } from 'drizzle-orm'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { cases, metricCursor } from '../src/db/schema'
import { queryRows } from '../src/db/database'
import { startJobs } from '../src/jobs/job-runner'
import { beijingDay } from '@mashangjian/shared'
import { bit, type DayFact } from '../src/metrics/case-facts'
import { withDemoApp } from './support/demo-app'
import { rate, signIn, submitCase, uniqueText } from './support/case-actions'
import { aggregateAll, aggregateSnapshot } from './support/metrics'

const ctx = withDemoApp()
const db = () => ctx.t.database.db
const aggregator = () => ctx.t.app.services.metricsAggregator
const HOUR = 3_600_000

/** One member's figures on one Beijing day, straight from metric_day. */
async function memberDay(memberId: string, day: string) {
  const [row] = await queryRows<Record<'assigned' | 'on_time' | 'returned' | 'resolved' | 'reopened', number>>(
    db(),
    sql`
    select coalesce(sum(assigned), 0)::int as assigned, coalesce(sum(accepted_on_time), 0)::int as on_time,
      coalesce(sum(returned), 0)::int as returned, coalesce(sum(resolved), 0)::int as resolved, coalesce(sum(reopened), 0)::int as reopened
    from metric_day where grain = 'member' and scope_id = ${memberId} and day = ${day}::date`,
  )
  return row!
}

/** Brings the aggregates up to date through the log, then checks a rebuild from scratch writes exactly the same. */
async function expectLogEqualsRebuild() {
  await aggregateAll(db(), aggregator())
  const incremental = await aggregateSnapshot(db())
  expect(await aggregator().rebuild()).toBeGreaterThan(0)
  expect(await aggregateSnapshot(db())).toEqual(incremental)
  return incremental
}

describe('metrics aggregator', () => {
  it('rebuilds on its first run over existing cases, and reports asOf only once caught up', async () => {
    expect(await aggregator().asOf()).toBeNull()
    const seeded = await db().select({ id: cases.id }).from(cases)
    expect(await aggregator().catchUp()).toBeGreaterThanOrEqual(seeded.length)
    await aggregateAll(db(), aggregator())
    expect(await aggregator().asOf()).toBeInstanceOf(Date)
    const counted = await queryRows<{ n: number }>(db(), sql`select count(*)::int as n from case_metric_state`)
    const valid =
      seeded.length -
      (
        await db()
          .select()
          .from(cases)
          .where(sql`status in ('invalid', 'merged')`)
      ).length
    expect(counted[0]!.n).toBe(valid)
  })

  it('counts a case through accept → resolve → rate → reopen → resolve exactly as a rebuild does', async () => {
    const clock = ctx.t.clock
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('小区门口的路灯一到晚上就闪'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const row = async () => (await db().select().from(cases).where(eq(cases.id, c.id)))[0]!
    const created = await row()
    const memberId = created.memberId!
    const day = (d: Date | null) => beijingDay(d!)
    await expectLogEqualsRebuild()

    const submitted = await memberDay(memberId, day(created.createdAt))
    clock.advance(2 * HOUR)
    await wang.ok(c.id, { type: 'accept' })
    await expectLogEqualsRebuild()
    // Accepted within its accept deadline: on time, on the day it came in.
    expect(await memberDay(memberId, day(created.createdAt))).toMatchObject({ assigned: submitted.assigned, on_time: submitted.on_time + 1 })

    clock.advance(30 * HOUR)
    await wang.ok(c.id, { type: 'resolve', reply: '已协调物业更换灯管' })
    const firstResolve = (await row()).resolvedAt!
    await expectLogEqualsRebuild()
    const before = await memberDay(memberId, day(firstResolve))

    clock.advance(30 * HOUR)
    expect((await rate(ctx.t, c.trackingSecret, 'unsatisfied', '还是闪')).json()).toEqual({ status: 'reopened' })
    const reopened = await row()
    expect(reopened).toMatchObject({ status: 'reopened', resolvedAt: null, reopenCount: 1 })
    await expectLogEqualsRebuild()
    // The first resolution no longer counts on its day; the new deadline is due, not resolved.
    expect((await memberDay(memberId, day(firstResolve))).resolved).toBe(before.resolved - 1)

    clock.advance(30 * HOUR)
    await wang.ok(c.id, { type: 'accept' })
    clock.advance(30 * HOUR)
    await wang.ok(c.id, { type: 'resolve', reply: '已更换整套灯具' })
    await expectLogEqualsRebuild()
    const final = await row()
    expect(final).toMatchObject({ status: 'resolved', reopenCount: 1 })
    // Resolved again, two days after the first time: counted on the new day, and as reopened.
    expect(day(final.resolvedAt)).not.toBe(day(firstResolve))
    expect((await memberDay(memberId, day(final.resolvedAt))).reopened).toBeGreaterThanOrEqual(1)
  })

  it('marks a decline as returned on the case and in the aggregates', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('健身器材的螺丝松了'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const { memberId, stationId, createdAt } = (await db().select().from(cases).where(eq(cases.id, c.id)))[0]!
    await aggregateAll(db(), aggregator())
    const before = (await memberDay(memberId!, beijingDay(createdAt))).returned
    await wang.ok(c.id, { type: 'decline', reason: '不在本人联系片区' })
    expect((await db().select().from(cases).where(eq(cases.id, c.id)))[0]!.returnedAt).toBeInstanceOf(Date)
    await expectLogEqualsRebuild()
    // The case left the member (declined): it counts at the station and committee now, returned.
    expect((await memberDay(memberId!, beijingDay(createdAt))).returned).toBe(before)
    const [station] = await queryRows<{ returned: number }>(
      db(),
      sql`select sum(returned)::int as returned from metric_day
      where grain = 'station' and scope_id = ${stationId} and day = ${beijingDay(createdAt)}::date`,
    )
    expect(station!.returned).toBeGreaterThanOrEqual(1)
  })

  it('finishes a rebuild that was interrupted', async () => {
    const expected = await expectLogEqualsRebuild()
    await db().execute(sql`truncate metric_day, metric_month, case_metric_state`)
    await db().update(metricCursor).set({ rebuildAfter: [] })
    expect(await aggregator().asOf()).toBeNull()
    await aggregateAll(db(), aggregator())
    expect(await aggregateSnapshot(db())).toEqual(expected)
  })

  it.each([
    ['[18:19]={1,2}', '[20:20]={1}', '[18:20]={1,2,1}'],
    ['[18:19]={1,2}', '[18:18]={-1}', '[19:19]={2}'],
    ['[18:19]={1,2}', '[18:19]={-1,-2}', null],
    [null, '[3:3]={1}', '[3:3]={1}'],
    [null, null, null],
  ])('metric_hist_add(%s, %s) = %s', async (a, b, expected) => {
    const [row] = await queryRows<{ r: string | null }>(db(), sql`select metric_hist_add(${a}::int[], ${b}::int[])::text as r`)
    expect(row!.r).toBe(expected)
  })

  it('runs as a pg-boss job on the same database', async () => {
    await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('垃圾桶满了没人清'))
    const before = (await db().select().from(metricCursor))[0]!
    const jobs = await startJobs({
      database: ctx.t.database,
      databaseUrl: ctx.t.database.url,
      sweep: ctx.t.app.services.deadlines,
      audit: ctx.t.app.services.audit,
      metrics: aggregator(),
      log: ctx.t.app.log,
      notifications: ctx.t.app.services.notifications,
      publicCleanup: ctx.t.app.services.publicCleanup,
      orphanSweep: ctx.t.app.services.orphanSweep,
    })
    try {
      await jobs.runNow('metrics-aggregate')
      const deadline = Date.now() + 20_000
      const moved = async () => (await db().select().from(metricCursor))[0]!.changeId > before.changeId
      while (!(await moved()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
      expect(await moved()).toBe(true)
    } finally {
      await jobs.stop()
    }
  }, 30_000)

  // Two overlapping transactions on real PostgreSQL: the one that wrote first commits last. A run between the
  // commits must not move its cursor past the late one (an id- or time-ordered cursor would).
  it.runIf(!!process.env.TEST_DATABASE_URL || !!process.env.DATABASE_URL)('counts a change whose transaction commits after a later-numbered one', async () => {
    const early = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('晚提交的事务改的案子'))
    const late = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('早提交的事务改的案子'))
    await aggregateAll(db(), aggregator())
    const a = new pg.Client({ connectionString: ctx.t.database.url })
    const b = new pg.Client({ connectionString: ctx.t.database.url })
    await a.connect()
    await b.connect()
    const resolve = `update cases set status = 'resolved', accepted_at = created_at + interval '1 hour',
      resolved_at = created_at + interval '2 days', version = version + 1 where id = $1`
    // Whether the case is counted as resolved on some day.
    const counted = async (id: string) =>
      (
        await queryRows<{ f: DayFact[] }>(
          db(),
          sql`
      select facts as f from case_metric_state where case_id = ${id}`,
        )
      )[0]!.f.some(([, mask]) => (mask & bit('resolved')) !== 0)
    try {
      expect([await counted(early.id), await counted(late.id)]).toEqual([false, false])
      await a.query('begin')
      await a.query(resolve, [early.id])
      await b.query('begin')
      await b.query(resolve, [late.id])
      await b.query('commit')
      while ((await aggregator().catchUp()) > 0) {
        /* as far as the watermark allows */
      }
      // The late one is committed but waits behind the early one's open transaction; nothing is skipped.
      expect([await counted(early.id), await counted(late.id)]).toEqual([false, false])
      await a.query('commit')
      await aggregateAll(db(), aggregator())
      expect([await counted(early.id), await counted(late.id)]).toEqual([true, true])
      await expectLogEqualsRebuild()
    } finally {
      await a.end()
      await b.end()
    }
  })
})

import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import type { CaseDetail, MetricsReport } from '@mashangjian/shared'
import { caseFollower, cases, committee } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { startSmsGateway } from '../support/sms-gateway'
import { rate, signIn, submitCase, uniqueText } from '../support/case-actions'
import { postCase } from '../support/submit'
import { aggregateAll } from '../support/metrics'

// A stand-in SMS gateway on loopback: the webhook notifier posts `{to, text, caseId}` here.
const { url: smsUrl, received } = await startSmsGateway()

const ctx = withDemoApp({ notifyWebhookUrl: smsUrl })
const db = () => ctx.t.database.db
const HOUR = 3_600_000

/** Waits until the gateway got a message matching `match` (sending happens after the response). */
async function smsMatching(match: (m: { to: string; text: string; caseId: string }) => boolean, n = 1) {
  const deadline = Date.now() + 5000
  while (received.filter(match).length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  return received.filter(match)
}

const trackingJson = async (secret: string) => {
  const res = await ctx.t.app.inject({ url: `/api/v1/public/tracking/${secret}` })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}
const trackingPage = async (url: string) => {
  const res = await ctx.t.app.inject({ url })
  expect(res.statusCode, res.body).toBe(200)
  return res.body
}

/** A case handled by 王建国 up to 办结. */
async function resolvedCase(text: string, fields: Record<string, string> = {}) {
  const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText(text), fields)
  const wang = await signIn(ctx.t.app, 'wangjianguo')
  await wang.ok(c.id, { type: 'accept' })
  await wang.ok(c.id, { type: 'resolve', reply: '已协调有关部门处理完毕' })
  return c
}

describe('并单 (merge) through the action API', () => {
  it('moves followers to the survivor, links both ways, keeps the merged link working and tells everyone by SMS', async () => {
    const xText = uniqueText('东城小区北门外的下水道井盖丢了，晚上路过很危险，已经有人崴脚')
    const x = await submitCase(ctx.t, ctx.refs.memberCode, xText, { phone: '13811110001', consent: 'on' })
    // A neighbour reports the same problem at the station and joins X with a phone of their own.
    const joined = await postCase(ctx.t.app, { code: ctx.refs.stationCode, description: xText, joinCase: x.publicNo, phone: '13811110002', consent: 'on' })
    expect(joined.json(), joined.body).toMatchObject({ status: 'joined', publicNo: x.publicNo })
    const followerSecret = joined.json().trackingSecret as string
    const y = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('东城小区北门下水道井盖缺失，请尽快补上'))

    const station = await signIn(ctx.t.app, 'station')
    const merged = await station.ok(x.id, { type: 'merge', intoCaseId: y.id, reason: '同一井盖，并入先办理的一件' })
    expect(merged.case).toMatchObject({ status: 'merged', mergedInto: y.id })

    // The follower's rows now belong to Y, and their own link opens Y.
    const followers = await db().select().from(caseFollower).where(eq(caseFollower.caseId, y.id))
    expect(followers).toHaveLength(1)
    expect(await db().select().from(caseFollower).where(eq(caseFollower.caseId, x.id))).toEqual([])
    expect(await trackingJson(followerSecret)).toMatchObject({ publicNo: y.publicNo, role: 'follower', status: 'assigned' })

    // X's own link: says where it went and links to Y's progress, with no new secret.
    const xJson = await trackingJson(x.trackingSecret)
    expect(xJson).toMatchObject({ publicNo: x.publicNo, status: 'merged', mergedIntoPublicNo: y.publicNo })
    const page = await trackingPage(`/t/${x.trackingSecret}`)
    const link = page.match(/<a data-testid="merged-into" href="([^"]+)"[^>]*>([^<]*)</)
    expect(link, page).not.toBeNull()
    expect(link![2]).toContain(y.publicNo)
    const survivorPage = await trackingPage(link![1]!.replace(/&amp;/g, '&'))
    expect(survivorPage).toContain(y.publicNo)
    expect(survivorPage).toContain('data-testid="merged-from"')
    expect(survivorPage).toContain(x.publicNo)
    expect(survivorPage).not.toContain('name="rating"')
    const survivorJson = await ctx.t.app.inject({ url: `/api/v1/public/tracking/${x.trackingSecret}/merged` })
    expect(survivorJson.json()).toMatchObject({ publicNo: y.publicNo, role: 'follower', canRate: false, mergedFrom: x.publicNo })
    // A case that was not merged has no such page.
    expect((await ctx.t.app.inject({ url: `/t/${y.trackingSecret}/merged` })).statusCode).toBe(404)

    // Both admin pages link to each other.
    expect(await station.detail(x.id)).toMatchObject({ mergedInto: y.id, mergedIntoPublicNo: y.publicNo })
    expect((await station.detail(y.id)).mergedFrom).toEqual([{ id: x.id, publicNo: x.publicNo }])

    // The submitter and the follower are told the number it is handled under now.
    const sms = await smsMatching((m) => m.caseId === x.id && m.text.includes(y.publicNo), 2)
    expect(sms.map((m) => m.to).sort()).toEqual(['13811110001', '13811110002'])
    expect(sms[0]!.text).toContain(x.publicNo)
    expect(sms[0]!.text).toContain('合并办理')
  })

  it('follows a merge of a merge to the case that is still handled', async () => {
    const a = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('南关路口的路灯一到晚上就闪'))
    const b = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('南关路口路灯闪烁，影响行车'))
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('南关路口的路灯坏了，晚上很暗'))
    const committeeAdmin = await signIn(ctx.t.app, 'committee')
    await committeeAdmin.ok(a.id, { type: 'merge', intoCaseId: b.id })
    await committeeAdmin.ok(b.id, { type: 'merge', intoCaseId: c.id })
    expect((await trackingJson(a.trackingSecret)).mergedIntoPublicNo).toBe(c.publicNo)
    expect(await trackingPage(`/t/${a.trackingSecret}/merged`)).toContain(c.publicNo)
  })

  it('refuses to merge into a case that ended or is out of reach', async () => {
    const a = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('小区健身器材坏了好几件'))
    const b = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('小区健身器材损坏没人修'))
    const station = await signIn(ctx.t.app, 'station')
    await station.ok(b.id, { type: 'mark_invalid', reason: '重复提交' })
    const res = await station.act(a.id, { type: 'merge', intoCaseId: b.id })
    expect(res.statusCode).toBe(409)
    expect((await station.act(a.id, { type: 'merge', intoCaseId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404)
  })
})

describe('desk actions through the action API', () => {
  it("mark_invalid: the reason is on the resident's tracking page", async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('想咨询一下个人所得税怎么申报'))
    const station = await signIn(ctx.t.app, 'station')
    const res = await station.ok(c.id, { type: 'mark_invalid', reason: '属于税务咨询，请拨打12366' })
    expect(res.case).toMatchObject({ status: 'invalid', closedAt: expect.any(String) })
    const page = await trackingPage(`/t/${c.trackingSecret}`)
    expect(page).toContain('属于税务咨询，请拨打12366')
    expect(page).toContain('不予受理')
    expect((await station.act(c.id, { type: 'mark_invalid', reason: '再来一次' })).json().code).toBe('INVALID_TRANSITION')
  })

  it('deny_extension keeps the deadline; a new request approved moves it', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('河堤护栏断了一截，需要水利部门修'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const accepted = await wang.ok(c.id, { type: 'accept' })
    const due = accepted.case.resolveDueAt!
    const until = new Date(new Date(due).getTime() + 5 * 86_400_000).toISOString()
    await wang.ok(c.id, { type: 'request_extension', reason: '等水利局排期', until })
    const station = await signIn(ctx.t.app, 'station')
    const denied = await station.ok(c.id, { type: 'deny_extension', reason: '护栏涉及安全，请按期办结' })
    expect(denied.case).toMatchObject({ resolveDueAt: due, extensionRequestedUntil: null })
    expect(denied.events).toMatchObject([{ type: 'extension_denied', visibility: 'internal', body: '护栏涉及安全，请按期办结' }])
    expect((await station.act(c.id, { type: 'deny_extension' })).json().code).toBe('INVALID_TRANSITION')
    await wang.ok(c.id, { type: 'request_extension', reason: '水利局确认下周施工', until })
    const approved = await station.ok(c.id, { type: 'approve_extension' })
    expect(approved.case).toMatchObject({ resolveDueAt: until, extensionRequestedUntil: null })
  })

  it('an admin reopens a closed case with a reason (重办): new resolve deadline, back to the member', async () => {
    const c = await resolvedCase('楼道里的消防栓没有水')
    expect((await rate(ctx.t, c.trackingSecret, 'satisfied')).statusCode).toBe(200)
    ctx.t.clock.advance(48 * HOUR)
    const committeeAdmin = await signIn(ctx.t.app, 'committee')
    const res = await committeeAdmin.ok(c.id, { type: 'reopen', reason: '居民来电反映消防栓仍然无水' })
    const now = ctx.t.clock.now().getTime()
    expect(res.case).toMatchObject({ status: 'reopened', reopenCount: 1, resolvedAt: null, closedAt: null })
    // General SLA: 7 days to resolve, counted from the reopening.
    expect(new Date(res.case.resolveDueAt!).getTime()).toBe(now + 7 * 24 * HOUR)
    expect(res.events).toMatchObject([{ type: 'reopened', visibility: 'public', body: '居民来电反映消防栓仍然无水' }])
    expect(await trackingPage(`/t/${c.trackingSecret}`)).toContain('居民来电反映消防栓仍然无水')
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    expect((await wang.ok(c.id, { type: 'accept' })).case.status).toBe('accepted')
  })

  it('contact_log: on the timeline for staff, never on the tracking page', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('小区电梯按钮失灵'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    const logged = await wang.ok(c.id, { type: 'contact_log', method: 'phone', body: '已致电居民，约周六上门查看（内部）' })
    expect(logged.case.status).toBe('in_progress')
    expect(logged.events).toMatchObject([{ type: 'contact_logged', visibility: 'internal', data: { method: 'phone' } }])
    const station = await signIn(ctx.t.app, 'station')
    expect((await station.detail(c.id)).events.map((e) => e.type)).toContain('contact_logged')
    expect(await trackingPage(`/t/${c.trackingSecret}`)).not.toContain('约周六上门查看')
  })
})

describe('回访 (follow_up)', () => {
  const call = (extra: Record<string, unknown> = {}) => ({
    type: 'follow_up',
    caller: '张站长',
    calledAt: ctx.t.clock.now().toISOString(),
    outcome: 'reached',
    ...extra,
  })
  const countyId = async () => (await db().select({ id: committee.id }).from(committee).where(eq(committee.name, '示范县政协')))[0]!.id
  const totals = async () => {
    await aggregateAll(db(), ctx.t.app.services.metricsAggregator)
    const committeeAdmin = await signIn(ctx.t.app, 'committee')
    const res = await committeeAdmin.get(`/api/v1/metrics?scope=committee&id=${await countyId()}&from=2026-01-01&to=2027-01-01`)
    expect(res.statusCode, res.body).toBe(200)
    return res.json<MetricsReport>().totals
  }

  it('records a call without a rating: internal event, status unchanged', async () => {
    const c = await resolvedCase('小区门口占道经营')
    const station = await signIn(ctx.t.app, 'station')
    const res = await station.ok(c.id, call({ outcome: 'unreachable', body: '无人接听，明天再打' }))
    expect(res.case).toMatchObject({ status: 'resolved', rating: null })
    expect(res.events).toMatchObject([
      {
        type: 'followed_up',
        visibility: 'internal',
        body: '无人接听，明天再打',
        data: { caller: '张站长', outcome: 'unreachable', rating: null },
      },
    ])
    expect(await trackingPage(`/t/${c.trackingSecret}`)).not.toContain('明天再打')
    // A rating needs someone who answered.
    const refused = await station.act(c.id, call({ outcome: 'unreachable', rating: 'satisfied' }))
    expect(refused.statusCode).toBe(400)
    expect(refused.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'body.rating' }] })
    // A call typed in for tomorrow is dated now: the timeline has no future.
    const later = new Date(ctx.t.clock.now().getTime() + 26 * 3_600_000).toISOString()
    const typo = await station.ok(c.id, call({ outcome: 'unreachable', calledAt: later }))
    expect(Date.parse(typo.events[0]!.occurredAt)).toBeLessThanOrEqual(ctx.t.clock.now().getTime())
    // Members do not make 回访 calls.
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    expect((await wang.act(c.id, call())).json().code).toBe('INVALID_TRANSITION')
  })

  it('a rating by phone closes the case, counts in 满意率, and cannot be given twice', async () => {
    const c = await resolvedCase('公园厕所长期锁门')
    const before = await totals()
    const station = await signIn(ctx.t.app, 'station')
    const res = await station.ok(c.id, call({ rating: 'satisfied', body: '居民表示问题已解决，很满意' }))
    expect(res.case).toMatchObject({ status: 'closed', rating: 'satisfied', ratingSource: 'phone' })
    expect(res.events.map((e) => [e.type, e.visibility])).toEqual([
      ['followed_up', 'internal'],
      ['rated', 'public'],
      ['closed', 'public'],
    ])
    expect(res.events[1]!.data).toEqual({ rating: 'satisfied', source: 'phone' })
    const [row] = await db().select().from(cases).where(eq(cases.id, c.id))
    expect(row).toMatchObject({
      rating: 'satisfied',
      ratingSource: 'phone',
      ratingComment: '居民表示问题已解决，很满意',
      ratedAt: ctx.t.clock.now(),
      closedAt: ctx.t.clock.now(),
    })
    // The resident's page shows the rating and no longer offers one.
    const page = await trackingJson(c.trackingSecret)
    expect(page).toMatchObject({ status: 'closed', rating: 'satisfied', canRate: false })

    const after = await totals()
    expect(after.counts.rated).toBe(before.counts.rated + 1)
    expect(after.counts.satisfied).toBe(before.counts.satisfied + 1)
    const happy = before.counts.satisfied + before.counts.basicallySatisfied
    expect(after.rates.satisfactionRate).toBeCloseTo((happy + 1) / (before.counts.rated + 1), 4)
    if (happy < before.counts.rated) expect(after.rates.satisfactionRate).toBeGreaterThan(before.rates.satisfactionRate!)

    // Once rated, a call can be recorded but not rate again; the resident cannot rate either.
    const again = await station.act(c.id, call({ rating: 'unsatisfied' }))
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ code: 'INVALID_TRANSITION', current: { status: 'closed', rating: 'satisfied' } })
    expect((await station.ok(c.id, call({ body: '回访确认' }))).case.status).toBe('closed')
    expect((await rate(ctx.t, c.trackingSecret, 'unsatisfied')).statusCode).toBe(409)
  })

  it('"unsatisfied" by phone reopens a resolved case once with a fresh deadline (重办), like the resident\'s own rating', async () => {
    const c = await resolvedCase('路边排水沟堵塞')
    ctx.t.clock.advance(24 * HOUR)
    const station = await signIn(ctx.t.app, 'station')
    const res = await station.ok(c.id, call({ rating: 'unsatisfied', body: '居民说下雨还是积水' }))
    expect(res.case).toMatchObject({ status: 'reopened', reopenCount: 1, rating: 'unsatisfied', ratingSource: 'phone', resolvedAt: null })
    expect(new Date(res.case.resolveDueAt!).getTime()).toBe(ctx.t.clock.now().getTime() + 7 * 24 * HOUR)
    expect(res.events.map((e) => e.type)).toEqual(['followed_up', 'rated', 'reopened'])
    // Resolved again: this round's rating is still open, by phone or on the page.
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    await wang.ok(c.id, { type: 'resolve', reply: '已疏通排水沟并加装篦子' })
    const second = await station.ok(c.id, call({ rating: 'basically_satisfied' }))
    expect(second.case).toMatchObject({ status: 'closed', rating: 'basically_satisfied' })
  })

  it('a rating by phone on a case that closed unrated keeps it closed; the call time dates the rating', async () => {
    const c = await resolvedCase('公交站台顶棚漏雨')
    await db().update(cases).set({ status: 'closed', closedAt: ctx.t.clock.now() }).where(eq(cases.id, c.id))
    ctx.t.clock.advance(3 * HOUR)
    const calledAt = new Date(ctx.t.clock.now().getTime() - HOUR).toISOString()
    const station = await signIn(ctx.t.app, 'station')
    const res = await station.ok(c.id, call({ calledAt, rating: 'satisfied' }))
    expect(res.case).toMatchObject({ status: 'closed', rating: 'satisfied' })
    expect(res.events.map((e) => e.type)).toEqual(['followed_up', 'rated'])
    expect(res.events[0]!.occurredAt).toBe(calledAt)
    const [row] = await db()
      .select()
      .from(cases)
      .where(and(eq(cases.id, c.id)))
    expect(row!.ratedAt!.toISOString()).toBe(calledAt)
  })

  it('is refused on a case still being handled', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('路灯不亮'))
    const station = await signIn(ctx.t.app, 'station')
    expect((await station.act(c.id, call())).json().code).toBe('INVALID_TRANSITION')
    const detail: CaseDetail = await station.detail(c.id)
    expect(detail.allowedActions).not.toContain('follow_up')
  })
})

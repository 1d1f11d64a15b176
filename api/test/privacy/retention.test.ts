import { randomUUID } from 'node:crypto'
import { and, desc, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { attachment, auditLog, caseEvent, caseFollower, cases, contact } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { rate, signIn, uniqueText, type SignedIn } from '../support/case-actions'
import { postCase } from '../support/submit'
import { jpegWithGps } from '../support/images'
import { beijingDay } from '@mashangjian/shared'

/** Issue 19: the daily retention job, driven by the test clock. */
const ctx = withDemoApp()
const DAY = 86_400_000
const db = () => ctx.t.database.db
const caseRow = async (id: string) => (await db().select().from(cases).where(eq(cases.id, id)))[0]!
const services = () => ctx.t.app.services
/** PUT / POST as a signed-in user (the helper only has GET and case actions). */
const send = (who: SignedIn, method: 'PUT' | 'POST', url: string, payload: unknown) =>
  ctx.t.app.inject({ method, url, headers: who.headers, payload: payload as object })

async function submitWithPhoto(description: string, phone: string) {
  const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description, phone, consent: 'on', confirmNew: 'on', location: '东城小区5号楼' }, [
    { name: 'photo1', data: await jpegWithGps(800, 600) },
  ])
  expect(res.statusCode, res.body).toBe(201)
  const { publicNo, trackingSecret } = res.json<{ publicNo: string; trackingSecret: string }>()
  const [row] = await db().select({ id: cases.id }).from(cases).where(eq(cases.publicNo, publicNo))
  return { id: row!.id, publicNo, trackingSecret }
}

async function closeSatisfied(wang: SignedIn, c: { id: string; trackingSecret: string }) {
  await wang.ok(c.id, { type: 'accept' })
  await wang.ok(c.id, { type: 'note', body: '已电话联系13812345678的张大爷，约好明天上门', visibility: 'internal' })
  await wang.ok(c.id, { type: 'resolve', reply: '已联系物业，张大爷家门口的路灯修好了' })
  expect((await rate(ctx.t, c.trackingSecret, 'satisfied', '谢谢王委员，我家门口亮了')).statusCode).toBe(200)
  expect((await caseRow(c.id)).status).toBe('closed')
}

/** The dashboard's 三率 and counts, the member rankings and the 履职 ledger for 2026, as a committee admin reads them. */
async function figures(admin: SignedIn, committeeId: string) {
  while ((await services().metricsAggregator.catchUp()) > 0);
  const q = `scope=committee&id=${committeeId}&from=2026-01-01&to=2027-01-01`
  const summary = (await admin.get(`/api/v1/dashboard/summary?${q}`)).json()
  const rankings = (await admin.get(`/api/v1/dashboard/rankings?${q}&dimension=member`)).json()
  const ledger = (await admin.get(`/api/v1/ledgers?scope=committee&id=${committeeId}&year=2026&limit=200`)).json()
  expect(summary.current.counts.resolved).toBeGreaterThan(0)
  expect(ledger.items?.length, JSON.stringify(ledger)).toBeGreaterThan(0)
  // When the figures were made (and the aggregates' watermark) is not a figure.
  for (const f of [summary, rankings, ledger]) {
    delete f.generatedAt
    delete f.asOf
  }
  return { summary, rankings, ledger }
}

describe('retention: personal data erased past the committee’s years after a case ends', () => {
  it('erases a case closed 3 years + 1 day ago, keeps one closed 3 years − 1 day ago and open ones; a 5-year committee keeps it; counts unchanged', async () => {
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const admin = await signIn(ctx.t.app, 'committee')
    // A: closed now (T0), with a phone, a photo, a follower (并单), notes and a rating comment.
    const aText = uniqueText('东城小区5号楼门口路灯坏了半个月，我家老人晚上出门摔了一跤')
    const a = await submitWithPhoto(aText, '13812345678')
    const joined = await postCase(ctx.t.app, {
      code: ctx.refs.memberCode,
      description: aText,
      joinCase: a.publicNo,
      phone: '13700000009',
      consent: 'on',
    })
    expect(joined.json().status).toBe('joined')
    await closeSatisfied(wang, a)
    const county = { id: (await caseRow(a.id)).committeeId }
    const aPhotoKeys = (await db().select({ key: attachment.storageKey }).from(attachment).where(eq(attachment.caseId, a.id))).map((p) => p.key)
    expect(aPhotoKeys.length).toBeGreaterThan(0)
    expect(await services().blobs.get(aPhotoKeys[0]!)).toBeDefined()
    // A 界别群众 contact met today.
    const contactRes = await send(wang, 'POST', '/api/v1/contacts', {
      opId: randomUUID(),
      name: '王大姐',
      phone: '13812340000',
      metOn: beijingDay(ctx.t.clock.now()),
      place: '东城社区活动室',
      kind: 'visit',
      raised: '小区门口路灯坏了两个月',
    })
    expect(contactRes.statusCode, contactRes.body).toBe(201)
    const contactId = contactRes.json().contact.id as string

    // B: closed two days later; C: submitted then and never closed.
    ctx.t.clock.advance(2 * DAY)
    const b = await submitWithPhoto(uniqueText('南关路口红绿灯时间太短，老人过不去马路'), '13812345679')
    await closeSatisfied(wang, b)
    const c = await submitWithPhoto(uniqueText('首阳镇集市垃圾没人清理，味道很大'), '13812345670')

    // Three years and a day after A closed, three years less a day after B (2028 has a 29 February: 3 years = 1096 days).
    ctx.t.clock.advance((1096 + 1 - 2) * DAY)
    const before = await figures(admin, county.id)

    // The committee keeps data 5 years: nothing of A goes.
    expect((await send(admin, 'PUT', `/api/v1/committees/${county.id}/retention`, { years: 5 })).statusCode).toBe(200)
    const kept = await services().retention.run()
    expect(kept.cases).toBe(0)
    expect((await caseRow(a.id)).residentPhoneEnc).not.toBeNull()

    // Back to the default 3 years: A goes, B (3 y − 1 d) and C (open) stay.
    expect((await send(admin, 'PUT', `/api/v1/committees/${county.id}/retention`, { years: null })).json()).toMatchObject({ years: 3, own: false })
    const report = await services().retention.run()
    expect(report.cases).toBeGreaterThanOrEqual(1)
    expect(report.photos).toBeGreaterThanOrEqual(aPhotoKeys.length)
    expect(report.followers).toBeGreaterThanOrEqual(1)
    expect(report.contacts).toBeGreaterThanOrEqual(1)

    const erased = await caseRow(a.id)
    expect(erased).toMatchObject({
      status: 'closed',
      residentPhoneEnc: null,
      residentPhoneHash: null,
      residentPhoneMasked: null,
      description: '（已按保存期限删除）',
      locationText: '（已按保存期限删除）',
      ratingComment: '（已按保存期限删除）',
      rating: 'satisfied',
      trackingSecretEnc: null,
    })
    expect(erased.personalDataErasedAt).toEqual(ctx.t.clock.now())
    const bodies = await db().select({ type: caseEvent.type, body: caseEvent.body }).from(caseEvent).where(eq(caseEvent.caseId, a.id))
    expect(bodies.map((e) => e.type)).toEqual(expect.arrayContaining(['submitted', 'accepted', 'note', 'resolved', 'rated', 'closed']))
    for (const e of bodies) expect(['', '（已按保存期限删除）']).toContain(e.body)
    expect(JSON.stringify(bodies)).not.toContain('13812345678')
    expect(await db().select().from(attachment).where(eq(attachment.caseId, a.id))).toHaveLength(0)
    for (const key of aPhotoKeys) expect(await services().blobs.get(key)).toBeUndefined()
    expect(await db().select().from(caseFollower).where(eq(caseFollower.caseId, a.id))).toHaveLength(0)

    for (const kept of [b, c]) {
      const row = await caseRow(kept.id)
      expect(row.personalDataErasedAt).toBeNull()
      expect(row.residentPhoneEnc).not.toBeNull()
      expect(row.description).not.toContain('删除')
      expect(await db().select().from(attachment).where(eq(attachment.caseId, kept.id))).not.toHaveLength(0)
    }
    const [erasedContact] = await db().select().from(contact).where(eq(contact.id, contactId))
    expect(erasedContact).toMatchObject({
      name: '（已按保存期限删除）',
      phoneEnc: null,
      phoneHash: null,
      phoneMasked: null,
      place: '',
      raised: '（已按保存期限删除）',
    })

    // The run's audit row carries its counts; each case has its own erasure row.
    const runs = await db().select().from(auditLog).where(eq(auditLog.action, 'retention.run'))
    expect(runs.at(-1)!.detail).toMatchObject({ ...report })
    const perCase = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'case.personal_data_erased'), eq(auditLog.targetId, a.id)))
    expect(perCase).toHaveLength(1)
    expect(perCase[0]!.detail).toMatchObject({ reason: 'retention', by: 'system', photos: aPhotoKeys.length, followers: 1 })

    // 三率, rankings and 履职 ledgers read the same.
    expect(await figures(admin, county.id)).toEqual(before)

    // The link still opens and says what happened; nothing personal shows.
    const page = await ctx.t.app.inject({ method: 'GET', url: `/t/${a.trackingSecret}` })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('data-testid="erased"')
    expect(page.body).not.toContain('路灯坏了半个月')
    expect(page.body).not.toContain('data-testid="erase-offer"')

    // Idempotent: a second run finds nothing.
    expect(await services().retention.run()).toMatchObject({ cases: 0, contacts: 0 })

    // One more day: B is past its three years too.
    ctx.t.clock.advance(2 * DAY)
    await services().retention.run()
    expect((await caseRow(b.id)).personalDataErasedAt).not.toBeNull()
    expect((await caseRow(c.id)).personalDataErasedAt).toBeNull()
  })

  it('the setting: committee admins only, 1–10 years, audited', async () => {
    const admin = await signIn(ctx.t.app, 'committee')
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const [row] = await db().select({ id: cases.committeeId }).from(cases).limit(1)
    const county = { id: row!.id }
    const url = `/api/v1/committees/${county.id}/retention`
    expect((await admin.get(url)).json()).toMatchObject({ years: 3, defaultYears: 3, minYears: 1, maxYears: 10 })
    for (const years of [0, 11, 2.5, '3']) {
      const res = await send(admin, 'PUT', url, { years })
      expect(res.statusCode).toBe(400)
      expect(res.headers['content-type']).toContain('application/problem+json')
    }
    expect([403, 404]).toContain((await send(wang, 'PUT', url, { years: 7 })).statusCode)
    expect((await send(admin, 'PUT', url, { years: 7 })).json()).toMatchObject({ years: 7, own: true })
    // Saving the deadlines keeps it.
    expect((await send(admin, 'PUT', `/api/v1/committees/${county.id}/settings`, { autoCloseDays: 5 })).statusCode).toBe(200)
    expect((await admin.get(url)).json()).toMatchObject({ years: 7 })
    const [last] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'committee.retention_changed'), eq(auditLog.targetId, county.id)))
      .orderBy(desc(auditLog.id))
      .limit(1)
    expect(last!.detail).toMatchObject({ after: 7 })
    expect((await send(admin, 'PUT', url, { years: null })).statusCode).toBe(200)
  })
})

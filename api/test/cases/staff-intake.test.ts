import { randomUUID } from 'node:crypto'
import { and, asc, count, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import type { StaffIntakeResult } from '@mashangjian/shared'
import { auditLog, caseEvent, caseOp, cases, category, committee, member, station } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { startSmsGateway } from '../support/sms-gateway'
import { signIn, uniqueText, type SignedIn } from '../support/case-actions'
import { createOrg, type Org } from '../support/fixtures'

// A stand-in SMS gateway on loopback: the webhook notifier posts `{to, text, caseId}` here.
const { url: smsUrl, received } = await startSmsGateway()

const ctx = withDemoApp({ notifyWebhookUrl: smsUrl })
const db = () => ctx.t.database.db

const refs = {} as {
  countyId: string
  nanguanId: string
  emptyStationId: string
  wangId: string
  maId: string
  noiseId: string
  noiseSectorId: string | null
  org: Org
}
beforeAll(async () => {
  const [county] = await db().select().from(committee).where(eq(committee.name, '示范县政协'))
  const [nanguan] = await db().select().from(station).where(eq(station.name, '南关社区委员工作室'))
  const [wang] = await db().select().from(member).where(eq(member.name, '王建国'))
  const [ma] = await db().select().from(member).where(eq(member.name, '马德海'))
  const [noise] = await db()
    .select()
    .from(category)
    .where(and(eq(category.committeeId, county!.id)))
  // A station of the county nobody works at yet: its cases wait in its queue.
  const [empty] = await db().insert(station).values({ committeeId: county!.id, kind: 'workstation', name: '新建委员工作站' }).returning()
  refs.countyId = county!.id
  refs.nanguanId = nanguan!.id
  refs.emptyStationId = empty!.id
  refs.wangId = wang!.id
  refs.maId = ma!.id
  refs.noiseId = noise!.id
  refs.noiseSectorId = noise!.sectorId
  // Another city's committees, stations and admins.
  refs.org = await createOrg(db())
})

const intake = (who: SignedIn, body: Record<string, unknown>) =>
  ctx.t.app.inject({
    method: 'POST',
    url: '/api/v1/cases/intake',
    headers: who.headers,
    payload: {
      opId: randomUUID(),
      channel: 'phone',
      stationId: ctx.refs.stationId,
      description: uniqueText('居民来电：小区门口路灯坏了'),
      consent: false,
      ...body,
    },
  })
const eventsOf = (caseId: string) => db().select().from(caseEvent).where(eq(caseEvent.caseId, caseId)).orderBy(asc(caseEvent.id))
const caseCount = async () => (await db().select({ n: count() }).from(cases))[0]!.n

describe('staff intake (电话受理 / 来访)', () => {
  it('records a phone call at the station: routed like a scan, submitted by the admin, tracking link by SMS once', async () => {
    const station = await signIn(ctx.t.app, 'station')
    const calledAt = new Date(ctx.t.clock.now().getTime() - 20 * 60_000).toISOString()
    const res = await intake(station, {
      description: uniqueText('居民来电：南门外的井盖松动，车压过哐哐响'),
      locationText: '东城小区南门',
      categoryId: refs.noiseId,
      residentPhone: '138 1234 5678',
      consent: true,
      occurredAt: calledAt,
    })
    expect(res.statusCode, res.body).toBe(201)
    const body = res.json<StaffIntakeResult>()
    expect(body).toMatchObject({
      replayed: false,
      case: { status: 'assigned', channel: 'phone', stationId: ctx.refs.stationId, residentPhoneMasked: '138****5678', locationText: '东城小区南门' },
    })
    expect(body.case.memberId).not.toBeNull()
    expect(body.trackingUrl).toMatch(/^http:\/\/msj\.test\/t\/[A-Za-z0-9_-]{20,}$/)

    const events = await eventsOf(body.case.id)
    expect(events.map((e) => e.type)).toEqual(['submitted', 'assigned'])
    expect(events[0]).toMatchObject({ actorKind: 'admin', data: { channel: 'phone' }, occurredAt: new Date(calledAt) })
    expect(events[0]!.actorUserId).toBeTruthy()
    expect((events[0]!.data as { intakeBy: string }).intakeBy).toBe(events[0]!.actorUserId)
    expect(['on_duty', 'sector_affinity', 'least_load']).toContain((events[1]!.data as { reason: string }).reason)
    const [audit] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, body.case.id), eq(auditLog.action, 'case.intake')))
    expect(audit).toMatchObject({ actorUserId: events[0]!.actorUserId, detail: { channel: 'phone', opId: expect.any(String) } })

    // The resident's link works and is texted to them (the normalised number).
    const path = new URL(body.trackingUrl!).pathname
    const page = await ctx.t.app.inject({ url: path })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(body.case.publicNo)
    const deadline = Date.now() + 5000
    while (!received.some((m) => m.caseId === body.case.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(received.filter((m) => m.caseId === body.case.id)).toEqual([
      { to: '13812345678', caseId: body.case.id, text: expect.stringContaining(body.trackingUrl!) },
    ])
  })

  it('assigns straight to a member of the station, who can accept it', async () => {
    const station = await signIn(ctx.t.app, 'station')
    const res = await intake(station, { channel: 'visit', memberId: refs.wangId, description: uniqueText('接待日来访：楼上漏水到我家') })
    expect(res.statusCode, res.body).toBe(201)
    const { case: c } = res.json<StaffIntakeResult>()
    expect(c).toMatchObject({ memberId: refs.wangId, memberName: '王建国', channel: 'visit', status: 'assigned' })
    const assigned = (await eventsOf(c.id))[1]!
    expect(assigned).toMatchObject({ type: 'assigned', actorKind: 'admin', data: { reason: 'staff_assigned', memberId: refs.wangId } })
    expect((await station.detail(c.id)).routingReason).toBe('staff_assigned')

    const wang = await signIn(ctx.t.app, 'wangjianguo')
    expect((await wang.get('/api/v1/me/cases?filter=new')).json().items.map((i: { id: string }) => i.id)).toContain(c.id)
    expect((await wang.ok(c.id, { type: 'accept' })).case.status).toBe('accepted')
  })

  it('refuses a member who is on leave (409) or not at that station (404)', async () => {
    const committeeAdmin = await signIn(ctx.t.app, 'committee')
    const onLeave = await intake(committeeAdmin, { memberId: refs.maId, stationId: refs.nanguanId })
    expect(onLeave.statusCode, onLeave.body).toBe(409)
    const elsewhere = await intake(committeeAdmin, { memberId: refs.wangId, stationId: refs.nanguanId })
    expect(elsewhere.statusCode, elsewhere.body).toBe(404)
    expect((await intake(committeeAdmin, { memberId: refs.org.memberA.id })).statusCode).toBe(404)
  })

  it('puts the case in the station queue when nobody works there', async () => {
    const committeeAdmin = await signIn(ctx.t.app, 'committee')
    const res = await intake(committeeAdmin, { stationId: refs.emptyStationId })
    expect(res.statusCode, res.body).toBe(201)
    const { case: c } = res.json<StaffIntakeResult>()
    expect(c).toMatchObject({ status: 'assigned', memberId: null, stationId: refs.emptyStationId })
    expect((await eventsOf(c.id))[1]!.data).toMatchObject({ reason: 'no_member' })
    const queue = (await committeeAdmin.get(`/api/v1/me/cases?filter=queue&stationId=${refs.emptyStationId}`)).json()
    expect(queue.items.map((i: { id: string }) => i.id)).toEqual([c.id])
  })

  it('keeps a phone only with consent, and checks it like the scan page', async () => {
    const station = await signIn(ctx.t.app, 'station')
    const before = await caseCount()
    const noConsent = await intake(station, { residentPhone: '13812345678', consent: false })
    expect(noConsent.statusCode).toBe(400)
    expect(noConsent.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'body.consent' }] })
    const badPhone = await intake(station, { residentPhone: '12345', consent: true })
    expect(badPhone.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'body.residentPhone' }] })
    const blank = await intake(station, { description: '     短      ' })
    expect(blank.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'body.description' }] })
    const badChannel = await intake(station, { channel: 'qr' })
    expect(badChannel.statusCode).toBe(400)
    expect(await caseCount()).toBe(before)
  })

  it('is idempotent by opId: the same request again answers the first case, without the link, creating nothing', async () => {
    const station = await signIn(ctx.t.app, 'station')
    const opId = randomUUID()
    const body = { opId, description: uniqueText('电话受理：广场舞音响太吵'), residentPhone: '13900001234', consent: true }
    const first = await intake(station, body)
    expect(first.statusCode).toBe(201)
    const before = await caseCount()
    const again = await intake(station, body)
    expect(again.statusCode, again.body).toBe(200)
    expect(again.json()).toEqual({ ...first.json(), trackingUrl: null, replayed: true })
    expect(await caseCount()).toBe(before)
    // The stored answer never holds the secret.
    const [op] = await db().select().from(caseOp).where(eq(caseOp.opId, opId))
    expect(JSON.stringify(op!.response)).not.toContain(new URL(first.json().trackingUrl).pathname.slice(3))
    // Someone else's opId, or an action's, is not an intake to replay.
    const committeeAdmin = await signIn(ctx.t.app, 'committee')
    expect((await intake(committeeAdmin, body)).statusCode).toBe(409)
    const asAction = await station.act(first.json().case.id, { opId, type: 'note', body: '同一个 opId 当作动作' })
    expect(asAction.json().code).toBe('OP_ID_REUSED')
  })

  it('answers the same opId sent twice at once with one case', async () => {
    const station = await signIn(ctx.t.app, 'station')
    const body = { opId: randomUUID(), description: uniqueText('电话受理：小区停车位被占') }
    const before = await caseCount()
    const [a, b] = await Promise.all([intake(station, body), intake(station, body)])
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201])
    expect(a.json().case.id).toBe(b.json().case.id)
    expect(await caseCount()).toBe(before + 1)
  })

  it('scope: a station admin only at their own stations, committee admins in their subtree, members never', async () => {
    const station = await signIn(ctx.t.app, 'station')
    const other = await intake(station, { stationId: refs.nanguanId })
    expect(other.statusCode, other.body).toBe(404)
    const committeeAdmin = await signIn(ctx.t.app, 'committee')
    expect((await intake(committeeAdmin, { stationId: refs.nanguanId })).statusCode).toBe(201)
    // Another committee's station and category are unknown here.
    expect((await intake(committeeAdmin, { stationId: refs.org.stationB1.id })).statusCode).toBe(404)
    const [foreignCategory] = await db()
      .insert(category)
      .values({ committeeId: refs.org.countyA.id, names: { 'zh-CN': '外县分类' } })
      .returning()
    expect((await intake(committeeAdmin, { categoryId: foreignCategory!.id })).statusCode).toBe(404)
    expect((await intake(station, { stationId: randomUUID() })).statusCode).toBe(404)
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    expect((await intake(wang, {})).statusCode).toBe(403)
    expect((await ctx.t.app.inject({ method: 'POST', url: '/api/v1/cases/intake', payload: {} })).statusCode).toBe(401)
  })

  it('is documented in OpenAPI, bearer-protected', async () => {
    const doc = (await ctx.t.app.inject({ url: '/docs/json' })).json()
    const op = doc.paths['/api/v1/cases/intake']?.post
    expect(op?.security).toEqual([{ bearerAuth: [] }])
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '404', '409']))
  })
})

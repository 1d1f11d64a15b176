import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CaseDetail, CaseListPage, CaseSummary } from '@mashangjian/shared'
import { cases } from '../../src/db/schema'
import { queueReasonOf } from '../../src/cases/case-views'
import { withDemoApp } from '../support/demo-app'
import { rate, signIn, submitCase, uniqueText, type SignedIn } from '../support/case-actions'

/**
 * The desk's lists: status, channel and public-number filters (inbox and exports alike, keyset paging kept),
 * why each queued case waits, and the detail's routing reason, 并单 links and rating source.
 */
const ctx = withDemoApp()
const db = () => ctx.t.database.db
const users = {} as Record<'station' | 'committee' | 'wangjianguo', SignedIn>

const page = async (who: keyof typeof users, query: string): Promise<CaseListPage> => {
  const res = await users[who].get(`/api/v1/me/cases?${query}`)
  expect(res.statusCode, res.body).toBe(200)
  return res.json<CaseListPage>()
}
/** Every page of a list, following nextCursor. */
const allPages = async (who: keyof typeof users, query: string, limit: number) => {
  const items: CaseSummary[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const p = await page(who, `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`)
    items.push(...p.items)
    cursor = p.nextCursor
    pages++
  } while (cursor)
  return { items, pages }
}

beforeAll(async () => {
  for (const who of ['station', 'committee', 'wangjianguo'] as const) users[who] = await signIn(ctx.t.app, who)
})

describe('list filters', () => {
  it('status: only that status, paged by keyset across pages without gaps or repeats', async () => {
    const whole = (await page('committee', 'status=closed&limit=50')).items
    const closedInDb = await db().select({ id: cases.id }).from(cases).where(eq(cases.status, 'closed'))
    expect(whole.length).toBe(closedInDb.length)
    expect(whole.length).toBeGreaterThan(3)
    expect(whole.every((c) => c.status === 'closed')).toBe(true)
    const paged = await allPages('committee', 'status=closed', 2)
    expect(paged.pages).toBeGreaterThan(1)
    expect(paged.items.map((c) => c.id)).toEqual(whole.map((c) => c.id))
    // Combined with an inbox filter, both apply.
    expect((await page('committee', 'filter=open&status=closed')).items).toEqual([])
  })

  it('channel: a case taken by phone is found by channel=phone and left out of channel=qr', async () => {
    const c = await submitCase(ctx.t, ctx.refs.stationCode, uniqueText('电话反映：东城小区的电梯经常停运'))
    await db().update(cases).set({ channel: 'phone' }).where(eq(cases.id, c.id))
    expect((await page('committee', 'channel=phone')).items.map((x) => x.id)).toEqual([c.id])
    expect((await page('committee', 'channel=qr&limit=50')).items.map((x) => x.id)).not.toContain(c.id)
    const paged = await allPages('station', 'channel=qr', 3)
    expect(paged.items.every((x) => x.channel === 'qr')).toBe(true)
    expect(new Set(paged.items.map((x) => x.id)).size).toBe(paged.items.length)
  })

  it('publicNo: exact, trimmed and case-insensitive, within scope; counts narrow with it', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('小区绿化带里的树枝快碰到电线了'))
    const typed = `  ${c.publicNo.toLowerCase()} `
    const found = await page('station', `publicNo=${encodeURIComponent(typed)}`)
    expect(found.items.map((x) => x.id)).toEqual([c.id])
    expect(found.counts.all).toBe(1)
    expect((await page('committee', `publicNo=${c.publicNo}`)).items).toHaveLength(1)
    expect((await page('wangjianguo', `publicNo=${c.publicNo}`)).items).toHaveLength(1)
    expect((await page('committee', `publicNo=${c.publicNo}9`)).items).toEqual([])
    // Another member cannot reach it by number.
    const li = await signIn(ctx.t.app, 'lixiulan')
    expect((await li.get(`/api/v1/me/cases?publicNo=${c.publicNo}`)).json<CaseListPage>().items).toEqual([])
    expect((await users.station.get('/api/v1/me/cases?status=bogus')).statusCode).toBe(400)
    expect((await users.station.get('/api/v1/me/cases?channel=fax')).statusCode).toBe(400)
  })

  it('exports take the same filters', async () => {
    const closed = (await page('committee', 'status=closed&limit=50')).items
    const res = await users.committee.get('/api/v1/exports/cases.csv?status=closed')
    expect(res.statusCode, res.body).toBe(200)
    for (const c of closed) expect(res.body).toContain(c.publicNo)
    const open = (await page('committee', 'filter=open&limit=50')).items
    for (const c of open) expect(res.body).not.toContain(c.publicNo)
    const one = await users.committee.get(`/api/v1/exports/cases.csv?publicNo=${closed[0]!.publicNo.toLowerCase()}`)
    expect(one.body).toContain(closed[0]!.publicNo)
    expect(one.body).not.toContain(closed[1]!.publicNo)
  })
})

describe('why a case waits in the queue', () => {
  const queued = async (who: keyof typeof users, id: string) => {
    const item = (await page(who, 'filter=queue&limit=50')).items.find((c) => c.id === id)
    expect(item, `case ${id} in the ${who} queue`).toBeDefined()
    return item!
  }

  it('unroutable: the member of the code is on leave; the detail gives the routing reason', async () => {
    const c = await submitCase(ctx.t, ctx.refs.onLeaveCode, uniqueText('南关菜市场的地面很滑，老人容易摔倒'))
    const item = await queued('committee', c.id)
    expect(item).toMatchObject({ queueReason: 'unroutable', queueNote: null, memberId: null, status: 'assigned' })
    const d = await users.committee.detail(c.id)
    expect(d).toMatchObject({ queueReason: 'unroutable', routingReason: 'member_unavailable', mergedIntoPublicNo: null, mergedFrom: [] })
  })

  it('declined (退单) with its reason, and transferred (转办) to the station with its reason', async () => {
    const a = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('东城街道的路边摊占道经营，行人只能走机动车道'))
    await users.wangjianguo.ok(a.id, { type: 'decline', reason: '这件事不在我的联系范围' })
    expect(await queued('station', a.id)).toMatchObject({ queueReason: 'declined', queueNote: '这件事不在我的联系范围' })
    expect(await users.station.detail(a.id)).toMatchObject({ queueReason: 'declined', queueNote: '这件事不在我的联系范围', routingReason: 'member_code' })

    const b = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('东城公园的公厕没有无障碍通道'))
    await users.wangjianguo.ok(b.id, { type: 'transfer', toStationId: ctx.refs.stationId, reason: '需要工作站协调多个部门' })
    expect(await queued('station', b.id)).toMatchObject({ queueReason: 'transferred', queueNote: '需要工作站协调多个部门' })

    // Cases that are not waiting say null; the member's own inbox carries no reason for its cases either.
    const mine = await page('wangjianguo', 'filter=all&limit=50')
    expect(mine.items.length).toBeGreaterThan(0)
    expect(mine.items.every((x) => x.queueReason === null && x.queueNote === null)).toBe(true)
    const all = await page('committee', 'limit=50')
    for (const x of all.items) if (!(x.status === 'assigned' && x.memberId === null)) expect(x.queueReason).toBeNull()
  })

  it('an admin putting a case back to the station is "returned"; no handover event is no reason', () => {
    expect(queueReasonOf({ caseId: 'x', type: 'assigned', actorKind: 'admin', body: '', data: { memberId: null, stationId: 's' } })).toEqual({
      queueReason: 'returned',
      queueNote: null,
    })
    expect(queueReasonOf({ caseId: 'x', type: 'assigned', actorKind: 'system', body: '', data: { memberId: null, reason: 'no_member' } })).toEqual({
      queueReason: 'unroutable',
      queueNote: null,
    })
    expect(queueReasonOf(undefined)).toEqual({ queueReason: null, queueNote: null })
  })

  it('escalated: nobody accepted in time and the sweep moved it to the station', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('东城街道的下水井盖丢了一个，很危险'))
    const before = await users.committee.detail(c.id)
    ctx.t.clock.advance(new Date(before.acceptDueAt!).getTime() - ctx.t.clock.now().getTime() + 60_000)
    await ctx.t.app.services.deadlines.run()
    expect(await queued('station', c.id)).toMatchObject({ queueReason: 'escalated', queueNote: null })
    expect((await users.station.detail(c.id)).queueReason).toBe('escalated')
  })
})

describe('detail', () => {
  it('并单 both ways, and where a rating came from', async () => {
    const into = await submitCase(ctx.t, ctx.refs.stationCode, uniqueText('东城北街的路灯一整排都不亮了'))
    const dup = await submitCase(ctx.t, ctx.refs.stationCode, uniqueText('北街晚上一片漆黑，路灯坏了'))
    await users.station.ok(dup.id, { type: 'merge', intoCaseId: into.id, reason: '同一问题' })
    const target = await users.station.detail(into.id)
    expect(target.mergedFrom).toEqual([{ id: dup.id, publicNo: dup.publicNo }])
    expect(target.mergedIntoPublicNo).toBeNull()
    const merged = await users.station.detail(dup.id)
    expect(merged).toMatchObject({ status: 'merged', mergedInto: into.id, mergedIntoPublicNo: into.publicNo, mergedFrom: [] })

    // Merged across stations by the committee: the other station's number is not shown to this desk.
    const away = await submitCase(ctx.t, ctx.refs.stationCode, uniqueText('东城北街路灯不亮，晚上走路害怕'))
    const stationsRes = await users.committee.get(`/api/v1/cases/${away.id}/destinations`)
    const otherStation = (stationsRes.json() as { stations: { id: string }[] }).stations.find((s) => s.id !== ctx.refs.stationId)!
    await users.committee.ok(away.id, { type: 'transfer', toStationId: otherStation.id, reason: '南关工作室对口' })
    const local = await submitCase(ctx.t, ctx.refs.stationCode, uniqueText('北街的路灯坏了一排，晚上看不见路'))
    await users.committee.ok(local.id, { type: 'merge', intoCaseId: away.id, reason: '同一问题' })
    expect(await users.station.detail(local.id)).toMatchObject({ status: 'merged', mergedIntoPublicNo: null })
    expect((await users.committee.detail(local.id)).mergedIntoPublicNo).toBe(away.publicNo)
    expect((await users.committee.detail(away.id)).mergedFrom).toEqual([{ id: local.id, publicNo: local.publicNo }])

    // A rating from the tracking page is a web rating; seeded ratings came from there too.
    const wang = users.wangjianguo
    const r = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('单元门的门禁坏了，谁都能进'))
    await wang.ok(r.id, { type: 'accept' })
    await wang.ok(r.id, { type: 'resolve', reply: '物业已更换门禁' })
    expect((await wang.detail(r.id)).ratingSource).toBeNull()
    expect((await rate(ctx.t, r.trackingSecret, 'satisfied')).statusCode).toBeLessThan(400)
    const rated: CaseDetail = await wang.detail(r.id)
    expect(rated).toMatchObject({ status: 'closed', rating: 'satisfied', ratingSource: 'web' })
    const all = (await page('committee', 'status=closed&limit=50')).items
    for (const x of all) expect(x.ratingSource).toBe(x.rating ? 'web' : null)
  })
})

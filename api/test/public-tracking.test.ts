import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { caseFollower, cases, caseEvent } from '../src/db/schema'
import { withDemoApp } from './support/demo-app'
import { postCase } from './support/submit'

describe('tracking, rating and the duplicate hint', () => {
  const ctx = withDemoApp()
  const db = () => ctx.t.database.db

  async function submit(description: string, extra: Record<string, string> = {}) {
    const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description, ...extra })
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as { publicNo: string; trackingUrl: string; trackingSecret: string }
  }
  const resolve = (publicNo: string) => db().update(cases).set({ status: 'resolved', resolvedAt: ctx.t.clock.now() }).where(eq(cases.publicNo, publicNo))
  const rate = (secret: string, rating: string) =>
    ctx.t.app.inject({
      method: 'POST',
      url: `/t/${secret}/rating`,
      payload: `rating=${rating}&comment=${encodeURIComponent('谢谢')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })

  it('shows only the public timeline', async () => {
    const c = await submit('二号楼电梯经常困人，物业一直拖着不修')
    const [row] = await db().select().from(cases).where(eq(cases.publicNo, c.publicNo))
    await db()
      .insert(caseEvent)
      .values({ caseId: row!.id, type: 'note', actorKind: 'member', visibility: 'internal', body: '内部备注：物业经理电话', occurredAt: ctx.t.clock.now() })
    const page = await ctx.t.app.inject({ url: c.trackingUrl })
    expect(page.body).toContain('提交诉求')
    expect(page.body).not.toContain('内部备注')
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    const json = await ctx.t.app.inject({ url: `/api/v1/public/tracking/${c.trackingSecret}` })
    expect(json.json()).toMatchObject({ publicNo: c.publicNo, status: 'assigned', memberName: '王建国', canRate: false })
  })

  it.each([
    ['satisfied', 'closed'],
    ['basically_satisfied', 'closed'],
  ])('rating %s closes a resolved case', async (rating, status) => {
    const c = await submit(`小区的消防通道被私家车堵住了（${rating}）`)
    expect((await rate(c.trackingSecret, rating)).statusCode).toBe(409) // not resolved yet
    await resolve(c.publicNo)
    const page = await ctx.t.app.inject({ url: c.trackingUrl })
    expect(page.body).toContain('请评价办理结果')
    const res = await rate(c.trackingSecret, rating)
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe(`/t/${c.trackingSecret}?rated=1`)
    const [row] = await db().select().from(cases).where(eq(cases.publicNo, c.publicNo))
    expect(row).toMatchObject({ status, rating, ratingComment: '谢谢' })
    expect((await rate(c.trackingSecret, rating)).statusCode).toBe(409) // once
  })

  it('"unsatisfied" reopens once (重办); the second "unsatisfied" closes', async () => {
    const c = await submit('自来水有黄色沉淀，烧开后杯底一层锈')
    await resolve(c.publicNo)
    await rate(c.trackingSecret, 'unsatisfied')
    let [row] = await db().select().from(cases).where(eq(cases.publicNo, c.publicNo))
    expect(row).toMatchObject({ status: 'reopened', reopenCount: 1 })
    await resolve(c.publicNo)
    await rate(c.trackingSecret, 'unsatisfied')
    ;[row] = await db().select().from(cases).where(eq(cases.publicNo, c.publicNo))
    expect(row).toMatchObject({ status: 'closed', rating: 'unsatisfied', reopenCount: 1 })
  })

  it('asks again when no rating was chosen', async () => {
    const c = await submit('路口的红绿灯坏了三天，早晚高峰很乱')
    await resolve(c.publicNo)
    const res = await rate(c.trackingSecret, '')
    expect(res.headers.location).toBe(`/t/${c.trackingSecret}?missing=1`)
    expect((await ctx.t.app.inject({ url: res.headers.location as string })).body).toContain('请选择一项评价')
  })

  it('offers to join a very similar open case at the same station, then joins or files anew as asked', async () => {
    const first = await submit('东城小区三号楼后面的垃圾桶已经一个星期没人清运了，味道很大')
    const similar = '东城小区三号楼后面的垃圾桶一个星期没人清运了，味道太大了'
    const hint = await postCase(ctx.t.app, { code: ctx.refs.stationCode, description: similar }, [], { html: true })
    expect(hint.statusCode).toBe(200)
    expect(hint.body).toContain('已有类似问题正在处理')
    expect(hint.body).toContain(first.publicNo)
    const json = await postCase(ctx.t.app, { code: ctx.refs.stationCode, description: similar })
    expect(json.json()).toMatchObject({ status: 'duplicate', publicNo: first.publicNo })

    const joined = await postCase(
      ctx.t.app,
      { code: ctx.refs.stationCode, description: similar, joinCase: first.publicNo, phone: '13900001111', consent: 'on' },
      [],
      { html: true },
    )
    expect(joined.statusCode).toBe(303)
    expect(joined.headers.location).toMatch(/\?joined=1$/)
    const page = await ctx.t.app.inject({ url: joined.headers.location as string })
    expect(page.body).toContain(first.publicNo)
    expect(page.body).toContain('您的补充已加入这个问题')
    const [row] = await db().select().from(cases).where(eq(cases.publicNo, first.publicNo))
    expect(await db().select().from(caseFollower).where(eq(caseFollower.caseId, row!.id))).toHaveLength(1)

    const anew = await postCase(ctx.t.app, { code: ctx.refs.stationCode, description: similar, confirmNew: '1' })
    expect(anew.json().status).toBe('created')
    expect(anew.json().publicNo).not.toBe(first.publicNo)
  })

  it('refuses to join a case that is not similar (a public number alone opens nothing)', async () => {
    const other = await submit('学校门口的早点摊用的是地沟油，孩子吃了拉肚子')
    const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: '公交车站的座椅坏了，老人没地方坐', joinCase: other.publicNo })
    expect(res.statusCode).toBe(404)
  })

  it('routes a station-code case to the chosen member, else by category sector', async () => {
    const page = (await ctx.t.app.inject({ url: `/q/${ctx.refs.stationCode}` })).body
    const liId = page.match(/<option value="([0-9a-f-]{36})">李秀兰/)![1]!
    const chosen = await postCase(ctx.t.app, { code: ctx.refs.stationCode, description: '想咨询一下慢病医保的报销比例和流程', memberId: liId })
    const [a] = await db().select().from(cases).where(eq(cases.publicNo, chosen.json().publicNo))
    expect(a!.memberId).toBe(liId)

    const healthId = page.match(/<option value="([0-9a-f-]{36})">医疗卫生/)![1]!
    const byCategory = await postCase(ctx.t.app, {
      code: ctx.refs.stationCode,
      description: '社区医院的儿科晚上不开门，孩子发烧只能去县城',
      categoryId: healthId,
    })
    const [b] = await db().select().from(cases).where(eq(cases.publicNo, byCategory.json().publicNo))
    const events = await db().select().from(caseEvent).where(eq(caseEvent.caseId, b!.id))
    expect(events.find((e) => e.type === 'assigned')!.data).toMatchObject({ reason: 'sector_affinity' })
  })
})

describe('abuse limits', () => {
  const ctx = withDemoApp({ submitRateLimitPerIpPerHour: 3, scanRateLimitPerMinute: 5 })

  it('answers the 4th submission from one address with a friendly 429 page', async () => {
    for (let i = 0; i < 3; i++) {
      await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: '短' }, [], { html: true, headers: { 'x-test': String(i) } })
    }
    const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: '这次应该被限流了吧' }, [], { html: true })
    expect(res.statusCode).toBe(429)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.body).toContain('操作太频繁了')
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
  })

  it('limits scan page views per address too', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) statuses.push((await ctx.t.app.inject({ url: `/q/${ctx.refs.memberCode}`, remoteAddress: '10.1.2.3' })).statusCode)
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429])
  })
})

import { createHmac } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ChannelView, NotificationList, NotificationView } from '@mashangjian/shared'
import { auditLog, notification } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { signIn, submitCase, uniqueText, type SignedIn } from '../support/case-actions'
import { FAKE_CREDENTIALS, startFakeProviders, type AliyunReceived } from '../support/fake-providers'
import { outboxOf, who, type OutboxRow } from '../support/outbox'
import { startSmsGateway } from '../support/sms-gateway'
import { postCase } from '../support/submit'

/**
 * Who gets what, when, and what happens when a provider says no (issue 13), through the HTTP API and the fake
 * providers: the outbox rows an event writes, what reaches each fake, quiet hours, retries, opt-outs, preferences.
 *
 * The fakes check request timestamps against their own clock (Alibaba ±15 min, Tencent ±5 min, DingTalk ±1 h, our
 * webhook ±5 min) while the app signs with its ManualClock, so this file fakes `Date` (only `Date`) and keeps it
 * on the ManualClock: `moveClock` moves both.
 *
 * The tests share one app and run in order; the clock only moves forward: 10:00 Beijing for the rules, 23:30 for
 * quiet hours, 08:00 the next morning for the digest, then a day on for escalation and for giving up.
 */

const fakes = await startFakeProviders()
const gateway = await startSmsGateway()

/** An integrator's receiver of our own: keeps the raw body and every header, to check the signature here. */
const CAPTURE_SECRET = 'capture-signing-secret-0123456789'
const captured: { headers: IncomingHttpHeaders; raw: string }[] = []
const captureServer = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    captured.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') })
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
  })
})
await new Promise<void>((r) => captureServer.listen(0, '127.0.0.1', r))
const captureUrl = `http://127.0.0.1:${(captureServer.address() as AddressInfo).port}/events`
afterAll(
  () =>
    new Promise<void>((r) => {
      captureServer.closeAllConnections()
      captureServer.close(() => r())
    }),
)

const ctx = withDemoApp({ notifyWebhookUrl: gateway.url })
const db = () => ctx.t.database.db
const services = () => ctx.t.app.services.notifications
const base = () => ctx.t.config.publicBaseUrl

const MINUTE = 60_000
const HOUR = 3_600_000
/** 王建国's phone (the demo has none; set through the members API). */
const WANG_PHONE = '13900000001'

/** Moves the app's clock and `Date` together (see the file comment). */
function moveClock(ms: number) {
  ctx.t.clock.advance(ms)
  vi.setSystemTime(ctx.t.clock.now())
}
function moveClockTo(iso: string) {
  const ms = new Date(iso).getTime() - ctx.t.clock.now().getTime()
  expect(ms, `the clock only moves forward (now ${ctx.t.clock.now().toISOString()})`).toBeGreaterThanOrEqual(0)
  moveClock(ms)
}

/** Waits for the delivery run the last commit started. */
const settled = () => services().idle()
/** Runs delivery now (after moving the clock), after any run in flight. */
async function deliverNow() {
  await settled()
  const report = await services().deliverDue()
  await settled()
  return report
}

let phoneSeq = 0
/** A mainland mobile no other test uses. */
const newPhone = () => `137${String(Date.now() % 10_000).padStart(4, '0')}${String(++phoneSeq).padStart(4, '0')}`

/** A case through 王建国's code, with a resident phone (and consent) unless `phone` is null. */
async function newCase(text: string, phone: string | null = newPhone(), fields: Record<string, string> = {}) {
  const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText(text), phone ? { phone, consent: 'on', ...fields } : fields)
  await settled()
  return { ...c, phone }
}

const rowsOf = (caseId: string) => outboxOf(db(), { caseId })
const rowOf = async (caseId: string, templateKey: string, channel: string, extra: (r: OutboxRow) => boolean = () => true) => {
  const rows = (await rowsOf(caseId)).filter((r) => r.templateKey === templateKey && r.channel === channel && extra(r))
  expect(rows, `${templateKey} by ${channel}`).toHaveLength(1)
  return rows[0]!
}
const reload = async (id: string) => (await db().select().from(notification).where(eq(notification.id, id)))[0]!

/** What the Alibaba fake accepted for one phone (and case number). */
const smsTo = (phone: string, publicNo?: string): AliyunReceived[] =>
  fakes.aliyun.received.filter((m) => m.phone === phone && (publicNo === undefined || m.params.publicNo === publicNo))
const templateOf = (key: keyof typeof fakes.aliyun.settings.templates) => fakes.aliyun.settings.templates[key]

let committee: SignedIn
let wangId: string
const channels: Record<'aliyun' | 'webhook' | 'capture' | 'stationWecom' | 'stationDingtalk' | 'committeeWecom', ChannelView> = {} as never

beforeAll(async () => {
  // After withDemoApp's beforeAll (registered first): Date follows the app's clock from here on.
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(ctx.t.clock.now())

  committee = await signIn(ctx.t.app, 'committee')
  const create = async (body: Record<string, unknown>) => {
    const res = await ctx.t.app.inject({ method: 'POST', url: '/api/v1/notification-channels', headers: committee.headers, payload: body })
    expect(res.statusCode, res.body).toBe(201)
    return res.json<ChannelView>()
  }
  channels.aliyun = await create({ name: '阿里云短信', settings: fakes.aliyun.settings, credentials: fakes.aliyun.credentials })
  channels.webhook = await create({ name: '集成方', settings: fakes.webhook.settings, credentials: fakes.webhook.credentials })
  channels.capture = await create({ name: '自建接收端', settings: { provider: 'webhook', url: captureUrl }, credentials: { signingSecret: CAPTURE_SECRET } })
  channels.stationWecom = await create({
    name: '东城工作站企业微信群',
    stationId: ctx.refs.stationId,
    settings: fakes.wecom.settings,
    credentials: fakes.wecom.credentials,
  })
  channels.stationDingtalk = await create({
    name: '东城工作站钉钉群',
    stationId: ctx.refs.stationId,
    settings: fakes.dingtalk.settings,
    credentials: fakes.dingtalk.credentials,
  })
  channels.committeeWecom = await create({ name: '县政协工作群', settings: { ...fakes.wecom.settings, msgtype: 'text' }, credentials: fakes.wecom.credentials })

  // 王建国 has no phone in the demo: the members admin API gives him one, so new cases reach him by SMS.
  const found = await committee.get(`/api/v1/members?q=${encodeURIComponent('王建国')}`)
  expect(found.statusCode, found.body).toBe(200)
  wangId = found.json().items[0].id
  const patched = await ctx.t.app.inject({ method: 'PATCH', url: `/api/v1/members/${wangId}`, headers: committee.headers, payload: { phone: WANG_PHONE } })
  expect(patched.statusCode, patched.body).toBe(200)
  expect(patched.json().phoneMasked).toBe('139****0001')
})
afterAll(() => vi.useRealTimers())

beforeEach(async () => {
  // Access tokens last 15 minutes of the (moving) clock: a fresh one per test.
  committee = await signIn(ctx.t.app, 'committee')
  for (const f of [fakes.aliyun, fakes.tencent, fakes.wecom, fakes.dingtalk, fakes.webhook]) f.reset()
  gateway.received.length = 0
  captured.length = 0
})

describe('who gets what (10:00 Beijing)', () => {
  it('a new case: its member by SMS (with the case link) and push; the resident a receipt with their own tracking link', async () => {
    const c = await newCase('小区门口的路灯坏了一个多月，晚上出行很不方便')
    const rows = await rowsOf(c.id)
    expect(who(rows)).toEqual(
      expect.arrayContaining([
        ['member.assigned', 'member', wangId],
        ['resident.received', 'resident', c.id],
        ['case.event', 'committee', expect.any(String)],
      ]),
    )
    expect(
      rows
        .filter((r) => r.templateKey === 'member.assigned')
        .map((r) => r.channel)
        .sort(),
    ).toEqual(['push', 'sms'])
    expect(rows.filter((r) => r.templateKey === 'resident.received').map((r) => r.channel)).toEqual(['sms'])
    // Nobody else: no station notice for a case that reached its member.
    expect(rows.filter((r) => r.recipientKind === 'station')).toEqual([])

    const memberSms = await rowOf(c.id, 'member.assigned', 'sms')
    expect(memberSms).toMatchObject({ status: 'sent', provider: 'aliyun_sms', attempts: 1, urgent: false })
    // Without a push subscription the push row is skipped, with the reason.
    expect(await rowOf(c.id, 'member.assigned', 'push')).toMatchObject({ status: 'skipped', statusReason: 'no push subscription' })

    const toWang = smsTo(WANG_PHONE, c.publicNo)
    expect(toWang).toHaveLength(1)
    expect(toWang[0]).toMatchObject({
      templateCode: templateOf('member.assigned'),
      signName: '码上见',
      params: { publicNo: c.publicNo, url: `${base()}/app/cases/${c.id}` },
    })

    const toResident = smsTo(c.phone!, c.publicNo)
    expect(toResident).toHaveLength(1)
    expect(toResident[0]).toMatchObject({
      templateCode: templateOf('resident.received'),
      params: { publicNo: c.publicNo, url: `${base()}/t/${c.trackingSecret}` },
    })
    expect(await rowOf(c.id, 'resident.received', 'sms')).toMatchObject({ status: 'sent', provider: 'aliyun_sms' })
    // The link opens the resident's own tracking page.
    const page = await ctx.t.app.inject({ url: new URL(toResident[0]!.params.url!).pathname })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(c.publicNo)
    expect(fakes.aliyun.refusals).toEqual([])
  })

  it('the SMS texts: the member gets the case link; the resident their tracking link and 回复TD退订 (through the gateway)', async () => {
    // With the committee's SMS account switched off, SMS go to the deployment's gateway, which gets the text itself.
    const put = (enabled: boolean) =>
      ctx.t.app.inject({
        method: 'PUT',
        url: `/api/v1/notification-channels/${channels.aliyun.id}`,
        headers: committee.headers,
        payload: { name: channels.aliyun.name, enabled, settings: fakes.aliyun.settings },
      })
    expect((await put(false)).statusCode).toBe(200)
    try {
      const c = await newCase('单元楼的防盗门坏了，谁都能进来')
      const toResident = gateway.received.filter((m) => m.to === c.phone)
      expect(toResident).toHaveLength(1)
      expect(toResident[0]!.text).toContain(c.publicNo)
      expect(toResident[0]!.text).toContain(`${base()}/t/${c.trackingSecret}`)
      expect(toResident[0]!.text.endsWith('回复TD退订')).toBe(true)
      const toWang = gateway.received.filter((m) => m.to === WANG_PHONE && m.caseId === c.id)
      expect(toWang).toHaveLength(1)
      expect(toWang[0]!.text).toContain(`${base()}/app/cases/${c.id}`)
      expect(toWang[0]!.text).not.toContain('回复TD')
      expect(await rowOf(c.id, 'resident.received', 'sms')).toMatchObject({ status: 'sent', provider: 'sms_gateway' })
      expect(fakes.aliyun.requests).toBe(0)
    } finally {
      expect((await put(true)).statusCode).toBe(200)
    }
  })

  it('accept, resolve and invalid: the resident gets an SMS each, every one with their tracking link', async () => {
    const c = await newCase('菜市场门口的下水道反味，夏天尤其严重')
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    await settled()
    await wang.ok(c.id, { type: 'resolve', reply: '已联系市政疏通下水道并加装防臭盖板' })
    await settled()
    const link = `${base()}/t/${c.trackingSecret}`
    const got = smsTo(c.phone!, c.publicNo)
    expect(got.map((m) => m.templateCode)).toEqual([templateOf('resident.received'), templateOf('resident.accepted'), templateOf('resident.resolved')])
    expect(got[1]!.params).toEqual({ publicNo: c.publicNo, member: '王建国', url: link })
    expect(got[2]!.params).toEqual({ publicNo: c.publicNo, url: link })
    // The member acted himself: he is told of nothing but the assignment.
    expect(who((await rowsOf(c.id)).filter((r) => r.recipientKind === 'member'))).toEqual([['member.assigned', 'member', wangId]])

    const bogus = await newCase('测试一下这个扫码能不能用')
    const station = await signIn(ctx.t.app, 'station')
    await station.ok(bogus.id, { type: 'mark_invalid', reason: '测试内容，不是诉求' })
    await settled()
    const invalid = smsTo(bogus.phone!, bogus.publicNo)
    expect(invalid.map((m) => m.templateCode)).toEqual([templateOf('resident.received'), templateOf('resident.invalid')])
    expect(invalid[1]!.params).toEqual({ publicNo: bogus.publicNo, url: `${base()}/t/${bogus.trackingSecret}` })
    expect((await rowOf(bogus.id, 'resident.invalid', 'sms')).status).toBe('sent')
  })

  it('a resident who joined a similar case gets their own receipt, then accepted and resolved, each with their own link', async () => {
    const description = uniqueText('东城小区北门外的下水道井盖丢了，晚上路过很危险，已经有人崴脚')
    const first = await submitCase(ctx.t, ctx.refs.memberCode, description, { phone: newPhone(), consent: 'on' })
    await settled()
    const joinerPhone = newPhone()
    const joined = await postCase(ctx.t.app, { code: ctx.refs.stationCode, description, joinCase: first.publicNo, phone: joinerPhone, consent: 'on' })
    expect(joined.json(), joined.body).toMatchObject({ status: 'joined', publicNo: first.publicNo })
    const joinerSecret = joined.json().trackingSecret as string
    expect(joinerSecret).not.toBe(first.trackingSecret)
    await settled()

    const receipt = await rowOf(first.id, 'resident.received', 'sms', (r) => r.followerId !== null)
    expect(receipt).toMatchObject({ recipientKind: 'resident', recipientId: first.id, status: 'sent' })
    const joinerLink = `${base()}/t/${joinerSecret}`
    expect(smsTo(joinerPhone, first.publicNo).map((m) => [m.templateCode, m.params.url])).toEqual([[templateOf('resident.received'), joinerLink]])
    // Their link opens the case they joined.
    const page = await ctx.t.app.inject({ url: `/t/${joinerSecret}` })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(first.publicNo)

    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(first.id, { type: 'accept' })
    await settled()
    await wang.ok(first.id, { type: 'resolve', reply: '已协调物业补装井盖并设置警示标志' })
    await settled()
    expect(smsTo(joinerPhone, first.publicNo).map((m) => [m.templateCode, m.params.url])).toEqual([
      [templateOf('resident.received'), joinerLink],
      [templateOf('resident.accepted'), joinerLink],
      [templateOf('resident.resolved'), joinerLink],
    ])
    // The submitter too, with the submitter's own link.
    const firstLink = `${base()}/t/${first.trackingSecret}`
    expect(fakes.aliyun.received.filter((m) => m.params.publicNo === first.publicNo && m.params.url === firstLink).map((m) => m.templateCode)).toEqual(
      expect.arrayContaining([templateOf('resident.accepted'), templateOf('resident.resolved')]),
    )
  })

  it("a merge tells the merged case's resident and its followers the number it is handled under now", async () => {
    const description = uniqueText('南关路口的路灯一到晚上就闪，开车很晃眼')
    const xPhone = newPhone()
    const x = await submitCase(ctx.t, ctx.refs.memberCode, description, { phone: xPhone, consent: 'on' })
    const followerPhone = newPhone()
    const joined = await postCase(ctx.t.app, { code: ctx.refs.stationCode, description, joinCase: x.publicNo, phone: followerPhone, consent: 'on' })
    expect(joined.json(), joined.body).toMatchObject({ status: 'joined' })
    const followerSecret = joined.json().trackingSecret as string
    const y = await newCase('南关路口路灯闪烁，影响行车', null)
    await settled()

    const station = await signIn(ctx.t.app, 'station')
    await station.ok(x.id, { type: 'merge', intoCaseId: y.id, reason: '同一路灯，并入一件办理' })
    await settled()
    const merged = (await rowsOf(x.id)).filter((r) => r.templateKey === 'resident.merged')
    expect(merged.map((r) => [r.recipientKind, r.channel, r.status])).toEqual([
      ['resident', 'sms', 'sent'],
      ['resident', 'sms', 'sent'],
    ])
    for (const [phone, secret] of [
      [xPhone, x.trackingSecret],
      [followerPhone, followerSecret],
    ] as const) {
      const got = smsTo(phone).filter((m) => m.templateCode === templateOf('resident.merged'))
      expect(got, phone).toHaveLength(1)
      expect(got[0]!.params).toEqual({ publicNo: x.publicNo, intoPublicNo: y.publicNo, url: `${base()}/t/${secret}` })
    }
    // Y had no resident phone: nobody there gets a merge message.
    expect((await rowsOf(y.id)).filter((r) => r.templateKey === 'resident.merged')).toEqual([])
  })

  it("a decline puts the case in the station queue: the station's WeCom and DingTalk robots get its number; 督办 there too", async () => {
    const c = await newCase('小区门口的减速带坏了，车开过去很响', null)
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(c.id, { type: 'decline', reason: '近期出差，无法办理' })
    await settled()
    const queued = (await rowsOf(c.id)).filter((r) => r.templateKey === 'station.queued')
    expect(who(queued)).toEqual([['station.queued', 'station', ctx.refs.stationId]])
    expect(queued.map((r) => `${r.channel}:${r.channelId ?? ''}`).sort()).toEqual(
      ['push:', `robot:${channels.stationDingtalk.id}`, `robot:${channels.stationWecom.id}`].sort(),
    )
    expect(queued.find((r) => r.channelId === channels.stationWecom.id)).toMatchObject({ status: 'sent', provider: 'wecom_robot' })
    expect(queued.find((r) => r.channelId === channels.stationDingtalk.id)).toMatchObject({ status: 'sent', provider: 'dingtalk_robot' })
    // The committee's own robot is not the station's: it gets nothing.
    expect(queued.some((r) => r.channelId === channels.committeeWecom.id)).toBe(false)

    const wecom = fakes.wecom.received.filter((m) => m.content.includes(c.publicNo))
    expect(wecom).toHaveLength(1)
    expect(wecom[0]!.content).toContain('东城街道委员工作站')
    expect(wecom[0]!.content).toContain('委员退单')
    const ding = fakes.dingtalk.received.filter((m) => m.text.includes(c.publicNo))
    expect(ding).toHaveLength(1)
    expect(ding[0]!.title).toContain(c.publicNo)
    expect(fakes.dingtalk.refusals).toEqual([])

    await committee.ok(c.id, { type: 'chase', body: '请工作站今天内派单' })
    await settled()
    const chased = (await rowsOf(c.id)).filter((r) => r.templateKey === 'station.chased')
    expect(who(chased)).toEqual([['station.chased', 'station', ctx.refs.stationId]])
    expect(chased.filter((r) => r.channel === 'robot').map((r) => r.status)).toEqual(['sent', 'sent'])
    expect(fakes.wecom.received.filter((m) => m.content.includes(c.publicNo) && m.content.includes('请工作站今天内派单'))).toHaveLength(1)
    expect(fakes.dingtalk.received.filter((m) => m.text.includes(c.publicNo) && m.text.includes('督办'))).toHaveLength(1)
  })

  it('a webhook gets a case.event for every action, signed: sha256=hex(HMAC-SHA256(secret, timestamp + "." + body))', async () => {
    const c = await newCase('公园里的健身器材坏了好几件，孩子玩很危险', null)
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(c.id, { type: 'note', body: '已电话联系公园管理处' })
    await settled()
    await wang.ok(c.id, { type: 'accept' })
    await settled()
    await wang.ok(c.id, { type: 'resolve', reply: '公园管理处已更换损坏的器材' })
    await settled()

    const ours = captured.filter((m) => JSON.parse(m.raw).caseId === c.id)
    expect(ours.map((m) => JSON.parse(m.raw).params.event)).toEqual(['submitted', 'note', 'accept', 'resolve'])
    for (const m of ours) {
      const timestamp = String(m.headers['x-mashangjian-timestamp'])
      const expected = `sha256=${createHmac('sha256', CAPTURE_SECRET).update(`${timestamp}.${m.raw}`).digest('hex')}`
      expect(m.headers['x-mashangjian-signature']).toBe(expected)
      expect(Number(timestamp)).toBe(Math.floor(ctx.t.clock.now().getTime() / 1000))
      expect(m.headers['content-type']).toMatch(/^application\/json/)
      const event = JSON.parse(m.raw)
      expect(m.headers['x-mashangjian-delivery']).toBe(event.id)
      expect(event).toMatchObject({ type: 'case.event', caseId: c.id, publicNo: c.publicNo, url: `${base()}/app/admin/cases/${c.id}` })
    }
    // A wrong secret would not verify.
    const m = ours[0]!
    expect(
      createHmac('sha256', 'not-the-secret')
        .update(`${String(m.headers['x-mashangjian-timestamp'])}.${m.raw}`)
        .digest('hex'),
    ).not.toBe(String(m.headers['x-mashangjian-signature']).slice('sha256='.length))

    // The fake integrator verifies the same way, independently: every event accepted, none refused.
    expect(fakes.webhook.refusals).toEqual([])
    expect(fakes.webhook.received.filter((r) => r.event.caseId === c.id).map((r) => (r.event.params as Record<string, string>).event)).toEqual([
      'submitted',
      'note',
      'accept',
      'resolve',
    ])
    const hooks = (await rowsOf(c.id)).filter((r) => r.channel === 'webhook')
    expect(hooks).toHaveLength(8)
    expect(hooks.every((r) => r.status === 'sent' && r.provider === 'webhook')).toBe(true)
  })
})

describe('opt-out, preferences, retries (10:00 Beijing)', () => {
  it('回复TD: after an admin records the opt-out, SMS to that resident are skipped with the reason and nothing is sent', async () => {
    const phone = newPhone()
    const station = await signIn(ctx.t.app, 'station')
    const res = await ctx.t.app.inject({
      method: 'POST',
      url: '/api/v1/sms-opt-outs',
      headers: station.headers,
      payload: { phone: `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}` },
    })
    expect(res.statusCode, res.body).toBe(204)
    const c = await newCase('楼上装修天天打电钻，周末也不停', phone)
    expect(await rowOf(c.id, 'resident.received', 'sms')).toMatchObject({ status: 'skipped', statusReason: expect.stringContaining('opted out') })
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    await settled()
    expect(await rowOf(c.id, 'resident.accepted', 'sms')).toMatchObject({ status: 'skipped', statusReason: expect.stringContaining('opted out') })
    expect(smsTo(phone)).toEqual([])
    // The member is still told.
    expect(smsTo(WANG_PHONE, c.publicNo)).toHaveLength(1)
    // Audit-logged with the phone masked.
    const audited = await db().select().from(auditLog).where(eq(auditLog.action, 'sms.opt_out'))
    expect(audited.map((a) => a.detail)).toContainEqual({ phone: `${phone.slice(0, 3)}****${phone.slice(7)}`, source: 'staff' })
    expect(JSON.stringify(audited)).not.toContain(phone)

    for (const bad of ['+14155550100', '0931-8123456', '12800138000']) {
      const refused = await ctx.t.app.inject({ method: 'POST', url: '/api/v1/sms-opt-outs', headers: station.headers, payload: { phone: bad } })
      expect(refused.statusCode, bad).toBe(400)
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(refused.json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' })
    }
    const member = await ctx.t.app.inject({ method: 'POST', url: '/api/v1/sms-opt-outs', headers: wang.headers, payload: { phone } })
    expect(member.statusCode).toBe(403)
  })

  it('preferences: SMS off → push only; both off → a log row; back on → SMS again', async () => {
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const url = '/api/v1/me/notification-preferences'
    const put = async (sms: boolean, push: boolean) => {
      const res = await ctx.t.app.inject({ method: 'PUT', url, headers: wang.headers, payload: { sms, push } })
      expect(res.statusCode, res.body).toBe(200)
      return res.json()
    }
    const got = await wang.get(url)
    expect(got.statusCode).toBe(200)
    expect(got.json()).toEqual({ sms: true, push: true, phoneMasked: '139****0001' })
    try {
      expect(await put(false, true)).toEqual({ sms: false, push: true, phoneMasked: '139****0001' })
      const a = await newCase('路边停车位被私人地锁占了', null)
      expect((await rowsOf(a.id)).filter((r) => r.recipientKind === 'member').map((r) => r.channel)).toEqual(['push'])
      expect(smsTo(WANG_PHONE, a.publicNo)).toEqual([])

      expect(await put(false, false)).toMatchObject({ sms: false, push: false })
      const b = await newCase('小区快递柜总是满的，取件困难', null)
      const memberRows = (await rowsOf(b.id)).filter((r) => r.recipientKind === 'member')
      expect(memberRows.map((r) => [r.templateKey, r.channel, r.status])).toEqual([['member.assigned', 'log', 'sent']])
      expect(smsTo(WANG_PHONE, b.publicNo)).toEqual([])
      expect((await wang.get(url)).json()).toMatchObject({ sms: false, push: false })
    } finally {
      await put(true, true)
    }
    const c = await newCase('社区图书室周末不开门', null)
    expect(
      (await rowsOf(c.id))
        .filter((r) => r.recipientKind === 'member')
        .map((r) => r.channel)
        .sort(),
    ).toEqual(['push', 'sms'])
    expect(smsTo(WANG_PHONE, c.publicNo)).toHaveLength(1)

    // Only members have preferences.
    expect((await committee.get(url)).statusCode).toBe(403)
    expect((await ctx.t.app.inject({ method: 'PUT', url, headers: wang.headers, payload: { sms: 'yes' } })).statusCode).toBe(400)
  })

  it('throttling: pending with the attempt recorded and a backoff of at least 30 s; after the wait, sent once', async () => {
    fakes.aliyun.failNext('throttle')
    const c = await newCase('夜市收摊后垃圾满地，第二天早上才清理', null)
    const row = await rowOf(c.id, 'member.assigned', 'sms')
    expect(row).toMatchObject({ status: 'pending', attempts: 1, provider: 'aliyun_sms', statusReason: expect.stringContaining('isv.BUSINESS_LIMIT_CONTROL') })
    expect(row.nextAttemptAt.getTime() - ctx.t.clock.now().getTime()).toBeGreaterThanOrEqual(30_000)
    expect(smsTo(WANG_PHONE, c.publicNo)).toEqual([])

    // The console's delivery log shows the refused attempt.
    const log = await committee.get(`/api/v1/cases/${c.id}/notifications`)
    expect(log.statusCode, log.body).toBe(200)
    const view = log.json<NotificationList>().items.find((n) => n.id === row.id)!
    expect(view).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: row.nextAttemptAt.toISOString(), recipientLabel: '王建国' })
    expect(view.attemptLog).toEqual([expect.objectContaining({ provider: 'aliyun_sms', ok: false, providerCode: 'isv.BUSINESS_LIMIT_CONTROL' })])

    // Not before its time.
    await deliverNow()
    expect(await reload(row.id)).toMatchObject({ status: 'pending', attempts: 1 })
    moveClock(31_000)
    await deliverNow()
    expect(await reload(row.id)).toMatchObject({ status: 'sent', attempts: 2, statusReason: null })
    expect(smsTo(WANG_PHONE, c.publicNo)).toHaveLength(1)
    const after = (await committee.get(`/api/v1/cases/${c.id}/notifications`)).json<NotificationList>().items.find((n) => n.id === row.id)!
    expect(after.attemptLog.map((a) => a.ok)).toEqual([false, true])
  })

  it("a permanent failure fails at once with the provider's code; retry → pending → sent; retrying a sent notice is refused", async () => {
    fakes.aliyun.failNext('permanent')
    const c = await newCase('公交站台的顶棚漏雨，等车的人都淋湿了', null)
    const row = await rowOf(c.id, 'member.assigned', 'sms')
    expect(row).toMatchObject({ status: 'failed', attempts: 1, statusReason: expect.stringContaining('isv.SMS_TEMPLATE_ILLEGAL') })
    expect(smsTo(WANG_PHONE, c.publicNo)).toEqual([])

    const failed = await committee.get('/api/v1/notifications?status=failed')
    expect(failed.statusCode, failed.body).toBe(200)
    expect(failed.json().items.map((n: NotificationView) => n.id)).toContain(row.id)

    const retried = await ctx.t.app.inject({ method: 'POST', url: `/api/v1/notifications/${row.id}/retry`, headers: committee.headers })
    expect(retried.statusCode, retried.body).toBe(200)
    expect(retried.json<NotificationView>()).toMatchObject({ id: row.id, status: 'pending', statusReason: null })
    await settled()
    expect(await reload(row.id)).toMatchObject({ status: 'sent', attempts: 2 })
    expect(smsTo(WANG_PHONE, c.publicNo)).toHaveLength(1)

    const again = await ctx.t.app.inject({ method: 'POST', url: `/api/v1/notifications/${row.id}/retry`, headers: committee.headers })
    expect(again.statusCode).toBe(400)
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(smsTo(WANG_PHONE, c.publicNo)).toHaveLength(1)
  })

  it('segments: an SMS through Alibaba records its billed parts; a long 督办 note makes several', async () => {
    const c = await newCase('河边护栏断了一段，孩子在那里玩很危险', null)
    const assigned = await rowOf(c.id, 'member.assigned', 'sms')
    expect(assigned.segments).toBeGreaterThanOrEqual(1)
    await committee.ok(c.id, { type: 'chase', body: '群众多次来电反映此处护栏断裂，存在严重安全隐患，'.repeat(6) })
    await settled()
    const chased = await rowOf(c.id, 'member.chased', 'sms')
    expect(chased).toMatchObject({ status: 'sent', provider: 'aliyun_sms' })
    expect(chased.segments).toBeGreaterThanOrEqual(3)
    expect(smsTo(WANG_PHONE, c.publicNo).map((m) => m.templateCode)).toEqual([templateOf('member.assigned'), templateOf('member.chased')])
    const view = (await committee.get(`/api/v1/cases/${c.id}/notifications`)).json<NotificationList>().items.find((n) => n.id === chased.id)!
    expect(view.segments).toBe(chased.segments)
  })
})

describe('quiet hours (23:30 Beijing)', () => {
  it("a member's SMS throttled just before 22:00 is retried at 07:00, not in the night", async () => {
    moveClockTo('2026-11-23T13:59:50Z') // 21:59:50 Beijing
    fakes.aliyun.failNext('throttle')
    const c = await newCase('楼下烧烤店油烟直冲窗户，晚上没法开窗', null)
    const row = await rowOf(c.id, 'member.assigned', 'sms')
    expect(row).toMatchObject({ status: 'pending', attempts: 1 })
    expect(row.nextAttemptAt.toISOString()).toBe('2026-11-23T23:00:00.000Z')
    moveClockTo('2026-11-23T14:01:00Z')
    await deliverNow()
    expect(await reload(row.id)).toMatchObject({ status: 'pending', attempts: 1 })
    expect(smsTo(WANG_PHONE, c.publicNo)).toEqual([])
  })

  it("holds a member's SMS until 07:00 unless the case is urgent; residents' SMS go out at once", async () => {
    moveClockTo('2026-11-23T15:30:00Z')
    const c = await newCase('小区里的流浪狗半夜一直叫')
    const held = await rowOf(c.id, 'member.assigned', 'sms')
    expect(held).toMatchObject({ status: 'pending', attempts: 0, urgent: false })
    expect(held.nextAttemptAt.toISOString()).toBe('2026-11-23T23:00:00.000Z')
    // The resident's receipt is not held; the push goes now too.
    expect(await rowOf(c.id, 'resident.received', 'sms')).toMatchObject({ status: 'sent' })
    expect(smsTo(c.phone!, c.publicNo)).toHaveLength(1)
    expect((await rowOf(c.id, 'member.assigned', 'push')).status).toBe('skipped')
    await deliverNow()
    expect(await reload(held.id)).toMatchObject({ status: 'pending', attempts: 0 })
    expect(smsTo(WANG_PHONE, c.publicNo)).toEqual([])

    // An urgent category (供水供暖) goes out at once.
    committee = await signIn(ctx.t.app, 'committee')
    const categories = await committee.get('/api/v1/categories?limit=100')
    expect(categories.statusCode, categories.body).toBe(200)
    const water = categories.json().items.find((x: { names: Record<string, string> }) => x.names['zh-CN'] === '供水供暖')
    expect(water).toMatchObject({ slaClass: 'urgent' })
    const urgent = await newCase('整栋楼停水一天了，没有任何通知', null, { categoryId: water.id })
    expect(await rowOf(urgent.id, 'member.assigned', 'sms')).toMatchObject({ status: 'sent', urgent: true })
    expect(smsTo(WANG_PHONE, urgent.publicNo)).toHaveLength(1)

    // 06:59: still held; 07:00: out.
    moveClockTo('2026-11-23T22:59:00Z')
    await deliverNow()
    expect((await reload(held.id)).status).toBe('pending')
    moveClockTo('2026-11-23T23:00:00Z')
    await deliverNow()
    expect(await reload(held.id)).toMatchObject({ status: 'sent', attempts: 1 })
    expect(smsTo(WANG_PHONE, c.publicNo)).toHaveLength(1)
  })
})

describe('the next morning and later', () => {
  it("the 08:00 digest: members by SMS (one part) and push, the committee's own robot a summary", async () => {
    moveClockTo('2026-11-24T00:00:00Z')
    const members = await ctx.t.app.services.deadlines.digest()
    expect(members).toBeGreaterThan(0)
    await settled()
    const digests = await outboxOf(db(), { templateKeys: ['member.digest'] })
    const wangs = digests.filter((r) => r.recipientId === wangId)
    expect(wangs.map((r) => r.channel).sort()).toEqual(['push', 'sms'])
    const sms = wangs.find((r) => r.channel === 'sms')!
    expect(sms).toMatchObject({ status: 'sent', provider: 'aliyun_sms', segments: 1, caseId: null })
    const got = smsTo(WANG_PHONE).filter((m) => m.templateCode === templateOf('member.digest'))
    expect(got).toHaveLength(1)
    expect(got[0]!.params).toEqual({
      waiting: expect.stringMatching(/^\d+$/),
      working: expect.stringMatching(/^\d+$/),
      overdue: expect.stringMatching(/^\d+$/),
    })

    const committeeRows = await outboxOf(db(), { templateKeys: ['committee.digest'] })
    expect(committeeRows.map((r) => [r.recipientKind, r.channel, r.channelId, r.status])).toEqual([['committee', 'robot', channels.committeeWecom.id, 'sent']])
    const summary = fakes.wecom.received.filter((m) => m.content.includes('今日诉求概况'))
    expect(summary).toHaveLength(1)
    expect(summary[0]).toMatchObject({ msgtype: 'text', content: expect.stringMatching(/待接单\d+件，办理中\d+件，已超期\d+件，待派单\d+件/) })
    // Station robots get no committee digest.
    expect(fakes.dingtalk.received.filter((m) => m.text.includes('今日诉求概况'))).toEqual([])

    // Once a day.
    await ctx.t.app.services.deadlines.digest()
    await settled()
    expect(await outboxOf(db(), { templateKeys: ['member.digest', 'committee.digest'] })).toHaveLength(digests.length + committeeRows.length)
  })

  it("escalation by the deadline sweep (accept timeout): the station's robots get station.escalated", async () => {
    const c = await newCase('人行道上的地砖翘起来了，老人容易绊倒', null)
    moveClock(25 * HOUR)
    const report = await ctx.t.app.services.deadlines.run()
    expect(report.escalated).toBeGreaterThanOrEqual(1)
    await settled()
    const rows = (await rowsOf(c.id)).filter((r) => r.templateKey === 'station.escalated')
    expect(who(rows)).toEqual([['station.escalated', 'station', ctx.refs.stationId]])
    expect(rows.filter((r) => r.channel === 'robot').map((r) => r.status)).toEqual(['sent', 'sent'])
    expect(fakes.wecom.received.filter((m) => m.content.includes(c.publicNo) && m.content.includes('超时未接单'))).toHaveLength(1)
    expect(fakes.dingtalk.received.filter((m) => m.title?.includes(c.publicNo))).toHaveLength(1)
    // Integrators hear of it too.
    expect(fakes.webhook.received.filter((r) => r.event.caseId === c.id && (r.event.params as Record<string, string>).event === 'escalated')).toHaveLength(1)
  })

  it('a provider that keeps throttling for more than 24 h: the notice gives up into failed', async () => {
    // Every SMS is throttled from here until the end of this test.
    fakes.aliyun.failNext('throttle', 10_000)
    try {
      const c = await newCase('电梯经常停运，老人上下楼困难', null)
      const row = await rowOf(c.id, 'member.assigned', 'sms')
      expect(row).toMatchObject({ status: 'pending', attempts: 1 })
      moveClock(12 * HOUR)
      await deliverNow()
      expect(await reload(row.id)).toMatchObject({ status: 'pending', attempts: 2 })
      moveClock(12 * HOUR + MINUTE)
      await deliverNow()
      const given = await reload(row.id)
      expect(given).toMatchObject({ status: 'failed', attempts: 3, statusReason: expect.stringContaining('isv.BUSINESS_LIMIT_CONTROL') })
      expect(smsTo(WANG_PHONE, c.publicNo)).toEqual([])
      expect(
        await db()
          .select()
          .from(notification)
          .where(and(eq(notification.id, row.id), eq(notification.status, 'failed'))),
      ).toHaveLength(1)
    } finally {
      fakes.aliyun.reset()
    }
  })
})

// The fakes' own credentials are used throughout; none of them may reach the outbox.
afterAll(async () => {
  const all = JSON.stringify(await db().select().from(notification))
  for (const creds of Object.values(FAKE_CREDENTIALS)) for (const v of Object.values(creds)) if (v.length > 12) expect(all).not.toContain(v)
})

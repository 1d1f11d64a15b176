import { and, eq } from 'drizzle-orm'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ChannelView, NotificationPage, NotificationView } from '@mashangjian/shared'
import { auditLog, qrCode, station } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { signIn, submitCase, uniqueText, type SignedIn } from '../support/case-actions'
import { FAKE_CREDENTIALS, startFakeProviders } from '../support/fake-providers'
import { bearer, createOrg, login, type Org } from '../support/fixtures'
import { outboxOf } from '../support/outbox'

/**
 * The console's side of notifications through the HTTP API: channel CRUD (secrets written once, never answered,
 * never audit-logged), test sends answering what the provider said, and who may see and retry which notices.
 *
 * As in notification-rules.test.ts, `Date` (only `Date`) follows the app's ManualClock: the fakes check request
 * timestamps against their own clock and the app signs with its own.
 */

const fakes = await startFakeProviders()
const ctx = withDemoApp()
const db = () => ctx.t.database.db
const CHANNELS = '/api/v1/notification-channels'

/** Every secret value the fakes accept, plus the ones this file makes up: none may appear in any answer. */
const OTHER_SECRET = 'a-replaced-signing-secret-4711'
const SECRETS = [
  ...Object.values(FAKE_CREDENTIALS).flatMap((c) =>
    Object.entries(c)
      .filter(([k]) => !['accessKeyId', 'secretId', 'sdkAppId'].includes(k))
      .map(([, v]) => v),
  ),
  OTHER_SECRET,
]
function expectNoSecrets(text: string) {
  for (const s of SECRETS) {
    expect(text).not.toContain(s)
    expect(text).not.toContain(encodeURIComponent(s))
  }
}

let committee: SignedIn
let org: Org
/** County B of another city (createOrg): its committee admin must not see the demo county's notifications. */
let foreignHeaders: Record<string, string>
let demoCommitteeId: string

const call = (headers: Record<string, string>, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  ctx.t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })
function ok<T>(res: LightMyRequestResponse, status = 200): T {
  expect(res.statusCode, res.body).toBe(status)
  expectNoSecrets(res.body)
  return res.json<T>()
}
function problem(res: LightMyRequestResponse, status: number) {
  expect(res.statusCode, res.body).toBe(status)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  expectNoSecrets(res.body)
  return res.json<{ code: string; errors?: { field: string; message: string }[] }>()
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(ctx.t.clock.now())
  org = await createOrg(db())
  foreignHeaders = bearer((await login(ctx.t.app, org.users.adminB.username)).accessToken)
})
afterAll(() => vi.useRealTimers())
beforeEach(async () => {
  committee = await signIn(ctx.t.app, 'committee')
  for (const f of [fakes.aliyun, fakes.tencent, fakes.wecom, fakes.dingtalk, fakes.webhook]) f.reset()
})

const created: Record<'aliyun' | 'tencent' | 'wecom' | 'dingtalk' | 'webhook', ChannelView> = {} as never

describe('channels: CRUD without ever answering a secret', () => {
  it('creates one channel of every provider; the answer lists which secrets are saved, never their values', async () => {
    const bodies = {
      aliyun: { name: '阿里云短信', settings: fakes.aliyun.settings, credentials: fakes.aliyun.credentials },
      tencent: { name: '腾讯云短信', enabled: false, settings: fakes.tencent.settings, credentials: fakes.tencent.credentials },
      wecom: { name: '东城工作站企业微信群', stationId: ctx.refs.stationId, settings: fakes.wecom.settings, credentials: fakes.wecom.credentials },
      dingtalk: { name: '县政协钉钉群', settings: fakes.dingtalk.settings, credentials: fakes.dingtalk.credentials },
      webhook: { name: '12345 热线对接', settings: fakes.webhook.settings, credentials: fakes.webhook.credentials },
    }
    for (const [key, body] of Object.entries(bodies) as [keyof typeof bodies, (typeof bodies)[keyof typeof bodies]][]) {
      const view = ok<ChannelView>(await call(committee.headers, 'POST', CHANNELS, body), 201)
      expect(view).toMatchObject({ name: body.name, provider: body.settings.provider, credentialsSet: Object.keys(body.credentials).sort() })
      created[key] = view
    }
    demoCommitteeId = created.aliyun.committeeId
    expect(created.wecom).toMatchObject({ stationId: ctx.refs.stationId, stationName: '东城街道委员工作站' })
    expect(created.tencent.enabled).toBe(false)
    expect(created.dingtalk).toMatchObject({ stationId: null, enabled: true, credentialsSet: ['accessToken', 'secret'] })

    const list = ok<{ items: ChannelView[] }>(await committee.get(CHANNELS))
    expect(list.items.map((c) => c.id)).toEqual(Object.values(created).map((c) => c.id))
    expect(ok<{ items: ChannelView[] }>(await committee.get(`${CHANNELS}?committeeId=${demoCommitteeId}`)).items).toHaveLength(5)
  })

  it("refuses a channel without its required secrets, with a foreign secret, or a robot of another committee's station", async () => {
    const before = ok<{ items: ChannelView[] }>(await committee.get(CHANNELS)).items.length
    const noSecret = problem(
      await call(committee.headers, 'POST', CHANNELS, { name: '钉钉', settings: fakes.dingtalk.settings, credentials: { accessToken: 'x-token' } }),
      400,
    )
    expect(noSecret.errors).toEqual([expect.objectContaining({ field: 'body.credentials.secret', message: 'is required' })])
    problem(await call(committee.headers, 'POST', CHANNELS, { name: '阿里云', settings: fakes.aliyun.settings }), 400)
    const foreignSecret = problem(
      await call(committee.headers, 'POST', CHANNELS, { name: '企业微信', settings: fakes.wecom.settings, credentials: { key: 'k', password: 'p' } }),
      400,
    )
    expect(foreignSecret.errors?.map((e) => e.field)).toEqual(['body.credentials.password'])
    const elsewhere = problem(
      await call(committee.headers, 'POST', CHANNELS, {
        name: '别处的群',
        stationId: org.stationB1.id,
        settings: fakes.wecom.settings,
        credentials: fakes.wecom.credentials,
      }),
      400,
    )
    expect(elsewhere.errors).toEqual([expect.objectContaining({ field: 'body.stationId' })])
    // Only robots belong to a station.
    problem(
      await call(committee.headers, 'POST', CHANNELS, {
        name: '短信',
        stationId: ctx.refs.stationId,
        settings: fakes.aliyun.settings,
        credentials: fakes.aliyun.credentials,
      }),
      400,
    )
    // A webhook needs a URL.
    problem(
      await call(committee.headers, 'POST', CHANNELS, {
        name: 'hook',
        settings: { provider: 'webhook', url: 'ftp://example.com/x' },
        credentials: fakes.webhook.credentials,
      }),
      400,
    )
    expect(ok<{ items: ChannelView[] }>(await committee.get(CHANNELS)).items).toHaveLength(before)
  })

  it('an update without credentials keeps the saved ones: the next sends still sign correctly', async () => {
    const renamed = ok<ChannelView>(
      await call(committee.headers, 'PUT', `${CHANNELS}/${created.dingtalk.id}`, { name: '县政协工作群（钉钉）', settings: fakes.dingtalk.settings }),
    )
    expect(renamed).toMatchObject({ name: '县政协工作群（钉钉）', credentialsSet: ['accessToken', 'secret'], enabled: true })
    // DingTalk's 加签 needs the saved secret: the fake recomputes it.
    expect(ok(await call(committee.headers, 'POST', `${CHANNELS}/${created.dingtalk.id}/test`, {}))).toMatchObject({
      ok: true,
      provider: 'dingtalk_robot',
      providerCode: '0',
    })
    expect(fakes.dingtalk.received).toHaveLength(1)
    expect(fakes.dingtalk.refusals).toEqual([])

    const hook = ok<ChannelView>(
      await call(committee.headers, 'PUT', `${CHANNELS}/${created.webhook.id}`, { name: '热线对接', settings: fakes.webhook.settings }),
    )
    expect(hook.credentialsSet).toEqual(['signingSecret'])
    // A real case event after the update: signed with the saved secret, accepted by the integrator.
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('小区门口的路灯不亮了'))
    await ctx.t.app.services.notifications.idle()
    expect(fakes.webhook.received.filter((r) => r.event.caseId === c.id).map((r) => (r.event.params as Record<string, string>).event)).toEqual(['submitted'])
    expect(fakes.webhook.refusals).toEqual([])
    expect((await outboxOf(db(), { caseId: c.id })).filter((r) => r.channel === 'webhook').map((r) => r.status)).toEqual(['sent'])
  })

  it('a replaced secret is used from then on (the fake refuses it, and the test answers that refusal with its code)', async () => {
    const replaced = ok<ChannelView>(
      await call(committee.headers, 'PUT', `${CHANNELS}/${created.webhook.id}`, {
        name: '热线对接',
        settings: fakes.webhook.settings,
        credentials: { signingSecret: OTHER_SECRET },
      }),
    )
    expect(replaced.credentialsSet).toEqual(['signingSecret'])
    const refused = ok(await call(committee.headers, 'POST', `${CHANNELS}/${created.webhook.id}/test`, {}))
    expect(refused).toMatchObject({ ok: false, retryable: false, httpStatus: 401, providerCode: 'HTTP_401', provider: 'webhook' })
    expect(fakes.webhook.refusals.map((r) => r.message)).toEqual(['bad signature'])
    // Back to the integrator's secret.
    ok(
      await call(committee.headers, 'PUT', `${CHANNELS}/${created.webhook.id}`, {
        name: '热线对接',
        settings: fakes.webhook.settings,
        credentials: fakes.webhook.credentials,
      }),
    )
    expect(ok(await call(committee.headers, 'POST', `${CHANNELS}/${created.webhook.id}/test`, {}))).toMatchObject({ ok: true, httpStatus: 200 })
    // The provider cannot change on update.
    problem(await call(committee.headers, 'PUT', `${CHANNELS}/${created.webhook.id}`, { name: 'x', settings: fakes.wecom.settings }), 400)
  })

  it('test sends answer what the provider said: ok, or its refusal and code; SMS need a mainland phone', async () => {
    const wecom = ok(await call(committee.headers, 'POST', `${CHANNELS}/${created.wecom.id}/test`, {}))
    expect(wecom).toMatchObject({ ok: true, provider: 'wecom_robot', providerCode: '0', httpStatus: 200 })
    expect(fakes.wecom.received).toHaveLength(1)
    expect(fakes.wecom.received[0]!.content).toContain('码上见测试消息')
    fakes.wecom.failNext('permanent')
    expect(ok(await call(committee.headers, 'POST', `${CHANNELS}/${created.wecom.id}/test`, {}))).toMatchObject({
      ok: false,
      retryable: false,
      provider: 'wecom_robot',
      providerCode: '93000',
      providerMessage: expect.stringContaining('invalid webhook url'),
    })
    fakes.wecom.failNext('throttle')
    expect(ok(await call(committee.headers, 'POST', `${CHANNELS}/${created.wecom.id}/test`, {}))).toMatchObject({
      ok: false,
      retryable: true,
      providerCode: '45009',
    })

    const sms = ok(await call(committee.headers, 'POST', `${CHANNELS}/${created.aliyun.id}/test`, { phone: '138 0013 8000' }))
    expect(sms).toMatchObject({ ok: true, provider: 'aliyun_sms', providerCode: 'OK', providerMessageId: fakes.aliyun.received[0]!.bizId })
    expect(fakes.aliyun.received[0]).toMatchObject({
      phone: '13800138000',
      templateCode: fakes.aliyun.settings.templates.test,
      params: { code: expect.stringMatching(/^\d{4}$/) },
    })
    fakes.aliyun.failNext('permanent', 1, 'isv.DAY_LIMIT_CONTROL')
    expect(ok(await call(committee.headers, 'POST', `${CHANNELS}/${created.aliyun.id}/test`, { phone: '13800138000' }))).toMatchObject({
      ok: false,
      retryable: false,
      providerCode: 'isv.DAY_LIMIT_CONTROL',
    })
    expect(ok(await call(committee.headers, 'POST', `${CHANNELS}/${created.tencent.id}/test`, { phone: '+8613800138000' }))).toMatchObject({
      ok: true,
      provider: 'tencent_sms',
      providerCode: 'Ok',
    })
    expect(fakes.tencent.received.map((m) => m.phone)).toEqual(['13800138000'])

    const before = fakes.aliyun.requests
    expect(problem(await call(committee.headers, 'POST', `${CHANNELS}/${created.aliyun.id}/test`, {}), 400).errors).toEqual([
      expect.objectContaining({ field: 'body.phone' }),
    ])
    problem(await call(committee.headers, 'POST', `${CHANNELS}/${created.aliyun.id}/test`, { phone: '+14155550100' }), 400)
    expect(fakes.aliyun.requests).toBe(before)
  })

  it('the audit log records every change and test by name, without a secret in its detail', async () => {
    const rows = await db().select().from(auditLog).where(eq(auditLog.targetKind, 'notification_channel'))
    const actions = rows.map((r) => r.action)
    for (const a of ['notification_channel.create', 'notification_channel.update', 'notification_channel.test']) expect(actions).toContain(a)
    expectNoSecrets(JSON.stringify(rows))
    const updates = rows.filter((r) => r.action === 'notification_channel.update').map((r) => r.detail)
    expect(updates).toContainEqual({ secretsReplaced: [] })
    expect(updates).toContainEqual({ secretsReplaced: ['signingSecret'] })
  })

  it('deletes a channel', async () => {
    const extra = ok<ChannelView>(
      await call(committee.headers, 'POST', CHANNELS, { name: '临时', settings: fakes.wecom.settings, credentials: fakes.wecom.credentials }),
      201,
    )
    expect((await call(committee.headers, 'DELETE', `${CHANNELS}/${extra.id}`)).statusCode).toBe(204)
    expect(ok<{ items: ChannelView[] }>(await committee.get(CHANNELS)).items.map((c) => c.id)).not.toContain(extra.id)
    problem(await call(committee.headers, 'PUT', `${CHANNELS}/${extra.id}`, { name: '临时', settings: fakes.wecom.settings }), 404)
    problem(await call(committee.headers, 'POST', `${CHANNELS}/${extra.id}/test`, {}), 404)
  })
})

describe('scope', () => {
  /** A case at one of the demo stations whose only SMS (the resident's receipt) the provider refuses for good. */
  async function failedCaseAt(code: string, text: string) {
    fakes.aliyun.failNext('permanent')
    const c = await submitCase(ctx.t, code, uniqueText(text), { phone: '13700001111', consent: 'on' })
    await ctx.t.app.services.notifications.idle()
    const rows = (await outboxOf(db(), { caseId: c.id })).filter((r) => r.status === 'failed')
    expect(rows.map((r) => [r.templateKey, r.channel])).toEqual([['resident.received', 'sms']])
    expect(rows[0]!.statusReason).toContain('isv.SMS_TEMPLATE_ILLEGAL')
    return { ...c, failedId: rows[0]!.id }
  }
  let dongcheng: Awaited<ReturnType<typeof failedCaseAt>>
  let nanguan: Awaited<ReturnType<typeof failedCaseAt>>

  beforeAll(async () => {
    const [nanguanCode] = await db()
      .select({ code: qrCode.code })
      .from(qrCode)
      .innerJoin(station, eq(station.id, qrCode.stationId))
      .where(and(eq(station.name, '南关社区委员工作室'), eq(qrCode.status, 'active')))
    vi.setSystemTime(ctx.t.clock.now())
    dongcheng = await failedCaseAt(ctx.refs.memberCode, '东城小区的垃圾桶满了没人清运')
    nanguan = await failedCaseAt(nanguanCode!.code, '南关社区活动室长期锁门')
  })

  it("a station admin sees their station's failed notices and not other stations'; can retry only theirs", async () => {
    const st = await signIn(ctx.t.app, 'station')
    const page = ok<NotificationPage>(await st.get('/api/v1/notifications?status=failed'))
    const ids = page.items.map((n) => n.id)
    expect(ids).toContain(dongcheng.failedId)
    expect(ids).not.toContain(nanguan.failedId)
    expect(page.items.every((n) => n.status === 'failed')).toBe(true)
    expect(page.items.find((n) => n.id === dongcheng.failedId)).toMatchObject({
      publicNo: dongcheng.publicNo,
      recipientLabel: '137****1111',
      statusReason: expect.stringContaining('isv.SMS_TEMPLATE_ILLEGAL'),
      attemptLog: [expect.objectContaining({ provider: 'aliyun_sms', ok: false, providerCode: 'isv.SMS_TEMPLATE_ILLEGAL' })],
    })
    // The resident's number is masked in the console.
    expect(JSON.stringify(page)).not.toContain('13700001111')
    problem(await st.get(`/api/v1/cases/${nanguan.id}/notifications`), 404)
    problem(await call(st.headers, 'POST', `/api/v1/notifications/${nanguan.failedId}/retry`), 404)
    const retried = ok<NotificationView>(await call(st.headers, 'POST', `/api/v1/notifications/${dongcheng.failedId}/retry`))
    expect(retried).toMatchObject({ id: dongcheng.failedId, status: 'pending' })
    await ctx.t.app.services.notifications.idle()
    const log = ok<{ items: NotificationView[] }>(await st.get(`/api/v1/cases/${dongcheng.id}/notifications`))
    expect(log.items.find((n) => n.id === dongcheng.failedId)).toMatchObject({ status: 'sent', attempts: 2 })

    // The committee admin sees both stations' failures.
    const all = ok<NotificationPage>(await committee.get('/api/v1/notifications?status=failed'))
    expect(all.items.map((n) => n.id)).toContain(nanguan.failedId)
  })

  it("a committee admin of another county gets 404 for the channel and the case's notifications", async () => {
    for (const [method, url, payload] of [
      ['PUT', `${CHANNELS}/${created.aliyun.id}`, { name: 'mine now', settings: fakes.aliyun.settings }],
      ['DELETE', `${CHANNELS}/${created.aliyun.id}`, undefined],
      ['POST', `${CHANNELS}/${created.wecom.id}/test`, {}],
      ['GET', `${CHANNELS}?committeeId=${demoCommitteeId}`, undefined],
      ['POST', CHANNELS, { committeeId: demoCommitteeId, name: 'x', settings: fakes.wecom.settings, credentials: fakes.wecom.credentials }],
      ['GET', `/api/v1/cases/${nanguan.id}/notifications`, undefined],
      ['POST', `/api/v1/notifications/${nanguan.failedId}/retry`, undefined],
    ] as const) {
      problem(await call(foreignHeaders, method, url, payload), 404)
    }
    // Their own lists are empty of the demo county's.
    expect(ok<{ items: ChannelView[] }>(await call(foreignHeaders, 'GET', CHANNELS)).items).toEqual([])
    const theirs = ok<NotificationPage>(await call(foreignHeaders, 'GET', '/api/v1/notifications?status=failed'))
    expect(theirs).toMatchObject({ items: [], total: 0 })
    // Nothing changed.
    expect(ok<{ items: ChannelView[] }>(await committee.get(CHANNELS)).items.find((c) => c.id === created.aliyun.id)).toMatchObject({ name: '阿里云短信' })
  })

  it('a member gets 403 on every console route; a station admin on channels', async () => {
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const st = await signIn(ctx.t.app, 'station')
    const routes = [
      ['GET', CHANNELS, undefined],
      ['POST', CHANNELS, { name: 'x', settings: fakes.wecom.settings, credentials: fakes.wecom.credentials }],
      ['PUT', `${CHANNELS}/${created.wecom.id}`, { name: 'x', settings: fakes.wecom.settings }],
      ['DELETE', `${CHANNELS}/${created.wecom.id}`, undefined],
      ['POST', `${CHANNELS}/${created.wecom.id}/test`, {}],
    ] as const
    for (const [method, url, payload] of routes) {
      problem(await call(wang.headers, method, url, payload), 403)
      problem(await call(st.headers, method, url, payload), 403)
    }
    for (const [method, url, payload] of [
      ['GET', '/api/v1/notifications?status=failed', undefined],
      ['POST', `/api/v1/notifications/${dongcheng.failedId}/retry`, undefined],
      ['GET', `/api/v1/cases/${dongcheng.id}/notifications`, undefined],
      ['POST', '/api/v1/sms-opt-outs', { phone: '13800138000' }],
    ] as const) {
      problem(await call(wang.headers, method, url, payload), 403)
    }
    expect(fakes.wecom.requests).toBe(0)
  })
})

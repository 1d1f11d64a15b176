import { createHmac, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { smsSegments } from '@mashangjian/shared'
import { beforeEach, describe, expect, it } from 'vitest'
import { percentEncode, signRpc } from '../../src/notifications/channels/aliyun-sms'
import type { DeliveryResult, OutboundMessage } from '../../src/notifications/channels/channel'
import { adapters } from '../../src/notifications/channels/index'
import { verifyWebhookSignature } from '../../src/notifications/channels/signed-webhook'
import { truncateUtf8, wecomContent } from '../../src/notifications/channels/wecom-robot'
import { aliyunExpectedSignature, startFakeProviders } from '../support/fake-providers'

const fakes = await startFakeProviders()
beforeEach(() => {
  for (const f of [fakes.aliyun, fakes.tencent, fakes.wecom, fakes.dingtalk, fakes.webhook]) f.reset()
})

const PHONE = '13800138000'
const TRACK_URL = 'https://msj.example.cn/t/Ab3_x?k=1&v=(2)'

function message(over: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    idempotencyKey: randomUUID(),
    templateKey: 'resident.accepted',
    // Characters Alibaba's encoding treats specially (space * ~ + & = ' ( ) and CJK) ride in a template value.
    params: { publicNo: 'MSJ-2026-000123', member: "张委员 *~+&='()", url: TRACK_URL },
    text: '您的诉求 MSJ-2026-000123 已由张委员受理。\n请耐心等待处理结果。',
    title: '诉求已受理',
    phone: PHONE,
    url: TRACK_URL,
    caseId: randomUUID(),
    publicNo: 'MSJ-2026-000123',
    occurredAt: new Date('2026-12-04T08:00:00Z'),
    ...over,
  }
}

/** A loopback port nobody listens on. */
async function deadEndpoint(): Promise<string> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((r) => server.close(() => r()))
  return `http://127.0.0.1:${port}`
}

/** No credential value may appear in what an adapter returns (it goes to the outbox and the console). */
function expectNoSecrets(result: DeliveryResult, credentials: Record<string, string>) {
  const text = JSON.stringify(result)
  for (const v of Object.values(credentials)) expect(text).not.toContain(v)
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000)

describe('Alibaba Cloud SMS', () => {
  const send = (m: OutboundMessage, over: { settings?: object; credentials?: Record<string, string> } = {}, now = new Date()) =>
    adapters.aliyun_sms.send(
      m,
      {
        settings: { ...fakes.aliyun.settings, ...over.settings },
        credentials: over.credentials ?? fakes.aliyun.credentials,
      },
      now,
    )

  it("signs like the worked example in Alibaba's signature documentation (adapter and fake alike)", () => {
    const params = {
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      Format: 'XML',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      SignatureVersion: '1.0',
      Timestamp: '2016-02-23T12:46:24Z',
      Version: '2014-05-26',
    }
    expect(signRpc('GET', params, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=')
    expect(aliyunExpectedSignature('GET', new Map(Object.entries(params)), 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=')
    expect(percentEncode("a b*c~d!'()+/中")).toBe('a%20b%2Ac~d%21%27%28%29%2B%2F%E4%B8%AD')
  })

  it('sends SendSms the fake verifies, with the exact phone, template and named params', async () => {
    const m = message()
    const result = await send(m)
    expect(result).toMatchObject({ ok: true, retryable: false, httpStatus: 200, providerCode: 'OK' })
    expect(fakes.aliyun.refusals).toEqual([])
    expect(fakes.aliyun.received).toHaveLength(1)
    const got = fakes.aliyun.received[0]!
    expect(result.providerMessageId).toBe(got.bizId)
    expect(got).toMatchObject({
      phone: PHONE,
      signName: '码上见',
      templateCode: fakes.aliyun.settings.templates['resident.accepted'],
      outId: m.idempotencyKey,
      regionId: 'cn-hangzhou',
    })
    // Exactly the variables SMS_TEMPLATE_PARAMS lists for the key, by name.
    expect(got.params).toEqual({ publicNo: 'MSJ-2026-000123', member: "张委员 *~+&='()", url: TRACK_URL })
  })

  it('reports throttling as retryable', async () => {
    fakes.aliyun.failNext('throttle')
    const r1 = await send(message())
    expect(r1).toMatchObject({ ok: false, retryable: true, providerCode: 'isv.BUSINESS_LIMIT_CONTROL' })
    fakes.aliyun.failNext('throttle', 1, 'Throttling.User')
    const r2 = await send(message())
    expect(r2).toMatchObject({ ok: false, retryable: true, httpStatus: 400, providerCode: 'Throttling.User' })
    expect(fakes.aliyun.received).toHaveLength(0)
  })

  it('reports permanent failures (bad template, console quota) as final', async () => {
    fakes.aliyun.failNext('permanent')
    expect(await send(message())).toMatchObject({ ok: false, retryable: false, providerCode: 'isv.SMS_TEMPLATE_ILLEGAL' })
    fakes.aliyun.failNext('permanent', 1, 'isv.DAY_LIMIT_CONTROL')
    expect(await send(message())).toMatchObject({ ok: false, retryable: false, providerCode: 'isv.DAY_LIMIT_CONTROL' })
    // A template code the account does not have: the fake's own check, not a scripted failure.
    const r = await send(message(), { settings: { templates: { 'resident.accepted': 'SMS_999999' } } })
    expect(r).toMatchObject({ ok: false, retryable: false, providerCode: 'isv.SMS_TEMPLATE_ILLEGAL' })
  })

  it('is refused with SignatureDoesNotMatch for a wrong secret, and leaks no secret', async () => {
    const credentials = { accessKeySecret: 'not-the-secret' }
    const result = await send(message(), { credentials })
    expect(result).toMatchObject({ ok: false, retryable: false, httpStatus: 400, providerCode: 'SignatureDoesNotMatch' })
    expect(fakes.aliyun.refusals.map((r) => r.code)).toEqual(['SignatureDoesNotMatch'])
    expect(fakes.aliyun.received).toHaveLength(0)
    expectNoSecrets(result, credentials)
  })

  it('is refused for an unknown AccessKeyId and a stale timestamp', async () => {
    expect(await send(message(), { settings: { accessKeyId: 'LTAI-unknown' } })).toMatchObject({
      ok: false,
      retryable: false,
      httpStatus: 404,
      providerCode: 'InvalidAccessKeyId.NotFound',
    })
    expect(await send(message(), {}, minutesAgo(20))).toMatchObject({ ok: false, retryable: false, providerCode: 'InvalidTimeStamp.Expired' })
    expect(fakes.aliyun.received).toHaveLength(0)
  })

  it('retries a 500 and an unreachable endpoint', async () => {
    fakes.aliyun.failNext('http500')
    expect(await send(message())).toMatchObject({ ok: false, retryable: true, httpStatus: 500 })
    const r = await send(message(), { settings: { endpoint: await deadEndpoint() } })
    expect(r).toMatchObject({ ok: false, retryable: true, httpStatus: null, providerCode: 'ECONNREFUSED' })
  })

  it('sends nothing without a template code or a mainland mobile', async () => {
    const noTemplate = await send(message(), { settings: { templates: {} } })
    expect(noTemplate).toMatchObject({ ok: false, retryable: false, providerCode: 'NO_TEMPLATE' })
    expect(await send(message({ templateKey: 'station.queued' }))).toMatchObject({ retryable: false, providerCode: 'NO_TEMPLATE' })
    for (const phone of ['+14155550100', '1380013800', '+8613800138000', '12800138000', undefined]) {
      expect(await send(message({ phone }))).toMatchObject({ ok: false, retryable: false, providerCode: 'NOT_MAINLAND' })
    }
    expect(await send(message({ params: { publicNo: 'MSJ-1' } }))).toMatchObject({ retryable: false, providerCode: 'MISSING_PARAM' })
    expect(fakes.aliyun.requests).toBe(0)
  })
})

describe('Tencent Cloud SMS', () => {
  const send = (m: OutboundMessage, over: { settings?: object; credentials?: Record<string, string> } = {}, now = new Date()) =>
    adapters.tencent_sms.send(
      m,
      {
        settings: { ...fakes.tencent.settings, ...over.settings },
        credentials: over.credentials ?? fakes.tencent.credentials,
      },
      now,
    )

  it('sends SendSms with a TC3 signature the fake verifies, params by position', async () => {
    const m = message()
    const result = await send(m, { settings: { region: undefined } })
    expect(result).toMatchObject({ ok: true, retryable: false, httpStatus: 200, providerCode: 'Ok' })
    expect(fakes.tencent.refusals).toEqual([])
    const got = fakes.tencent.received[0]!
    expect(result.providerMessageId).toBe(got.serialNo)
    expect(got).toMatchObject({
      phoneNumber: `+86${PHONE}`,
      phone: PHONE,
      sdkAppId: '1400006666',
      signName: '码上见',
      templateId: fakes.tencent.settings.templates['resident.accepted'],
      sessionContext: m.idempotencyKey,
      region: 'ap-guangzhou',
    })
    // SMS_TEMPLATE_PARAMS order: publicNo, member, url.
    expect(got.params).toEqual(['MSJ-2026-000123', "张委员 *~+&='()", TRACK_URL])
  })

  it('reports per-number and API throttling as retryable', async () => {
    fakes.tencent.failNext('throttle')
    expect(await send(message())).toMatchObject({ ok: false, retryable: true, providerCode: 'LimitExceeded.PhoneNumberThirtySecondLimit' })
    fakes.tencent.failNext('throttle', 1, 'RequestLimitExceeded')
    expect(await send(message())).toMatchObject({ ok: false, retryable: true, providerCode: 'RequestLimitExceeded' })
    fakes.tencent.failNext('throttle', 1, 'InternalError.Timeout')
    expect(await send(message())).toMatchObject({ ok: false, retryable: true, providerCode: 'InternalError.Timeout' })
    expect(fakes.tencent.received).toHaveLength(0)
  })

  it('reports permanent failures as final, whether request-level or per number', async () => {
    fakes.tencent.failNext('permanent')
    expect(await send(message())).toMatchObject({ ok: false, retryable: false, providerCode: 'FailedOperation.TemplateIncorrectOrUnapproved' })
    fakes.tencent.failNext('permanent', 1, 'FailedOperation.PhoneNumberInBlacklist')
    expect(await send(message())).toMatchObject({ ok: false, retryable: false, providerCode: 'FailedOperation.PhoneNumberInBlacklist' })
    fakes.tencent.failNext('permanent', 1, 'LimitExceeded.PhoneNumberDailyLimit')
    expect(await send(message())).toMatchObject({ ok: false, retryable: false, providerCode: 'LimitExceeded.PhoneNumberDailyLimit' })
  })

  it('is refused with AuthFailure.SignatureFailure for a wrong key, and leaks no secret', async () => {
    const credentials = { secretKey: 'not-the-key' }
    const result = await send(message(), { credentials })
    expect(result).toMatchObject({ ok: false, retryable: false, httpStatus: 200, providerCode: 'AuthFailure.SignatureFailure' })
    expect(fakes.tencent.refusals.map((r) => r.code)).toEqual(['AuthFailure.SignatureFailure'])
    expectNoSecrets(result, credentials)
  })

  it('is refused for an unknown SecretId and a timestamp over five minutes old', async () => {
    expect(await send(message(), { settings: { secretId: 'AKIDunknown' } })).toMatchObject({ retryable: false, providerCode: 'AuthFailure.SecretIdNotFound' })
    expect(await send(message(), {}, minutesAgo(6))).toMatchObject({ retryable: false, providerCode: 'AuthFailure.SignatureExpire' })
    expect(fakes.tencent.received).toHaveLength(0)
  })

  it('retries a 500 and an unreachable endpoint', async () => {
    fakes.tencent.failNext('http500')
    expect(await send(message())).toMatchObject({ ok: false, retryable: true, httpStatus: 500, providerCode: 'HTTP_500' })
    expect(await send(message(), { settings: { endpoint: await deadEndpoint() } })).toMatchObject({ ok: false, retryable: true, providerCode: 'ECONNREFUSED' })
  })

  it('sends nothing without a template id or a mainland mobile', async () => {
    expect(await send(message(), { settings: { templates: { 'resident.resolved': '2000009' } } })).toMatchObject({
      retryable: false,
      providerCode: 'NO_TEMPLATE',
    })
    expect(await send(message({ phone: '85291234567' }))).toMatchObject({ retryable: false, providerCode: 'NOT_MAINLAND' })
    expect(fakes.tencent.requests).toBe(0)
  })
})

describe('WeCom group robot', () => {
  const send = (m: OutboundMessage, over: { settings?: object; credentials?: Record<string, string> } = {}) =>
    adapters.wecom_robot.send(
      m,
      { settings: { ...fakes.wecom.settings, ...over.settings }, credentials: over.credentials ?? fakes.wecom.credentials },
      new Date(),
    )

  it("posts markdown (bold title, quoted text, link) to the key's webhook", async () => {
    const result = await send(message())
    expect(result).toMatchObject({ ok: true, retryable: false, httpStatus: 200, providerCode: '0' })
    expect(fakes.wecom.received).toEqual([
      {
        msgtype: 'markdown',
        content: `**诉求已受理**\n> 您的诉求 MSJ-2026-000123 已由张委员受理。\n> 请耐心等待处理结果。\n[打开](https://msj.example.cn/t/Ab3_x?k=1&v=%282%29)`,
      },
    ])
  })

  it('posts text when the channel is set to text', async () => {
    await send(message(), { settings: { msgtype: 'text' } })
    expect(fakes.wecom.received[0]).toEqual({
      msgtype: 'text',
      content: `诉求已受理\n您的诉求 MSJ-2026-000123 已由张委员受理。\n请耐心等待处理结果。\n${TRACK_URL}`,
    })
  })

  it('keeps a long message within 4096 bytes without breaking a character, link kept', async () => {
    const result = await send(message({ text: '长'.repeat(3000) }))
    expect(result.ok).toBe(true)
    const content = fakes.wecom.received[0]!.content
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(4096)
    expect(content).not.toContain('\uFFFD')
    expect(content.endsWith('…\n[打开](https://msj.example.cn/t/Ab3_x?k=1&v=%282%29)')).toBe(true)
    expect(Buffer.byteLength(wecomContent(message({ text: 'x'.repeat(5000) }), 'text'))).toBeLessThanOrEqual(2048)
    expect(truncateUtf8('码上见码上见', 10)).toBe('码上…')
  })

  it('retries 45009 and a 500, gives up on other codes', async () => {
    fakes.wecom.failNext('throttle')
    expect(await send(message())).toMatchObject({ ok: false, retryable: true, providerCode: '45009' })
    fakes.wecom.failNext('http500')
    expect(await send(message())).toMatchObject({ ok: false, retryable: true, httpStatus: 500 })
    fakes.wecom.failNext('permanent')
    expect(await send(message())).toMatchObject({ ok: false, retryable: false, providerCode: '93000' })
    expect(await send(message(), { settings: { endpoint: await deadEndpoint() } })).toMatchObject({ retryable: true, providerCode: 'ECONNREFUSED' })
  })

  it('is refused with 93000 for a wrong key, which never shows in the answer', async () => {
    const credentials = { key: 'wrong-key-0000' }
    const result = await send(message(), { credentials })
    expect(result).toMatchObject({ ok: false, retryable: false, providerCode: '93000' })
    expect(fakes.wecom.received).toHaveLength(0)
    expectNoSecrets(result, credentials)
  })
})

describe('DingTalk custom robot', () => {
  const send = (m: OutboundMessage, over: { credentials?: Record<string, string>; endpoint?: string } = {}, now = new Date()) =>
    adapters.dingtalk_robot.send(
      m,
      {
        settings: { ...fakes.dingtalk.settings, ...(over.endpoint ? { endpoint: over.endpoint } : {}) },
        credentials: over.credentials ?? fakes.dingtalk.credentials,
      },
      now,
    )

  it('posts markdown with a 加签 signature the fake verifies', async () => {
    const now = new Date()
    const result = await send(message(), {}, now)
    expect(result).toMatchObject({ ok: true, retryable: false, providerCode: '0' })
    expect(fakes.dingtalk.received).toEqual([
      {
        msgtype: 'markdown',
        title: '诉求已受理',
        timestamp: now.getTime(),
        text: '#### 诉求已受理\n\n您的诉求 MSJ-2026-000123 已由张委员受理。\n请耐心等待处理结果。\n\n[打开](https://msj.example.cn/t/Ab3_x?k=1&v=%282%29)',
      },
    ])
  })

  it('is refused with 310000 for a wrong secret or a timestamp over an hour old, 300001 for a wrong token', async () => {
    const wrong = { accessToken: fakes.dingtalk.credentials.accessToken!, secret: 'SECwrong' }
    const result = await send(message(), { credentials: wrong })
    expect(result).toMatchObject({ ok: false, retryable: false, providerCode: '310000' })
    expectNoSecrets(result, wrong)
    expect(await send(message(), {}, minutesAgo(61))).toMatchObject({ retryable: false, providerCode: '310000', providerMessage: 'invalid timestamp' })
    expect(await send(message(), { credentials: { accessToken: 'nope', secret: 'x' } })).toMatchObject({ retryable: false, providerCode: '300001' })
    expect(fakes.dingtalk.received).toHaveLength(0)
  })

  it('retries 130101 and a 500, gives up on keyword refusals', async () => {
    fakes.dingtalk.failNext('throttle')
    expect(await send(message())).toMatchObject({ ok: false, retryable: true, providerCode: '130101' })
    fakes.dingtalk.failNext('http500')
    expect(await send(message())).toMatchObject({ ok: false, retryable: true, httpStatus: 500 })
    fakes.dingtalk.keywords.push('码上见')
    expect(await send(message())).toMatchObject({ ok: false, retryable: false, providerCode: '310000', providerMessage: 'keywords not in content' })
    expect((await send(message({ title: '码上见：诉求已受理' }))).ok).toBe(true)
    fakes.dingtalk.keywords.length = 0
    expect(await send(message(), { endpoint: await deadEndpoint() })).toMatchObject({ retryable: true, providerCode: 'ECONNREFUSED' })
  })
})

describe('signed webhook', () => {
  const send = (m: OutboundMessage, over: { credentials?: Record<string, string>; url?: string } = {}, now = new Date()) =>
    adapters.webhook.send(
      m,
      {
        settings: { ...fakes.webhook.settings, ...(over.url ? { url: over.url } : {}) },
        credentials: over.credentials ?? fakes.webhook.credentials,
      },
      now,
    )

  it('posts the event with headers the receiver verifies, and the same delivery id on a retry', async () => {
    const m = message()
    expect(await send(m)).toMatchObject({ ok: true, retryable: false, httpStatus: 200, providerCode: null })
    expect(await send(m)).toMatchObject({ ok: true })
    const [first, repeat] = fakes.webhook.received
    expect(first!.delivery).toBe(m.idempotencyKey)
    expect(first!.event).toEqual({
      id: m.idempotencyKey,
      type: 'resident.accepted',
      occurredAt: '2026-12-04T08:00:00.000Z',
      caseId: m.caseId,
      publicNo: 'MSJ-2026-000123',
      title: m.title,
      text: m.text,
      url: TRACK_URL,
      params: m.params,
    })
    expect([first!.duplicate, repeat!.duplicate]).toEqual([false, true])
  })

  it('is refused (401) with a wrong secret: final, and the secret is not echoed', async () => {
    const credentials = { signingSecret: 'whsec_wrong' }
    const result = await send(message(), { credentials })
    expect(result).toMatchObject({ ok: false, retryable: false, httpStatus: 401, providerCode: 'HTTP_401' })
    expectNoSecrets(result, credentials)
  })

  it('retries 429, 5xx and network errors; other 4xx are final', async () => {
    fakes.webhook.failNext('throttle')
    expect(await send(message())).toMatchObject({ ok: false, retryable: true, httpStatus: 429 })
    fakes.webhook.failNext('http500')
    expect(await send(message())).toMatchObject({ ok: false, retryable: true, httpStatus: 500 })
    fakes.webhook.failNext('permanent')
    expect(await send(message())).toMatchObject({ ok: false, retryable: false, httpStatus: 410 })
    expect(await send(message(), { url: `${await deadEndpoint()}/hook` })).toMatchObject({ retryable: true, providerCode: 'ECONNREFUSED' })
    expect(await send(message(), {}, minutesAgo(10))).toMatchObject({ retryable: false, httpStatus: 401 })
  })

  it('verifyWebhookSignature accepts our signature and rejects tampering, staleness and junk', () => {
    const body = '{"id":"x"}'
    const now = new Date('2026-12-04T08:00:00Z')
    const ts = String(now.getTime() / 1000)
    const header = `sha256=${createHmac('sha256', 's3cret').update(`${ts}.${body}`).digest('hex')}`
    expect(verifyWebhookSignature('s3cret', ts, body, header, now)).toBe(true)
    expect(verifyWebhookSignature('s3cret', ts, `${body} `, header, now)).toBe(false)
    expect(verifyWebhookSignature('other', ts, body, header, now)).toBe(false)
    expect(verifyWebhookSignature('s3cret', ts, body, header, new Date(now.getTime() + 301_000))).toBe(false)
    expect(verifyWebhookSignature('s3cret', ts, body, header.slice(0, -1), now)).toBe(false)
    expect(verifyWebhookSignature('s3cret', 'abc', body, header, now)).toBe(false)
    expect(verifyWebhookSignature('s3cret', ts, body, undefined, now)).toBe(false)
  })
})

describe('smsSegments', () => {
  it('counts every character as one; 70 fit one message, longer ones split into 67s', () => {
    expect(smsSegments('字'.repeat(70))).toEqual({ length: 70, segments: 1 })
    expect(smsSegments('字'.repeat(71))).toEqual({ length: 71, segments: 2 })
    expect(smsSegments('a'.repeat(134))).toEqual({ length: 134, segments: 2 })
    expect(smsSegments('a'.repeat(135))).toEqual({ length: 135, segments: 3 })
    expect(smsSegments('')).toEqual({ length: 0, segments: 1 })
  })

  it('counts the signature 【…】 too', () => {
    // 【码上见】 is 5 characters: 65 + 5 = 70 is one message, 66 + 5 = 71 is two.
    expect(smsSegments('字'.repeat(65), '码上见')).toEqual({ length: 70, segments: 1 })
    expect(smsSegments('字'.repeat(66), '码上见')).toEqual({ length: 71, segments: 2 })
  })

  it('counts an emoji (a surrogate pair) as one character', () => {
    expect(smsSegments('😀'.repeat(70)).length).toBe(70)
  })
})

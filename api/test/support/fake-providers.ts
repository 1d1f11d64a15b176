import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  SMS_TEMPLATE_KEYS,
  type AliyunSmsSettings,
  type DingtalkRobotSettings,
  type TencentSmsSettings,
  type WebhookSettings,
  type WecomRobotSettings,
} from '@mashangjian/shared'
import { afterAll } from 'vitest'

/**
 * Stand-ins for the notification providers on loopback, one small node:http server each. Every fake checks a
 * request the way the provider documents it — recomputing the signature here from the documented algorithm,
 * written independently of the adapters (api/src/notifications/channels), so an adapter bug cannot hide behind a
 * shared helper — and answers refusals in the provider's own error shape.
 *
 *   Alibaba Cloud SMS  RPC signature v1.0 (HMAC-SHA1), help.aliyun.com "签名机制" / "Signature mechanism";
 *                      SendSms 2017-05-25 (help.aliyun.com/document_detail/55284), error codes (…/101346)
 *   Tencent Cloud SMS  TC3-HMAC-SHA256 ("签名方法 v3", cloud.tencent.com/document/api/382/52072), SendSms
 *                      2021-01-11 (…/382/55981), common errors (…/382/52075); TencentCloud/signature-process-demo
 *   WeCom group robot  "群机器人配置说明" (developer.work.weixin.qq.com/document/path/91770): key in the URL
 *   DingTalk robot     custom robot "加签": sign = urlEncode(base64(HmacSHA256(secret, timestamp + "\n" + secret)))
 *   Our webhook        X-Mashangjian-Signature = sha256=hex(HMAC-SHA256(secret, timestamp + "." + rawBody))
 *
 * Accepted messages land in `received` with the decoded fields. `failNext(kind, n, code?)` makes the next n
 * (signature-valid) requests answer throttling, a permanent failure, or an HTTP 500. Endpoints are base URLs for
 * `settings.endpoint` / `settings.url`; `settings` and `credentials` are ready-made configs that the fake accepts.
 */

export type FailKind = 'throttle' | 'permanent' | 'http500'

export interface FakeProvider<R, S> {
  endpoint: string
  settings: S
  credentials: Record<string, string>
  /** Messages the fake accepted, decoded. */
  received: R[]
  /** Every HTTP request that reached the fake (so a test can assert that none was sent). */
  requests: number
  /** Refusals of signature, credential or parameter checks: the provider's error code and message. */
  refusals: { code: string; message: string }[]
  failNext(kind: FailKind, n?: number, code?: string): void
  /** Clears received, refusals, the request count and pending failures. */
  reset(): void
  /** Resolves once `count` messages have been accepted. */
  waitForReceived(count: number, timeoutMs?: number): Promise<R[]>
}

export interface AliyunReceived {
  phone: string
  signName: string
  templateCode: string
  params: Record<string, string>
  outId: string | null
  bizId: string
  accessKeyId: string
  regionId: string | null
}
export interface TencentReceived {
  /** As sent, E.164 (+86…). */
  phoneNumber: string
  phone: string
  sdkAppId: string
  signName: string
  templateId: string
  params: string[]
  sessionContext: string | null
  serialNo: string
  region: string
}
export interface WecomReceived {
  msgtype: 'markdown' | 'text'
  content: string
}
export interface DingtalkReceived {
  msgtype: 'markdown' | 'text'
  title: string | null
  text: string
  timestamp: number | null
}
export interface WebhookReceived {
  delivery: string
  timestamp: number
  event: Record<string, unknown>
  raw: string
  /** True when this delivery id was accepted before (a retry after a lost answer). */
  duplicate: boolean
}

export interface FakeProviders {
  aliyun: FakeProvider<AliyunReceived, AliyunSmsSettings>
  tencent: FakeProvider<TencentReceived, TencentSmsSettings>
  wecom: FakeProvider<WecomReceived, WecomRobotSettings>
  dingtalk: FakeProvider<DingtalkReceived, DingtalkRobotSettings> & { keywords: string[] }
  webhook: FakeProvider<WebhookReceived, WebhookSettings>
  close(): Promise<void>
}

/** Credentials the fakes accept. */
export const FAKE_CREDENTIALS = {
  aliyun: { accessKeyId: 'LTAI5tFakeAccessKeyId', accessKeySecret: 'fake-aliyun-secret/with+special=chars' },
  tencent: { secretId: 'AKIDfakeSecretId0000000000000000', secretKey: 'fake-tencent-secret-key', sdkAppId: '1400006666' },
  wecom: { key: '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa' },
  dingtalk: { accessToken: 'fake-dingtalk-access-token', secret: 'SECfake0123456789abcdef0123456789abcdef0123456789abcdef01234567' },
  webhook: { signingSecret: 'whsec_fake_signing_secret' },
} as const

export const FAKE_SIGN_NAME = '码上见'

// ——— plumbing ———

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers }).end(JSON.stringify(body))
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(`fake provider crashed: ${String(err)}`)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

/** State every fake shares: what it accepted, what it refused, and the queue of failures to answer next. */
function state<R>() {
  const plans: { kind: FailKind; code?: string }[] = []
  const s = {
    received: [] as R[],
    requests: 0,
    refusals: [] as { code: string; message: string }[],
    failNext(kind: FailKind, n = 1, code?: string) {
      for (let i = 0; i < n; i++) plans.push(code === undefined ? { kind } : { kind, code })
    },
    reset() {
      s.received.length = 0
      s.refusals.length = 0
      s.requests = 0
      plans.length = 0
    },
    async waitForReceived(count: number, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs
      while (s.received.length < count) {
        if (Date.now() > until) throw new Error(`fake provider: ${s.received.length} of ${count} messages after ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 20))
      }
      return s.received
    },
    /** A pending HTTP 500 is answered before any check, like a failing load balancer would. */
    take500(): boolean {
      if (plans[0]?.kind !== 'http500') return false
      plans.shift()
      return true
    },
    take(): { kind: FailKind; code?: string } | undefined {
      return plans.shift()
    },
  }
  return s
}

const hex = (b: Buffer) => b.toString('hex')
/** Constant-time string comparison (signatures). */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  return x.length === y.length && timingSafeEqual(x, y)
}
/** Mainland mobile as the SMS providers accept it: 11 digits, optionally after +86 / 0086 / 86. */
const mainland = (raw: string): string | null => {
  const m = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/.exec(raw)
  return m ? m[1]! : null
}

// ——— Alibaba Cloud SMS ———

/** RFC 3986 per Alibaba: bytes of A–Z a–z 0–9 - _ . ~ as they are, every other UTF-8 byte as %XX (uppercase). */
function aliyunPercent(value: string): string {
  let out = ''
  for (const byte of Buffer.from(value, 'utf8')) {
    const unreserved =
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      (byte >= 0x30 && byte <= 0x39) ||
      byte === 0x2d ||
      byte === 0x5f ||
      byte === 0x2e ||
      byte === 0x7e
    out += unreserved ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** Exported only to check it against Alibaba's published worked example (provider-adapters.test.ts). */
export function aliyunExpectedSignature(method: string, params: Map<string, string>, secret: string): string {
  const names = [...params.keys()].filter((k) => k !== 'Signature').sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  const canonicalized = names.map((k) => `${aliyunPercent(k)}=${aliyunPercent(params.get(k)!)}`).join('&')
  const stringToSign = `${method}&${aliyunPercent('/')}&${aliyunPercent(canonicalized)}`
  return createHmac('sha1', Buffer.from(`${secret}&`, 'utf8'))
    .update(Buffer.from(stringToSign, 'utf8'))
    .digest('base64')
}

async function startAliyun(): Promise<{ server: Server; fake: FakeProviders['aliyun'] }> {
  const s = state<AliyunReceived>()
  const templates = Object.fromEntries(SMS_TEMPLATE_KEYS.map((k, i) => [k, `SMS_${470000 + i}`]))
  const knownCodes = new Set(Object.values(templates))
  const usedNonces = new Set<string>()
  let serial = 0
  const requestId = () => randomUUID().toUpperCase()

  const { server, base } = await listen(async (req, res) => {
    s.requests++
    const raw = (await readBody(req)).toString('utf8')
    const host = 'dysmsapi.aliyuncs.com'
    // POP gateway errors carry RequestId, HostId, Code, Message (and a Recommend link we leave out).
    const fail = (status: number, code: string, message: string, refusal = true) => {
      if (refusal) s.refusals.push({ code, message })
      json(res, status, { RequestId: requestId(), HostId: host, Code: code, Message: message })
    }
    if (s.take500()) return fail(500, 'InternalError', 'The request processing has failed due to some unknown error, exception or failure.', false)

    const params = new Map<string, string>()
    const url = new URL(req.url ?? '/', 'http://fake')
    for (const [k, v] of url.searchParams) params.set(k, v)
    if (req.method === 'POST') {
      if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        return fail(400, 'InvalidParameter', 'POST parameters must be application/x-www-form-urlencoded')
      }
      for (const [k, v] of new URLSearchParams(raw)) params.set(k, v)
    } else if (req.method !== 'GET') {
      return fail(400, 'UnsupportedHTTPMethod', `Specified signature method is not supported: ${req.method}`)
    }

    for (const name of ['AccessKeyId', 'Action', 'Format', 'SignatureMethod', 'SignatureNonce', 'SignatureVersion', 'Timestamp', 'Version', 'Signature']) {
      if (!params.get(name)) return fail(400, `Missing${name}`, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`)
    }
    if (params.get('SignatureMethod') !== 'HMAC-SHA1') return fail(400, 'InvalidSignatureMethod', 'Specified signature method is not supported.')
    if (params.get('SignatureVersion') !== '1.0') return fail(400, 'InvalidSignatureVersion', 'Specified signature version is not supported.')
    if (params.get('Version') !== '2017-05-25') return fail(400, 'InvalidVersion', 'Specified parameter Version is not valid.')
    if (params.get('Action') !== 'SendSms') return fail(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.')
    if (params.get('Format') !== 'JSON') return fail(400, 'InvalidParameter', 'this fake answers Format=JSON only')
    const ts = params.get('Timestamp')!
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(ts) || Number.isNaN(Date.parse(ts))) {
      return fail(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.')
    }
    // Alibaba accepts a Timestamp within 15 minutes of its clock.
    if (Math.abs(Date.now() - Date.parse(ts)) > 15 * 60_000) return fail(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.')
    if (params.get('AccessKeyId') !== FAKE_CREDENTIALS.aliyun.accessKeyId) return fail(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.')
    const expected = aliyunExpectedSignature(req.method!, params, FAKE_CREDENTIALS.aliyun.accessKeySecret)
    if (!sameText(params.get('Signature')!, expected)) return fail(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.')
    const nonce = params.get('SignatureNonce')!
    if (usedNonces.has(nonce)) return fail(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.')
    usedNonces.add(nonce)

    // SendSms business checks: isv.* codes come with HTTP 200.
    const biz = (code: string, message: string) => {
      s.refusals.push({ code, message })
      json(res, 200, { RequestId: requestId(), Code: code, Message: message })
    }
    for (const name of ['PhoneNumbers', 'SignName', 'TemplateCode']) {
      if (!params.get(name)) return fail(400, `Missing${name}`, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`)
    }
    const phone = mainland(params.get('PhoneNumbers')!)
    if (!phone) return biz('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号')
    if (params.get('SignName') !== FAKE_SIGN_NAME) return biz('isv.SMS_SIGNATURE_ILLEGAL', '该账号下找不到对应签名')
    if (!knownCodes.has(params.get('TemplateCode')!)) return biz('isv.SMS_TEMPLATE_ILLEGAL', '该账号下找不到对应模板')
    let templateParams: Record<string, string> = {}
    if (params.has('TemplateParam')) {
      try {
        const parsed: unknown = JSON.parse(params.get('TemplateParam')!)
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) throw new Error('shape')
        templateParams = parsed as Record<string, string>
      } catch {
        return biz('isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值')
      }
    }
    const outId = params.get('OutId') ?? null
    if (outId !== null && outId.length > 256) return biz('isv.INVALID_PARAMETERS', 'OutId 超过 256 个字符')

    const plan = s.take()
    if (plan) {
      const code = plan.code ?? (plan.kind === 'throttle' ? 'isv.BUSINESS_LIMIT_CONTROL' : 'isv.SMS_TEMPLATE_ILLEGAL')
      const message = plan.kind === 'throttle' ? '触发分钟级流控Permits:1' : '模板不合法(不存在或被拉黑)'
      // Gateway throttling (Throttling.*) is an HTTP error; SendSms's own codes are HTTP 200.
      return json(res, code.startsWith('Throttling') ? 400 : 200, {
        RequestId: requestId(),
        Code: code,
        Message: message,
        ...(code.startsWith('Throttling') ? { HostId: host } : {}),
      })
    }
    const bizId = `${900619746936498440n + BigInt(++serial)}^0`
    s.received.push({
      phone,
      signName: params.get('SignName')!,
      templateCode: params.get('TemplateCode')!,
      params: templateParams,
      outId,
      bizId,
      accessKeyId: params.get('AccessKeyId')!,
      regionId: params.get('RegionId') ?? null,
    })
    json(res, 200, { RequestId: requestId(), Code: 'OK', Message: 'OK', BizId: bizId })
  })

  const settings: AliyunSmsSettings = {
    provider: 'aliyun_sms',
    accessKeyId: FAKE_CREDENTIALS.aliyun.accessKeyId,
    signName: FAKE_SIGN_NAME,
    regionId: 'cn-hangzhou',
    endpoint: `${base}/`,
    templates,
  }
  return { server, fake: Object.assign(s, { endpoint: `${base}/`, settings, credentials: { accessKeySecret: FAKE_CREDENTIALS.aliyun.accessKeySecret } }) }
}

// ——— Tencent Cloud SMS ———

const sha256 = (data: Buffer | string) => hex(createHash('sha256').update(data).digest())
const hmac256 = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest()
/** Codes Tencent reports per number in SendStatusSet (the request itself was fine). */
const TENCENT_PER_NUMBER = (code: string) =>
  code.startsWith('LimitExceeded.PhoneNumber') ||
  code === 'InvalidParameterValue.IncorrectPhoneNumber' ||
  code === 'FailedOperation.PhoneNumberInBlacklist' ||
  code === 'FailedOperation.PhoneNumberParseFail'

async function startTencent(): Promise<{ server: Server; fake: FakeProviders['tencent'] }> {
  const s = state<TencentReceived>()
  const templates = Object.fromEntries(SMS_TEMPLATE_KEYS.map((k, i) => [k, String(2_000_001 + i)]))
  const knownTemplates = new Set(Object.values(templates))
  let serial = 0

  const { server, base } = await listen(async (req, res) => {
    s.requests++
    const body = await readBody(req)
    const requestId = randomUUID()
    // API 3.0 answers HTTP 200 with Response.Error for every refusal.
    const error = (code: string, message: string, refusal = true) => {
      if (refusal) s.refusals.push({ code, message })
      json(res, 200, { Response: { Error: { Code: code, Message: message }, RequestId: requestId } })
    }
    if (s.take500()) {
      res.writeHead(500, { 'content-type': 'text/html' }).end('<html><body>500 Internal Server Error</body></html>')
      return
    }
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://fake').pathname !== '/') return error('InvalidParameter', 'this fake accepts POST / only')

    // Authorization: TC3-HMAC-SHA256 Credential=ID/DATE/SERVICE/tc3_request, SignedHeaders=a;b, Signature=HEX
    const auth =
      /^TC3-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
        String(req.headers.authorization ?? ''),
      )
    if (!auth) return error('AuthFailure.InvalidAuthorization', 'Authorization header is not in the TencentCloud standard form.')
    const [, secretId, scopeDate, service, signedHeaderList, signature] = auth as unknown as [string, string, string, string, string, string]
    const timestampText = String(req.headers['x-tc-timestamp'] ?? '')
    if (!/^\d+$/.test(timestampText)) return error('MissingParameter', 'The request is missing a required parameter `X-TC-Timestamp`.')
    const timestamp = Number(timestampText)
    // Tencent refuses a timestamp more than five minutes from its clock.
    if (Math.abs(Date.now() / 1000 - timestamp) > 300)
      return error('AuthFailure.SignatureExpire', 'Signature expired. Timestamp and server time cannot differ by more than 5 minutes.')
    if (secretId !== FAKE_CREDENTIALS.tencent.secretId)
      return error('AuthFailure.SecretIdNotFound', 'The SecretId is not found, please ensure that your SecretId is correct.')
    const signedHeaders = signedHeaderList.split(';')
    const expectedDate = new Date(timestamp * 1000).toISOString().slice(0, 10)
    if (service !== 'sms' || scopeDate !== expectedDate || !signedHeaders.includes('content-type') || !signedHeaders.includes('host')) {
      return error('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.')
    }
    // Canonical headers: the signed ones, key and value lowercased and trimmed, "key:value\n" each.
    const canonicalHeaders = signedHeaders
      .map(
        (h) =>
          `${h}:${String(req.headers[h] ?? '')
            .trim()
            .toLowerCase()}\n`,
      )
      .join('')
    const url = new URL(req.url ?? '/', 'http://fake')
    const canonicalRequest = `POST\n/\n${url.search.slice(1)}\n${canonicalHeaders}\n${signedHeaderList}\n${sha256(body)}`
    const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${scopeDate}/${service}/tc3_request\n${sha256(canonicalRequest)}`
    const kDate = hmac256(`TC3${FAKE_CREDENTIALS.tencent.secretKey}`, scopeDate)
    const kSigning = hmac256(hmac256(kDate, service), 'tc3_request')
    if (!sameText(signature, hex(hmac256(kSigning, stringToSign)))) {
      return error('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.')
    }

    if (req.headers['x-tc-action'] !== 'SendSms') return error('InvalidAction', `The action \`${String(req.headers['x-tc-action'])}\` is not found.`)
    if (req.headers['x-tc-version'] !== '2021-01-11') return error('NoSuchVersion', 'The requested version does not exist.')
    const region = String(req.headers['x-tc-region'] ?? '')
    if (!region) return error('MissingParameter', 'The request is missing a required parameter `Region`.')
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return error('InvalidParameter', 'Content-Type must be application/json.')
    let payload: {
      PhoneNumberSet?: unknown
      SmsSdkAppId?: unknown
      SignName?: unknown
      TemplateId?: unknown
      TemplateParamSet?: unknown
      SessionContext?: unknown
    }
    try {
      payload = JSON.parse(body.toString('utf8'))
    } catch {
      return error('FailedOperation.JsonParseFail', 'Failed to parse the request body as JSON.')
    }
    const phones = payload.PhoneNumberSet
    if (!Array.isArray(phones) || phones.length === 0) return error('MissingParameter.EmptyPhoneNumberSet', 'The phone number set is empty.')
    if (payload.SmsSdkAppId !== FAKE_CREDENTIALS.tencent.sdkAppId) return error('InvalidParameterValue.SdkAppIdNotExist', 'The SdkAppId does not exist.')
    if (payload.SignName !== FAKE_SIGN_NAME) return error('FailedOperation.SignatureIncorrectOrUnapproved', 'The signature is not approved or does not match.')
    if (typeof payload.TemplateId !== 'string' || !knownTemplates.has(payload.TemplateId))
      return error('FailedOperation.TemplateIncorrectOrUnapproved', 'The template is not approved or the content does not match.')
    const params = payload.TemplateParamSet ?? []
    if (!Array.isArray(params) || params.some((p) => typeof p !== 'string'))
      return error('InvalidParameterValue.TemplateParameterFormatError', 'TemplateParamSet must be strings.')
    const sessionContext = typeof payload.SessionContext === 'string' ? payload.SessionContext : null
    if (sessionContext !== null && Buffer.byteLength(sessionContext) >= 512)
      return error('InvalidParameterValue', 'SessionContext must be shorter than 512 bytes.')

    const phoneNumber = String(phones[0])
    const status = (code: string, message: string, serialNo = '') =>
      json(res, 200, {
        Response: {
          SendStatusSet: [
            {
              SerialNo: serialNo,
              PhoneNumber: phoneNumber,
              Fee: code === 'Ok' ? 1 : 0,
              SessionContext: sessionContext ?? '',
              Code: code,
              Message: message,
              IsoCode: 'CN',
            },
          ],
          RequestId: requestId,
        },
      })
    const phone = /^\+86(1[3-9]\d{9})$/.exec(phoneNumber)?.[1]
    if (!phone) {
      s.refusals.push({ code: 'InvalidParameterValue.IncorrectPhoneNumber', message: 'incorrect number' })
      return status('InvalidParameterValue.IncorrectPhoneNumber', 'incorrect number')
    }

    const plan = s.take()
    if (plan) {
      const code = plan.code ?? (plan.kind === 'throttle' ? 'LimitExceeded.PhoneNumberThirtySecondLimit' : 'FailedOperation.TemplateIncorrectOrUnapproved')
      const message =
        plan.kind === 'throttle'
          ? 'the number of sms messages sent from a single mobile number within 30 seconds exceeds the upper limit'
          : 'template is not approved or request content does not match the approved template content'
      // Per-number results ride in SendStatusSet; request-level failures in Response.Error.
      return TENCENT_PER_NUMBER(code) ? status(code, message) : error(code, message, false)
    }
    const serialNo = `2640:${1_000_000_000 + ++serial}`
    s.received.push({
      phoneNumber,
      phone,
      sdkAppId: FAKE_CREDENTIALS.tencent.sdkAppId,
      signName: FAKE_SIGN_NAME,
      templateId: payload.TemplateId,
      params: params as string[],
      sessionContext,
      serialNo,
      region,
    })
    status('Ok', 'send success', serialNo)
  })

  const settings: TencentSmsSettings = {
    provider: 'tencent_sms',
    secretId: FAKE_CREDENTIALS.tencent.secretId,
    sdkAppId: FAKE_CREDENTIALS.tencent.sdkAppId,
    signName: FAKE_SIGN_NAME,
    region: 'ap-guangzhou',
    endpoint: base,
    templates,
  }
  return { server, fake: Object.assign(s, { endpoint: base, settings, credentials: { secretKey: FAKE_CREDENTIALS.tencent.secretKey } }) }
}

// ——— WeCom group robot ———

async function startWecom(): Promise<{ server: Server; fake: FakeProviders['wecom'] }> {
  const s = state<WecomReceived>()
  const { server, base } = await listen(async (req, res) => {
    s.requests++
    const body = await readBody(req)
    const hint = `, hint: [${Date.now()}${Math.floor(Math.random() * 1e6)}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=`
    // Always HTTP 200 with {errcode, errmsg}.
    const answer = (errcode: number, errmsg: string, refusal = true) => {
      if (refusal) s.refusals.push({ code: String(errcode), message: errmsg })
      json(res, 200, { errcode, errmsg: errcode === 0 ? errmsg : `${errmsg}${hint}${errcode}` })
    }
    if (s.take500()) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error')
      return
    }
    const url = new URL(req.url ?? '/', 'http://fake')
    if (req.method !== 'POST' || url.pathname !== '/cgi-bin/webhook/send' || url.searchParams.get('key') !== FAKE_CREDENTIALS.wecom.key) {
      return answer(93000, 'invalid webhook url')
    }
    let msg: { msgtype?: unknown; text?: { content?: unknown }; markdown?: { content?: unknown } }
    try {
      msg = JSON.parse(body.toString('utf8'))
    } catch {
      return answer(40035, 'invalid parameter, invalid json')
    }
    if (msg.msgtype !== 'text' && msg.msgtype !== 'markdown') return answer(40008, 'invalid message type')
    const content = msg.msgtype === 'text' ? msg.text?.content : msg.markdown?.content
    if (typeof content !== 'string' || content === '') return answer(44004, 'empty content')
    // Documented limits, counted in UTF-8 bytes.
    const max = msg.msgtype === 'text' ? 2048 : 4096
    if (Buffer.byteLength(content, 'utf8') > max) return answer(40058, `${msg.msgtype}.content exceed max length ${max}. invalid Request Parameter`)

    const plan = s.take()
    if (plan) {
      const code = Number(plan.code ?? (plan.kind === 'throttle' ? 45009 : 93000))
      return answer(code, code === 45009 ? 'api freq out of limit' : 'invalid webhook url', false)
    }
    s.received.push({ msgtype: msg.msgtype, content })
    answer(0, 'ok', false)
  })
  const settings: WecomRobotSettings = { provider: 'wecom_robot', endpoint: base }
  return { server, fake: Object.assign(s, { endpoint: base, settings, credentials: { key: FAKE_CREDENTIALS.wecom.key } }) }
}

// ——— DingTalk custom robot ———

async function startDingtalk(): Promise<{ server: Server; fake: FakeProviders['dingtalk'] }> {
  const s = state<DingtalkReceived>()
  const keywords: string[] = []
  const { server, base } = await listen(async (req, res) => {
    s.requests++
    const body = await readBody(req)
    const answer = (errcode: number, errmsg: string, refusal = true) => {
      if (refusal) s.refusals.push({ code: String(errcode), message: errmsg })
      json(res, 200, { errcode, errmsg })
    }
    if (s.take500()) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error')
      return
    }
    const url = new URL(req.url ?? '/', 'http://fake')
    if (req.method !== 'POST' || url.pathname !== '/robot/send') return answer(404, '请求的URI地址不存在')
    if (url.searchParams.get('access_token') !== FAKE_CREDENTIALS.dingtalk.accessToken) return answer(300001, 'token is not exist')

    // 加签: timestamp in ms within an hour of now; sign is URL-encoded base64, so the query parser's decoding gives
    // back the base64 (a '+' sent unencoded decodes to a space and fails, as at DingTalk).
    const timestampText = url.searchParams.get('timestamp')
    const sign = url.searchParams.get('sign')
    if (!timestampText || !sign) return answer(310000, 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]')
    const timestamp = Number(timestampText)
    if (!/^\d+$/.test(timestampText) || Math.abs(Date.now() - timestamp) > 3600_000) return answer(310000, 'invalid timestamp')
    const secret = FAKE_CREDENTIALS.dingtalk.secret
    const expected = createHmac('sha256', Buffer.from(secret, 'utf8'))
      .update(Buffer.from(`${timestampText}\n${secret}`, 'utf8'))
      .digest()
      .toString('base64')
    if (!sameText(sign, expected)) return answer(310000, 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]')

    let msg: { msgtype?: unknown; text?: { content?: unknown }; markdown?: { title?: unknown; text?: unknown } }
    try {
      msg = JSON.parse(body.toString('utf8'))
    } catch {
      return answer(40035, '缺少参数 json')
    }
    let received: DingtalkReceived
    if (msg.msgtype === 'markdown') {
      if (typeof msg.markdown?.title !== 'string' || typeof msg.markdown.text !== 'string' || !msg.markdown.title || !msg.markdown.text) {
        return answer(40035, '缺少参数 markdown.title/markdown.text')
      }
      received = { msgtype: 'markdown', title: msg.markdown.title, text: msg.markdown.text, timestamp }
    } else if (msg.msgtype === 'text') {
      if (typeof msg.text?.content !== 'string' || !msg.text.content) return answer(40035, '缺少参数 text.content')
      received = { msgtype: 'text', title: null, text: msg.text.content, timestamp }
    } else {
      return answer(40035, '不支持的消息类型')
    }
    // The robot's optional "自定义关键词" security: at least one keyword must appear in the message.
    if (keywords.length && !keywords.some((k) => `${received.title ?? ''}${received.text}`.includes(k))) return answer(310000, 'keywords not in content')

    const plan = s.take()
    if (plan) {
      const code = Number(plan.code ?? (plan.kind === 'throttle' ? 130101 : 310000))
      return answer(code, code === 130101 ? 'send too fast, exceed 20 times per minute' : 'keywords not in content', false)
    }
    s.received.push(received)
    answer(0, 'ok', false)
  })
  const settings: DingtalkRobotSettings = { provider: 'dingtalk_robot', endpoint: base }
  return {
    server,
    fake: Object.assign(s, {
      endpoint: base,
      settings,
      keywords,
      credentials: { accessToken: FAKE_CREDENTIALS.dingtalk.accessToken, secret: FAKE_CREDENTIALS.dingtalk.secret },
    }),
  }
}

// ——— our signed webhook, as an integrator would receive it ———

async function startWebhook(): Promise<{ server: Server; fake: FakeProviders['webhook'] }> {
  const s = state<WebhookReceived>()
  const seen = new Set<string>()
  const { server, base } = await listen(async (req, res) => {
    s.requests++
    const raw = (await readBody(req)).toString('utf8')
    const refuse = (status: number, error: string) => {
      s.refusals.push({ code: String(status), message: error })
      json(res, status, { error })
    }
    if (s.take500()) return json(res, 500, { error: 'receiver crashed' })
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://fake').pathname !== '/hooks/mashangjian') return refuse(404, 'not found')
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return refuse(415, 'expected application/json')
    const timestampText = String(req.headers['x-mashangjian-timestamp'] ?? '')
    const signature = String(req.headers['x-mashangjian-signature'] ?? '')
    const delivery = String(req.headers['x-mashangjian-delivery'] ?? '')
    if (!/^\d+$/.test(timestampText) || !signature || !delivery) return refuse(400, 'missing signature headers')
    if (Math.abs(Date.now() / 1000 - Number(timestampText)) > 300) return refuse(401, 'stale timestamp')
    // Verify over the raw bytes before parsing, as the README tells integrators.
    const expected = `sha256=${createHmac('sha256', FAKE_CREDENTIALS.webhook.signingSecret).update(`${timestampText}.${raw}`).digest('hex')}`
    if (!sameText(signature, expected)) return refuse(401, 'bad signature')
    let event: Record<string, unknown>
    try {
      event = JSON.parse(raw) as Record<string, unknown>
    } catch {
      return refuse(400, 'bad json')
    }
    if (event.id !== delivery) return refuse(400, 'delivery header does not match event id')

    const plan = s.take()
    if (plan) {
      if (plan.kind === 'throttle') return json(res, Number(plan.code ?? 429), { error: 'slow down' }, { 'retry-after': '30' })
      return json(res, Number(plan.code ?? 410), { error: 'this endpoint no longer accepts events' })
    }
    s.received.push({ delivery, timestamp: Number(timestampText), event, raw, duplicate: seen.has(delivery) })
    seen.add(delivery)
    json(res, 200, { received: true })
  })
  const settings: WebhookSettings = { provider: 'webhook', url: `${base}/hooks/mashangjian` }
  return { server, fake: Object.assign(s, { endpoint: settings.url, settings, credentials: { signingSecret: FAKE_CREDENTIALS.webhook.signingSecret } }) }
}

/**
 * Starts all five fakes on 127.0.0.1 (random ports). Inside a vitest file they close after the file's tests;
 * pass `{ autoClose: false }` to manage that yourself with `close()`.
 */
export async function startFakeProviders(options: { autoClose?: boolean } = {}): Promise<FakeProviders> {
  const started = await Promise.all([startAliyun(), startTencent(), startWecom(), startDingtalk(), startWebhook()])
  const [aliyun, tencent, wecom, dingtalk, webhook] = started
  const close = () =>
    Promise.all(
      started.map(
        ({ server }) =>
          new Promise<void>((r) => {
            server.closeAllConnections()
            server.close(() => r())
          }),
      ),
    ).then(() => undefined)
  if (options.autoClose !== false) afterAll(close)
  return { aliyun: aliyun.fake, tencent: tencent.fake, wecom: wecom.fake, dingtalk: dingtalk.fake, webhook: webhook.fake, close }
}

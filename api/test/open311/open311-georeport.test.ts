import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, caseEvent, cases, category, open311Client } from '../../src/db/schema'
import { createAdminOrg, insertCase, type AdminOrg } from '../admin-data/admin-fixtures'
import { createTestApp, type TestApp } from '../support/test-app'
import { bearer, login } from '../support/fixtures'
import { OPEN311_POSTS_PER_KEY_PER_HOUR } from '../../src/open311/open311-routes'
import { form, jsonError, xmlError, xmlTexts } from './open311-support'

const PHONE = '13800138000'
const PHONE_IN_TEXT = '13500135000'
const FIRST = '慕容'
const LAST = '雪晴'
const EMAIL = 'murong.xueqing@example.com'
const ADDRESS = '城关区庆阳路一百二十号'

interface PublicRequest {
  service_request_id: string
  status: string
  [k: string]: unknown
}

describe('Open311 GeoReport v2 (/open311/v2)', () => {
  let t: TestApp
  let org: AdminOrg
  let admin: Record<string, string>
  let apiKey: string
  let clientId: string
  let jurisdiction: string
  let created: { service_request_id: string; token: string; service_notice: string }

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: `/open311/v2/${url}`, headers })
  const post = (url: string, fields: Record<string, string>) => t.app.inject({ method: 'POST', url: `/open311/v2/${url}`, ...form(fields) })
  const issueKey = async (name: string, stationId?: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/open311/clients', headers: admin, payload: { name, ...(stationId && { stationId }) } })
    expect(res.statusCode, res.body).toBe(201)
    return res.json<{ client: { id: string }; apiKey: string }>()
  }
  const valid = () => ({
    api_key: apiKey,
    jurisdiction_id: jurisdiction,
    service_code: org.noise.id,
    description: `夜里两点工地还在施工，噪音很大，联系我${PHONE_IN_TEXT}`,
    lat: '36.0611234',
    long: '103.8343456',
    address_string: ADDRESS,
    phone: PHONE,
    first_name: FIRST,
    last_name: LAST,
    email: EMAIL,
    media_url: 'http://example.com/a.jpg',
  })

  beforeAll(async () => {
    t = await createTestApp()
    org = await createAdminOrg(t.database.db)
    // Case-insensitive, as jurisdiction ids are typed by people.
    jurisdiction = org.countyA.shortCode.toLowerCase()
    admin = bearer((await login(t.app, org.users.adminA.username)).accessToken)
    const issued = await issueKey('随手拍 app', org.stationA2.id)
    apiKey = issued.apiKey
    clientId = issued.client.id
  })
  afterAll(() => t.close())

  it('serves the discovery document in JSON and XML', async () => {
    const json = await get('discovery.json')
    expect(json.statusCode).toBe(200)
    expect(json.json()).toMatchObject({
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: 'http://msj.test/open311/v2',
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    })
    const xml = await get('discovery.xml')
    expect(xml.headers['content-type']).toMatch(/^text\/xml; charset=utf-8/)
    expect(xml.body).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<discovery><changeset>[^<]+\+08:00<\/changeset>/)
    expect(xml.body).toContain('<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification><url>http://msj.test/open311/v2</url>')
    expect(xml.body).toContain('<formats><format>text/xml</format><format>application/json</format></formats></endpoint></endpoints></discovery>')
  })

  it("lists the committee's active categories as services, in JSON and XML, in the asked language", async () => {
    await t.database.db.insert(category).values({ committeeId: org.countyA.id, names: { 'zh-CN': '停用的类别' }, active: false })
    // Services come in the categories' own order (the console's sort order).
    await t.database.db.update(category).set({ sortOrder: 1 }).where(eq(category.id, org.noise.id))
    await t.database.db.update(category).set({ sortOrder: 2 }).where(eq(category.id, org.roads.id))
    const res = await get(`services.json?jurisdiction_id=${jurisdiction}`)
    expect(res.statusCode, res.body).toBe(200)
    const services = res.json<Record<string, unknown>[]>()
    expect(services.map((s) => s.service_name)).toEqual(['噪音扰民', '道路交通'])
    expect(services[0]).toMatchObject({ service_code: org.noise.id, service_name: '噪音扰民', metadata: false, type: 'realtime', description: 'Noise' })
    const en = await get(`services.json?jurisdiction_id=${jurisdiction}&lang=en`)
    expect(en.json<{ service_name: string }[]>().map((s) => s.service_name)).toEqual(['Noise', 'Roads'])
    const byHeader = await get(`services.json?jurisdiction_id=${jurisdiction}`, { 'accept-language': 'en-US,en;q=0.9' })
    expect(byHeader.json<{ service_name: string }[]>()[0]!.service_name).toBe('Noise')

    const xml = await get(`services.xml?jurisdiction_id=${org.countyA.shortCode}`)
    expect(xml.statusCode).toBe(200)
    expect(xml.body).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<services><service><service_code>/)
    expect(xmlTexts(xml.body, 'service_code')).toEqual([org.noise.id, org.roads.id])
    expect(xmlTexts(xml.body, 'service_name')).toEqual(['噪音扰民', '道路交通'])
    expect(xmlTexts(xml.body, 'metadata')).toEqual(['false', 'false'])
    expect(xmlTexts(xml.body, 'type')).toEqual(['realtime', 'realtime'])
    // Without a suffix: XML unless the client accepts JSON.
    expect((await get(`services?jurisdiction_id=${jurisdiction}`)).body).toMatch(/^<\?xml/)
    expect((await get(`services?jurisdiction_id=${jurisdiction}`, { accept: 'application/json' })).json()).toEqual(services)
  })

  it("answers a service definition with no attributes, and unknown codes and jurisdictions with the spec's 404", async () => {
    const def = await get(`services/${org.noise.id}.json?jurisdiction_id=${jurisdiction}`)
    expect(def.json()).toEqual({ service_code: org.noise.id, attributes: [] })
    const xml = await get(`services/${org.noise.id}.xml?jurisdiction_id=${jurisdiction}`)
    expect(xml.body).toContain(`<service_definition><service_code>${org.noise.id}</service_code><attributes></attributes></service_definition>`)
    // Another committee's category is not a service here.
    const [other] = await t.database.db
      .insert(category)
      .values({ committeeId: org.countyB.id, names: { 'zh-CN': 'B 县类别' } })
      .returning()
    expect(jsonError(await get(`services/${other!.id}.json?jurisdiction_id=${jurisdiction}`), 404)).toMatch(/service_code/)
    expect(jsonError(await get('services.json?jurisdiction_id=nowhere'), 404)).toMatch(/jurisdiction_id/)
    expect(xmlError(await get('services.xml?jurisdiction_id=nowhere'), 404)).toMatch(/jurisdiction_id/)
    // Several committees on this server: which one must be said.
    expect(jsonError(await get('services.json'), 400)).toMatch(/jurisdiction_id/)
    jsonError(await get('no-such-thing.json'), 404)
    xmlError(await get('no-such-thing.xml'), 404)
  })

  it("takes a POST with an API key: routed like a scan of the client's station, channel open311, phone encrypted", async () => {
    const res = await post('requests.json', valid())
    expect(res.statusCode, res.body).toBe(201)
    const body = res.json<(typeof created)[]>()
    expect(body).toHaveLength(1)
    created = body[0]!
    expect(created.service_request_id).toMatch(/^A[A-Z0-9]+-2026-\d{6}$/)
    expect(created.service_notice).toContain('A2')
    expect(Object.keys(created).sort()).toEqual(['service_notice', 'service_request_id', 'token'])

    const [row] = await t.database.db.select().from(cases).where(eq(cases.publicNo, created.service_request_id))
    expect(row).toMatchObject({
      channel: 'open311',
      open311ClientId: clientId,
      committeeId: org.countyA.id,
      stationId: org.stationA2.id,
      categoryId: org.noise.id,
      status: 'assigned',
      locationText: ADDRESS,
      lat: 36.0611234,
      lng: 103.8343456,
      residentPhoneMasked: '138****8000',
      id: created.token,
    })
    // Member B is the only member at A2: the station's routing gave the case to them.
    expect(row!.memberId).toBe(org.memberB.id)
    expect(row!.residentPhoneEnc).toMatch(/^v1\./)
    expect(row!.residentPhoneEnc).not.toContain(PHONE)
    expect(row!.residentPhoneHash).toBeTruthy()
    // Names and e-mail are read and dropped: in no column, event or audit row.
    const events = await t.database.db.select().from(caseEvent).where(eq(caseEvent.caseId, row!.id))
    const audits = await t.database.db.select().from(auditLog).where(eq(auditLog.targetId, row!.id))
    const stored = JSON.stringify([row, events, audits])
    for (const secret of [FIRST, LAST, EMAIL, 'example.com/a.jpg', apiKey]) expect(stored).not.toContain(secret)
    expect(audits.map((a) => a.action)).toContain('case.submitted')
    expect(audits.find((a) => a.action === 'case.submitted')!.detail).toMatchObject({ channel: 'open311', open311ClientId: clientId })
    const [client] = await t.database.db.select().from(open311Client).where(eq(open311Client.id, clientId))
    expect(client!.lastUsedAt).not.toBeNull()
  })

  it('reads the request back by id in JSON and XML, public fields only', async () => {
    const res = await get(`requests/${created.service_request_id}.json?jurisdiction_id=${jurisdiction}`)
    expect(res.statusCode, res.body).toBe(200)
    const [one] = res.json<PublicRequest[]>()
    expect(one).toEqual({
      service_request_id: created.service_request_id,
      status: 'open',
      service_name: '噪音扰民',
      service_code: org.noise.id,
      agency_responsible: 'A2',
      requested_datetime: '2026-11-23T10:00:00+08:00',
      updated_datetime: '2026-11-23T10:00:00+08:00',
      expected_datetime: expect.stringMatching(/\+08:00$/),
    })
    const xml = await get(`requests/${created.service_request_id.toLowerCase()}.xml?jurisdiction_id=${jurisdiction}`)
    expect(xml.statusCode).toBe(200)
    expect(xml.body).toMatch(
      new RegExp(
        `^<\\?xml version="1\\.0" encoding="UTF-8"\\?>\\n<service_requests><request><service_request_id>${created.service_request_id}</service_request_id><status>open</status>`,
      ),
    )
    expect(xmlTexts(xml.body, 'agency_responsible')).toEqual(['A2'])
    // Not published: no point on a map either.
    expect(xmlTexts(xml.body, 'lat')).toEqual([])
    for (const body of [res.body, xml.body]) {
      for (const secret of [PHONE, '138****8000', PHONE_IN_TEXT, FIRST, LAST, EMAIL, ADDRESS, '施工', 'tracking', '/t/']) expect(body).not.toContain(secret)
    }
    jsonError(await get(`requests/AX-2026-999999.json?jurisdiction_id=${jurisdiction}`), 404)
    xmlError(await get(`requests/AX-2026-999999.xml?jurisdiction_id=${jurisdiction}`), 404)
  })

  it('resolves the token to the request', async () => {
    const res = await get(`tokens/${created.token}.json?jurisdiction_id=${jurisdiction}`)
    expect(res.json()).toEqual([{ service_request_id: created.service_request_id, token: created.token }])
    const xml = await get(`tokens/${created.token}.xml?jurisdiction_id=${jurisdiction}`)
    expect(xml.body).toContain(
      `<service_requests><request><service_request_id>${created.service_request_id}</service_request_id><token>${created.token}</token></request></service_requests>`,
    )
    jsonError(await get(`tokens/not-a-token.json?jurisdiction_id=${jurisdiction}`), 404)
    // Another committee's jurisdiction does not know it.
    jsonError(await get(`tokens/${created.token}.json?jurisdiction_id=${org.countyB.shortCode}`), 404)
  })

  it('lists requests by date range, status, service code and ids; the default is the last 90 days', async () => {
    const old = await insertCase(t.database.db, {
      committeeId: org.countyA.id,
      stationId: org.stationA1.id,
      status: 'closed',
      createdAt: new Date('2026-06-01T02:00:00Z'),
      publicNo: `${org.countyA.shortCode}-2026-000900`,
    })
    const ids = async (query: string) => {
      const res = await get(`requests.json?jurisdiction_id=${jurisdiction}${query}`)
      expect(res.statusCode, res.body).toBe(200)
      return res.json<PublicRequest[]>().map((r) => r.service_request_id)
    }
    expect(await ids('')).toEqual([created.service_request_id])
    expect(await ids('&start_date=2026-11-23T00:00:00%2B08:00&end_date=2026-11-23T23:59:59%2B08:00')).toEqual([created.service_request_id])
    expect(await ids('&start_date=2026-11-22T00:00:00Z&end_date=2026-11-23T01:00:00Z')).toEqual([])
    expect(await ids('&start_date=2026-05-15T00:00:00Z&end_date=2026-06-15T00:00:00Z')).toEqual([old.publicNo])
    expect(await ids('&status=open')).toEqual([created.service_request_id])
    expect(await ids('&status=closed')).toEqual([])
    expect(await ids('&status=open,closed')).toEqual([created.service_request_id])
    expect(await ids(`&service_code=${org.roads.id}`)).toEqual([])
    expect(await ids(`&service_code=${org.roads.id},${org.noise.id}`)).toEqual([created.service_request_id])
    // service_request_id overrides every other argument.
    expect((await ids(`&service_request_id=${created.service_request_id},${old.publicNo}&status=closed`)).sort()).toEqual(
      [created.service_request_id, old.publicNo].sort(),
    )
    const xml = await get(`requests.xml?jurisdiction_id=${jurisdiction}&start_date=2026-05-15T00:00:00Z&end_date=2026-06-15T00:00:00Z`)
    expect(xmlTexts(xml.body, 'service_request_id')).toEqual([old.publicNo])
    expect(xmlTexts(xml.body, 'status')).toEqual(['closed'])
    expect(xmlTexts(xml.body, 'requested_datetime')).toEqual(['2026-06-01T10:00:00+08:00'])
    // Nothing of the other committee.
    expect((await get(`requests.json?jurisdiction_id=${org.countyB.shortCode}`)).json()).toEqual([])
    expect(jsonError(await get(`requests.json?jurisdiction_id=${jurisdiction}&start_date=yesterday`), 400)).toMatch(/start_date/)
    expect(jsonError(await get(`requests.json?jurisdiction_id=${jurisdiction}&start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z`), 400)).toMatch(
      /90 days/,
    )
    expect(xmlError(await get(`requests.xml?jurisdiction_id=${jurisdiction}&status=pending`), 400)).toMatch(/status/)
  })

  it("shows the answer (masked) and the client's point only of published cases, never the resident's description; resolved reads closed", async () => {
    await t.database.db
      .update(cases)
      .set({ publishable: true, status: 'resolved', publicText: `已协调停工，如有问题请拨打${PHONE_IN_TEXT}` })
      .where(eq(cases.id, created.token))
    const res = await get(`requests/${created.service_request_id}.json?jurisdiction_id=${jurisdiction}`)
    const [one] = res.json<PublicRequest[]>()
    expect(one).toMatchObject({ status: 'closed', status_notes: '已协调停工，如有问题请拨打135****5000', lat: 36.061, long: 103.834 })
    expect(one!.description).toBeUndefined()
    expect(one!.expected_datetime).toBeUndefined()
    expect(res.body).not.toContain(PHONE_IN_TEXT)
    const xml = await get(`requests/${created.service_request_id}.xml?jurisdiction_id=${jurisdiction}`)
    expect(xmlTexts(xml.body, 'description')).toEqual([])
    expect(xmlTexts(xml.body, 'lat')).toEqual(['36.061'])
    for (const body of [res.body, xml.body]) expect(body).not.toContain('施工')
    expect(xml.body).not.toContain(PHONE_IN_TEXT)
  })

  it('escapes text in XML', async () => {
    const [odd] = await t.database.db
      .insert(category)
      .values({ committeeId: org.countyA.id, names: { 'zh-CN': '<b>"噪音"</b> & \'灯\'\u0007' }, sortOrder: 99 })
      .returning()
    const xml = await get(`services.xml?jurisdiction_id=${jurisdiction}`)
    expect(xml.body).toContain('<service_name>&lt;b&gt;&quot;噪音&quot;&lt;/b&gt; &amp; &apos;灯&apos;</service_name>')
    await t.database.db.update(category).set({ active: false }).where(eq(category.id, odd!.id))
  })

  it("refuses a missing, unknown or revoked key with 403 in the spec's shape, JSON and XML", async () => {
    const { api_key: _, ...noKey } = valid()
    expect(jsonError(await post('requests.json', noKey), 403)).toMatch(/api_key/)
    expect(jsonError(await post('requests.json', { ...valid(), api_key: 'msj311_not-a-real-key' }), 403)).toMatch(/api_key/)
    expect(xmlError(await post('requests.xml', { ...valid(), api_key: 'msj311_not-a-real-key' }), 403)).toMatch(/api_key/)
    // A key of county A cannot post into county B.
    expect(jsonError(await post('requests.json', { ...valid(), jurisdiction_id: org.countyB.shortCode }), 403)).toMatch(/jurisdiction/)

    const { client, apiKey: doomed } = await issueKey('旧客户端')
    expect((await post('requests.json', { ...valid(), api_key: doomed })).statusCode).toBe(201)
    const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/open311/clients/${client.id}/revoke`, headers: admin })
    expect(revoked.statusCode, revoked.body).toBe(200)
    expect(jsonError(await post('requests.json', { ...valid(), api_key: doomed }), 403)).toMatch(/revoked/)
    xmlError(await post('requests.xml', { ...valid(), api_key: doomed }), 403)
  })

  it("refuses an unknown service code or a bad description with 400 in the spec's shape", async () => {
    const before = (await t.database.db.select({ id: cases.id }).from(cases)).length
    expect(jsonError(await post('requests.json', { ...valid(), service_code: 'potholes' }), 400)).toMatch(/service_code/)
    expect(xmlError(await post('requests.xml', { ...valid(), service_code: randomUUID() }), 400)).toMatch(/service_code/)
    const { service_code: _, ...noCode } = valid()
    expect(jsonError(await post('requests.json', noCode), 400)).toMatch(/service_code/)
    const { description: __, ...noText } = valid()
    expect(jsonError(await post('requests.json', noText), 400)).toMatch(/^description/)
    expect(jsonError(await post('requests.json', { ...valid(), description: '太吵' }), 400)).toMatch(/^description/)
    expect(jsonError(await post('requests.json', { ...valid(), description: '字'.repeat(2001) }), 400)).toMatch(/^description/)
    expect(jsonError(await post('requests.json', { ...valid(), phone: '12345' }), 400)).toMatch(/^phone/)
    expect(jsonError(await post('requests.json', { ...valid(), lat: '91', long: '103' }), 400)).toMatch(/lat/)
    expect(jsonError(await post('requests.json', { ...valid(), lat: '36.1', long: '' }), 400)).toMatch(/lat/)
    // What the body parser refuses also leaves in the spec's shape, never as problem+json.
    expect(
      jsonError(await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'text/plain' }, payload: 'api_key=x' }), 400),
    ).toMatch(/body/)
    xmlError(
      await t.app.inject({ method: 'POST', url: '/open311/v2/requests.xml', headers: { 'content-type': 'application/json' }, payload: '{"api_key":' }),
      400,
    )
    expect((await t.database.db.select({ id: cases.id }).from(cases)).length).toBe(before)
  })

  it("limits POSTs per key and answers 429 in the spec's shape", async () => {
    const { apiKey: busy } = await issueKey('很忙的客户端')
    // Refused posts count too: the limit guards the key, whatever the key sends.
    for (let i = 0; i < OPEN311_POSTS_PER_KEY_PER_HOUR; i++) {
      expect((await post('requests.json', { api_key: busy, jurisdiction_id: jurisdiction, service_code: org.noise.id })).statusCode).toBe(400)
    }
    const limited = await post('requests.json', { ...valid(), api_key: busy })
    jsonError(limited, 429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    xmlError(await post('requests.xml', { ...valid(), api_key: busy }), 429)
    // Another key is not held back by it.
    expect((await post('requests.json', valid())).statusCode).toBe(201)
  })
})

import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sha256 } from '../../src/auth/tokens'
import { cases, category, committee, open311Client, station } from '../../src/db/schema'
import { createTestApp, type TestApp } from '../support/test-app'
import { form, jsonError } from './open311-support'

// A deployment with one committee (a county on its own): jurisdiction_id may be left out. And the per-address
// allowances of the scan page apply to Open311 too, answered in the spec's error shape.
describe('Open311 on a one-committee deployment, with small per-address allowances', () => {
  let t: TestApp
  let serviceCode: string
  let stationId: string
  const API_KEY = 'msj311_one-committee-test-key-0000000000'

  beforeAll(async () => {
    t = await createTestApp({ submitRateLimitPerIpPerHour: 2, scanRateLimitPerMinute: 6 })
    const db = t.database.db
    const [c] = await db.insert(committee).values({ name: '临夏县政协', level: 'county', shortCode: 'LX', path: 'pending' }).returning()
    await db.update(committee).set({ path: c!.id }).where(eq(committee.id, c!.id))
    const [first] = await db.insert(station).values({ committeeId: c!.id, kind: 'workstation', name: '城关镇委员工作站' }).returning()
    stationId = first!.id
    const [cat] = await db
      .insert(category)
      .values({ committeeId: c!.id, names: { 'zh-CN': '环境卫生' } })
      .returning()
    serviceCode = cat!.id
    // No station chosen for this client: its requests go to the committee's first station.
    await db.insert(open311Client).values({ committeeId: c!.id, name: '随手拍', keyHash: sha256(API_KEY), keyPrefix: API_KEY.slice(0, 12) })
  })
  afterAll(() => t.close())

  it("needs no jurisdiction_id, routes a keyed client without a station to the first station, and is not held to the scan page's per-address limit", async () => {
    const services = await t.app.inject({ method: 'GET', url: '/open311/v2/services.json' })
    expect(services.json<{ service_code: string }[]>().map((s) => s.service_code)).toEqual([serviceCode])

    const post = () =>
      t.app.inject({
        method: 'POST',
        url: '/open311/v2/requests.xml',
        ...form({ api_key: API_KEY, service_code: serviceCode, description: '垃圾箱满了三天没人清运' }),
      })
    const created = await post()
    expect(created.statusCode, created.body).toBe(201)
    expect(created.body).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<service_requests><request><service_request_id>LX-2026-000001<\/service_request_id><token>[0-9a-f-]{36}<\/token><service_notice>[^<]+<\/service_notice><\/request><\/service_requests>$/,
    )
    const [row] = await t.database.db.select().from(cases).where(eq(cases.publicNo, 'LX-2026-000001'))
    // Nobody works at the station yet: the case waits in its admin's queue.
    expect(row).toMatchObject({ channel: 'open311', stationId, memberId: null, status: 'assigned', residentPhoneEnc: null })
    // A civic app relays many residents from one address: the scan page's per-address allowance (2 an hour in this
    // app) does not bind keyed posts; the per-key limit does (open311-georeport.test.ts).
    expect((await post()).statusCode).toBe(201)
    expect((await post()).statusCode).toBe(201)
  })

  it('limits reads per address, in the format asked', async () => {
    // Six a minute here, counted per endpoint (each route keeps its own counters).
    for (let i = 0; i < 6; i++) expect((await t.app.inject({ method: 'GET', url: '/open311/v2/requests.json' })).statusCode).toBe(200)
    const limited = await t.app.inject({ method: 'GET', url: '/open311/v2/requests.json' })
    jsonError(limited, 429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
  })
})

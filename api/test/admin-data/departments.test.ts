import { eq } from 'drizzle-orm'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { maskDepartmentPhone, normalizeDepartmentPhone, type DepartmentPage, type DepartmentView } from '@mashangjian/shared'
import { auditLog, department, notificationChannel } from '../../src/db/schema'
import { createTestApp, type TestApp } from '../support/test-app'
import { bearer, createOrg, login, type Org } from '../support/fixtures'

const URL = '/api/v1/departments'
const MOBILE = '13900002001'
const LANDLINE = '0931-8765432'

describe('departments (职能部门) through the HTTP API', () => {
  let t: TestApp
  let org: Org
  const h: Record<string, Record<string, string>> = {}
  const channels: Record<'robotA' | 'webhookA' | 'smsA' | 'robotB', string> = {} as never
  let housing: DepartmentView

  const call = (who: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: h[who], ...(payload && { payload }) })
  function problem(res: LightMyRequestResponse, status: number) {
    expect(res.statusCode, res.body).toBe(status)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    return res.json<{ code: string; detail: string; errors?: { field: string; message: string }[] }>()
  }
  const fields = (res: LightMyRequestResponse) => (res.json<{ errors?: { field: string }[] }>().errors ?? []).map((e) => e.field).sort()
  const auditOf = (id: string) => t.database.db.select().from(auditLog).where(eq(auditLog.targetId, id))

  beforeAll(async () => {
    t = await createTestApp()
    org = await createOrg(t.database.db)
    for (const [key, user] of Object.entries(org.users)) h[key] = bearer((await login(t.app, user.username)).accessToken)
    const channel = async (committeeId: string, provider: 'wecom_robot' | 'webhook' | 'aliyun_sms', name: string) =>
      (await t.database.db.insert(notificationChannel).values({ committeeId, provider, name, settings: { provider } }).returning())[0]!.id
    channels.robotA = await channel(org.countyA.id, 'wecom_robot', '住建局企业微信群')
    channels.webhookA = await channel(org.countyA.id, 'webhook', '12345 热线对接')
    channels.smsA = await channel(org.countyA.id, 'aliyun_sms', '县政协短信')
    channels.robotB = await channel(org.countyB.id, 'wecom_robot', 'B 县群')
  })
  afterAll(() => t.close())

  it('adds a department with a robot channel; the phone is stored encrypted and answered masked only', async () => {
    const res = await call('adminA', 'POST', URL, {
      name: ' 县住建局 ',
      kind: 'bureau',
      contactName: ' 王科长 ',
      contactPhone: '139 0000 2001',
      robotChannelId: channels.robotA,
    })
    expect(res.statusCode, res.body).toBe(201)
    housing = res.json()
    expect(housing).toMatchObject({
      name: '县住建局',
      kind: 'bureau',
      committeeId: org.countyA.id,
      contactName: '王科长',
      contactPhoneMasked: '139****2001',
      active: true,
      robotChannel: { id: channels.robotA, name: '住建局企业微信群', provider: 'wecom_robot', enabled: true },
    })
    expect(res.body).not.toContain(MOBILE)
    const [row] = await t.database.db.select().from(department).where(eq(department.id, housing.id))
    expect(row!.contactPhoneEnc).toMatch(/^v1\./)
    expect(row!.contactPhoneEnc).not.toContain(MOBILE)
    expect(row!.contactPhoneHash).toMatch(/^[\w-]{43}$/)
    // Read back one by one and in the list: masked everywhere.
    const one = await call('adminA', 'GET', `${URL}/${housing.id}`)
    expect(one.json()).toEqual(housing)
    const list = await call('adminA', 'GET', URL)
    expect(list.json<DepartmentPage>().items.map((d) => d.id)).toEqual([housing.id])
    expect(list.body).not.toContain(MOBILE)
  })

  it('takes a landline with area code, and can clear the phone and the channel', async () => {
    const created = await call('adminA', 'POST', URL, {
      name: '东城街道办事处',
      kind: 'street_office',
      contactPhone: '(0931) 8765432',
      robotChannelId: channels.webhookA,
    })
    expect(created.statusCode, created.body).toBe(201)
    const office = created.json<DepartmentView>()
    expect(office.contactPhoneMasked).toBe('0931-****5432')
    expect(created.body).not.toContain('8765432')
    const cleared = await call('adminA', 'PATCH', `${URL}/${office.id}`, { contactPhone: null, robotChannelId: null })
    expect(cleared.json()).toMatchObject({ contactPhoneMasked: null, robotChannel: null })
    const [row] = await t.database.db.select().from(department).where(eq(department.id, office.id))
    expect(row).toMatchObject({ contactPhoneEnc: null, contactPhoneHash: null, contactPhoneMasked: null, robotChannelId: null })
    expect((await call('adminA', 'DELETE', `${URL}/${office.id}`)).statusCode).toBe(204)
  })

  it('edits, deactivates and audits every change without the phone in clear', async () => {
    const res = await call('adminA', 'PATCH', `${URL}/${housing.id}`, { contactPhone: LANDLINE, kind: 'public_service', active: false })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ kind: 'public_service', active: false, contactPhoneMasked: '0931-****5432', robotChannel: { id: channels.robotA } })
    expect((await call('adminA', 'GET', `${URL}?active=false`)).json<DepartmentPage>().items.map((d) => d.id)).toEqual([housing.id])
    expect((await call('adminA', 'GET', `${URL}?active=true`)).json<DepartmentPage>().items).toEqual([])
    expect((await call('adminA', 'PATCH', `${URL}/${housing.id}`, { active: true, kind: 'bureau' })).json()).toMatchObject({ active: true, kind: 'bureau' })

    const entries = await auditOf(housing.id)
    expect(entries.map((e) => e.action).sort()).toEqual(['department.created', 'department.updated', 'department.updated'])
    const created = entries.find((e) => e.action === 'department.created')!
    expect(created.detail).toMatchObject({ name: '县住建局', contactPhoneMasked: '139****2001', robotChannelId: channels.robotA })
    const changed = entries.find((e) => e.action === 'department.updated' && 'contactPhoneMasked' in (e.detail.changes as object))!
    expect(changed.detail.changes).toEqual({ kind: ['bureau', 'public_service'], contactPhoneMasked: ['139****2001', '0931-****5432'], active: [true, false] })
    const everything = JSON.stringify(entries)
    for (const secret of [MOBILE, LANDLINE, '8765432']) expect(everything).not.toContain(secret)
    expect(everything).not.toContain('v1.')
  })

  it('answers 409 CONFLICT for a name the committee already has; another committee may use it', async () => {
    const taken = problem(await call('adminA', 'POST', URL, { name: '县住建局', kind: 'other' }), 409)
    expect(taken.code).toBe('CONFLICT')
    expect(taken.detail).toContain('县住建局')
    expect(taken.errors).toEqual([{ field: 'body.name', message: 'this committee already has a department of this name' }])
    const other = (await call('adminA', 'POST', URL, { name: '县人社局', kind: 'bureau' })).json<DepartmentView>()
    expect(problem(await call('adminA', 'PATCH', `${URL}/${other.id}`, { name: ' 县住建局 ' }), 409).code).toBe('CONFLICT')
    expect((await call('adminB', 'POST', URL, { name: '县住建局', kind: 'bureau' })).statusCode).toBe(201)
  })

  it('refuses an SMS account or another committee’s robot as the robot channel (400 on the field)', async () => {
    const sms = problem(await call('adminA', 'POST', URL, { name: '县供电公司', kind: 'public_service', robotChannelId: channels.smsA }), 400)
    expect(sms.code).toBe('VALIDATION_FAILED')
    expect(sms.errors).toEqual([expect.objectContaining({ field: 'body.robotChannelId', message: expect.stringContaining('not an SMS account') })])
    const foreign = problem(await call('adminA', 'PATCH', `${URL}/${housing.id}`, { robotChannelId: channels.robotB }), 400)
    expect(foreign.errors).toEqual([{ field: 'body.robotChannelId', message: 'no such channel in this committee' }])
    const missing = problem(await call('adminA', 'PATCH', `${URL}/${housing.id}`, { robotChannelId: '00000000-0000-4000-8000-000000000000' }), 400)
    expect(missing.errors).toEqual([{ field: 'body.robotChannelId', message: 'no such channel in this committee' }])
    // Nothing changed.
    expect((await call('adminA', 'GET', `${URL}/${housing.id}`)).json().robotChannel.id).toBe(channels.robotA)
  })

  it('reports bad fields in problem+json: schema and phone', async () => {
    const schema = problem(await call('adminA', 'POST', URL, { name: '', kind: 'ministry', extra: 1 }), 400)
    expect(schema.code).toBe('VALIDATION_FAILED')
    expect(schema.errors!.map((e) => e.field)).toEqual(expect.arrayContaining(['body.name', 'body.kind', 'body.extra']))
    const phone = await call('adminA', 'POST', URL, { name: '县水务局', kind: 'bureau', contactPhone: '12345', robotChannelId: channels.smsA })
    expect(problem(phone, 400).code).toBe('VALIDATION_FAILED')
    expect(fields(phone)).toEqual(['body.contactPhone', 'body.robotChannelId'])
    expect(fields(await call('adminA', 'POST', URL, { name: '   ', kind: 'bureau' }))).toEqual(['body.name'])
    expect(fields(await call('adminA', 'PATCH', `${URL}/${housing.id}`, {}))).toEqual(['body'])
    expect(fields(await call('adminA', 'GET', `${URL}?limit=500`))).toEqual(['querystring.limit'])
    expect(problem(await call('adminA', 'GET', `${URL}/not-a-uuid`), 400).code).toBe('VALIDATION_FAILED')
  })

  it('keeps scope: another county’s admin gets 404, the city admin sees both, a station admin reads but may not write', async () => {
    for (const [method, payload] of [
      ['GET', undefined],
      ['PATCH', { name: 'x' }],
      ['DELETE', undefined],
    ] as const) {
      expect(problem(await call('adminB', method, `${URL}/${housing.id}`, payload), 404).code).toBe('NOT_FOUND')
    }
    expect((await call('adminB', 'GET', URL)).json<DepartmentPage>().items.every((d) => d.committeeId === org.countyB.id)).toBe(true)
    expect(fields(await call('adminB', 'GET', `${URL}?committeeId=${org.countyA.id}`))).toEqual(['querystring.committeeId'])
    expect(fields(await call('adminB', 'POST', URL, { committeeId: org.countyA.id, name: '越权', kind: 'other' }))).toEqual(['body.committeeId'])
    const city = (await call('cityAdmin', 'GET', `${URL}?limit=200`)).json<DepartmentPage>()
    expect(new Set(city.items.map((d) => d.committeeId))).toEqual(new Set([org.countyA.id, org.countyB.id]))
    expect(
      (await call('cityAdmin', 'GET', `${URL}?committeeId=${org.countyA.id}&q=${encodeURIComponent('住建')}`)).json<DepartmentPage>().items.map((d) => d.id),
    ).toEqual([housing.id])

    // A station admin reads their committee's departments (to hand matters over) …
    const read = await call('stationAdminA1', 'GET', URL)
    expect(read.statusCode).toBe(200)
    expect(read.json<DepartmentPage>().items.every((d) => d.committeeId === org.countyA.id)).toBe(true)
    expect(read.body).not.toContain(MOBILE)
    expect((await call('stationAdminA1', 'GET', `${URL}/${housing.id}`)).json().contactPhoneMasked).toBe('0931-****5432')
    // … but changes none, and a member sees none.
    expect(problem(await call('stationAdminA1', 'POST', URL, { name: '站里加的', kind: 'other' }), 403).code).toBe('FORBIDDEN')
    expect(problem(await call('stationAdminA1', 'PATCH', `${URL}/${housing.id}`, { name: 'x' }), 403).code).toBe('FORBIDDEN')
    expect(problem(await call('stationAdminA1', 'DELETE', `${URL}/${housing.id}`), 403).code).toBe('FORBIDDEN')
    expect(problem(await call('memberA', 'GET', URL), 403).code).toBe('FORBIDDEN')
  })

  it('searches by name or contact person, filters by kind, pages', async () => {
    const byContact = (await call('adminA', 'GET', `${URL}?q=${encodeURIComponent('王科')}`)).json<DepartmentPage>()
    expect(byContact.items.map((d) => d.name)).toEqual(['县住建局'])
    expect((await call('adminA', 'GET', `${URL}?q=${encodeURIComponent('%')}`)).json<DepartmentPage>().items).toEqual([])
    expect((await call('adminA', 'GET', `${URL}?kind=bureau`)).json<DepartmentPage>().items.map((d) => d.name)).toEqual(['县人社局', '县住建局'].sort())
    const first = (await call('adminA', 'GET', `${URL}?limit=1`)).json<DepartmentPage>()
    const second = (await call('adminA', 'GET', `${URL}?limit=1&offset=1`)).json<DepartmentPage>()
    expect(first).toMatchObject({ total: 2, limit: 1, offset: 0 })
    expect(first.items[0]!.id).not.toBe(second.items[0]!.id)
  })

  it('keeps the department when its robot channel is removed (on delete set null), and deletes a department nothing refers to', async () => {
    await t.database.db.delete(notificationChannel).where(eq(notificationChannel.id, channels.robotA))
    expect((await call('adminA', 'GET', `${URL}/${housing.id}`)).json()).toMatchObject({ name: '县住建局', robotChannel: null })
    expect((await call('adminA', 'DELETE', `${URL}/${housing.id}`)).statusCode).toBe(204)
    expect(problem(await call('adminA', 'GET', `${URL}/${housing.id}`), 404).code).toBe('NOT_FOUND')
    const deleted = (await auditOf(housing.id)).find((e) => e.action === 'department.deleted')
    expect(deleted?.detail).toEqual({ name: '县住建局' })
  })
})

describe('department phones (normalizeDepartmentPhone, maskDepartmentPhone)', () => {
  it.each([
    ['13800138000', '13800138000', '138****8000'],
    ['+86 138-0013-8000', '13800138000', '138****8000'],
    ['0931-1234567', '0931-1234567', '0931-****4567'],
    ['09311234567', '0931-1234567', '0931-****4567'],
    ['(010) 1234 5678', '010-12345678', '010-****5678'],
    ['021-61234567转801', '021-61234567-801', '021-****4567'],
    ['12345', null, null],
    ['95598', null, null],
    ['0931-123456', null, null],
    ['0931-0123456', null, null],
    ['1380013800', null, null],
    ['23800138000', null, null],
  ] as const)('%s → %s (%s)', (input, normalised, masked) => {
    const n = normalizeDepartmentPhone(input)
    expect(n).toBe(normalised)
    if (n) expect(maskDepartmentPhone(n)).toBe(masked)
  })
})

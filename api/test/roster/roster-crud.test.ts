import { eq, sql } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CategoryView, MemberView, Sector, StationDetail } from '@mashangjian/shared'
import { auditLog, member } from '../../src/db/schema'
import { createTestApp, type TestApp } from '../support/test-app'
import { bearer, createOrg, login, PASSWORD, type Org } from '../support/fixtures'
import { jpegWithGps } from '../support/images'

describe('organisation and roster CRUD', () => {
  let t: TestApp
  let org: Org
  const h: Record<string, Record<string, string>> = {}
  let sectorA: Sector
  let sectorB: Sector

  const call = (who: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: h[who], ...(payload && { payload }) })
  const fields = (res: { json(): { errors?: { field: string }[] } }) => (res.json().errors ?? []).map((e) => e.field).sort()

  beforeAll(async () => {
    t = await createTestApp()
    org = await createOrg(t.database.db)
    for (const [key, user] of Object.entries(org.users)) h[key] = bearer((await login(t.app, user.username)).accessToken)
    sectorA = (await call('adminA', 'POST', '/api/v1/sectors', { name: '教育界' })).json()
    sectorB = (await call('adminB', 'POST', '/api/v1/sectors', { name: '教育界' })).json()
  })
  afterAll(() => t.close())

  describe('members', () => {
    let inA1: MemberView
    let inA2: MemberView

    it('creates a member with stations, sector and an encrypted phone, shown masked', async () => {
      const res = await call('adminA', 'POST', '/api/v1/members', {
        name: ' 陈静 ',
        level: 'county',
        sectorId: sectorA.id,
        title: '校长',
        phone: '139-0000-1001',
        stationIds: [org.stationA1.id],
      })
      expect(res.statusCode, res.body).toBe(201)
      inA1 = res.json()
      expect(inA1).toMatchObject({
        name: '陈静',
        committeeId: org.countyA.id,
        sectorName: '教育界',
        phoneMasked: '139****1001',
        status: 'active',
        stations: [{ id: org.stationA1.id, name: 'A1' }],
        photoUrl: null,
      })
      expect(JSON.stringify(inA1)).not.toContain('13900001001')
      const [row] = await t.database.db.select().from(member).where(eq(member.id, inA1.id))
      expect(row!.phoneEnc).toMatch(/^v1\./)
      inA2 = (await call('adminA', 'POST', '/api/v1/members', { name: '周平', level: 'city', stationIds: [org.stationA2.id] })).json()
    })

    it('reports each bad field, from the schema and from the rules, in problem+json', async () => {
      const schema = await call('adminA', 'POST', '/api/v1/members', { name: '', level: 'planet', status: 'retired', extra: 1 })
      expect(schema.statusCode).toBe(400)
      expect(schema.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(fields(schema)).toEqual(expect.arrayContaining(['body.name', 'body.level', 'body.status', 'body.extra']))

      const rules = await call('adminA', 'POST', '/api/v1/members', {
        name: '某人',
        level: 'county',
        phone: '12345678901',
        sectorId: sectorB.id,
        stationIds: [org.stationA1.id, org.stationB1.id],
      })
      expect(rules.statusCode).toBe(400)
      expect(rules.json().code).toBe('VALIDATION_FAILED')
      expect(fields(rules)).toEqual(['body.phone', 'body.sectorId', 'body.stationIds.1'])

      const taken = await call('adminA', 'POST', '/api/v1/members', { name: '重号', level: 'county', phone: '13900001001' })
      expect(fields(taken)).toEqual(['body.phone'])
      // The same number in another committee is another person's record: allowed.
      expect((await call('adminB', 'POST', '/api/v1/members', { name: '重号', level: 'county', phone: '13900001001' })).statusCode).toBe(201)
    })

    it('lets a station admin see and change only their stations’ members', async () => {
      const list = await call('stationAdminA1', 'GET', '/api/v1/members')
      expect(list.json().items.map((m: MemberView) => m.id)).toEqual([inA1.id])
      expect((await call('stationAdminA1', 'GET', `/api/v1/members/${inA2.id}`)).statusCode).toBe(404)
      expect((await call('stationAdminA1', 'PATCH', `/api/v1/members/${inA2.id}`, { title: 'x' })).statusCode).toBe(404)
      expect((await call('stationAdminA1', 'GET', `/api/v1/members?stationId=${org.stationA2.id}`)).json().items).toEqual([])
      const own = await call('stationAdminA1', 'PATCH', `/api/v1/members/${inA1.id}`, { status: 'on_leave', title: '副校长' })
      expect(own.json()).toMatchObject({ status: 'on_leave', title: '副校长' })
      // Adding the member to a station that is not theirs is refused; creating one outside their stations too.
      expect(fields(await call('stationAdminA1', 'PATCH', `/api/v1/members/${inA1.id}`, { stationIds: [org.stationA2.id] }))).toEqual(['body.stationIds.0'])
      expect(fields(await call('stationAdminA1', 'POST', '/api/v1/members', { name: '新人', level: 'county' }))).toEqual(['body.stationIds'])
      const created = await call('stationAdminA1', 'POST', '/api/v1/members', { name: '新人', level: 'county', stationIds: [org.stationA1.id] })
      expect(created.statusCode, created.body).toBe(201)
      expect((await call('stationAdminA1', 'DELETE', `/api/v1/members/${created.json().id}`)).statusCode).toBe(403)
    })

    it('replaces only the stations a station admin manages', async () => {
      const both = (await call('adminA', 'PATCH', `/api/v1/members/${inA1.id}`, { stationIds: [org.stationA1.id, org.stationA2.id] })).json<MemberView>()
      expect(both.stations.map((s) => s.name).sort()).toEqual(['A1', 'A2'])
      const res = await call('stationAdminA1', 'PATCH', `/api/v1/members/${inA1.id}`, { stationIds: [] })
      expect(res.json<MemberView>().stations.map((s) => s.name)).toEqual(['A2'])
      expect((await call('stationAdminA1', 'GET', `/api/v1/members/${inA1.id}`)).statusCode).toBe(404)
    })

    it('lets a committee admin see only their subtree', async () => {
      const a = await call('adminA', 'GET', '/api/v1/members?limit=200')
      expect(a.json().items.every((m: MemberView) => m.committeeId === org.countyA.id)).toBe(true)
      const b = (await call('adminB', 'GET', '/api/v1/members')).json()
      expect(b.items.every((m: MemberView) => m.committeeId === org.countyB.id)).toBe(true)
      expect((await call('adminB', 'GET', `/api/v1/members/${inA1.id}`)).statusCode).toBe(404)
      expect((await call('adminB', 'PATCH', `/api/v1/members/${inA1.id}`, { title: 'x' })).statusCode).toBe(404)
      const city = (await call('cityAdmin', 'GET', '/api/v1/members?limit=200')).json()
      expect(city.total).toBe(a.json().total + b.total)
      expect(fields(await call('adminA', 'GET', `/api/v1/members?committeeId=${org.countyB.id}`))).toEqual(['querystring.committeeId'])
    })

    it('pages and filters lists', async () => {
      const first = (await call('adminA', 'GET', '/api/v1/members?limit=1')).json()
      const second = (await call('adminA', 'GET', '/api/v1/members?limit=1&offset=1')).json()
      expect(first).toMatchObject({ limit: 1, offset: 0, total: expect.any(Number) })
      expect(first.total).toBeGreaterThanOrEqual(3)
      expect(first.items[0].id).not.toBe(second.items[0].id)
      expect((await call('adminA', 'GET', `/api/v1/members?q=${encodeURIComponent('陈')}`)).json().items.map((m: MemberView) => m.name)).toEqual(['陈静'])
      expect((await call('adminA', 'GET', '/api/v1/members?status=on_leave')).json().items.map((m: MemberView) => m.name)).toEqual(['陈静'])
      expect(fields(await call('adminA', 'GET', '/api/v1/members?limit=500'))).toEqual(['querystring.limit'])
    })

    it('re-encodes an uploaded portrait (EXIF gone) and serves it on the public photo URL', async () => {
      const form = new FormData()
      form.append('photo', new Blob([new Uint8Array(await jpegWithGps())]), 'me.jpg')
      const res = await t.app.inject({ method: 'PUT', url: `/api/v1/members/${inA2.id}/photo`, headers: h.adminA, payload: form })
      expect(res.statusCode, res.body).toBe(200)
      const url = res.json<MemberView>().photoUrl!
      expect(url).toMatch(new RegExp(`^/api/v1/public/members/${inA2.id}/photo\\?v=`))
      const photo = await t.app.inject({ url })
      expect(photo.statusCode).toBe(200)
      expect(photo.headers['content-type']).toBe('image/jpeg')
      const meta = await sharp(photo.rawPayload).metadata()
      expect(meta.exif).toBeUndefined()
      expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(1600)

      const bad = new FormData()
      bad.append('photo', new Blob([new Uint8Array(Buffer.alloc(2000, 7))]), 'me.jpg')
      const refused = await t.app.inject({ method: 'PUT', url: `/api/v1/members/${inA2.id}/photo`, headers: h.adminA, payload: bad })
      expect(refused.statusCode).toBe(400)
      expect(fields(refused)).toEqual(['body.photo'])
      expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/members/${inA2.id}/photo`, headers: h.adminA })).json().photoUrl).toBeNull()
      expect((await t.app.inject({ url })).statusCode).toBe(404)
    })

    it('deletes a member without history, and refuses one with an account', async () => {
      const fresh = (await call('adminA', 'POST', '/api/v1/members', { name: '误录', level: 'county' })).json()
      expect((await call('adminA', 'DELETE', `/api/v1/members/${fresh.id}`)).statusCode).toBe(204)
      expect((await call('adminA', 'GET', `/api/v1/members/${fresh.id}`)).statusCode).toBe(404)
      const used = await call('adminA', 'DELETE', `/api/v1/members/${org.memberA.id}`)
      expect(used.statusCode).toBe(409)
      expect(used.json().code).toBe('IN_USE')
    })

    it('audit-logs every write without the phone in clear', async () => {
      const rows = await t.database.db
        .select()
        .from(auditLog)
        .where(sql`${auditLog.targetId} = ${inA1.id}`)
      expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['member.created', 'member.updated']))
      expect(JSON.stringify(rows)).not.toContain('13900001001')
    })
  })

  describe('stations', () => {
    let created: StationDetail
    it('lets a committee admin open, change and close stations of their committee', async () => {
      const res = await call('adminA', 'POST', '/api/v1/stations', {
        kind: 'post',
        name: '河西驿站',
        address: '河西路1号',
        openHours: '周三 9:00–12:00',
        lat: 35.1,
        lng: 104.6,
      })
      expect(res.statusCode, res.body).toBe(201)
      created = res.json()
      expect(created).toMatchObject({ committeeId: org.countyA.id, kind: 'post', active: true, memberCount: 0 })
      const patched = await call('adminA', 'PATCH', `/api/v1/stations/${created.id}`, { active: false, openHours: '暂停开放' })
      expect(patched.json()).toMatchObject({ active: false, openHours: '暂停开放' })
      expect((await call('adminA', 'GET', '/api/v1/stations?active=false')).json().items.map((s: StationDetail) => s.id)).toEqual([created.id])
    })

    it('reports bad fields and duplicate names per field', async () => {
      expect(fields(await call('adminA', 'POST', '/api/v1/stations', { kind: 'castle', name: '', lat: 100 }))).toEqual(
        expect.arrayContaining(['body.kind', 'body.name', 'body.lat']),
      )
      expect(fields(await call('adminA', 'POST', '/api/v1/stations', { kind: 'studio', name: 'A1' }))).toEqual(['body.name'])
      expect(fields(await call('adminA', 'PATCH', `/api/v1/stations/${created.id}`, { name: 'A2' }))).toEqual(['body.name'])
      expect(fields(await call('adminA', 'POST', '/api/v1/stations', { kind: 'studio', name: 'X', committeeId: org.countyB.id }))).toEqual(['body.committeeId'])
    })

    it('keeps station admins to reading their own stations', async () => {
      expect((await call('stationAdminA1', 'GET', '/api/v1/stations')).json().items.map((s: StationDetail) => s.name)).toEqual(['A1'])
      expect((await call('stationAdminA1', 'POST', '/api/v1/stations', { kind: 'post', name: 'Y' })).statusCode).toBe(403)
      expect((await call('stationAdminA1', 'PATCH', `/api/v1/stations/${org.stationA1.id}`, { name: 'Y' })).statusCode).toBe(403)
      expect((await call('adminB', 'PATCH', `/api/v1/stations/${org.stationA1.id}`, { name: 'Y' })).statusCode).toBe(404)
      const city = (await call('cityAdmin', 'GET', '/api/v1/stations')).json()
      expect(city.items.map((s: StationDetail) => s.name).sort()).toEqual(['A1', 'A2', 'B1', '河西驿站'])
    })

    it('deletes a station without history, and refuses one with members', async () => {
      expect((await call('adminA', 'DELETE', `/api/v1/stations/${org.stationA1.id}`)).json().code).toBe('IN_USE')
      expect((await call('adminA', 'DELETE', `/api/v1/stations/${created.id}`)).statusCode).toBe(204)
    })
  })

  describe('sectors and categories', () => {
    it('keeps sector names unique per committee and refuses to delete one in use', async () => {
      expect(fields(await call('adminA', 'POST', '/api/v1/sectors', { name: '教育界' }))).toEqual(['body.name'])
      expect((await call('stationAdminA1', 'GET', '/api/v1/sectors')).json().items.map((s: Sector) => s.name)).toEqual(['教育界'])
      expect((await call('stationAdminA1', 'POST', '/api/v1/sectors', { name: '新界别' })).statusCode).toBe(403)
      expect((await call('adminA', 'DELETE', `/api/v1/sectors/${sectorA.id}`)).json().code).toBe('IN_USE')
      const spare = (await call('adminA', 'POST', '/api/v1/sectors', { name: '科技界', sortOrder: 5 })).json()
      expect((await call('adminA', 'PATCH', `/api/v1/sectors/${spare.id}`, { name: '科学技术界' })).json().name).toBe('科学技术界')
      expect((await call('adminB', 'DELETE', `/api/v1/sectors/${spare.id}`)).statusCode).toBe(404)
      expect((await call('adminA', 'DELETE', `/api/v1/sectors/${spare.id}`)).statusCode).toBe(204)
    })

    it('names categories per locale (zh-CN required), with a sector of the same committee and an SLA class', async () => {
      const res = await call('adminA', 'POST', '/api/v1/categories', {
        names: { 'zh-CN': '教育', en: 'Education', ug: 'مائارىپ' },
        sectorId: sectorA.id,
        slaClass: 'complex',
      })
      expect(res.statusCode, res.body).toBe(201)
      const cat = res.json<CategoryView>()
      expect(cat).toMatchObject({ names: { 'zh-CN': '教育', en: 'Education' }, sectorId: sectorA.id, slaClass: 'complex', active: true })
      expect(fields(await call('adminA', 'POST', '/api/v1/categories', { names: { en: 'Noise', fr: 'Bruit' }, slaClass: 'soon' }))).toEqual(
        expect.arrayContaining(['body.names.zh-CN', 'body.names.fr', 'body.slaClass']),
      )
      expect(fields(await call('adminA', 'POST', '/api/v1/categories', { names: { 'zh-CN': '噪音' }, sectorId: sectorB.id }))).toEqual(['body.sectorId'])
      expect((await call('adminA', 'PATCH', `/api/v1/categories/${cat.id}`, { slaClass: 'urgent', active: false })).json()).toMatchObject({
        slaClass: 'urgent',
        active: false,
      })
      expect((await call('adminA', 'GET', '/api/v1/categories?active=false')).json().items.map((c: CategoryView) => c.id)).toEqual([cat.id])
      expect((await call('adminB', 'GET', `/api/v1/categories/${cat.id}`)).statusCode).toBe(404)
      expect((await call('adminA', 'DELETE', `/api/v1/categories/${cat.id}`)).statusCode).toBe(204)
    })
  })

  describe('committees and settings', () => {
    it('adds a committee under one in the subtree, below its level, with a unique prefix', async () => {
      const res = await call('adminA', 'POST', '/api/v1/committees', { parentId: org.countyA.id, level: 'county', name: '下级', shortCode: 'XJ1' })
      expect(fields(res)).toEqual(['body.level'])
      expect(fields(await call('adminA', 'POST', '/api/v1/committees', { parentId: org.countyB.id, level: 'county', name: 'x', shortCode: 'XJ2' }))).toEqual([
        'body.parentId',
      ])
      expect(fields(await call('cityAdmin', 'POST', '/api/v1/committees', { level: 'county', name: 'x', shortCode: 'XJ3' }))).toEqual(['body.parentId'])
      expect(fields(await call('cityAdmin', 'POST', '/api/v1/committees', { parentId: org.city.id, level: 'county', name: 'x', shortCode: 'lower' }))).toEqual([
        'body.shortCode',
      ])
      expect(
        fields(await call('cityAdmin', 'POST', '/api/v1/committees', { parentId: org.city.id, level: 'county', name: 'x', shortCode: org.countyA.shortCode })),
      ).toEqual(['body.shortCode'])
      const created = await call('cityAdmin', 'POST', '/api/v1/committees', {
        parentId: org.city.id,
        level: 'county',
        name: '新县政协',
        shortCode: `N${org.city.shortCode.slice(1)}`,
      })
      expect(created.statusCode, created.body).toBe(201)
      const id = created.json().id
      expect((await call('cityAdmin', 'GET', `/api/v1/committees?parentId=${org.city.id}`)).json().total).toBe(3)
      expect((await call('adminA', 'GET', '/api/v1/committees')).json().items.map((c: { id: string }) => c.id)).toEqual([org.countyA.id])
      expect((await call('cityAdmin', 'PATCH', `/api/v1/committees/${id}`, { name: '新县政协（改）' })).json().name).toBe('新县政协（改）')
      expect((await call('adminA', 'PATCH', `/api/v1/committees/${id}`, { name: 'x' })).statusCode).toBe(404)
      expect((await call('cityAdmin', 'DELETE', `/api/v1/committees/${id}`)).statusCode).toBe(204)
    })

    it('deletes neither a committee with contents nor the caller’s own', async () => {
      expect((await call('cityAdmin', 'DELETE', `/api/v1/committees/${org.countyA.id}`)).json().code).toBe('IN_USE')
      expect((await call('adminA', 'DELETE', `/api/v1/committees/${org.countyA.id}`)).statusCode).toBe(403)
    })

    it('keeps SLA hours and auto-close days per committee, defaults filled in, resolve never before accept', async () => {
      const before = (await call('adminA', 'GET', `/api/v1/committees/${org.countyA.id}/settings`)).json()
      expect(before).toMatchObject({
        overrides: { slaHours: {}, autoCloseDays: null },
        effective: { slaHours: { urgent: { accept: 2, resolve: 24 } }, autoCloseDays: 7 },
      })
      const bad = await call('adminA', 'PUT', `/api/v1/committees/${org.countyA.id}/settings`, {
        slaHours: { urgent: { accept: 4, resolve: 2 }, general: { accept: 0, resolve: 10 } },
        autoCloseDays: 400,
      })
      expect(fields(bad)).toEqual(expect.arrayContaining(['body.slaHours.general.accept', 'body.autoCloseDays']))
      expect(fields(await call('adminA', 'PUT', `/api/v1/committees/${org.countyA.id}/settings`, { slaHours: { urgent: { accept: 4, resolve: 2 } } }))).toEqual(
        ['body.slaHours.urgent.resolve'],
      )
      const ok = await call('adminA', 'PUT', `/api/v1/committees/${org.countyA.id}/settings`, {
        slaHours: { urgent: { accept: 1, resolve: 12 } },
        autoCloseDays: 10,
      })
      expect(ok.json()).toMatchObject({
        overrides: { slaHours: { urgent: { accept: 1, resolve: 12 } }, autoCloseDays: 10 },
        effective: { slaHours: { urgent: { accept: 1, resolve: 12 }, general: { accept: 24, resolve: 168 } }, autoCloseDays: 10 },
      })
      expect((await call('adminB', 'GET', `/api/v1/committees/${org.countyA.id}/settings`)).statusCode).toBe(404)
      expect((await call('stationAdminA1', 'PUT', `/api/v1/committees/${org.countyA.id}/settings`, {})).statusCode).toBe(403)
      const audit = await t.database.db
        .select()
        .from(auditLog)
        .where(sql`${auditLog.action} = 'committee.settings_changed' and ${auditLog.targetId} = ${org.countyA.id}`)
      expect(audit).toHaveLength(1)
    })
  })

  it('documents the admin endpoints in OpenAPI, bearer-protected, and the public portrait as public', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json()
    for (const [path, method] of [
      ['/api/v1/committees', 'get'],
      ['/api/v1/committees', 'post'],
      ['/api/v1/committees/{id}', 'patch'],
      ['/api/v1/committees/{id}/settings', 'put'],
      ['/api/v1/sectors', 'post'],
      ['/api/v1/stations', 'get'],
      ['/api/v1/stations/{id}', 'delete'],
      ['/api/v1/members', 'get'],
      ['/api/v1/members/{id}', 'patch'],
      ['/api/v1/members/{id}/photo', 'put'],
      ['/api/v1/categories', 'post'],
      ['/api/v1/users', 'get'],
      ['/api/v1/users/{id}', 'patch'],
      ['/api/v1/imports', 'get'],
      ['/api/v1/imports/members', 'post'],
      ['/api/v1/imports/{id}', 'get'],
      ['/api/v1/imports/{id}/confirm', 'post'],
      ['/api/v1/imports/members/template.xlsx', 'get'],
      ['/api/v1/imports/members/template.csv', 'get'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined()
      expect(doc.paths[path][method].security).toEqual([{ bearerAuth: [] }])
    }
    expect(doc.paths['/api/v1/public/members/{id}/photo'].get.security).toBeUndefined()
  })

  describe('admin users', () => {
    it('lists the accounts of the subtree only', async () => {
      const a = (await call('adminA', 'GET', '/api/v1/users')).json()
      expect(a.items.every((u: { committeeId: string }) => u.committeeId === org.countyA.id)).toBe(true)
      expect(a.items.map((u: { username: string }) => u.username)).toContain(org.users.stationAdminA1.username)
      expect((await call('adminA', 'GET', `/api/v1/users/${org.users.adminB.id}`)).statusCode).toBe(404)
      expect((await call('adminA', 'GET', `/api/v1/users/${org.users.system.id}`)).statusCode).toBe(404)
      expect((await call('cityAdmin', 'GET', '/api/v1/users?role=committee_admin')).json().total).toBe(3)
    })

    it('changes a station admin’s stations, and disabling ends their sign-ins', async () => {
      const moved = await call('adminA', 'PATCH', `/api/v1/users/${org.users.stationAdminA1.id}`, { stationIds: [org.stationA1.id, org.stationA2.id] })
      expect(moved.json().stationIds.sort()).toEqual([org.stationA1.id, org.stationA2.id].sort())
      expect(fields(await call('adminA', 'PATCH', `/api/v1/users/${org.users.stationAdminA1.id}`, { stationIds: [org.stationB1.id] }))).toEqual([
        'body.stationIds.0',
      ])
      expect(fields(await call('adminA', 'PATCH', `/api/v1/users/${org.users.adminA.id}`, { disabled: true }))).toEqual(['body.disabled'])
      const pair = await login(t.app, org.users.stationAdminA1.username)
      expect((await call('adminA', 'PATCH', `/api/v1/users/${org.users.stationAdminA1.id}`, { disabled: true })).json().disabled).toBe(true)
      const signIn = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: org.users.stationAdminA1.username, password: PASSWORD },
      })
      expect(signIn.json().code).toBe('ACCOUNT_DISABLED')
      const refresh = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: pair.refreshToken } })
      expect(refresh.statusCode).toBe(401)
      await call('adminA', 'PATCH', `/api/v1/users/${org.users.stationAdminA1.id}`, { disabled: false, password: 'a-new-password-1' })
      expect((await login(t.app, org.users.stationAdminA1.username, 'a-new-password-1')).user.role).toBe('station_admin')
    })
  })
})

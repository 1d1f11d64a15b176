import { and, eq, ne } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { category, member, memberStation, qrCode } from '../../src/db/schema'
import { publicUrlReach, publicUrlWarning, trustProxyWarning } from '../../src/config/public-base-url'
import { DESIGNS, onPage, pageSpecs } from '../../src/placards/placard-layouts'
import { placardUrl, stationHandles, stationReceivers } from '../../src/placards/placard-model'
import { newQrCode } from '../../src/qr/qr-codes'
import { withDemoApp } from '../support/demo-app'
import { signIn, type SignedIn } from '../support/case-actions'
import { bearer, createOrg, login, type Org } from '../support/fixtures'
import { createTestApp, type TestApp } from '../support/test-app'
import { decodeQrIn, pdfText, popplerMissing, rasterise } from '../support/pdf-tools'

/** Every QR symbol on every panel of the PDF, decoded from the rasterised pages. */
function decodedUrls(pdf: Buffer, layout: 'poster' | 'cards' | 'tent', count: number): (string | undefined)[] {
  const pages = rasterise(pdf)
  const specs = pageSpecs(layout, count)
  expect(pages).toHaveLength(specs.length)
  return specs.flatMap((spec, i) => spec.panels.map((panel) => decodeQrIn(pages[i]!, onPage(panel, DESIGNS[panel.design].qr))))
}

describe.skipIf(popplerMissing)("station placard (issue 12): the station's own code, what it handles, who receives there", () => {
  const ctx = withDemoApp()
  let admin: SignedIn
  let receivers: string[]

  beforeAll(async () => {
    admin = await signIn(ctx.t.app, 'station')
    const rows = await ctx.t.database.db
      .select({ name: member.name })
      .from(memberStation)
      .innerJoin(member, eq(member.id, memberStation.memberId))
      .where(and(eq(memberStation.stationId, ctx.refs.stationId), ne(member.status, 'inactive')))
    receivers = rows.map((r) => r.name)
    expect(receivers.length).toBeGreaterThanOrEqual(3)
  })

  const pdfOf = async (query: string) => {
    const res = await admin.get(`/api/v1/placards.pdf?subject=station&stationId=${ctx.refs.stationId}&${query}`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(res.headers['x-placards-count']).toBe('1')
    return res.rawPayload
  }

  it.each([
    ['poster', 1],
    ['tent', 2],
    ['cards', 1],
  ] as const)("%s: every symbol decodes to the station's scan URL; name, receivers and categories are printed", async (layout, faces) => {
    const pdf = await pdfOf(`layout=${layout}`)
    const urls = decodedUrls(pdf, layout, 1)
    expect(urls).toHaveLength(faces)
    for (const url of urls) expect(url).toBe(`${ctx.t.config.publicBaseUrl}/q/${ctx.refs.stationCode}`)
    const scan = await ctx.t.app.inject({ url: new URL(urls[0]!).pathname })
    expect(scan.statusCode).toBe(200)
    expect(scan.body).toContain('到东城街道委员工作站说事')
    const text = pdfText(pdf).replace(/\s+/g, '')
    expect(text).toContain('东城街道委员工作站')
    expect(text).toContain('接待委员：')
    for (const name of receivers) expect(text).toContain(name)
    expect(text).toContain('受理：')
    const [first] = await ctx.t.database.db
      .select({ names: category.names })
      .from(category)
      .where(eq(category.active, true))
      .orderBy(category.sortOrder)
      .limit(1)
    expect(text).toContain(first!.names['zh-CN'])
    if (layout !== 'cards') expect(text).toContain('人民路12号')
  })

  it('Uyghur and Kazakh placards open the scan page in that language (?lang=); Chinese and English keep the bare URL', async () => {
    const base = `${ctx.t.config.publicBaseUrl}/q/${ctx.refs.stationCode}`
    expect(decodedUrls(await pdfOf('layout=poster&lang=ug'), 'poster', 1)).toEqual([`${base}?lang=ug`])
    expect(decodedUrls(await pdfOf('layout=tent&lang=kk-Arab-CN'), 'tent', 1)).toEqual([`${base}?lang=kk-Arab-CN`, `${base}?lang=kk-Arab-CN`])
    expect(decodedUrls(await pdfOf('layout=poster&lang=en'), 'poster', 1)).toEqual([base])
    // The scan page takes the value printed.
    const page = await ctx.t.app.inject({ url: `/q/${ctx.refs.stationCode}?lang=kk-Arab-CN` })
    expect(page.statusCode).toBe(200)
    expect(page.body).toMatch(/<html[^>]*lang="kk-Arab-CN"[^>]*dir="rtl"|<html[^>]*dir="rtl"[^>]*lang="kk-Arab-CN"/)

    // Members' placards too.
    const res = await admin.get(`/api/v1/placards.pdf?stationId=${ctx.refs.stationId}&layout=cards&lang=ug`)
    expect(res.statusCode).toBe(200)
    const urls = decodedUrls(res.rawPayload, 'cards', Number(res.headers['x-placards-count']))
    expect(urls.length).toBeGreaterThan(0)
    for (const url of urls) expect(url).toMatch(new RegExp(`^${ctx.t.config.publicBaseUrl}/q/[0-9A-Z]{10}\\?lang=ug$`))
    const zh = await admin.get(`/api/v1/placards.pdf?stationId=${ctx.refs.stationId}&layout=cards`)
    for (const url of decodedUrls(zh.rawPayload, 'cards', Number(zh.headers['x-placards-count']))) expect(url).toMatch(/\/q\/[0-9A-Z]{10}$/)
  }, 60_000)

  it('the HTML preview shows the station placard; asking for it with memberIds is a field error', async () => {
    const html = await admin.get(`/api/v1/placards.html?subject=station&stationId=${ctx.refs.stationId}&layout=tent`)
    expect(html.statusCode, html.body).toBe(200)
    expect(html.body).toContain('东城街道委员工作站')
    for (const name of receivers) expect(html.body).toContain(name)
    expect(html.body.match(/<svg /g)).toHaveLength(2)
    // The layout links keep subject=station.
    expect(html.body).toContain(`href="/api/v1/placards.html?subject=station&amp;stationId=${ctx.refs.stationId}&amp;layout=poster"`)

    const [m] = await ctx.t.database.db.select({ id: member.id }).from(member).limit(1)
    const bad = await admin.get(`/api/v1/placards.pdf?subject=station&memberIds=${m!.id}`)
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'querystring.stationId' }] })
    expect((await admin.get(`/api/v1/placards.pdf?subject=somebody&stationId=${ctx.refs.stationId}`)).statusCode).toBe(400)
  })

  it('a station without an active code of its own is 409, telling the admin to issue one (never issued silently)', async () => {
    const codes = (await admin.get(`/api/v1/qr-codes?stationId=${ctx.refs.stationId}`)).json<{ id: string; status: string }[]>()
    for (const c of codes.filter((x) => x.status === 'active')) {
      expect((await ctx.t.app.inject({ method: 'POST', url: `/api/v1/qr-codes/${c.id}/revoke`, headers: admin.headers })).statusCode).toBe(200)
    }
    const before = await ctx.t.database.db.select().from(qrCode).where(eq(qrCode.stationId, ctx.refs.stationId))
    const res = await admin.get(`/api/v1/placards.pdf?subject=station&stationId=${ctx.refs.stationId}`)
    expect(res.statusCode).toBe(409)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json()).toMatchObject({ code: 'CONFLICT', detail: expect.stringMatching(/no active QR code.*issue one/) })
    expect(await ctx.t.database.db.select().from(qrCode).where(eq(qrCode.stationId, ctx.refs.stationId))).toHaveLength(before.length)

    const issued = await ctx.t.app.inject({ method: 'POST', url: '/api/v1/qr-codes', headers: admin.headers, payload: { stationId: ctx.refs.stationId } })
    expect(issued.statusCode).toBe(201)
    const code = issued.json<{ code: string }>().code
    expect(decodedUrls(await pdfOf('layout=poster'), 'poster', 1)).toEqual([`${ctx.t.config.publicBaseUrl}/q/${code}`])
  })

  it('GET /api/v1/placards/settings: the URL placards encode and whether phones can reach it (admins only)', async () => {
    const res = await admin.get('/api/v1/placards/settings')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ publicBaseUrl: 'http://msj.test', reachable: true, reason: null })
    const memberUser = await signIn(ctx.t.app, 'wangjianguo')
    expect((await memberUser.get('/api/v1/placards/settings')).statusCode).toBe(403)
    expect((await ctx.t.app.inject({ url: '/api/v1/placards/settings' })).statusCode).toBe(401)
  })
})

describe('station placard and station codes: scope', () => {
  let t: TestApp
  let org: Org
  const tokens: Record<string, string> = {}

  beforeAll(async () => {
    t = await createTestApp()
    org = await createOrg(t.database.db)
    await t.database.db.insert(qrCode).values([
      { code: newQrCode(), committeeId: org.countyA.id, targetKind: 'station', stationId: org.stationA1.id },
      { code: newQrCode(), committeeId: org.countyA.id, targetKind: 'station', stationId: org.stationA2.id },
      { code: newQrCode(), committeeId: org.countyB.id, targetKind: 'station', stationId: org.stationB1.id },
    ])
    for (const [key, user] of Object.entries(org.users)) tokens[key] = (await login(t.app, user.username)).accessToken
  })
  afterAll(() => t?.close())

  it.each([
    ['stationAdminA1', 'A1', 200],
    ['stationAdminA1', 'A2', 404],
    ['stationAdminA1', 'B1', 404],
    ['adminA', 'A2', 200],
    ['adminA', 'B1', 404],
    ['adminB', 'A1', 404],
    ['cityAdmin', 'B1', 200],
    ['memberA', 'A1', 403],
  ] as const)("%s printing station %s's own placard → %i", async (who, st, status) => {
    const stationId = { A1: org.stationA1.id, A2: org.stationA2.id, B1: org.stationB1.id }[st]
    for (const ext of ['pdf', 'html']) {
      const res = await t.app.inject({ url: `/api/v1/placards.${ext}?subject=station&stationId=${stationId}`, headers: bearer(tokens[who]!) })
      expect(res.statusCode, res.body.slice(0, 200)).toBe(status)
      if (status === 404) expect(res.json().code).toBe('NOT_FOUND')
    }
  })

  it("a station admin issues, rotates and revokes their own station's code, and no other station's", async () => {
    const as = (who: string) => bearer(tokens[who]!)
    const issued = await t.app.inject({ method: 'POST', url: '/api/v1/qr-codes', headers: as('stationAdminA1'), payload: { stationId: org.stationA1.id } })
    expect(issued.statusCode, issued.body).toBe(201)
    const rotated = await t.app.inject({ method: 'POST', url: `/api/v1/qr-codes/${issued.json().id}/rotate`, headers: as('stationAdminA1') })
    expect(rotated.statusCode).toBe(201)
    expect(rotated.json()).toMatchObject({ rotatedFrom: issued.json().id, status: 'active', stationId: org.stationA1.id })
    const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/qr-codes/${rotated.json().id}/revoke`, headers: as('stationAdminA1') })
    expect(revoked.json().status).toBe('revoked')
    expect((await t.app.inject({ url: `/api/v1/qr-codes?stationId=${org.stationA1.id}`, headers: as('stationAdminA1') })).json()).toHaveLength(3)

    const [a2code] = await t.database.db.select().from(qrCode).where(eq(qrCode.stationId, org.stationA2.id))
    const [b1code] = await t.database.db.select().from(qrCode).where(eq(qrCode.stationId, org.stationB1.id))
    for (const [who, target, code] of [
      ['stationAdminA1', org.stationA2.id, a2code!.id],
      ['adminB', org.stationA1.id, issued.json().id],
    ] as const) {
      expect((await t.app.inject({ url: `/api/v1/qr-codes?stationId=${target}`, headers: as(who) })).statusCode).toBe(404)
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/qr-codes', headers: as(who), payload: { stationId: target } })).statusCode).toBe(404)
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/qr-codes/${code}/rotate`, headers: as(who) })).statusCode).toBe(404)
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/qr-codes/${code}/revoke`, headers: as(who) })).statusCode).toBe(404)
    }
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/qr-codes/${b1code!.id}/revoke`, headers: as('adminA') })).statusCode).toBe(404)
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/qr-codes', headers: as('memberA'), payload: { stationId: org.stationA1.id } })).statusCode).toBe(
      403,
    )
  })
})

describe('pure parts', () => {
  it.each([
    ['http://localhost:3000', false, 'localhost'],
    ['http://LOCALHOST', false, 'localhost'],
    ['http://app.localhost', false, 'localhost'],
    ['http://127.0.0.1:3000', false, 'loopback'],
    ['http://127.8.9.10', false, 'loopback'],
    ['http://0.0.0.0:3000', false, 'loopback'],
    ['http://[::1]:3000', false, 'loopback'],
    ['http://[::ffff:127.0.0.1]', false, 'loopback'],
    ['http://10.1.2.3', false, 'private'],
    ['http://172.16.0.1', false, 'private'],
    ['http://172.31.255.255', false, 'private'],
    ['http://192.168.1.20:3000', false, 'private'],
    ['http://169.254.10.10', false, 'private'],
    ['http://[fd12:3456::1]', false, 'private'],
    ['http://[fc00::1]', false, 'private'],
    ['http://[::ffff:192.168.0.1]', false, 'private'],
    ['http://msj-server.local', false, 'private'],
    ['http://intranet', false, 'private'],
    ['not a url', false, 'invalid'],
    ['http://172.32.0.1', true, null],
    ['http://172.15.255.255', true, null],
    ['http://11.0.0.1', true, null],
    ['http://192.169.0.1', true, null],
    ['https://msj.example.gov.cn', true, null],
    ['https://msj.example.gov.cn:8443/base', true, null],
    ['http://[2001:db8::1]', true, null],
    ['http://localhost.example.com', true, null],
  ] as const)('publicUrlReach(%s) → reachable %s (%s)', (url, reachable, reason) => {
    expect(publicUrlReach(url)).toEqual({ publicBaseUrl: url, reachable, reason })
    const warning = publicUrlWarning(url)
    if (reachable) expect(warning).toBeUndefined()
    else expect(warning).toMatch(/^WARNING: PUBLIC_BASE_URL .*residents' phones cannot open/)
  })

  it('warns when the public address is https and TRUST_PROXY is off (HSTS and client addresses need it)', () => {
    expect(trustProxyWarning('https://msj.example.gov.cn', false)).toMatch(
      /^WARNING: PUBLIC_BASE_URL https:\/\/msj\.example\.gov\.cn is https but TRUST_PROXY is not set/,
    )
    expect(trustProxyWarning('https://msj.example.gov.cn', true)).toBeUndefined()
    expect(trustProxyWarning('http://msj.example.gov.cn', false)).toBeUndefined()
    // A county intranet behind a TLS proxy has the same problem; this machine's own address is a local trial.
    expect(trustProxyWarning('https://192.168.10.5', false)).toMatch(/TRUST_PROXY is not set/)
    expect(trustProxyWarning('https://localhost:3000', false)).toBeUndefined()
    expect(trustProxyWarning('https://127.0.0.1:3000', false)).toBeUndefined()
  })

  it('placardUrl adds ?lang= for Uyghur and Kazakh only', () => {
    expect(placardUrl('http://x/q/AB', 'zh-CN')).toBe('http://x/q/AB')
    expect(placardUrl('http://x/q/AB', 'en')).toBe('http://x/q/AB')
    expect(placardUrl('http://x/q/AB', 'ug')).toBe('http://x/q/AB?lang=ug')
    expect(placardUrl('http://x/q/AB', 'kk-Arab-CN')).toBe('http://x/q/AB?lang=kk-Arab-CN')
  })

  it('station lines: categories and receivers, long lists cut', () => {
    expect(stationHandles([])).toBe('')
    expect(stationHandles(['噪音扰民', '道路交通'])).toBe('受理：噪音扰民、道路交通')
    expect(stationHandles(Array.from({ length: 30 }, (_, i) => `类${i}`))).toMatch(/、类23等$/)
    expect(
      stationReceivers([
        { name: '王建国', sectorName: '经济界' },
        { name: '李秀兰', sectorName: null },
      ]),
    ).toBe('接待委员：王建国（经济界）、李秀兰')
    expect(stationReceivers(Array.from({ length: 30 }, (_, i) => ({ name: `委员${i}`, sectorName: null })))).toMatch(/等 30 位$/)
  })
})

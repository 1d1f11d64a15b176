import { gunzipSync } from 'node:zlib'
import { and, eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app'
import { auditLog, cases } from '../../src/db/schema'
import { ManualClock } from '../support/manual-clock'
import { bearer, createOrg, login, type Org } from '../support/fixtures'
import { createTestDatabase, type TestDatabase } from '../support/test-db'
import { testConfig } from '../support/test-app'
import { aggregateAll } from '../support/metrics'
import { createTransparencyRepo } from '../../src/transparency/transparency-repo'
import { createTransparencyService } from '../../src/transparency/transparency-service'
import { createMetricsRepo } from '../../src/metrics/metrics-repo'
import { categoryFor, ID_NUMBER, insertCase, PHONE, variedText } from './transparency-fixture'

/**
 * The transparency page (/p/{committee}, issue 16) on a real database: rates from the dashboard's aggregates for a
 * known fixture, only cases staff marked publishable, every text masked, the 14 KB gzip budget, no foreign host.
 * The clock stands at 2026-11-23 10:00 Beijing time: "this month" is November, "last month" October.
 */
let database: TestDatabase
let app: FastifyInstance
let org: Org
const ids: Record<string, string> = {}
const BASE = 'http://msj.test'

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers })
/** The rows of the rate table whose caption contains `caption`: [label, this month, last month]. */
function rateRows(html: string, caption: string): string[][] {
  const table = html
    .split('<table>')
    .slice(1)
    .find((t) => t.split('</caption>')[0]!.includes(caption))
  expect(table, `table ${caption}`).toBeDefined()
  const body = table!.split('<tbody>')[1]!.split('</tbody>')[0]!
  return [...body.matchAll(/<tr><th scope="row">([^<]*)<\/th><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => [m[1]!, m[2]!, m[3]!])
}
const matterCount = (html: string) => (html.match(/<li><b>/g) ?? []).length

beforeAll(async () => {
  database = await createTestDatabase()
  app = await buildApp({ config: testConfig({ publicBaseUrl: BASE }), database, clock: new ManualClock('2026-11-23T02:00:00Z') })
  await app.ready()
  org = await createOrg(database.db)
  const db = database.db
  const lights = await categoryFor(db, org)

  // Station A2, the rates fixture. November: 4 cases accepted on time, 3 of 4 due resolved, 1 of 2 ratings satisfied.
  for (let i = 0; i < 4; i++) {
    await insertCase(db, org, {
      stationId: org.stationA2.id,
      memberId: null,
      status: i < 3 ? 'resolved' : 'in_progress',
      createdAt: '2026-11-05T02:00:00Z',
      acceptDueAt: '2026-11-06T02:00:00Z',
      acceptedAt: '2026-11-05T03:00:00Z',
      resolveDueAt: '2026-11-12T02:00:00Z',
      resolvedAt: i < 3 ? '2026-11-10T02:00:00Z' : undefined,
      rating: i === 0 ? 'satisfied' : i === 1 ? 'unsatisfied' : undefined,
      ratedAt: i < 2 ? '2026-11-11T02:00:00Z' : undefined,
      reply: i < 3 ? `A2 的答复 ${i}` : undefined,
    })
  }
  // October: 1 of 2 accepted on time, both resolved, no rating.
  for (let i = 0; i < 2; i++) {
    await insertCase(db, org, {
      stationId: org.stationA2.id,
      memberId: null,
      status: 'closed',
      createdAt: '2026-10-08T02:00:00Z',
      acceptDueAt: '2026-10-09T02:00:00Z',
      acceptedAt: i === 0 ? '2026-10-08T03:00:00Z' : '2026-10-10T03:00:00Z',
      resolveDueAt: '2026-10-15T02:00:00Z',
      resolvedAt: '2026-10-14T02:00:00Z',
      reply: `十月的答复 ${i}`,
    })
  }

  // Station A1: 22 published matters with long, varied answers (resolved in October, so November's rates stay A2's).
  for (let i = 0; i < 22; i++) {
    await insertCase(db, org, {
      stationId: org.stationA1.id,
      categoryId: lights.id,
      status: i % 2 ? 'closed' : 'resolved',
      publishable: true,
      createdAt: '2026-10-01T02:00:00Z',
      acceptedAt: '2026-10-01T03:00:00Z',
      resolvedAt: `2026-10-${String(2 + i).padStart(2, '0')}T02:00:00Z`,
      description: `DESCRIPTION-SECRET-${i} 联系人张女士`,
      location: `LOCATION-SECRET-${i}`,
      reply: `第${i}件。${variedText(200, i + 1)}`,
    })
  }
  // The newest published ones carry personal numbers: in the answer, and in a moderated public text.
  ids.maskedReply = await insertCase(db, org, {
    stationId: org.stationA1.id,
    categoryId: lights.id,
    status: 'resolved',
    publishable: true,
    createdAt: '2026-11-20T02:00:00Z',
    resolvedAt: '2026-11-22T02:00:00Z',
    reply: `MASKED-REPLY 已修复，联系电话${PHONE}，身份证${ID_NUMBER}，座机+86 135-0013-5000`,
  })
  ids.maskedPublic = await insertCase(db, org, {
    stationId: org.stationA1.id,
    categoryId: lights.id,
    status: 'closed',
    publishable: true,
    createdAt: '2026-11-20T02:00:00Z',
    resolvedAt: '2026-11-22T03:00:00Z',
    reply: 'REPLY-REPLACED-BY-PUBLIC-TEXT',
    publicText: `MASKED-PUBLIC 路灯已修好，有事请打+8613500135000，证件号11010119900307123X`,
  })
  // Not published: resolved but not marked, and marked but reopened since.
  ids.unpublished = await insertCase(db, org, {
    stationId: org.stationA1.id,
    status: 'resolved',
    createdAt: '2026-11-20T02:00:00Z',
    resolvedAt: '2026-11-22T04:00:00Z',
    reply: 'UNPUBLISHED-答复不应公开',
  })
  ids.reopened = await insertCase(db, org, {
    stationId: org.stationA1.id,
    status: 'reopened',
    publishable: true,
    createdAt: '2026-11-20T02:00:00Z',
    resolvedAt: '2026-11-22T05:00:00Z',
    reply: 'REOPENED-答复不应公开',
  })
  ids.working = await insertCase(db, org, { stationId: org.stationA1.id, status: 'in_progress', createdAt: '2026-11-20T02:00:00Z' })
  ids.stationA2Resolved = await insertCase(db, org, {
    stationId: org.stationA2.id,
    memberId: null,
    status: 'resolved',
    createdAt: '2026-09-20T02:00:00Z',
    resolvedAt: '2026-09-22T02:00:00Z',
    reply: 'A2-九月',
  })
  await aggregateAll(db, app.services.metricsAggregator)
})
afterAll(async () => {
  await app?.close()
  await database?.close()
})

describe('GET /p/{committee}', () => {
  it("shows this and last month's 响应率/解决率/满意率 per station, from the dashboard's figures", async () => {
    const res = await get(`/p/${org.countyA.shortCode.toLowerCase()}`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toContain('text/html')
    expect(rateRows(res.body, '>A2<')).toEqual([
      ['响应率', '100%', '50%'],
      ['解决率', '75%', '100%'],
      ['满意率', '50%', '暂无'],
    ])
    // The committee's own table: November's due cases are A2's, so 3 of 4.
    expect(rateRows(res.body, org.countyA.name)[1]).toEqual(['解决率', '75%', '100%'])
    expect(res.body).toContain(`href="/p/${org.countyA.shortCode}/${org.stationA1.id}"`)
  })

  it('lists only publishable resolved or closed matters, newest first, 20 on the first view, and never the description or location', async () => {
    const res = await get(`/p/${org.countyA.shortCode}`)
    const html = res.body
    expect(matterCount(html)).toBe(20)
    expect(html).toContain('路灯照明')
    expect(html).toContain('2026年11月')
    expect(html.indexOf('MASKED-PUBLIC')).toBeLessThan(html.indexOf('MASKED-REPLY'))
    for (const absent of [
      'UNPUBLISHED',
      'REOPENED',
      'REPLY-REPLACED-BY-PUBLIC-TEXT',
      'DESCRIPTION-SECRET',
      'LOCATION-SECRET',
      '张女士',
      'A2 的答复',
      '十月的答复',
    ]) {
      expect(html, absent).not.toContain(absent)
    }
    expect(html).toContain('href="/p/' + org.countyA.shortCode + '?page=2"')
    const second = await get(`/p/${org.countyA.shortCode}?page=2`)
    expect(second.statusCode).toBe(200)
    expect(matterCount(second.body)).toBe(4)
    expect(second.body).toContain('第0件')
    expect(second.body).not.toContain('<table>')
  })

  it('masks phone and ID numbers in the answer and in the moderated text', async () => {
    const html = (await get(`/p/${org.countyA.shortCode}`)).body
    const reply = html.split('MASKED-REPLY')[1]!.split('</p>')[0]!
    const publicText = html.split('MASKED-PUBLIC')[1]!.split('</p>')[0]!
    for (const text of [reply, publicText]) {
      expect(text).not.toContain(PHONE)
      expect(text).not.toContain('0013')
      expect(text).not.toMatch(/\d{8}/)
      expect(text).toContain('135****5000')
    }
    expect(reply).toContain('110101********1234')
    expect(publicText).toContain('110101********123X')
  })

  it('fits 14 KB gzip with 20 published matters, is cacheable, and names no foreign host', async () => {
    const res = await get(`/p/${org.countyA.shortCode}`, { 'accept-encoding': 'gzip' })
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(res.rawPayload.length).toBeLessThanOrEqual(14 * 1024)
    const html = gunzipSync(res.rawPayload).toString('utf8')
    expect(matterCount(html)).toBe(20)
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+$/)
    expect(html).not.toMatch(/<script/i)
    const urls = [...html.matchAll(/\s(?:src|href|content|action|srcset)="([^"]*)"/g)].map((m) => m[1]!)
    expect(urls.length).toBeGreaterThan(5)
    for (const url of urls) {
      if (/^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(url)) expect(new URL(url, BASE).origin, url).toBe(BASE)
    }
    expect(html).not.toMatch(/url\(/)
  })

  it('has a WeChat-friendly title and an og: share card served by us', async () => {
    const html = (await get(`/p/${org.countyA.shortCode}`)).body
    expect(html).toContain(`<title>${org.countyA.name} · 码上见 履职公开</title>`)
    const meta = (p: string) => html.match(new RegExp(`<meta property="${p}" content="([^"]*)"`))?.[1]
    expect(meta('og:title')).toBe(`${org.countyA.name} · 码上见 履职公开`)
    expect(meta('og:description')).toBe('本月解决率 75%')
    expect(meta('og:type')).toBe('website')
    expect(meta('og:url')).toBe(`${BASE}/p/${org.countyA.shortCode}`)
    expect(meta('og:image')).toBe(`${BASE}/p/share-card.png`)
    const card = await get('/p/share-card.png')
    expect(card.statusCode).toBe(200)
    expect(card.headers['content-type']).toBe('image/png')
    expect(card.rawPayload.subarray(1, 4).toString()).toBe('PNG')
  })

  it('answers in the asked language, with category names in it', async () => {
    const html = (await get(`/p/${org.countyA.shortCode}?lang=en`)).body
    expect(html).toContain('<html lang="en"')
    expect(html).toContain('Street lights')
    expect(html).toContain('Resolution rate this month: 75%')
    const ug = (await get(`/p/${org.countyA.shortCode}?lang=ug`)).body
    expect(ug).toContain('dir="rtl"')
    expect(ug).toContain('يول چىرىغى')
  })

  it("a station's page shows that station's figures and matters only", async () => {
    const a2 = await get(`/p/${org.countyA.shortCode}/${org.stationA2.id}`)
    expect(a2.statusCode).toBe(200)
    expect(a2.body).toContain('<title>A2 · 码上见 履职公开</title>')
    expect(rateRows(a2.body, 'A2')).toEqual([
      ['响应率', '100%', '50%'],
      ['解决率', '75%', '100%'],
      ['满意率', '50%', '暂无'],
    ])
    expect(matterCount(a2.body)).toBe(0)
    expect(a2.body).toContain('暂无公开的办结事项')
    const a1 = await get(`/p/${org.countyA.shortCode}/${org.stationA1.id}`)
    expect(matterCount(a1.body)).toBe(20)
  })

  it("a city's page lists its counties' matters; a sister county's page does not", async () => {
    const city = await get(`/p/${org.city.shortCode}`)
    expect(city.statusCode).toBe(200)
    expect(city.body).toContain('MASKED-PUBLIC')
    expect(city.body).not.toContain('UNPUBLISHED')
    const countyB = await get(`/p/${org.countyB.shortCode}`)
    expect(countyB.statusCode).toBe(200)
    expect(matterCount(countyB.body)).toBe(0)
    expect(rateRows(countyB.body, '>B1<')[1]).toEqual(['解决率', '暂无', '暂无'])
  })

  it('answers an unknown committee, station or page with a 404 page', async () => {
    for (const url of [
      '/p/NOPE',
      `/p/${org.countyA.shortCode}/${org.stationB1.id}`,
      `/p/${org.countyA.shortCode}/not-a-uuid`,
      `/p/${org.countyA.shortCode}?page=0`,
      `/p/${org.countyA.shortCode}?page=x`,
      `/p/${org.countyA.shortCode}?page=999`,
    ]) {
      const res = await get(url)
      expect(res.statusCode, url).toBe(404)
      expect(res.headers['content-type'], url).toContain('text/html')
      expect(res.body, url).toContain('没有找到这个页面')
    }
  })
})

describe('PUT /api/v1/cases/:id/publication', () => {
  const tokens: Record<string, string> = {}
  beforeAll(async () => {
    for (const who of ['memberA', 'stationAdminA1', 'adminA', 'adminB'] as const) tokens[who] = (await login(app, org.users[who].username)).accessToken
  })
  const put = (who: string, id: string, payload: unknown) =>
    app.inject({ method: 'PUT', url: `/api/v1/cases/${id}/publication`, headers: bearer(tokens[who]!), payload: payload as object })
  const read = (who: string, id: string) => app.inject({ method: 'GET', url: `/api/v1/cases/${id}/publication`, headers: bearer(tokens[who]!) })

  it('is off by default and tells whether it may be switched on', async () => {
    const res = await read('memberA', ids.unpublished!)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ publishable: false, publicText: null, publishedAt: null, allowed: true, preview: 'UNPUBLISHED-答复不应公开' })
    expect((await read('memberA', ids.working!)).json()).toMatchObject({ publishable: false, allowed: false })
  })

  it('lets the assignee publish with a moderated text: audit-logged, masked on the page, the case version untouched', async () => {
    const [before] = await database.db.select({ version: cases.version, updatedAt: cases.updatedAt }).from(cases).where(eq(cases.id, ids.unpublished!))
    const res = await put('memberA', ids.unpublished!, { publishable: true, publicText: `  TURNED-ON 路灯已修好，回访电话${PHONE}  ` })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      publishable: true,
      publicText: `TURNED-ON 路灯已修好，回访电话${PHONE}`,
      allowed: true,
      preview: 'TURNED-ON 路灯已修好，回访电话135****5000',
    })
    expect(res.json().publishedAt).toBe('2026-11-23T02:00:00.000Z')
    const [after] = await database.db.select({ version: cases.version, updatedAt: cases.updatedAt }).from(cases).where(eq(cases.id, ids.unpublished!))
    expect(after).toEqual(before)
    const audit = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, ids.unpublished!), eq(auditLog.action, 'case.publication_set')))
    expect(audit).toHaveLength(1)
    expect(audit[0]!.actorUserId).toBe(org.users.memberA.id)
    expect(audit[0]!.detail).toMatchObject({ publishable: true, was: false })
    const html = (await get(`/p/${org.countyA.shortCode}`)).body
    expect(html).toContain('TURNED-ON 路灯已修好，回访电话135****5000')
    expect(html).not.toContain('UNPUBLISHED')
  })

  it('lets a station admin of the case switch it off again; the page drops it', async () => {
    const res = await put('stationAdminA1', ids.unpublished!, { publishable: false })
    expect(res.statusCode, res.body).toBe(200)
    // Absent publicText keeps the moderated text for next time.
    expect(res.json()).toMatchObject({ publishable: false, publishedAt: null, publicText: `TURNED-ON 路灯已修好，回访电话${PHONE}` })
    expect((await get(`/p/${org.countyA.shortCode}`)).body).not.toContain('TURNED-ON')
    // null clears the moderated text: the member's answer is shown again.
    expect((await put('adminA', ids.unpublished!, { publishable: false, publicText: null })).json()).toMatchObject({
      publicText: null,
      preview: 'UNPUBLISHED-答复不应公开',
    })
  })

  it('refuses an open case with 409 CASE_NOT_RESOLVED (switching off stays possible)', async () => {
    const res = await put('memberA', ids.working!, { publishable: true })
    expect(res.statusCode).toBe(409)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(res.json().code).toBe('CASE_NOT_RESOLVED')
    expect((await put('memberA', ids.working!, { publishable: false })).statusCode).toBe(200)
    const audit = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, ids.working!), eq(auditLog.action, 'case.publication_set')))
    expect(audit).toHaveLength(1)
  })

  it("is 404 outside the caller's scope, like every case route", async () => {
    // Another county's admin; a station admin of another station; a member whose case it is not.
    expect((await put('adminB', ids.unpublished!, { publishable: true })).statusCode).toBe(404)
    expect((await read('adminB', ids.unpublished!)).statusCode).toBe(404)
    expect((await put('stationAdminA1', ids.stationA2Resolved!, { publishable: true })).statusCode).toBe(404)
    expect((await put('memberA', ids.stationA2Resolved!, { publishable: true })).statusCode).toBe(404)
    expect((await put('memberA', '00000000-0000-4000-8000-000000000000', { publishable: true })).statusCode).toBe(404)
    const [row] = await database.db.select({ publishable: cases.publishable }).from(cases).where(eq(cases.id, ids.stationA2Resolved!))
    expect(row!.publishable).toBe(false)
    // The committee admin of its county may.
    expect((await put('adminA', ids.stationA2Resolved!, { publishable: true })).statusCode).toBe(200)
    expect((await put('adminA', ids.stationA2Resolved!, { publishable: false })).statusCode).toBe(200)
  })

  it('a kept page model is dropped when a publication changes here', async () => {
    const service = createTransparencyService({
      db: database.db,
      repo: createTransparencyRepo(database.db),
      metrics: createMetricsRepo(database.db),
      audit: app.services.audit,
      clock: new ManualClock('2026-11-23T02:00:00Z'),
      cacheSeconds: 60,
    })
    const first = await service.page(org.countyA.shortCode, null, 1, 'zh-CN')
    expect(await service.page(org.countyA.shortCode.toLowerCase(), null, 1, 'zh-CN')).toBe(first)
    expect(first!.matters.some((m) => m.text.startsWith('UNPUBLISHED'))).toBe(false)
    const actor = { userId: org.users.adminA.id, role: 'committee_admin' as const, committeeId: org.countyA.id, memberId: null, stationIds: [] }
    await service.setPublication(actor, ids.unpublished!, { publishable: true }, null)
    const after = await service.page(org.countyA.shortCode, null, 1, 'zh-CN')
    expect(after!.matters.some((m) => m.text.startsWith('UNPUBLISHED'))).toBe(true)
    await service.setPublication(actor, ids.unpublished!, { publishable: false }, null)
  })

  it('validates the body and needs a sign-in', async () => {
    expect((await put('memberA', ids.unpublished!, { publishable: true, publicText: 'x'.repeat(2001) })).statusCode).toBe(400)
    expect((await put('memberA', ids.unpublished!, { publicText: 'no switch' })).statusCode).toBe(400)
    const anon = await app.inject({ method: 'PUT', url: `/api/v1/cases/${ids.unpublished}/publication`, payload: { publishable: true } })
    expect(anon.statusCode).toBe(401)
  })
})

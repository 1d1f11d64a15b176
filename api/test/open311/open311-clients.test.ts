import { eq } from 'drizzle-orm'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, open311Client } from '../../src/db/schema'
import { sha256 } from '../../src/auth/tokens'
import { createAdminOrg, type AdminOrg } from '../admin-data/admin-fixtures'
import { createTestApp, type TestApp } from '../support/test-app'
import { bearer, login } from '../support/fixtures'
import type { Open311ClientView } from '@mashangjian/shared'

const URL = '/api/v1/open311/clients'

describe('Open311 API keys in the console (/api/v1/open311/clients)', () => {
  let t: TestApp
  let org: AdminOrg
  const h: Record<string, Record<string, string>> = {}
  let issued: { client: Open311ClientView; apiKey: string }

  const call = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: h[who], ...(payload && { payload }) })
  function problem(res: LightMyRequestResponse, status: number) {
    expect(res.statusCode, res.body).toBe(status)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    return res.json<{ code: string }>()
  }

  beforeAll(async () => {
    t = await createTestApp()
    org = await createAdminOrg(t.database.db)
    for (const [key, user] of Object.entries(org.users)) h[key] = bearer((await login(t.app, user.username)).accessToken)
  })
  afterAll(() => t.close())

  it('issues a key once: the answer has it, the database only its hash, the list and the audit only its prefix', async () => {
    const res = await call('adminA', 'POST', URL, { name: ' 随手拍 ', stationId: org.stationA2.id })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.headers['cache-control']).toBe('no-store')
    issued = res.json()
    expect(issued.apiKey).toMatch(/^msj311_[\w-]{32}$/)
    expect(issued.client).toMatchObject({
      name: '随手拍',
      committeeId: org.countyA.id,
      stationId: org.stationA2.id,
      stationName: 'A2',
      keyPrefix: issued.apiKey.slice(0, 12),
      lastUsedAt: null,
      revokedAt: null,
    })
    const [row] = await t.database.db.select().from(open311Client).where(eq(open311Client.id, issued.client.id))
    expect(row!.keyHash).toBe(sha256(issued.apiKey))
    expect(row!.createdBy).toBe(org.users.adminA.id)

    const list = await call('adminA', 'GET', URL)
    expect(list.statusCode).toBe(200)
    expect(list.json<{ items: Open311ClientView[] }>().items).toEqual([issued.client])
    expect(list.body).not.toContain(issued.apiKey)
    expect(list.body).not.toContain(row!.keyHash)
    const audits = await t.database.db.select().from(auditLog).where(eq(auditLog.targetId, issued.client.id))
    expect(audits.map((a) => a.action)).toEqual(['open311_client.issued'])
    expect(JSON.stringify(audits)).not.toContain(issued.apiKey)
  })

  it("issues a key without a station (the committee's first station takes its requests) and refuses a foreign station", async () => {
    const res = await call('adminA', 'POST', URL, { name: '12345 对接' })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json<{ client: Open311ClientView }>().client).toMatchObject({ stationId: null, stationName: null })
    expect(problem(await call('adminA', 'POST', URL, { name: 'x', stationId: org.stationB1.id }), 400).code).toBe('VALIDATION_FAILED')
    expect(problem(await call('adminA', 'POST', URL, { name: '' }), 400).code).toBe('VALIDATION_FAILED')
  })

  it('is for committee admins only: station admins and members get 403', async () => {
    for (const who of ['stationAdminA1', 'stationAdminA2', 'memberA']) {
      expect(problem(await call(who, 'GET', URL), 403).code).toBe('FORBIDDEN')
      expect(problem(await call(who, 'POST', URL, { name: 'x' }), 403).code).toBe('FORBIDDEN')
      expect(problem(await call(who, 'POST', `${URL}/${issued.client.id}/revoke`), 403).code).toBe('FORBIDDEN')
    }
    problem(await t.app.inject({ method: 'GET', url: URL }), 401)
  })

  it('keeps committees apart: another county sees none of them and cannot revoke (404); the city admin can list its subtree', async () => {
    const b = await call('adminB', 'GET', URL)
    expect(b.json<{ items: unknown[] }>().items).toEqual([])
    expect(problem(await call('adminB', 'POST', `${URL}/${issued.client.id}/revoke`), 404).code).toBe('NOT_FOUND')
    expect(problem(await call('adminB', 'GET', `${URL}?committeeId=${org.countyA.id}`), 400).code).toBe('VALIDATION_FAILED')
    const city = await call('cityAdmin', 'GET', `${URL}?committeeId=${org.countyA.id}`)
    expect(city.json<{ items: Open311ClientView[] }>().items.map((c) => c.id)).toContain(issued.client.id)
  })

  it('revokes a key at once and for good, audited; revoking again changes nothing', async () => {
    const res = await call('adminA', 'POST', `${URL}/${issued.client.id}/revoke`)
    expect(res.statusCode, res.body).toBe(200)
    const revokedAt = res.json<Open311ClientView>().revokedAt
    expect(revokedAt).toBe(t.clock.now().toISOString())
    t.clock.advance(60_000)
    const again = await call('adminA', 'POST', `${URL}/${issued.client.id}/revoke`)
    expect(again.json<Open311ClientView>().revokedAt).toBe(revokedAt)
    const audits = await t.database.db.select().from(auditLog).where(eq(auditLog.targetId, issued.client.id))
    expect(audits.map((a) => a.action).sort()).toEqual(['open311_client.issued', 'open311_client.revoked'])
    const post = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ api_key: issued.apiKey, service_code: org.noise.id, description: '楼下烧烤油烟很大' }).toString(),
    })
    expect(post.statusCode).toBe(403)
  })
})

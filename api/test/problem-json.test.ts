import Fastify, { type InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerErrorHandling } from '../src/errors/error-handler'
import { problemType, type ErrorCode } from '@mashangjian/shared'
import { createTestApp, type TestApp } from './support/test-app'
import { bearer, createOrg, login, PASSWORD, type Org } from './support/fixtures'

/** One request per status a client can provoke; every answer must be RFC 9457 problem+json with our code. */
describe('problem+json errors', () => {
  let t: TestApp
  let org: Org
  let adminToken: string
  let memberToken: string
  beforeAll(async () => {
    t = await createTestApp({ bodyLimitBytes: 4096, loginRateLimitPerMinute: 3 })
    org = await createOrg(t.database.db)
    adminToken = (await login(t.app, org.users.adminA.username)).accessToken
    memberToken = (await login(t.app, org.users.memberA.username)).accessToken
  })
  afterAll(() => t.close())

  const cases: [string, number, ErrorCode, () => InjectOptions][] = [
    [
      'invalid field',
      400,
      'VALIDATION_FAILED',
      () => ({ method: 'POST', url: '/api/v1/users', headers: bearer(adminToken), payload: { username: 'x', role: 'pope' } }),
    ],
    [
      'malformed JSON',
      400,
      'MALFORMED_REQUEST',
      () => ({ method: 'POST', url: '/api/v1/auth/refresh', headers: { 'content-type': 'application/json' }, payload: '{"refreshToken": ' }),
    ],
    ['bad uuid in path', 400, 'VALIDATION_FAILED', () => ({ url: '/api/v1/committees/not-a-uuid', headers: bearer(adminToken) })],
    ['no token', 401, 'UNAUTHENTICATED', () => ({ url: '/api/v1/me' })],
    ['wrong role', 403, 'FORBIDDEN', () => ({ url: `/api/v1/committees/${org.countyA.id}`, headers: bearer(memberToken) })],
    ['unknown route', 404, 'ROUTE_NOT_FOUND', () => ({ url: '/api/v1/nothing-here' })],
    ['unknown resource', 404, 'NOT_FOUND', () => ({ url: '/api/v1/committees/00000000-0000-4000-8000-000000000000', headers: bearer(adminToken) })],
    [
      'duplicate username',
      409,
      'USERNAME_TAKEN',
      () => ({
        method: 'POST',
        url: '/api/v1/users',
        headers: bearer(adminToken),
        payload: { username: org.users.adminB.username, displayName: 'dup', password: PASSWORD, role: 'committee_admin' },
      }),
    ],
    [
      'body too large',
      413,
      'PAYLOAD_TOO_LARGE',
      () => ({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ refreshToken: 'x'.repeat(10_000) }),
      }),
    ],
    [
      'unsupported content type',
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      () => ({ method: 'POST', url: '/api/v1/auth/refresh', headers: { 'content-type': 'application/xml' }, payload: '<refreshToken/>' }),
    ],
  ]

  it.each(cases)('%s → %i %s', async (_name, status, code, request) => {
    const res = await t.app.inject(request())
    expect(res.statusCode, res.body).toBe(status)
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    const body = res.json()
    expect(body).toMatchObject({ status, code, type: problemType(code), title: expect.any(String) })
    expect(body.reqId).toBe(res.headers['x-request-id'])
    expect(res.body).not.toMatch(/at .+\.(ts|js):\d+/) // no stack trace
  })

  it('lists each offending field of a validation error', async () => {
    const res = await t.app.inject(cases[0]![3]())
    const fields = res.json().errors.map((e: { field: string }) => e.field)
    expect(fields).toEqual(expect.arrayContaining(['body.username', 'body.role', 'body.displayName', 'body.password']))
  })

  it('names an unexpected extra property', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'a', password: 'b', admin: true } })
    expect(res.statusCode).toBe(400)
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'body.admin' })])
  })

  it('rate-limits sign-in attempts with 429 RATE_LIMITED and Retry-After', async () => {
    const attempt = () => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.9.8.7', payload: { username: 'nobody', password: 'x' } })
    for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401)
    const limited = await attempt()
    expect(limited.statusCode).toBe(429)
    expect(limited.headers['content-type']).toBe('application/problem+json; charset=utf-8')
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) })
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
  })
})

describe('server-side failures', () => {
  it('hides an unexpected error behind 500 INTERNAL without its message', async () => {
    const app = Fastify({ genReqId: () => 'req-1' })
    registerErrorHandling(app)
    app.get('/boom', async () => {
      throw new Error('password=hunter2 at db.example:5432')
    })
    const res = await app.inject({ url: '/boom' })
    expect(res.statusCode).toBe(500)
    expect(res.json()).toMatchObject({ code: 'INTERNAL', reqId: 'req-1' })
    expect(res.body).not.toContain('hunter2')
    await app.close()
  })

  it('answers 503 SERVICE_UNAVAILABLE from /healthz when the database is gone', async () => {
    const t = await createTestApp()
    await t.database.close()
    const res = await t.app.inject({ url: '/healthz' })
    expect(res.statusCode).toBe(503)
    expect(res.json().code).toBe('SERVICE_UNAVAILABLE')
    await t.app.close()
  })
})

import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/test-app'
import { createTestDatabase, type TestDatabase } from '../support/test-db'

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

/**
 * Issue 17: two API processes behind one proxy each counted their own requests, so a limit of N let 2N through.
 * With REDIS_URL set they count together; without it each process keeps its own (in-memory) count.
 * Two apps on one database stand in for two processes (the limiter lives in the app, not the process).
 */
describe('rate limits across processes', () => {
  const apps: TestApp[] = []
  let database: TestDatabase
  afterAll(async () => {
    for (const a of apps) await a.close()
    await database?.close()
  })

  async function pair(shared: boolean) {
    database ??= await createTestDatabase()
    // A fresh key prefix per pair: counts from another run or test never leak in.
    const prefix = `msj-test-${randomBytes(6).toString('hex')}:`
    const overrides = { scanRateLimitPerMinute: 3, submitRateLimitPerCodePerHour: 2, ...(shared ? { redisUrl: REDIS_URL, redisKeyPrefix: prefix } : {}) }
    const a = await createTestApp(overrides, database)
    const b = await createTestApp(overrides, database)
    apps.push(a, b)
    return [a, b] as const
  }

  const scan = (t: TestApp) => t.app.inject({ url: '/q/NOSUCHCODE1', headers: { accept: 'text/html' } })

  it('with REDIS_URL: the per-address scan limit counts requests to both processes together', async () => {
    const [a, b] = await pair(true)
    const codes = [await scan(a), await scan(b), await scan(a), await scan(b)].map((r) => r.statusCode)
    expect(codes).toEqual([404, 404, 404, 429])
    const limited = await scan(a)
    expect(limited.statusCode).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
  })

  it('with REDIS_URL: the per-code submission limit (a second limiter on the route) is shared too', async () => {
    const [a, b] = await pair(true)
    const post = (t: TestApp) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/public/cases',
        headers: { 'content-type': 'application/json' },
        payload: { code: 'NOSUCHCODE2', description: 'x' },
      })
    const codes = [(await post(a)).statusCode, (await post(b)).statusCode, (await post(a)).statusCode]
    expect(codes.slice(0, 2).every((c) => c !== 429)).toBe(true)
    expect(codes[2]).toBe(429)
  })

  it('without REDIS_URL each process counts alone', async () => {
    const [a, b] = await pair(false)
    const codes = [await scan(a), await scan(b), await scan(a), await scan(b)].map((r) => r.statusCode)
    expect(codes).toEqual([404, 404, 404, 404])
  })

  it('a REDIS_URL that does not answer stops the start with one line', async () => {
    database ??= await createTestDatabase()
    await expect(createTestApp({ redisUrl: 'redis://127.0.0.1:1' }, database)).rejects.toThrow(/^REDIS_URL redis:\/\/127\.0\.0\.1:1 does not answer/)
  })
})

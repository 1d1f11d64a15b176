import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/test-app'

/**
 * Issue 19: Strict-Transport-Security only on answers that went out over HTTPS. Behind a TLS proxy the app learns
 * that from X-Forwarded-Proto, and only when it trusts the proxy (TRUST_PROXY); a client cannot forge it otherwise.
 */
describe('HSTS', () => {
  let behindProxy: TestApp
  let direct: TestApp
  beforeAll(async () => {
    behindProxy = await createTestApp({ trustProxy: true, publicBaseUrl: 'https://msj.example.gov.cn' })
    direct = await createTestApp({ trustProxy: false, publicBaseUrl: 'https://msj.example.gov.cn' }, behindProxy.database)
  })
  afterAll(async () => {
    await direct?.app.close()
    await behindProxy?.close()
  })

  const hsts = async (t: TestApp, headers: Record<string, string>) =>
    (await t.app.inject({ method: 'GET', url: '/healthz', headers })).headers['strict-transport-security']

  it('is sent when the trusted proxy says the request came over HTTPS', async () => {
    expect(await hsts(behindProxy, { 'x-forwarded-proto': 'https' })).toBe('max-age=31536000; includeSubDomains')
  })

  it('is not sent on plain HTTP, even with an https PUBLIC_BASE_URL', async () => {
    expect(await hsts(behindProxy, { 'x-forwarded-proto': 'http' })).toBeUndefined()
    expect(await hsts(behindProxy, {})).toBeUndefined()
  })

  it('ignores a forged X-Forwarded-Proto when no proxy is trusted', async () => {
    expect(await hsts(direct, { 'x-forwarded-proto': 'https' })).toBeUndefined()
  })
})

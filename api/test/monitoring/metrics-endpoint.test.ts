import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { afterAll, describe, expect, it } from 'vitest'
import { queryRows } from '../../src/db/database'
import { jobRunStatus } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { createTestApp, type TestApp } from '../support/test-app'
import { submitCase, uniqueText } from '../support/case-actions'

/** An SMS gateway that refuses every message for good (400: not retryable), so deliveries fail. */
const refusing = createServer((req, res) => {
  req.resume()
  req.on('end', () => res.writeHead(400, { 'content-type': 'text/plain' }).end('number refused'))
})
await new Promise<void>((r) => refusing.listen(0, '127.0.0.1', r))
afterAll(() => new Promise<void>((r) => refusing.close(() => r())))

const TOKEN = randomBytes(32).toString('hex')
const ctx = withDemoApp({ metricsToken: TOKEN, notifyWebhookUrl: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/sms` })
const scrape = (t: TestApp = ctx.t, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }, remoteAddress?: string) =>
  t.app.inject({ url: '/metrics', headers, ...(remoteAddress ? { remoteAddress } : {}) })

/** The value of one sample, found by its name and labels in any order. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!m || m[1] !== name) continue
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]))
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3])
  }
  return undefined
}

describe('/metrics (issue 19)', () => {
  it('shows requests by route template, open cases, notice failures, job runs and the process — never a token or a URL', async () => {
    const t = ctx.t
    const c = await submitCase(t, ctx.refs.memberCode, uniqueText('路灯不亮了，晚上看不见路'), { phone: '13809312345', consent: 'on' })
    // The resident's SMS (and the member's) go to the gateway, which refuses them.
    // The submission's own delivery (kicked after commit) may still be running: wait for it, then for anything due.
    await t.app.services.notifications.idle()
    await t.app.services.notifications.deliverDue()
    expect((await t.app.inject({ url: `/t/${c.trackingSecret}` })).statusCode).toBe(200)
    const probe = `no-such-page-${randomBytes(8).toString('hex')}`
    expect((await t.app.inject({ url: `/${probe}` })).statusCode).toBe(404)
    const failingJob = t.app.services.jobMonitor.wrap('monitoring-test-job', async () => {
      throw new Error(`refused at http://msj.test/t/${c.trackingSecret}`)
    })
    await expect(failingJob()).rejects.toThrow(/refused/)
    const open = await queryRows<{ status: string; n: number }>(t.database.db, sql`select status, count(*)::int as n from cases group by status`)

    const res = await scrape()
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = res.body
    expect(sample(text, 'msj_http_requests_total', { method: 'GET', route: '/t/:secret', status_class: '2xx' })).toBeGreaterThanOrEqual(1)
    expect(sample(text, 'msj_http_requests_total', { method: 'POST', route: '/api/v1/public/cases', status_class: '2xx' })).toBeGreaterThanOrEqual(1)
    expect(sample(text, 'msj_http_requests_total', { method: 'GET', route: 'unmatched', status_class: '4xx' })).toBeGreaterThanOrEqual(1)
    expect(sample(text, 'msj_http_request_duration_seconds_count', { method: 'GET', route: '/t/:secret', status_class: '2xx' })).toBeGreaterThanOrEqual(1)
    expect(
      sample(text, 'msj_http_request_duration_seconds_bucket', { le: '+Inf', method: 'GET', route: '/t/:secret', status_class: '2xx' }),
    ).toBeGreaterThanOrEqual(1)
    for (const state of ['submitted', 'assigned', 'accepted', 'in_progress', 'resolved', 'reopened']) {
      expect(sample(text, 'msj_open_cases', { state }), state).toBe(open.find((r) => r.status === state)?.n ?? 0)
    }
    expect(sample(text, 'msj_open_cases', { state: 'closed' })).toBeUndefined()
    expect(sample(text, 'msj_notice_deliveries_total', { channel: 'sms', outcome: 'failed' })).toBeGreaterThanOrEqual(1)
    expect(sample(text, 'msj_job_runs_total', { job: 'monitoring-test-job', outcome: 'failure' })).toBe(1)
    expect(sample(text, 'msj_job_duration_seconds_count', { job: 'monitoring-test-job' })).toBe(1)
    expect(sample(text, 'msj_job_last_failure_timestamp_seconds', { job: 'monitoring-test-job' })).toBe(t.clock.now().getTime() / 1000)
    expect(sample(text, 'msj_build_info', { database: t.database.driver })).toBe(1)
    expect(sample(text, 'process_resident_memory_bytes', {})).toBeGreaterThan(0)
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m)
    if (t.database.driver === 'postgres') expect(sample(text, 'msj_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1)
    else expect(text).not.toContain('msj_db_pool_connections')
    // Labels are templates: neither the tracking secret, nor an unknown path, nor the scrape token shows.
    expect(text).not.toContain(c.trackingSecret)
    expect(text).not.toContain(probe)
    expect(text).not.toContain(TOKEN)
    // The failure is recorded for /healthz with the secret link redacted.
    const [row] = await t.database.db
      .select()
      .from(jobRunStatus)
      .where(sql`name = 'monitoring-test-job'`)
    expect(row!.lastError).toBe('refused at http://msj.test/t/***')
  })

  it('refuses a scrape without the token or with a wrong one (401 problem+json)', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(1)}` },
      { authorization: `Basic ${TOKEN}` },
    ]
    for (const headers of attempts) {
      const res = await scrape(ctx.t, headers)
      expect(res.statusCode, JSON.stringify(headers)).toBe(401)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' })
      expect(res.body).not.toContain('msj_')
    }
  })

  it('is off (404 saying how to turn it on) when neither METRICS_TOKEN nor METRICS_ALLOW is set', async () => {
    const off = await createTestApp({}, ctx.t.database)
    try {
      const res = await scrape(off)
      expect(res.statusCode).toBe(404)
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND', detail: expect.stringContaining('METRICS_TOKEN') })
    } finally {
      await off.close()
    }
  })

  it('admits the allow-list by the socket address, never by X-Forwarded-For, and nothing a proxy forwarded', async () => {
    const allow = await createTestApp({ metricsAllow: ['10.0.0.0/8', '127.0.0.1'], trustProxy: true }, ctx.t.database)
    try {
      expect((await scrape(allow, {}, '10.1.2.3')).statusCode).toBe(200)
      const outsider = await scrape(allow, {}, '192.168.1.10')
      expect(outsider.statusCode).toBe(403)
      expect(outsider.json()).toMatchObject({ code: 'FORBIDDEN', detail: expect.stringContaining('METRICS_ALLOW') })
      // TRUST_PROXY makes request.ip the forwarded address; a client can write that header itself.
      expect((await scrape(allow, { 'x-forwarded-for': '10.0.0.1' }, '203.0.113.9')).statusCode).toBe(403)
      // A proxy on an allowed address (Caddy on the same host) would otherwise admit everyone behind it.
      const viaProxy = await scrape(allow, { 'x-forwarded-for': '203.0.113.9' }, '10.1.2.3')
      expect(viaProxy.statusCode).toBe(403)
      expect(viaProxy.json<{ detail: string }>().detail).toContain('proxy')
      expect((await scrape(allow, { forwarded: 'for=203.0.113.9' }, '127.0.0.1')).statusCode).toBe(403)
      // Over a real socket: 127.0.0.1 is admitted as itself.
      const address = await allow.app.listen({ port: 0, host: '127.0.0.1' })
      const direct = await fetch(`${address}/metrics`)
      expect(direct.status).toBe(200)
      expect(direct.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
      expect(await direct.text()).toContain('msj_http_requests_total')
    } finally {
      await allow.close()
    }
  })

  it('refuses a malformed METRICS_ALLOW or a short METRICS_TOKEN at start, naming the entry', async () => {
    const { loadConfig } = await import('../../src/config/load-config')
    const dataDir = ctx.t.config.dataDir
    expect(() => loadConfig({ DATA_DIR: dataDir, METRICS_ALLOW: '127.0.0.1, 10.0.0.0/33' })).toThrow(/METRICS_ALLOW has "10\.0\.0\.0\/33"/)
    expect(() => loadConfig({ DATA_DIR: dataDir, METRICS_ALLOW: 'localhost' })).toThrow(/METRICS_ALLOW has "localhost"/)
    expect(() => loadConfig({ DATA_DIR: dataDir, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 32/)
    expect(loadConfig({ DATA_DIR: dataDir, METRICS_ALLOW: '127.0.0.1, 10.0.0.0/8 ::1' }).metricsAllow).toEqual(['127.0.0.1', '10.0.0.0/8', '::1'])
  })
})

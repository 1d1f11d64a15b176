import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from './support/test-db'
import { freePort, spawnServer, waitForHealth } from './support/server-process'

/**
 * The server as `npm start` runs it: a real process, real port, real database, real signals. A cold start on an
 * empty data folder takes 25–50 s on a quiet 2-core machine (issue 17) and several times that under load: each
 * test waits for the server's own health answer, bounded by these generous limits rather than the default 30 s.
 */
describe('server process', { timeout: 240_000 }, () => {
  let database: TestDatabase | undefined
  let env: Record<string, string>
  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'msj-srv-'))
    // On PostgreSQL runs the server gets an empty database of its own; otherwise PGlite under DATA_DIR.
    database = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL ? await createTestDatabase({ empty: true }) : undefined
    if (database && !database.url) throw new Error('expected a PostgreSQL test database')
    env = { DATA_DIR: dataDir, DATABASE_URL: database?.url ?? '' }
  })
  afterAll(async () => {
    await database?.close()
  })

  async function startAndStop(check: (port: number) => Promise<void>, extra: Record<string, string> = {}) {
    const port = await freePort()
    const proc = spawnServer({ ...env, ...extra, PORT: String(port) })
    await waitForHealth(port, proc, 180_000)
    await check(port)
    proc.child.kill('SIGTERM')
    expect(await proc.exited).toBe(0)
    return proc
  }

  const scanUrlIn = (stdout: string) => stdout.match(/scan URL for .+: (\S+)/)?.[1]
  const scanCodeIn = (stdout: string) => scanUrlIn(stdout)?.split('/q/')[1]
  let firstScanCode: string | undefined

  it('starts on an empty database, seeds the demo county, serves /healthz and /docs, stops on SIGTERM', async () => {
    const proc = await startAndStop(async (port) => {
      expect((await fetch(`http://127.0.0.1:${port}/docs`)).status).toBe(200)
      const spec = (await (await fetch(`http://127.0.0.1:${port}/docs/json`)).json()) as { paths: Record<string, unknown> }
      expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/me']))
      const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'committee', password: 'demo12345' }),
      })
      expect(login.status).toBe(200)
    })
    expect(proc.stdout()).toMatch(/committee_admin\s+committee \/ demo12345/)
    expect(scanUrlIn(proc.stdout())).toMatch(/\/q\/[0-9A-HJKMNP-TV-Z]{10}$/)
    firstScanCode = scanCodeIn(proc.stdout())
    // The default PUBLIC_BASE_URL (http://localhost:PORT) cannot be reached by residents' phones: the banner says so.
    expect(proc.stdout()).toMatch(/WARNING: PUBLIC_BASE_URL http:\/\/localhost:\d+ names this machine: residents' phones cannot open/)
  })

  it('keeps the data on the second start (no reseed); a public https PUBLIC_BASE_URL is reachable, but TRUST_PROXY off is warned about', async () => {
    const proc = await startAndStop(async () => {}, { PUBLIC_BASE_URL: 'https://msj.example.gov.cn' })
    expect(firstScanCode).toBeDefined()
    expect(scanCodeIn(proc.stdout())).toBe(firstScanCode)
    expect(scanUrlIn(proc.stdout())).toBe(`https://msj.example.gov.cn/q/${firstScanCode}`)
    expect(proc.stdout()).not.toContain('cannot open the QR codes')
    // https means a TLS proxy in front: without TRUST_PROXY no HSTS, and every resident looks like the proxy.
    expect(proc.stdout()).toMatch(/WARNING: PUBLIC_BASE_URL https:\/\/msj\.example\.gov\.cn is https but TRUST_PROXY is not set/)
  })

  it('refuses a second server on the same embedded database with one line', async () => {
    if (database) return // only PGlite has a single-process data directory
    const port = await freePort()
    const first = spawnServer({ ...env, PORT: String(port) })
    await waitForHealth(port, first, 180_000)
    const second = spawnServer({ ...env, PORT: String(await freePort()) })
    expect(await second.exited).toBe(1)
    expect(second.stderr().trim()).toMatch(/^mashangjian: The embedded database in .+ is in use by process \d+; stop it or set DATA_DIR$/)
    first.child.kill('SIGTERM')
    expect(await first.exited).toBe(0)
  })

  it.each([
    ['PORT=abc', { PORT: 'abc' }, /^mashangjian: Invalid configuration: PORT must be a port number between 1 and 65535 \(got "abc"\)$/],
    [
      'unreachable DATABASE_URL',
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' },
      /^mashangjian: Cannot reach PostgreSQL at 127\.0\.0\.1:1\/nowhere: .+$/,
    ],
  ])('exits 1 with a one-line explanation for %s', async (_name, bad, message) => {
    const proc = spawnServer({ ...env, PORT: String(await freePort()), ...bad })
    expect(await proc.exited).toBe(1)
    const lines = proc.stderr().trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(message)
  })
})

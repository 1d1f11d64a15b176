import { execFileSync, spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { expect } from 'vitest'
import { REPO_ROOT } from '../../src/config/load-config'
import { openPgliteDir } from '../../src/db/database'
import { DEMO_PASSWORD } from '../../src/seed/demo-data'
import type { FakeProviders } from './fake-providers'
import { freePort, waitForHealth, type ServerProcess } from './server-process'
import { createTestDatabase, type TestDatabase } from './test-db'
import { testDatabaseUrl } from './test-db-url'

/**
 * Real server processes for the outbox's crash and concurrency tests (outbox-crash, outbox-two-processes): started
 * as `npm start` runs them, killed with SIGKILL, restarted on the same database; plus the database probe and the
 * HTTP calls (console login, SMS channel, the public scan form, member actions) those tests drive them with.
 */

const TSX = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx')
const SERVER = path.join(REPO_ROOT, 'api', 'src', 'server.ts')

export interface NotifyServer extends ServerProcess {
  name: string
  port: number
  base: string
  /** SIGKILL to the whole process group (the tsx wrapper and the node process running the server, as an OOM kill or power cut would), and wait until none is left. */
  kill9(): Promise<void>
  /** SIGTERM (graceful: a delivery run in flight finishes) and wait; the exit code. */
  stop(): Promise<number | null>
}

const live = new Set<NotifyServer>()

const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Waits for `check` to hold, polling; fails with `what` (and the last value) after `timeoutMs`. Never a fixed sleep. */
export async function until<T>(
  what: string,
  check: () => Promise<T | false | undefined> | T | false | undefined,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await check()
      if (v !== false && v !== undefined) return v
      last = v
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

/**
 * Starts `api/src/server.ts` through tsx like `npm start`, in a process group of its own: tsx runs the server in a
 * child process, so a SIGKILL to tsx alone would leave the server running (holding its port and delivering).
 */
export async function startServer(name: string, env: Record<string, string>, timeoutMs = 90_000): Promise<NotifyServer> {
  const port = await freePort()
  const child = spawn(TSX, [SERVER], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const pgid = child.pid!
  const gone = () => until(`${name}'s processes to end`, () => !groupAlive(pgid), 20_000, 50)
  const server: NotifyServer = {
    name,
    port,
    base: `http://127.0.0.1:${port}`,
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    async kill9() {
      if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL')
      await exited
      await gone()
      live.delete(server)
    },
    async stop() {
      // To the node process running the server, not to tsx: tsx relays a SIGTERM and, if its child has not
      // acknowledged it within ~60 ms (a busy event loop: PGlite runs queries on the main thread), SIGKILLs it and
      // exits 143. What is tested here is the server's own shutdown.
      const serverPid = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pgid)], { encoding: 'utf8' })
        .trim()
        .split(/\s+/)
        .map(Number)
        .find((n) => n > 0)
      process.kill(serverPid ?? pgid, 'SIGTERM')
      const code = await exited
      await gone()
      live.delete(server)
      return code
    },
  }
  live.add(server)
  await waitForHealth(port, server, timeoutMs)
  return server
}

/** afterAll: no process outlives its test file, whatever failed. */
export async function killAllServers(): Promise<void> {
  await Promise.all([...live].map((s) => s.kill9().catch(() => {})))
}

/** Secrets every process of one deployment shares (several processes must decrypt each other's phones). */
export function deploymentSecrets() {
  return { JWT_SECRET: randomBytes(32).toString('hex'), PII_KEY: randomBytes(32).toString('base64') }
}

/** Generous limits: a test files a hundred cases from one address and one code within a minute. */
export const LOAD_LIMITS = { SUBMIT_RATE_LIMIT_PER_IP_PER_HOUR: '100000', SUBMIT_RATE_LIMIT_PER_CODE_PER_HOUR: '100000', LOGIN_RATE_LIMIT_PER_MINUTE: '1000' }

// ——— the database the processes share, seen from the test ———

export interface OutboxRow {
  key: string
  status: string
  templateKey: string
  channel: string
  provider: string | null
  attempts: number
  nextAttemptAt: Date
  leaseUntil: Date | null
  sentAt: Date | null
  publicNo: string | null
  tries: number
  okTries: number
}

const OUTBOX_SQL = `select n.idempotency_key as key, n.status, n.template_key as "templateKey", n.channel, n.provider, n.attempts,
    n.next_attempt_at as "nextAttemptAt", n.lease_until as "leaseUntil", n.sent_at as "sentAt", c.public_no as "publicNo",
    (select count(*)::int from notification_attempt a where a.notification_id = n.id) as tries,
    (select count(*)::int from notification_attempt a where a.notification_id = n.id and a.ok) as "okTries"
  from notification n left join cases c on c.id = n.case_id order by n.created_at, n.id`

/**
 * The database under test: a fresh PostgreSQL database of its own when the suite runs on PostgreSQL (as
 * server-process.test.ts does), otherwise PGlite under DATA_DIR. PGlite is one process only: the test reads it
 * only while no server has it open (after a kill or a stop).
 */
export interface ServerDatabase {
  kind: 'postgres' | 'pglite'
  dataDir: string
  env: Record<string, string>
  outbox(): Promise<OutboxRow[]>
  close(): Promise<void>
}

export async function serverDatabase({ requirePostgres = false } = {}): Promise<ServerDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'msj-notify-'))
  let database: TestDatabase | undefined
  if (testDatabaseUrl()) {
    database = await createTestDatabase({ empty: true })
    if (!database.url) throw new Error('expected a PostgreSQL test database')
  } else if (requirePostgres) {
    throw new Error('this test needs PostgreSQL (TEST_DATABASE_URL)')
  }
  const pool = database?.url ? new pg.Pool({ connectionString: database.url, max: 2 }) : undefined
  pool?.on('error', () => {})
  return {
    kind: database ? 'postgres' : 'pglite',
    dataDir,
    env: { DATA_DIR: dataDir, DATABASE_URL: database?.url ?? '', ...deploymentSecrets(), ...LOAD_LIMITS },
    async outbox() {
      if (pool) return (await pool.query<OutboxRow>(OUTBOX_SQL)).rows
      const db = await openPgliteDir(dataDir) // refuses while a server holds it
      try {
        return (await db.pglite!.query<OutboxRow>(OUTBOX_SQL)).rows
      } finally {
        await db.close()
      }
    },
    async close() {
      await pool?.end()
      await database?.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

// ——— driving a server over HTTP ———

async function call<T>(
  server: NotifyServer,
  method: string,
  url: string,
  init: { token?: string; json?: unknown; form?: FormData } = {},
): Promise<{ status: number; body: T; text: string }> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (init.token) headers.authorization = `Bearer ${init.token}`
  if (init.json !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(`${server.base}${url}`, {
    method,
    headers,
    body: init.form ?? (init.json === undefined ? undefined : JSON.stringify(init.json)),
    signal: AbortSignal.timeout(30_000),
  })
  const text = await res.text()
  let body: unknown = null
  try {
    body = JSON.parse(text)
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: body as T, text }
}

export async function login(server: NotifyServer, username: string): Promise<string> {
  const res = await call<{ accessToken: string }>(server, 'POST', '/api/v1/auth/login', { json: { username, password: DEMO_PASSWORD } })
  expect(res.status, res.text).toBe(200)
  return res.body.accessToken
}

/**
 * The demo county's admin configures its Alibaba SMS account pointing at the fake (or at `endpoint`, a proxy in
 * front of it); a second call on the same database points the account there instead.
 */
export async function configureAliyun(server: NotifyServer, fakes: FakeProviders, endpoint = fakes.aliyun.settings.endpoint!): Promise<string> {
  const token = await login(server, 'committee')
  const list = await call<{ items: { id: string; settings: { provider: string } }[] }>(server, 'GET', '/api/v1/notification-channels', { token })
  expect(list.status, list.text).toBe(200)
  const existing = list.body.items.find((c) => c.settings.provider === 'aliyun_sms')
  const body = { name: '阿里云短信（测试）', settings: { ...fakes.aliyun.settings, endpoint }, credentials: fakes.aliyun.credentials }
  const res = existing
    ? await call<{ id: string }>(server, 'PUT', `/api/v1/notification-channels/${existing.id}`, { token, json: body })
    : await call<{ id: string }>(server, 'POST', '/api/v1/notification-channels', { token, json: body })
  expect(res.status, res.text).toBe(existing ? 200 : 201)
  return res.body.id
}

/**
 * A proxy in front of a provider that loses answers, for killing a process mid-send: while holding, every other
 * request is passed on and the provider's answer withheld (the provider accepted it; the process never learns),
 * the rest are held without passing them on (the provider never saw them). `pass()` lets everything through.
 */
export async function startHoldingProxy(target: string) {
  let holding = true
  const held: { res: ServerResponse; forwarded: boolean }[] = []
  let arrived = 0
  const forward = async (req: IncomingMessage, body: Buffer) =>
    fetch(new URL(req.url ?? '/', target), {
      method: req.method,
      headers: { 'content-type': String(req.headers['content-type'] ?? '') },
      body: new Uint8Array(body),
      signal: AbortSignal.timeout(10_000),
    })
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on(
      'end',
      () =>
        void (async () => {
          const body = Buffer.concat(chunks)
          if (!holding) {
            const answer = await forward(req, body)
            res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(await answer.text())
            return
          }
          const forwarded = arrived++ % 2 === 0
          if (forwarded) await forward(req, body)
          held.push({ res, forwarded })
        })().catch(() => res.destroy()),
    )
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    held,
    /** Drops what it holds and passes everything from now on. */
    pass() {
      holding = false
      for (const h of held) h.res.destroy()
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

/** The demo member's scan code, from the start-up banner. */
export function scanCodeOf(server: NotifyServer): string {
  const code = server.stdout().match(/scan URL for .+\/q\/(\S+)/)?.[1]
  if (!code) throw new Error(`no scan URL in the banner: ${server.stdout()}`)
  return code
}

let phoneSerial = 0
/** A distinct mainland mobile per resident of this run. */
export const residentPhone = () => `139${String(process.pid % 10_000).padStart(4, '0')}${String(++phoneSerial).padStart(4, '0')}`

/** A resident posts the scan form (as the page's script does: multipart, Accept JSON), leaving a phone for SMS. */
export async function submitCase(server: NotifyServer, code: string, phone: string): Promise<{ publicNo: string; trackingSecret: string }> {
  const form = new FormData()
  const fields = {
    code,
    description: `楼道灯坏了，晚上看不见路（测试 ${randomUUID()}）`,
    location: '南关社区5号院',
    phone,
    consent: 'on',
    confirmNew: 'on',
  }
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  const res = await call<{ publicNo: string; trackingSecret: string }>(server, 'POST', '/api/v1/public/cases', { form })
  expect(res.status, res.text).toBe(201)
  return res.body
}

/** Runs `jobs` at most `width` at a time. */
export async function inBatches<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = []
  for (let i = 0; i < jobs.length; i += width) out.push(...(await Promise.all(jobs.slice(i, i + width).map((j) => j()))))
  return out
}

/** A member accepts their cases (by public number): each acceptance tells its resident by SMS. */
export async function acceptAll(server: NotifyServer, username: string, publicNos: string[]): Promise<void> {
  const token = await login(server, username)
  const wanted = new Set(publicNos)
  const found: { id: string; version: number }[] = []
  let cursor: string | null = null
  do {
    const page: { status: number; body: { items: { id: string; publicNo: string; version: number }[]; nextCursor: string | null }; text: string } = await call(
      server,
      'GET',
      `/api/v1/me/cases?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token },
    )
    expect(page.status, page.text).toBe(200)
    found.push(...page.body.items.filter((c) => wanted.has(c.publicNo)))
    cursor = page.body.nextCursor
  } while (cursor)
  expect(found).toHaveLength(publicNos.length)
  await inBatches(
    found.map((c) => async () => {
      const res = await call(server, 'POST', `/api/v1/cases/${c.id}/actions`, { token, json: { opId: randomUUID(), baseVersion: c.version, type: 'accept' } })
      expect(res.status, res.text).toBe(200)
    }),
    5,
  )
}

/** The outbox as the console lists it (works on either database while the server runs). */
export async function consoleOutbox(
  server: NotifyServer,
  token: string,
): Promise<{ publicNo: string | null; templateKey: string; channel: string; status: string; attempts: number }[]> {
  const items: { publicNo: string | null; templateKey: string; channel: string; status: string; attempts: number }[] = []
  for (let offset = 0; ; offset += 200) {
    const res = await call<{ items: typeof items; total: number }>(server, 'GET', `/api/v1/notifications?limit=200&offset=${offset}`, { token })
    expect(res.status, res.text).toBe(200)
    items.push(...res.body.items)
    if (offset + 200 >= res.body.total) return items
  }
}

/** How often each idempotency key (Alibaba's OutId) reached the fake. */
export function outIdCounts(fakes: FakeProviders): Map<string, number> {
  const counts = new Map<string, number>()
  for (const r of fakes.aliyun.received) counts.set(r.outId ?? '(none)', (counts.get(r.outId ?? '(none)') ?? 0) + 1)
  return counts
}

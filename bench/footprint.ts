import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import { tmpdir, loadavg } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { writeSection } from './benchmarks-doc'
import { buildCompiled, freePort, ROOT, serverNodeArgs, uptime } from './processes'

/**
 * `npm run bench:footprint [-- --minutes N --rounds N --db pglite|postgres]` (issue 17), on the compiled server
 * (`node api/dist/server.js`, as `npm start` and the image run it), on PGlite and on the local PostgreSQL:
 * (a) resident memory of the server process under a steady scan-page load, sampled every 5 s (max and slope);
 * (b) cold start to the first 200 from /healthz, on an empty data folder / database and with existing data;
 * (c) SIGTERM under 30 concurrent keep-alive clients, `rounds` times: every request must end in an answer (a 503
 *     with Retry-After counts as clean) or be refused before it was sent; a reset or a lost answer is a failure.
 * Everything listens on 127.0.0.1. Budgets: RSS ≤ 150 MB (PostgreSQL) / ≤ 300 MB (PGlite), flat; cold start ≤ 5 s
 * with data, ≤ 15 s empty; 0 failed in-flight requests.
 */
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}
const MINUTES = Number(arg('minutes', '5'))
const ROUNDS = Number(arg('rounds', '10'))
const DBS = arg('db', 'pglite,postgres').split(',')
const PG_ADMIN = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const SAMPLE_MS = 5_000
const LOAD_CONCURRENCY = 8
const SHUTDOWN_CLIENTS = 30

type Server = { child: ChildProcess; port: number; out: () => string; exited: Promise<number | null> }

function startServer(env: Record<string, string>, port: number): Server {
  // node itself (no npm, no tsx parent): the pid is the server's, and SIGTERM reaches it directly.
  // The flags `npm start` and the image use (package.json's start script; the Dockerfile has the same).
  const child = spawn(process.execPath, serverNodeArgs(), {
    cwd: ROOT,
    // One client address sends everything: the per-IP scan limit (a protection, not the thing measured) is lifted.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      SCAN_RATE_LIMIT_PER_MINUTE: '10000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, port, out: () => out, exited }
}

/** Milliseconds from spawn to the first 200 from /healthz. */
async function coldStart(env: Record<string, string>): Promise<{ server: Server; ms: number }> {
  const began = performance.now()
  const server = startServer(env, await freePort())
  let exited = false
  void server.exited.then(() => (exited = true))
  for (const deadline = Date.now() + 180_000; Date.now() < deadline;) {
    if (exited) throw new Error(`server exited: ${server.out()}`)
    const ok = await fetch(`http://127.0.0.1:${server.port}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    )
    if (ok) return { server, ms: performance.now() - began }
    await new Promise((r) => setTimeout(r, 50))
  }
  server.child.kill('SIGKILL')
  throw new Error(`no /healthz after 180 s: ${server.out()}`)
}

async function stopServer(server: Server): Promise<number | null> {
  server.child.kill('SIGTERM')
  return server.exited
}

const rssMb = (pid: number) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]) / 1024

/** One GET on a keep-alive agent; resolves with what happened to it. */
type Outcome = 'ok' | 'clean-503' | 'refused' | 'stale-keepalive' | 'failed'
function get(agent: http.Agent, port: number, urlPath: string): Promise<{ outcome: Outcome; detail?: string; retryAfterS?: number }> {
  return new Promise((resolve) => {
    let gotResponse = false
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent, headers: { accept: 'text/html' } }, (res) => {
      gotResponse = true
      res.resume()
      res.on('end', () => {
        if (res.statusCode === 200) resolve({ outcome: 'ok' })
        else if (res.statusCode === 503 && res.headers['retry-after']) resolve({ outcome: 'clean-503', retryAfterS: Number(res.headers['retry-after']) })
        else resolve({ outcome: 'failed', detail: `HTTP ${res.statusCode}` })
      })
      res.on('error', (err) => resolve({ outcome: 'failed', detail: `body: ${err.message}` }))
    })
    req.on('error', (err: NodeJS.ErrnoException) => {
      // Refused: the listener is gone, the request was never sent. A reused connection that the server had already
      // closed as idle before this request reached it (Node's documented retry case: reusedSocket + ECONNRESET or
      // a hang-up before any byte of answer) is the keep-alive race every HTTP client retries; counted apart.
      if (err.code === 'ECONNREFUSED') resolve({ outcome: 'refused' })
      else if (!gotResponse && req.reusedSocket && (err.code === 'ECONNRESET' || err.message === 'socket hang up')) resolve({ outcome: 'stale-keepalive' })
      else resolve({ outcome: 'failed', detail: `${err.code ?? ''} ${err.message}` })
    })
  })
}

/** `concurrency` loops of GETs until `until()` says stop; counts outcomes. */
const zero = (): Record<Outcome, number> => ({ ok: 0, 'clean-503': 0, refused: 0, 'stale-keepalive': 0, failed: 0 })
async function load(port: number, urlPath: string, concurrency: number, until: () => boolean, counts = zero()) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
  const failures: string[] = []
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!until()) {
        const r = await get(agent, port, urlPath)
        counts[r.outcome] += 1
        if (r.detail && failures.length < 5) failures.push(r.detail)
        if (r.outcome === 'refused') await new Promise((res) => setTimeout(res, 20))
        // A well-behaved client honours Retry-After (a script, a balancer); the wait ends early when the server is gone.
        if (r.outcome === 'clean-503') {
          const until503 = Date.now() + (r.retryAfterS ?? 1) * 1000
          while (!until() && Date.now() < until503) await new Promise((res) => setTimeout(res, 50))
        }
      }
    }),
  )
  agent.destroy()
  return { counts, failures }
}

const slope = (samples: { min: number; mb: number }[]) => {
  const n = samples.length
  const mx = samples.reduce((a, s) => a + s.min, 0) / n
  const my = samples.reduce((a, s) => a + s.mb, 0) / n
  const num = samples.reduce((a, s) => a + (s.min - mx) * (s.mb - my), 0)
  const den = samples.reduce((a, s) => a + (s.min - mx) ** 2, 0)
  return den ? num / den : 0
}

async function forDatabase(kind: string) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'msj-footprint-'))
  let env: Record<string, string> = { DATA_DIR: dataDir }
  let dropDb = async () => {}
  if (kind === 'postgres') {
    const name = `msj_fp_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: PG_ADMIN })
    await admin.connect()
    await admin.query(`create database ${name}`)
    const url = new URL(PG_ADMIN)
    url.pathname = `/${name}`
    env = { ...env, DATABASE_URL: url.toString() }
    dropDb = async () => {
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.end()
    }
  }
  try {
    console.log(`[${kind}] cold start on an empty ${kind === 'postgres' ? 'database' : 'data folder'} …`)
    const empty = await coldStart(env)
    const code = empty.server.out().match(/scan URL for .+: \S+\/q\/(\S+)/)?.[1]
    if (!code) throw new Error(`no scan URL in the server's output: ${empty.server.out()}`)
    const scan = `/q/${code}`

    // The process that made the database (migrations and the demo seed) keeps that peak: PGlite's WebAssembly heap
    // never shrinks. Every later start is the steady state, so the load runs on a server started on existing data;
    // the first boot's resident size is reported beside it.
    const seededRss = rssMb(empty.server.child.pid!)
    await stopServer(empty.server)

    console.log(`[${kind}] cold start with existing data …`)
    const existing = await coldStart(env)

    console.log(`[${kind}] scan-page load for ${MINUTES} min, RSS every ${SAMPLE_MS / 1000} s …`)
    const pid = existing.server.child.pid!
    const samples: { min: number; mb: number }[] = []
    const began = Date.now()
    const end = began + MINUTES * 60_000
    const sampler = setInterval(() => samples.push({ min: (Date.now() - began) / 60_000, mb: rssMb(pid) }), SAMPLE_MS)
    const steady = await load(existing.server.port, scan, LOAD_CONCURRENCY, () => Date.now() >= end)
    clearInterval(sampler)
    samples.push({ min: (Date.now() - began) / 60_000, mb: rssMb(pid) })
    await stopServer(existing.server)
    const secondHalf = samples.filter((s) => s.min >= MINUTES / 2)

    console.log(`[${kind}] ${ROUNDS} × SIGTERM under ${SHUTDOWN_CLIENTS} clients …`)
    const total = zero()
    const failures: string[] = []
    const exits: (number | null)[] = []
    for (let round = 0; round < ROUNDS; round++) {
      const { server } = await coldStart(env)
      let gone = false
      void server.exited.then(() => (gone = true))
      const progress = zero()
      const running = load(server.port, scan, SHUTDOWN_CLIENTS, () => gone, progress)
      // SIGTERM once the clients are well under way (every client has had answers), not after a fixed time.
      while (progress.ok < SHUTDOWN_CLIENTS * 5 && !gone) await new Promise((r) => setTimeout(r, 20))
      server.child.kill('SIGTERM')
      exits.push(await server.exited)
      const r = await running
      for (const k of Object.keys(total) as Outcome[]) total[k] += r.counts[k]
      failures.push(...r.failures)
    }
    return {
      kind,
      emptyStartS: empty.ms / 1000,
      existingStartS: existing.ms / 1000,
      rssMax: Math.max(...samples.map((s) => s.mb)),
      rssFirst: samples[0]?.mb ?? 0,
      seededRss,
      slope: slope(samples),
      slopeSecondHalf: secondHalf.length > 2 ? slope(secondHalf) : NaN,
      steady,
      shutdown: total,
      failures: failures.slice(0, 5),
      exits,
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
    await dropDb()
  }
}

async function main() {
  console.log('building (only what changed) …')
  buildCompiled()
  const loadBefore = uptime()
  const results = []
  for (const kind of DBS) results.push(await forDatabase(kind))
  const loadAfter = uptime()
  const budget = (kind: string) => (kind === 'postgres' ? 150 : 300)
  const f = (n: number, d = 1) => n.toFixed(d)
  const lines = [
    '## Footprint, start-up and shutdown (`npm run bench:footprint`, issue 17)',
    '',
    `Run ${new Date().toISOString()} on the compiled server (\`node api/dist/server.js\`), Node ${process.version}, ` +
      `${MINUTES} min of scan-page load (${LOAD_CONCURRENCY} keep-alive clients), ${ROUNDS} shutdown rounds (${SHUTDOWN_CLIENTS} clients).`,
    `Load: before \`${loadBefore}\`; after \`${loadAfter}\` (2 shared cores; loadavg ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}).`,
    '',
    '| database | RSS max under load (MB) | budget | RSS after the first boot and seed (MB) | RSS slope (MB/min), whole / 2nd half | scan pages served | cold start empty (s) ≤ 15 | cold start with data (s) ≤ 5 | shutdown: ok / 503+Retry-After / refused / stale keep-alive / **failed** | exit codes |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.kind} | ${f(r.rssMax)} | ≤ ${budget(r.kind)} | ${f(r.seededRss)} | ${f(r.slope, 2)} / ${f(r.slopeSecondHalf, 2)} | ${r.steady.counts.ok} (${r.steady.counts.failed} failed) | ` +
        `${f(r.emptyStartS)} | ${f(r.existingStartS)} | ${r.shutdown.ok} / ${r.shutdown['clean-503']} / ${r.shutdown.refused} / ${r.shutdown['stale-keepalive']} / **${r.shutdown.failed}** | ${r.exits.join(',')} |`,
    ),
    '',
    'Refused: the listener had closed, the request was never sent. Stale keep-alive: a pooled connection the server had ' +
      'closed as idle (FIN) before the request reached it: Node reports it as `reusedSocket` with a reset or hang-up and ' +
      'documents it as the case to retry; the server never saw these requests. Failed: anything else (a reset or hang-up ' +
      'after the request was read, a 5xx other than a 503 with Retry-After). The load runs on a server started on existing ' +
      "data (every start after the first); the process that ran the migrations and the demo seed keeps that peak (PGlite's " +
      'WebAssembly heap never shrinks), shown in its own column.',
    ...results.flatMap((r) => (r.failures.length ? [`${r.kind} failures (first 5): ${r.failures.join('; ')}`] : [])),
  ]
  console.log(lines.join('\n'))
  writeSection('footprint', lines.join('\n'))
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})

import { mkdtempSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import http from 'node:http'
import autocannon from 'autocannon'
import { buildCompiled, freePort, quietBefore, start, startCompiled, stop, uptime } from './processes'
import pg from 'pg'
import { BENCHMARKS_FILE, markedSections } from './benchmarks-doc'

/**
 * `npm run bench`: throughput of the resident scan page and of submissions, each against a baseline measured in
 * the same run on the same machine (ratios, since the 2-core machines here are noisy). Loopback only, bounded in
 * time. Results go to docs/BENCHMARKS.md.
 */
const DURATION = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = 50
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

interface Run {
  rps: number
  p50: number
  p99: number
  non2xx: number
  errors: number
  /** The machine's 1-minute load average at the end of the run: the benchmark's own processes included (see machineNote). */
  load: number
}
async function load(opts: autocannon.Options): Promise<Run> {
  // A short warm-up first (JIT, caches, pools), for the baseline and the route alike.
  await autocannon({ connections: CONNECTIONS, duration: 2, ...opts })
  const r = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts })
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, load: loadavg()[0]! }
}

async function freshDatabase(): Promise<string | undefined> {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 })
  try {
    await admin.connect()
  } catch {
    return undefined
  }
  const name = `msj_bench_${Date.now()}`
  await admin.query(`create database ${name}`)
  await admin.end()
  const u = new URL(PG_URL)
  u.pathname = `/${name}`
  return u.toString()
}

/** Raw single-row INSERTs through pg with as many requests in flight as the HTTP benchmark: the floor a submission cannot beat. */
async function rawInsertRate(url: string): Promise<{ rate: number; load: number }> {
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  await pool.query('create table if not exists bench_raw (id bigserial primary key, description text not null, created_at timestamptz not null default now())')
  let done = 0
  const until = Date.now() + DURATION * 1000
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, w) => {
      while (Date.now() < until) {
        await pool.query('insert into bench_raw (description) values ($1)', [`raw insert ${w}-${done}`])
        done++
      }
    }),
  )
  await pool.end()
  return { rate: done / DURATION, load: loadavg()[0]! }
}

/**
 * Whether the machine was quiet enough to read the ratios against the goals: judged by the 1-minute load before the
 * benchmark started (other work, see quietBefore); during a run the load counts the benchmark's own
 * processes (load generator, API, PostgreSQL), 2–3 on these 2 cores.
 */
function machineNote(before: number, runs: { load: number }[]): string {
  const worst = Math.max(...runs.map((r) => r.load))
  return quietBefore(before)
    ? `- Machine: quiet (1-minute load ${before.toFixed(1)} before the run on ${cpus().length} cores; up to ${worst.toFixed(1)} during it, which is the load generator, the API and PostgreSQL themselves). Client and server share the cores, so absolute numbers are lower than with a separate client; the ratios are what to read.`
    : `- Machine: loaded (1-minute load ${before.toFixed(1)} before the run on ${cpus().length} cores, up to ${worst.toFixed(1)} during it): every request waited for a core several times (client, API, PostgreSQL), and same-run ratios favour the baselines, which do less per request. Rerun on a quiet machine before reading the ratios against the goals.`
}

/** Bytes on the wire of one answer (the body as sent, compressed or not): fetch would decompress it. */
function servedBytes(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let n = 0
        res.on('data', (chunk: Buffer) => (n += chunk.length))
        res.on('end', () => resolve(n))
      })
      .on('error', reject)
  })
}

async function main() {
  const results: string[] = []
  const uptimeBefore = uptime()
  const loadBefore = loadavg()[0]!
  // Built first (only what changed), so the build's CPU is not in the baseline's run.
  buildCompiled()
  const hello = await start(['bench/hello-server.ts'], { PORT: '0' }, /listening (\d+)/)
  const helloRun = await load({ url: `http://127.0.0.1:${hello.match[1]}/` })
  await stop(hello.child)

  const dbUrl = await freshDatabase()
  const dataDir = mkdtempSync(path.join(tmpdir(), 'msj-bench-'))
  const server = await startCompiled(
    {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: dbUrl ?? '',
      LOG_LEVEL: 'error',
      SEED_DEMO: 'true',
      SCAN_RATE_LIMIT_PER_MINUTE: '10000000',
      SUBMIT_RATE_LIMIT_PER_IP_PER_HOUR: '100000',
      SUBMIT_RATE_LIMIT_PER_CODE_PER_HOUR: '100000',
    },
    /running at http:\/\/localhost:(\d+)[\s\S]*?\/q\/([0-9A-Z]{10})/,
  )
  const [, port, code] = server.match
  const base = `http://127.0.0.1:${port}`
  const page = await (await fetch(`${base}/q/${code}`)).text()
  // What a browser is sent: the served gzip body's length, not a local recompression.
  const gzipBytes = await servedBytes(`${base}/q/${code}`, { 'accept-encoding': 'gzip, deflate' })
  const scanRun = await load({ url: `${base}/q/${code}` })
  // As a phone asks for it: every browser (WeChat's too) sends Accept-Encoding, and the page is gzipped once per cache entry.
  const scanGzipRun = await load({ url: `${base}/q/${code}`, headers: { 'accept-encoding': 'gzip, deflate' } })

  let n = 0
  const topics = ['路灯', '井盖', '垃圾', '噪音', '停车', '供暖', '漏水', '占道', '电梯', '绿化']
  const submitRun = await load({
    url: `${base}/api/v1/public/cases`,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    setupClient: (client) => client.setBody(JSON.stringify({ code, description: 'placeholder text' })),
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ code, description: `压测${++n}：${topics[n % 10]}问题，第${n}号楼${n % 7}单元，持续${n % 30}天`, confirmNew: true }),
        }),
      },
    ],
  })
  await stop(server.child)
  const raw = dbUrl ? await rawInsertRate(dbUrl) : undefined
  const insertRate = raw?.rate
  const uptimeAfter = uptime()

  const date = new Date().toISOString().slice(0, 10)
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${dbUrl ? 'PostgreSQL (local)' : 'PGlite (PostgreSQL not reachable)'}`
  const ms = (v: number) => `${v.toFixed(1)} ms`
  results.push(
    `# Benchmarks`,
    '',
    'Written by `npm run bench` (bench/run.ts). Each result is compared with a baseline measured in the same run on the same machine; absolute numbers move with machine load, ratios much less. autocannon on loopback, ' +
      `${CONNECTIONS} connections, ${DURATION} s per run, client and server on the same cores.`,
    '',
    `Last run: ${date} on ${machine}. Machine load (\`uptime\`) before: \`${uptimeBefore}\`; after: \`${uptimeAfter}\`. The "load" column is the 1-minute load average at the end of each run, the benchmark's own processes (load generator, API, PostgreSQL) included; other work is judged by the load before the run (see "Reading these numbers").`,
    '',
    '## Resident scan page (issue 4)',
    '',
    '| run | req/s | p50 | p99 | non-2xx | errors | load |',
    '|---|---|---|---|---|---|---|',
    `| Fastify hello-world (baseline) | ${helloRun.rps.toFixed(0)} | ${ms(helloRun.p50)} | ${ms(helloRun.p99)} | ${helloRun.non2xx} | ${helloRun.errors} | ${helloRun.load.toFixed(1)} |`,
    `| GET /q/{code} (member page, no Accept-Encoding: ${Buffer.byteLength(page)} bytes) | ${scanRun.rps.toFixed(0)} | ${ms(scanRun.p50)} | ${ms(scanRun.p99)} | ${scanRun.non2xx} | ${scanRun.errors} | ${scanRun.load.toFixed(1)} |`,
    `| GET /q/{code} with Accept-Encoding: gzip, as browsers ask (${gzipBytes} bytes) | ${scanGzipRun.rps.toFixed(0)} | ${ms(scanGzipRun.p50)} | ${ms(scanGzipRun.p99)} | ${scanGzipRun.non2xx} | ${scanGzipRun.errors} | ${scanGzipRun.load.toFixed(1)} |`,
    '',
    `Ratio scan/hello: **${(scanRun.rps / helloRun.rps).toFixed(2)}** uncompressed, **${(scanGzipRun.rps / helloRun.rps).toFixed(2)}** gzip (goal ≥ 0.5); p99 **${ms(scanRun.p99)}** / **${ms(scanGzipRun.p99)}** (goal ≤ 10 ms). First view: ${Buffer.byteLength(page)} bytes, ${gzipBytes} bytes gzip as served (budget 14 KB).`,
    '',
    '## Submissions without photos (issue 4)',
    '',
    '| run | per second | p50 | p99 | non-2xx | errors | load |',
    '|---|---|---|---|---|---|---|',
    raw !== undefined
      ? `| raw INSERT through pg, ${CONNECTIONS} in flight (baseline) | ${raw.rate.toFixed(0)} | | | | | ${raw.load.toFixed(1)} |`
      : '| raw INSERT baseline | not run (PostgreSQL not reachable) | | | | | |',
    `| POST /api/v1/public/cases (JSON, routed, numbered, 2 events, one committee) | ${submitRun.rps.toFixed(0)} | ${ms(submitRun.p50)} | ${ms(submitRun.p99)} | ${submitRun.non2xx} | ${submitRun.errors} | ${submitRun.load.toFixed(1)} |`,
    '',
    insertRate !== undefined ? `Ratio submissions/raw inserts: **${(submitRun.rps / insertRate).toFixed(2)}** (goal ≥ 0.5).` : '',
    '',
    '## Reading these numbers',
    '',
    machineNote(loadBefore, [helloRun, scanRun, scanGzipRun, submitRun, ...(raw ? [{ load: raw.load }] : [])]),
    "- Scan page: served from a short-lived cache of the rendered page per code, language, Beijing day and roster version (SCAN_CACHE_SECONDS, default 30), with its gzip made once per cache entry. No database query runs per request on a hit. Per request (issue 17): helmet's headers are worked out once at start-up (@fastify/helmet rebuilt its middleware and re-parsed the CSP for every request, ~8% of the CPU in a profile), the msj_submit cookie value is cut from a pooled block of random bytes (one randomBytes call per 256 visitors), and the compress plugin's hooks do not run on this route (its body is already compressed); a weak ETag is made once per cached page, and a browser coming back with it gets a 304. A CPU profile of the compiled server under this load (2026-12-05, quiet machine) puts 37% of the API's CPU in the kernel's socket writes (writev: on loopback the sender also pays for the receiving side) of an 8 KB answer with ~20 headers against the hello-world's 11 bytes, 10% in garbage collection (the start flags keep the young generation small for the memory budget, bench:footprint) and the rest in Fastify's hooks (rate limiter, cookies, request ids, metrics histogram) and TypeBox validation of the code and ?lang=. At ~9–10k answers/s with the API's core busy, each answer costs ~110 µs of CPU, ~40 µs of it the write: even with nothing else per request the page would top out near 25k/s on loopback, ~0.4 of the hello-world; the 0.5 goal is out of reach for the uncompressed 8 KB page against an 11-byte one on this machine. The gzip answer is half as long; what it leaves is mostly Fastify's per-request work.",
    "- Submissions: the batcher works — under 50 clients the cases of the one committee commit together (one counter lock, one WAL flush per batch; a statement log of a 4 s run showed 552 cases in 29 commits), so the flush is no longer the limit; CPU is. Measured over a 10 s run (2026-12-05, quiet, /proc CPU times, 1,908 submissions): the API spent ~3.8 ms of CPU per submission and PostgreSQL ~2.8 ms, against ~0.1 ms of PostgreSQL per raw INSERT; both cores were busy (API ~75%, PostgreSQL ~50%, the load generator the rest). A submission is ~15 statements: 4 reads of the code's context, 9 in the batch (savepoint, case, events, audit row, number, the member's notice settings, the channels, the notice, release) and 2 by the notice delivery after commit. In the API's profile, drizzle building SQL text takes ~1.25 ms per submission (its `is()` class checks alone 6% of the CPU) and the socket writes of the statements ~1 ms. Reaching 0.5 of the raw INSERT rate would need ~20× less CPU per submission: multi-row statements for a whole batch, the context cached and no query builder on this path — not done. The figure is per committee; a county sees a few hundred requests a year, a province ~10^6 a year (~0.03/s on average).",
    '- Still not done: fewer round trips per case inside a batch (the notices and the audit row could be written for the whole batch in one statement each); numbering without gap-free numbers was not considered (counties audit against them).',
    '',
  )
  // The marked sections belong to the other benchmarks (bench:cases, bench:web, …): carried over as they were.
  const kept = markedSections()
  writeFileSync(BENCHMARKS_FILE, results.join('\n') + (kept.length ? `\n${kept.join('\n\n')}\n` : ''))
  console.log(results.join('\n'))
  if (dbUrl) {
    const admin = new pg.Client({ connectionString: PG_URL })
    await admin.connect()
    await admin.query(`drop database if exists ${new URL(dbUrl).pathname.slice(1)} with (force)`)
    await admin.end()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})

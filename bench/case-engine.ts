import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { freePort, start, stop } from './processes'
import pg from 'pg'
import { beijingInstant, type MetricsReport } from '@mashangjian/shared'
import { openPostgres, type Database } from '../api/src/db/database'
import { migrate } from '../api/src/db/migrate'
import { hashPassword } from '../api/src/auth/passwords'
import type { Actor } from '../api/src/auth/actor'
import { systemClock } from '../api/src/clock'
import { createMemberCasesRepo } from '../api/src/cases/member-cases-repo'
import { createMetricsService } from '../api/src/metrics/metrics-service'
import { createMetricsAggregator } from '../api/src/metrics/metrics-aggregator'
import { createDeadlinesRepo } from '../api/src/deadlines/deadlines-repo'
import { seed, type SeedResult } from './case-engine-seed'
import { explain, recordingDb, type Plan } from './case-engine-explain'
import { renderReport, type LatencyRun, type SequentialRun } from './case-engine-report'
import { writeSection } from './benchmarks-doc'
import { buildAggregates } from './case-engine-aggregates'

/**
 * `npm run bench:cases` (issue 5): the inbox and the metrics at 10^6 cases on PostgreSQL. Seeds a fresh
 * database, starts the API on it as a child process, measures over loopback with autocannon, EXPLAINs the
 * queries the same repositories send, writes its section of docs/BENCHMARKS.md and drops the database.
 *
 * Knobs (for trying it small): BENCH_CASES (1,000,000), BENCH_BATCH (50,000), BENCH_SECONDS per load run (10),
 * BENCH_CASE_EVENTS=0 to skip the submitted/assigned timeline events, BENCH_WRITE_DOCS=0 to only print,
 * BENCH_KEEP_DATABASE=1 to keep the seeded database for a closer look (drop it yourself afterwards).
 */
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const CASES = Number(process.env.BENCH_CASES ?? 1_000_000)
const BATCH = Number(process.env.BENCH_BATCH ?? 50_000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const EVENTS = process.env.BENCH_CASE_EVENTS !== '0'
const WRITE_DOCS = process.env.BENCH_WRITE_DOCS !== '0'
const KEEP_DATABASE = process.env.BENCH_KEEP_DATABASE === '1'
const METRICS_REQUESTS = 20
/** A slow metrics endpoint must not make the whole benchmark slow: stop a scope's series after this long. */
const METRICS_BUDGET_MS = 150_000
const PASSWORD = 'bench-password-2026'
const YEAR_FROM = beijingInstant('2026-01-01')
const YEAR_TO = beijingInstant('2027-01-01')

const log = (msg: string) => process.stderr.write(`${msg}\n`)

// ---- measuring ----

/** autocannon's histogram has 1 ms steps; percentiles come from the per-response times instead (sub-ms). */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

async function load(url: string, token: string, connections: number, seconds: number): Promise<LatencyRun> {
  const times: number[] = []
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections, duration: seconds, headers: { authorization: `Bearer ${token}` } }, (err, r) =>
      err ? reject(err) : resolve(r),
    )
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status === 200) times.push(ms)
    })
  })
  times.sort((a, b) => a - b)
  return {
    connections,
    seconds,
    requests: times.length,
    rps: result.requests.average,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: times.at(-1) ?? NaN,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    load: loadavg()[0]!,
  }
}

async function sequential(url: string, token: string): Promise<SequentialRun> {
  const get = async () => {
    const t = performance.now()
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
    const body = await res.text()
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${body.slice(0, 300)}`)
    return { ms: performance.now() - t, body }
  }
  const first = await get()
  const times: number[] = []
  const started = performance.now()
  while (times.length < METRICS_REQUESTS && performance.now() - started < METRICS_BUDGET_MS) times.push((await get()).ms)
  const sorted = [...times].sort((a, b) => a - b)
  return {
    firstMs: first.ms,
    requests: times.length,
    p50: percentile(sorted, 50),
    max: sorted.at(-1) ?? NaN,
    load: loadavg()[0]!,
    report: JSON.parse(first.body) as MetricsReport,
  }
}

async function login(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  })
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { accessToken: string }).accessToken
}

// ---- the run ----

const cleanups: (() => Promise<void>)[] = []
async function cleanup() {
  while (cleanups.length > 0) await cleanups.pop()!().catch((err) => log(`cleanup: ${(err as Error).message}`))
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`)
    void cleanup().finally(() => process.exit(130))
  })
}

async function main() {
  const started = performance.now()
  const now = new Date()
  const name = `msj_bench_cases_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  cleanups.push(async () => {
    if (KEEP_DATABASE) {
      log(`kept database ${name} (BENCH_KEEP_DATABASE=1): drop it with  drop database ${name} with (force)`)
      return
    }
    const c = new pg.Client({ connectionString: PG_URL })
    await c.connect()
    await c.query(`drop database if exists ${name} with (force)`)
    await c.end()
    log(`dropped database ${name}`)
  })
  const u = new URL(PG_URL)
  u.pathname = `/${name}`
  const dbUrl = u.toString()
  log(`database ${name}`)

  const database: Database = await openPostgres(dbUrl)
  cleanups.push(() => database.close())
  await migrate(database)

  // Cases fill 2026 up to the moment of the run (Beijing time): the API runs on the real clock, and cases
  // dated later than now would be "from the future" to its deadline sweep and inbox.
  const to = new Date(Math.min(YEAR_TO.getTime(), now.getTime() - 10 * 60_000))
  const seedClient = new pg.Client({ connectionString: dbUrl })
  await seedClient.connect()
  let seeded: SeedResult
  try {
    seeded = await seed(seedClient, { cases: CASES, batch: BATCH, events: EVENTS, from: YEAR_FROM, to: to > YEAR_FROM ? to : YEAR_TO, now })
  } finally {
    await seedClient.end()
  }
  log(`seeded ${seeded.rows.cases.toLocaleString('en-US')} cases in ${(seeded.casesMs / 1000).toFixed(1)} s`)

  const measureCatchUp = await buildAggregates(database)

  // The member to sign in as: the one whose case count is the median.
  const pool = database.pool!
  const { rows: perMember } = await pool.query<{ member_id: string; committee_id: string; n: number; open: number }>(`
    select member_id, min(committee_id::text) as committee_id, count(*)::int as n,
      count(*) filter (where status in ('accepted', 'in_progress'))::int as open
    from cases where member_id is not null group by member_id order by n`)
  const typical = perMember[Math.floor(perMember.length / 2)]!
  const county = seeded.counties.find((c) => c.id === typical.committee_id)!
  const passwordHash = await hashPassword(PASSWORD)
  const { rows: users } = await pool.query<{ id: string; username: string }>(
    `insert into app_user (username, display_name, role, committee_id, member_id, password_hash)
    values ('bench-member', '基准委员', 'member', $1, $2, $4), ('bench-province', '省政协办公室', 'committee_admin', $3, null, $4),
      ('bench-county', '县政协办公室', 'committee_admin', $1, null, $4)
    returning id, username`,
    [typical.committee_id, typical.member_id, seeded.provinceId, passwordHash],
  )
  const userId = (u: string) => users.find((r) => r.username === u)!.id

  // ---- over HTTP ----
  const dataDir = mkdtempSync(path.join(tmpdir(), 'msj-bench-cases-'))
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }))
  log('starting the API')
  const server = await start(
    ['api/src/server.ts'],
    {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: dbUrl,
      LOG_LEVEL: 'error',
      SEED_DEMO: 'false',
      ACCESS_TOKEN_TTL_SECONDS: '3600',
    },
    /running at http:\/\/localhost:(\d+)/,
  )
  cleanups.push(() => stop(server.child))
  const base = `http://127.0.0.1:${server.match[1]}`
  const memberToken = await login(base, 'bench-member')
  const provinceToken = await login(base, 'bench-province')
  const countyToken = await login(base, 'bench-county')

  const inboxUrl = (filter: string) => `${base}/api/v1/me/cases?filter=${filter}&limit=20`
  const firstPage = (await (await fetch(inboxUrl('all'), { headers: { authorization: `Bearer ${memberToken}` } })).json()) as {
    items: unknown[]
    counts: Record<string, number>
  }
  if (firstPage.items.length === 0 || firstPage.items.length !== Math.min(20, firstPage.counts.all ?? 0))
    throw new Error(`inbox answered ${firstPage.items.length} items: ${JSON.stringify(firstPage).slice(0, 300)}`)

  const http: Record<string, LatencyRun> = {}
  for (const [key, url] of [
    ['me', `${base}/api/v1/me`],
    ['open', inboxUrl('open')],
    ['all', inboxUrl('all')],
  ] as const) {
    log(`load: ${url}`)
    await load(url, memberToken, 1, 2) // warm-up: JIT, connection pool, plan and buffer caches
    http[`${key}:1`] = await load(url, memberToken, 1, SECONDS)
    http[`${key}:10`] = await load(url, memberToken, 10, SECONDS)
  }
  const metricsUrl = (id: string) => `${base}/api/v1/metrics?scope=committee&id=${id}&from=2026-01-01&to=2027-01-01`
  log('metrics: county-year')
  const countyMetrics = await sequential(metricsUrl(county.id), countyToken)
  log('metrics: province-year')
  const provinceMetrics = await sequential(metricsUrl(seeded.provinceId), provinceToken)
  await stop(server.child)

  // ---- the same queries in-process, EXPLAINed ----
  log('explain')
  const rec = recordingDb(pool)
  const member: Actor = { userId: userId('bench-member'), role: 'member', committeeId: typical.committee_id, memberId: typical.member_id, stationIds: [] }
  const adminOf = (user: string, committeeId: string): Actor => ({ userId: userId(user), role: 'committee_admin', committeeId, memberId: null, stationIds: [] })
  const inboxRepo = createMemberCasesRepo(rec.db)
  const metrics = createMetricsService({ db: rec.db, clock: systemClock, aggregator: createMetricsAggregator(rec.db) })
  const metricsLabel = (sql: string) =>
    sql.includes('from metric_month')
      ? 'summaries (pre-aggregated months and edge days)'
      : sql.includes('c.accept_due_at <')
        ? 'overdue (live, on cases)'
        : null
  const queries = [
    ...(await rec.capture(
      () => inboxRepo.list(member, { filter: 'open' }, new Date(), 20),
      () => "inbox list, filter=open (member's first page)",
    )),
    ...(await rec.capture(
      () => inboxRepo.list(member, { filter: 'all' }, new Date(), 20),
      () => "inbox list, filter=all (member's first page)",
    )),
    ...(await rec.capture(
      () => inboxRepo.counts(member, new Date()),
      () => 'inbox counts (same request)',
    )),
    ...(
      await rec.capture(
        () => metrics.report(adminOf('bench-province', seeded.provinceId), { scope: 'committee', id: seeded.provinceId, from: '2026-01-01', to: '2027-01-01' }),
        metricsLabel,
      )
    ).map((q) => ({ ...q, label: `metrics, province-year: ${q.label}` })),
    ...(
      await rec.capture(
        () => metrics.report(adminOf('bench-county', county.id), { scope: 'committee', id: county.id, from: '2026-01-01', to: '2027-01-01' }),
        metricsLabel,
      )
    ).map((q) => ({ ...q, label: `metrics, county-year: ${q.label}` })),
  ]
  const plans: Plan[] = []
  for (const q of queries) plans.push(await explain(pool, q))

  // The API's deadline sweep runs these every minute next to the requests measured above.
  const deadlines = createDeadlinesRepo(rec.db)
  const sweep: { name: string; ms: number }[] = []
  const sweepCalls: [string, (t: Date) => Promise<unknown>][] = [
    ['acceptDueSoon', (t) => deadlines.acceptDueSoon(t, new Date(t.getTime() + 3_600_000))],
    ['acceptTimedOut', (t) => deadlines.acceptTimedOut(t)],
    ['resolveDueSoon', (t) => deadlines.resolveDueSoon(t, new Date(t.getTime() + 86_400_000))],
    ['newlyOverdue', (t) => deadlines.newlyOverdue(t)],
    ['unratedSince', (t) => deadlines.unratedSince(t)],
  ]
  for (const [name, call] of sweepCalls) {
    await call(new Date()) // warm, like a sweep that ran a minute ago
    const t = performance.now()
    const [q] = await rec.capture(
      () => call(new Date()),
      () => `deadline sweep: ${name}`,
    )
    sweep.push({ name, ms: performance.now() - t })
    plans.push(await explain(pool, q!))
  }

  // The inbox request below HTTP: the service's two repository calls, in its order, on the app's own pool.
  const repo = createMemberCasesRepo(database.db)
  const inProcess: Record<string, { p50: number; p99: number; n: number }> = {}
  for (const filter of ['open', 'all'] as const) {
    const once = async () => {
      const t = performance.now()
      await repo.list(member, { filter }, new Date(), 20)
      await repo.counts(member, new Date())
      return performance.now() - t
    }
    for (let i = 0; i < 50; i++) await once()
    const times: number[] = []
    for (let i = 0; i < 500; i++) times.push(await once())
    times.sort((a, b) => a - b)
    inProcess[filter] = { p50: percentile(times, 50), p99: percentile(times, 99), n: times.length }
  }

  const aggregates = await measureCatchUp()

  const {
    rows: [mix],
  } = await pool.query<{ mix: Record<string, number> }>(
    `select jsonb_object_agg(status, n) as mix from (select status, count(*)::int n from cases group by status) s`,
  )
  const {
    rows: [pgInfo],
  } = await pool.query<{ version: string; buffers: string }>(
    "select current_setting('server_version') as version, current_setting('shared_buffers') as buffers",
  )
  const counts = perMember.map((r) => r.n)
  const section = renderReport({
    date: now.toISOString().slice(0, 10),
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, PostgreSQL ${pgInfo!.version} (local, shared_buffers ${pgInfo!.buffers})`,
    seconds: SECONDS,
    events: EVENTS,
    batch: BATCH,
    seeded,
    spanTo: to,
    statusMix: mix!.mix,
    members: { count: counts.length, min: counts[0]!, median: typical.n, max: counts.at(-1)!, chosenOpen: typical.open },
    inboxCounts: firstPage.counts,
    http,
    inProcess,
    countyMetrics,
    provinceMetrics,
    countyCode: county.shortCode,
    plans,
    sweep,
    aggregates,
    totalMs: performance.now() - started,
  })
  console.log(section)
  if (WRITE_DOCS) {
    writeSection('case-engine', section)
    log('docs/BENCHMARKS.md: case-engine section written')
  }
}

main()
  .catch((err) => {
    console.error(err)
    process.exitCode = 1
  })
  .finally(() => cleanup())

import { Writable } from 'node:stream'
import { once } from 'node:events'
import type { FastifyReply } from 'fastify'
import { openPostgres } from '../api/src/db/database'
import type { Actor } from '../api/src/auth/actor'
import { systemClock } from '../api/src/clock'
import { queryRows } from '../api/src/db/database'
import { sql } from 'drizzle-orm'
import { createMetricsAggregator } from '../api/src/metrics/metrics-aggregator'
import { createDashboardService } from '../api/src/dashboard/dashboard-service'
import { createLedgerService } from '../api/src/ledger/ledger-service'
import { createDepartmentFiguresService } from '../api/src/dashboard/department-figures-service'
import { createExportsService } from '../api/src/exports/exports-service'
import { createMemberCasesRepo } from '../api/src/cases/member-cases-repo'
import { createMetricsRepo } from '../api/src/metrics/metrics-repo'
import { createLedgerRepo } from '../api/src/ledger/ledger-repo'
import { createDepartmentFiguresRepo } from '../api/src/dashboard/department-figures-repo'
import { sendTable, type TableExport } from '../api/src/exports/table-stream'

/**
 * The admin data services (dashboard, rankings, overdue list, ledgers, streamed exports) on the database that
 * `BENCH_KEEP_DATABASE=1 npm run bench:cases` seeded and kept (10^6 cases, aggregates built):
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/msj_bench_cases_… npm run bench:admin
 *
 * Calls the services in process (no HTTP), sequentially, warm after the first call; prints a Markdown table.
 */
const URL_ = process.env.BENCH_DATABASE_URL
if (!URL_) throw new Error('BENCH_DATABASE_URL: the database kept by BENCH_KEEP_DATABASE=1 npm run bench:cases')
const RUNS = Number(process.env.BENCH_RUNS ?? 10)

const database = await openPostgres(URL_)
const db = database.db
const [province] = await queryRows<{ id: string }>(db, sql`select id from committee where level = 'province' limit 1`)
const [county] = await queryRows<{ id: string; name: string }>(
  db,
  sql`
  select k.id, k.name from committee k where k.level = 'county' order by (select count(*) from cases c where c.committee_id = k.id) desc limit 1`,
)
const [station] = await queryRows<{ id: string }>(
  db,
  sql`
  select s.id from station s where s.committee_id = ${county!.id} order by (select count(*) from cases c where c.station_id = s.id) desc limit 1`,
)
const admin = (committeeId: string): Actor => ({
  userId: '00000000-0000-4000-8000-000000000000',
  role: 'committee_admin',
  committeeId,
  memberId: null,
  stationIds: [],
})
const noAudit = { record: async () => {} }
const aggregator = createMetricsAggregator(db)
// Wired as api/src/services.ts wires them.
const metricsRepo = createMetricsRepo(db)
const memberCases = createMemberCasesRepo(db)
const figuresRepo = createDepartmentFiguresRepo(db)
const dashboard = createDashboardService({ db, metrics: metricsRepo, casesRepo: memberCases, clock: systemClock, aggregator })
const ledger = createLedgerService({ db, repo: createLedgerRepo(db), scopes: metricsRepo, clock: systemClock, audit: noAudit, aggregator })
const exportsService = createExportsService({
  db,
  cases: memberCases,
  handoffs: figuresRepo,
  ledger,
  departmentFigures: createDepartmentFiguresService({ repo: figuresRepo, metrics: metricsRepo, clock: systemClock }),
  audit: noAudit,
  clock: systemClock,
})
const year = { from: '2026-01-01', to: '2027-01-01' }

async function time(label: string, call: () => Promise<unknown>, runs = RUNS): Promise<string> {
  const t0 = performance.now()
  await call()
  const first = performance.now() - t0
  const ms: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await call()
    ms.push(performance.now() - t)
  }
  ms.sort((a, b) => a - b)
  return `| ${label} | ${first.toFixed(1)} ms | ${ms[Math.floor(ms.length / 2)]!.toFixed(1)} ms | ${ms.at(-1)!.toFixed(1)} ms |`
}

/** Streams an export into a byte counter through the same sendTable as the route; answers rows, bytes, ms, peak RSS growth. */
async function streamed<T>(t: TableExport<T>) {
  let bytes = 0
  let rows = 0
  const rss0 = process.memoryUsage().rss
  let peak = rss0
  const sink = new Writable({
    write(chunk, _enc, done) {
      bytes += chunk.length
      peak = Math.max(peak, process.memoryUsage().rss)
      done()
    },
  })
  const started = performance.now()
  const reply = {
    log: console,
    header() {
      return reply
    },
    send(stream: NodeJS.ReadableStream) {
      stream.pipe(sink)
      return reply
    },
  } as unknown as FastifyReply
  const recorded = new Promise<void>((resolve) => {
    // The reply is a stand-in here; sendTable's return value (the reply, a thenable) has nothing to wait for.
    void sendTable(reply, {
      ...t,
      onDone: async (n) => {
        rows = n
        resolve()
      },
    })
  })
  await once(sink, 'finish')
  await recorded
  return { rows, bytes, ms: performance.now() - started, rssMb: (peak - rss0) / 1_048_576 }
}

const lines = [
  '| call | first | p50 | max |',
  '|---|---|---|---|',
  await time('dashboard summary, province-year vs previous year', () =>
    dashboard.summary(admin(province!.id), { scope: 'committee', id: province!.id, ...year }),
  ),
  await time(`dashboard summary, ${county!.name}-year`, () => dashboard.summary(admin(county!.id), { scope: 'committee', id: county!.id, ...year })),
  await time('rankings by station, province-year', () =>
    dashboard.rankings(admin(province!.id), { scope: 'committee', id: province!.id, dimension: 'station', ...year }),
  ),
  await time('rankings by sector, province-year', () =>
    dashboard.rankings(admin(province!.id), { scope: 'committee', id: province!.id, dimension: 'sector', ...year }),
  ),
  await time('rankings by member, province-year', () =>
    dashboard.rankings(admin(province!.id), { scope: 'committee', id: province!.id, dimension: 'member', ...year }),
  ),
  await time('rankings by member, busiest station (live from its cases)', () =>
    dashboard.rankings(admin(county!.id), { scope: 'station', id: station!.id, dimension: 'member', ...year }),
  ),
  await time('overdue list, province, first page of 20', () => dashboard.overdue(admin(province!.id), { scope: 'committee', id: province!.id })),
  await time('ledgers, county, first page of 50', () => ledger.list(admin(county!.id), { scope: 'committee', id: county!.id, year: 2026 })),
]
console.log(lines.join('\n'))
const ledgerExport = await streamed(await exportsService.ledgers(admin(province!.id), { scope: 'committee', id: province!.id, year: 2026 }, 'csv', null))
console.log(
  `\nledger CSV, province (every member): ${ledgerExport.rows} rows, ${(ledgerExport.bytes / 1e6).toFixed(1)} MB in ${(ledgerExport.ms / 1000).toFixed(1)} s, RSS +${ledgerExport.rssMb.toFixed(0)} MB`,
)
for (const format of ['csv', 'xlsx'] as const) {
  const r = await streamed(exportsService.cases(admin(county!.id), { from: '2026-01-01', to: '2027-01-01' }, format, null))
  console.log(
    `cases ${format.toUpperCase()}, ${county!.name}-year: ${r.rows} rows, ${(r.bytes / 1e6).toFixed(1)} MB in ${(r.ms / 1000).toFixed(1)} s (${Math.round(r.rows / (r.ms / 1000))} rows/s), RSS +${r.rssMb.toFixed(0)} MB`,
  )
}
await database.close()

import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { NGINX, startNginx } from '../api/test/support/nginx'
import { writeSection } from './benchmarks-doc'
import { buildCompiled, freePort, quietBefore, ROOT, serverNodeArgs, uptime } from './processes'
import { login, memberLoop, scanLoop, streamLoop, submitLoop, tally, type Acked, type Tally } from './cluster-load'

/**
 * `npm run bench:cluster` (issue 17, scale-out proof): three API processes on one fresh PostgreSQL database behind
 * Debian's nginx (the proxy docker-compose uses, so its failover is the one measured), a bounded mixed load on
 * 127.0.0.1, one API process killed with SIGKILL half-way; then every acknowledged submission and member action is
 * looked up in the database. Results go to docs/BENCHMARKS.md (section `cluster`).
 */
const SECONDS = Number(process.env.BENCH_CLUSTER_SECONDS ?? 30)
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const MEMBERS = [
  ['王建国', 'wangjianguo'],
  ['李秀兰', 'lixiulan'],
  ['张志强', 'zhangzhiqiang'],
] as const
const SCANNERS = 8
const SUBMITTERS = 6
const WARMUP_SECONDS = 5

/**
 * How one API process is started: as `npm start` and the image run it, node itself (the signal reaches the server)
 * on the compiled bundle, built by scripts/build.mjs, which this bench runs first.
 */
export function startApiProcess(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, serverNodeArgs(), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
}

async function healthy(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`API on ${port} exited ${child.exitCode}`)
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`API on ${port} not healthy after ${timeoutMs} ms`)
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0
}

async function main() {
  // Other work on the machine, judged before this benchmark starts anything (its own processes load it later).
  const loadBefore1 = loadavg()[0]!
  if (!existsSync(NGINX)) {
    console.error(`bench:cluster needs Debian's nginx at ${NGINX} (the proxy docker-compose uses): apt-get install nginx, or NGINX_PATH=/path/to/nginx`)
    process.exit(1)
  }
  console.log('building (only what changed) …')
  buildCompiled()
  const admin = new pg.Client({ connectionString: PG_URL })
  await admin.connect()
  const dbName = `msj_cluster_${Date.now()}`
  await admin.query(`create database ${dbName}`)
  const url = new URL(PG_URL)
  url.pathname = `/${dbName}`
  const dataDir = mkdtempSync(path.join(tmpdir(), 'msj-cluster-'))
  const ports = await Promise.all([freePort(), freePort(), freePort()])
  const proxyPort = await freePort()
  const env = (port: number) => ({
    DATABASE_URL: url.toString(),
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SEED_DEMO: 'true',
    TRUST_PROXY: 'true',
    PUBLIC_BASE_URL: `http://127.0.0.1:${proxyPort}`,
    LOG_LEVEL: 'warn',
    // One client address (127.0.0.1) stands for thousands of residents here: the per-address limits would measure themselves.
    SCAN_RATE_LIMIT_PER_MINUTE: '10000000',
    SUBMIT_RATE_LIMIT_PER_IP_PER_HOUR: '100000',
    SUBMIT_RATE_LIMIT_PER_CODE_PER_HOUR: '100000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
  })
  const started = Date.now()
  const apis = ports.map((port) => startApiProcess(env(port)))
  const stderr = apis.map(() => '')
  apis.forEach((c, i) => c.stderr!.on('data', (d: Buffer) => (stderr[i] += d.toString())))
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 })
  pool.on('error', () => undefined) // an idle connection ended by the final drop database
  let proxy: Awaited<ReturnType<typeof startNginx>> | undefined
  try {
    // Inside the try: a proxy that cannot start still leaves no API process, database or folder behind.
    proxy = await startNginx({ upstreams: ports, port: proxyPort })
    await Promise.all(apis.map((c, i) => healthy(ports[i]!, c, 240_000)))
    const startSeconds = (Date.now() - started) / 1000
    const base = `http://127.0.0.1:${proxyPort}`
    const codeOf = async (name: string) =>
      (await pool.query<{ code: string }>(`select q.code from qr_code q join member m on m.id = q.member_id where m.name = $1 and q.status = 'active'`, [name]))
        .rows[0]!.code
    const codes = await Promise.all(MEMBERS.map(([name]) => codeOf(name)))
    const tokens = await Promise.all(MEMBERS.map(([, username]) => login(base, username)))
    const acked: Acked = { submissions: [], actions: [], resendSame: 0, resendOther: 0 }
    // The streams need more than one token per member (at most a few streams per account).
    const streamTokens = [...tokens, ...(await Promise.all(MEMBERS.map(([, username]) => login(base, username))))]

    // Warm-up, not counted (first requests compile routes and fill caches); its acknowledged submissions are checked too.
    const loadBefore = uptime()
    const warm = Date.now() + WARMUP_SECONDS * 1000
    await Promise.all([
      ...Array.from({ length: SCANNERS }, () => scanLoop(base, codes, tally(), warm)),
      ...Array.from({ length: SUBMITTERS }, (_, w) => submitLoop(base, codes, w + 100, tally(), acked, warm)),
      ...tokens.map((token) => memberLoop(base, token, tally(), acked, warm)),
    ])
    const scans = tally()
    const submits = tally()
    const actions = tally()
    const stream = { events: 0, connects: 0, drops: 0 }
    const until = Date.now() + SECONDS * 1000
    const killAt = Date.now() + (SECONDS * 1000) / 2
    const snapshot = () => ({ at: Date.now(), scans: scans.ok, submits: submits.ok, actions: actions.ok })
    let beforeKill = snapshot()
    const begin = snapshot()
    const victim = apis[1]!
    const kill = new Promise<void>((resolve) =>
      setTimeout(() => {
        beforeKill = snapshot()
        victim.kill('SIGKILL')
        resolve()
      }, killAt - Date.now()),
    )
    await Promise.all([
      kill,
      ...Array.from({ length: SCANNERS }, () => scanLoop(base, codes, scans, until)),
      ...Array.from({ length: SUBMITTERS }, (_, w) => submitLoop(base, codes, w, submits, acked, until)),
      ...tokens.map((token) => memberLoop(base, token, actions, acked, until)),
      ...streamTokens.map((token) => streamLoop(base, token, stream, until)),
    ])
    const end = snapshot()

    // Every acknowledged write, looked up in the database.
    const subRows = await pool.query<{ public_no: string; description: string }>(`select public_no, description from cases where description like '集群压测%'`)
    const byNo = new Map(subRows.rows.map((r) => [r.public_no, r.description]))
    const lostSubmissions = acked.submissions.filter((s) => byNo.get(s.publicNo) !== s.description).length
    const perDescription = new Map<string, number>()
    for (const r of subRows.rows) perDescription.set(r.description, (perDescription.get(r.description) ?? 0) + 1)
    const duplicated = [...perDescription.values()].filter((n) => n > 1).length
    const unacked = subRows.rows.length - new Set(acked.submissions.map((s) => s.description)).size
    const events = await pool.query<{ op_id: string; case_id: string }>(`select op_id, case_id from case_event where op_id = any($1::uuid[])`, [
      acked.actions.map((a) => a.opId),
    ])
    const eventByOp = new Map(events.rows.map((r) => [r.op_id, r.case_id]))
    const lostActions = acked.actions.filter((a) => eventByOp.get(a.opId) !== a.caseId).length

    const load = uptime()
    const rate = (from: ReturnType<typeof snapshot>, to: ReturnType<typeof snapshot>, k: 'scans' | 'submits' | 'actions') =>
      ((to[k] - from[k]) / ((to.at - from.at) / 1000)).toFixed(1)
    const row = (name: string, k: 'scans' | 'submits' | 'actions', t: Tally) =>
      `| ${name} | ${t.ok} | ${rate(begin, beforeKill, k)} | ${rate(beforeKill, end, k)} | ${pct(t.latencies, 50).toFixed(1)} / ${pct(t.latencies, 99).toFixed(1)} | ${t.failed} | ${t.noAnswer} | ${t.retried} |`
    const verdict = lostSubmissions === 0 && lostActions === 0 && duplicated === 0 && acked.resendOther === 0
    const body = `## Scale-out (issue 17): \`npm run bench:cluster\`

Written by \`npm run bench:cluster\` (bench/cluster.ts). Three API processes (\`node api/dist/server.js\`, the compiled server, as \`npm start\` and the image run it) on one fresh PostgreSQL database, behind Debian's nginx (${spawnSync(NGINX, ['-v']).stderr.toString().trim()}) as the round-robin proxy (the proxy of docker-compose; a dead upstream's connection errors go to the next one, POSTs are never replayed by nginx). Load on 127.0.0.1 for ${SECONDS} s: ${SCANNERS} scan-page clients, ${SUBMITTERS} residents submitting with an \`Idempotency-Key\` (every 4th acknowledged submission sent again with the same key), ${MEMBERS.length} members accepting and resolving their new cases (one opId per action, kept across retries), ${streamTokens.length} live streams (SSE). A client retries with the same key/opId while it gets no answer or a 502/503/504. A ${WARMUP_SECONDS} s warm-up (not counted; its writes are checked too) precedes the run. One API process was killed with SIGKILL after ${SECONDS / 2} s and not restarted.

Last run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}. Three processes healthy ${startSeconds.toFixed(1)} s after a simultaneous start on the empty database. Machine load before the warm-up: \`${loadBefore}\`; at the end: \`${load}\` (1-minute load ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores, this benchmark's own processes counted: three API processes, nginx, PostgreSQL and the load generator share the cores, so the rates are a floor).${!quietBefore(loadBefore1) ? ` Other work loaded the machine before the benchmark started (1-minute load ${loadBefore1.toFixed(2)}): the rates and latencies below measure the contention for the cores, not the API; what this run proves is the last paragraph.` : ''}

| Requests | 2xx | per s before kill | per s after kill | latency p50 / p99 ms | 5xx/429 answers | no answer | retries |
| --- | --- | --- | --- | --- | --- | --- | --- |
${row('scan page', 'scans', scans)}
${row('submissions (+ resends)', 'submits', submits)}
${row('member actions + inbox reads', 'actions', actions)}

Live streams: ${stream.connects} connections, ${stream.drops} dropped (the killed process's, and at the end), ${stream.events} \`change\` events received.

**Acknowledged writes lost: ${lostSubmissions} of ${acked.submissions.length} submissions, ${lostActions} of ${acked.actions.length} member actions** (each looked up by public number and text, and by opId and case). Submissions stored twice: ${duplicated}. Resends with the same key: ${acked.resendSame} answered with the same case, ${acked.resendOther} with another. Stored but never acknowledged (the answer died with the process and no retry got through): ${Math.max(0, unacked)}. Verdict: ${verdict ? 'nothing acknowledged was lost or duplicated' : '**FAILED**'}.
`
    writeSection('cluster', body)
    console.log(body)
    if (!verdict) process.exitCode = 1
  } catch (err) {
    console.error(err, stderr.join('\n'))
    process.exitCode = 1
  } finally {
    for (const c of apis) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM')
    await Promise.all(apis.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => c.once('exit', r)))))
    await proxy?.stop()
    await pool.end()
    await admin.query(`drop database if exists ${dbName} with (force)`)
    await admin.end()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

await main()

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeProviders, type FakeProviders } from '../support/fake-providers'
import {
  acceptAll,
  configureAliyun,
  inBatches,
  killAllServers,
  outIdCounts,
  residentPhone,
  scanCodeOf,
  serverDatabase,
  startServer,
  submitCase,
  until,
  type NotifyServer,
  type OutboxRow,
  type ServerDatabase,
} from '../support/notify-process'
import { testDatabaseUrl } from '../support/test-db-url'

/**
 * Two API processes deliver one outbox (FOR UPDATE SKIP LOCKED and a lease): no notice goes out twice, none is
 * lost. Needs PostgreSQL; the embedded database is one process by design, so on the PGlite pass this is skipped.
 */
const CASES = 100
const BATCH = 10
/** Each process signs its residents' links with its own PUBLIC_BASE_URL: the fake's messages tell who sent them. */
const HOSTS = ['https://a.msj.example.cn', 'https://b.msj.example.cn'] as const

describe.skipIf(!testDatabaseUrl())('notification outbox with two delivering processes on one PostgreSQL database', () => {
  let fakes: FakeProviders
  let db: ServerDatabase
  beforeAll(async () => {
    fakes = await startFakeProviders()
    db = await serverDatabase({ requirePostgres: true })
  })
  afterAll(async () => {
    await killAllServers()
    await db?.close()
  })

  it(`${CASES} cases filed alternately at both processes: every notice delivered exactly once`, async () => {
    // One at a time on an empty database (issue 17: two first starts race in migrate/seed).
    const a = await startServer('A', { ...db.env, PUBLIC_BASE_URL: HOSTS[0] })
    const b = await startServer('B', { ...db.env, PUBLIC_BASE_URL: HOSTS[1] })
    const servers: NotifyServer[] = [a, b]
    await configureAliyun(a, fakes)
    const code = scanCodeOf(a)

    const started = performance.now()
    const filed = await inBatches(
      Array.from({ length: CASES }, (_, i) => () => submitCase(servers[i % 2]!, code, residentPhone())),
      BATCH,
    )
    const filedMs = Math.round(performance.now() - started)
    const publicNos = new Set(filed.map((c) => c.publicNo))
    expect(publicNos.size).toBe(CASES)

    // Done: our receipts all sent, and nothing due is left waiting or claimed (pushes without a subscription are skipped).
    const ours = (rows: OutboxRow[]) => rows.filter((r) => r.publicNo !== null && publicNos.has(r.publicNo))
    const rows = await until(
      'every due notice sent or skipped',
      async () => {
        const all = await db.outbox()
        const now = Date.now()
        const receipts = ours(all).filter((r) => r.templateKey === 'resident.received' && r.channel === 'sms')
        const open = all.filter((r) => r.status === 'sending' || (r.status === 'pending' && new Date(r.nextAttemptAt).getTime() <= now))
        return receipts.length === CASES && receipts.every((r) => r.status === 'sent') && open.length === 0 ? all : false
      },
      60_000,
      100,
    )
    const drainedMs = Math.round(performance.now() - started)
    const received = [...fakes.aliyun.received]
    expect(await Promise.all(servers.map((s) => s.stop()))).toEqual([0, 0])

    const counts = outIdCounts(fakes)
    const duplicates = [...counts].filter(([, n]) => n > 1)
    expect(duplicates).toEqual([])
    const sms = ours(rows).filter((r) => r.channel === 'sms')
    expect(sms).toHaveLength(CASES)
    // None missing, none extra: the provider got exactly the keys of the rows marked sent through it.
    expect(new Set(counts.keys())).toEqual(new Set(rows.filter((r) => r.status === 'sent' && r.provider === 'aliyun_sms').map((r) => r.key)))
    expect(sms.every((r) => counts.get(r.key) === 1)).toBe(true)
    // Every row of these cases was claimed once, whichever process claimed it: a sent one has one recorded
    // attempt; a skipped one (a push without a subscription) records none.
    const settled = ours(rows)
    expect(settled.filter((r) => r.attempts !== 1 || (r.status === 'sent' ? r.tries !== 1 : r.status !== 'skipped' || r.tries !== 0))).toEqual([])

    const byProcess = HOSTS.map((h) => received.filter((m) => m.params.url?.startsWith(`${h}/`)).length)
    expect(byProcess[0]! + byProcess[1]!).toBe(received.length)
    const skipped = settled.filter((r) => r.status === 'skipped').length
    console.info(
      `[outbox-two-processes] ${CASES} cases (${BATCH} at a time, alternating A/B) filed in ${filedMs} ms; ${settled.length} outbox rows (${sms.length} SMS sent, ${skipped} skipped: no push subscription); ${received.length} SMS received, ${duplicates.length} duplicates, 0 missing; sent by A ${byProcess[0]}, by B ${byProcess[1]}; drained ${drainedMs} ms after the first submission`,
    )
  }, 240_000)

  it(`a backlog written by an API-only process: both started at once, their start-up runs race over it, each notice goes out once`, async () => {
    fakes.aliyun.reset()
    const writer = await startServer('C', { ...db.env, NOTIFY_DELIVERY: 'false', PUBLIC_BASE_URL: 'https://c.msj.example.cn' })
    await configureAliyun(writer, fakes)
    const code = scanCodeOf(writer)
    const filed = await inBatches(
      Array.from({ length: CASES }, () => () => submitCase(writer, code, residentPhone())),
      BATCH,
    )
    const publicNos = new Set(filed.map((c) => c.publicNo))
    await acceptAll(writer, 'wangjianguo', [...publicNos])
    expect(await writer.stop()).toBe(0)
    const ours = (rows: OutboxRow[]) => rows.filter((r) => r.publicNo !== null && publicNos.has(r.publicNo))
    const backlog = ours(await db.outbox()).filter((r) => r.channel === 'sms')
    expect(backlog).toHaveLength(2 * CASES)
    expect(backlog.every((r) => r.status === 'pending' && r.attempts === 0)).toBe(true)
    expect(fakes.aliyun.requests).toBe(0)

    // The database is migrated and seeded now, so both may start together.
    const started = performance.now()
    const startedWall = Date.now()
    const servers = await Promise.all(HOSTS.map((h, i) => startServer(`${'AB'[i]}2`, { ...db.env, PUBLIC_BASE_URL: h })))
    const healthyMs = Math.round(performance.now() - started)
    const rows = await until(
      'the backlog delivered',
      async () => {
        const all = await db.outbox()
        const now = Date.now()
        const sms = ours(all).filter((r) => r.channel === 'sms')
        const open = all.filter((r) => r.status === 'sending' || (r.status === 'pending' && new Date(r.nextAttemptAt).getTime() <= now))
        return sms.every((r) => r.status === 'sent') && open.length === 0 ? all : false
      },
      60_000,
      100,
    )
    const drainedMs = Math.round(performance.now() - started)
    const received = [...fakes.aliyun.received]
    expect(await Promise.all(servers.map((s) => s.stop()))).toEqual([0, 0])

    const counts = outIdCounts(fakes)
    const duplicates = [...counts].filter(([, n]) => n > 1)
    expect(duplicates).toEqual([])
    const sms = ours(rows).filter((r) => r.channel === 'sms')
    expect(new Set(counts.keys())).toEqual(new Set(sms.map((r) => r.key)))
    expect(sms.filter((r) => r.attempts !== 1 || r.tries !== 1 || r.okTries !== 1)).toEqual([])
    const byProcess = HOSTS.map((h) => received.filter((m) => m.params.url?.startsWith(`${h}/`)).length)
    expect(byProcess[0]! + byProcess[1]!).toBe(received.length)
    const sentAt = sms.map((r) => new Date(r.sentAt!).getTime() - startedWall)
    console.info(
      `[outbox-two-processes] backlog: ${CASES} cases with ${sms.length} resident SMS written by an API-only process; two processes started together: ${received.length} received, ${duplicates.length} duplicates, 0 missing; sent by A ${byProcess[0]}, by B ${byProcess[1]}; both healthy ${healthyMs} ms after spawning, first SMS sent at ${Math.min(...sentAt)} ms, last at ${Math.max(...sentAt)} ms, drained (seen by the test) ${drainedMs} ms`,
    )
  }, 240_000)
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeProviders, type FakeProviders } from '../support/fake-providers'
import {
  acceptAll,
  configureAliyun,
  consoleOutbox,
  inBatches,
  killAllServers,
  login,
  outIdCounts,
  residentPhone,
  scanCodeOf,
  serverDatabase,
  startHoldingProxy,
  startServer,
  submitCase,
  until,
  type NotifyServer,
  type OutboxRow,
  type ServerDatabase,
} from '../support/notify-process'

/**
 * The outbox's promise with real processes and SIGKILL: a notice is written with its event and is never lost; it
 * reaches the provider exactly once when the process dies before or between sends, and at least once (twice only if
 * the provider had accepted it and the answer was lost) when it dies mid-send. Runs on the suite's database: a
 * PostgreSQL database of its own, or PGlite under a DATA_DIR (read by the test only while no server holds it).
 * Slow by nature (~3 min): a retry waits out its 30 s backoff, a claimed row its 60 s lease, then the minute tick.
 */
const N = 20
/** Each case gives two resident SMS: the receipt on submission, and "accepted" when the member accepts it. */
const SMS_PER_CASE = 2

describe('notification outbox survives SIGKILL', () => {
  let fakes: FakeProviders
  let db: ServerDatabase
  beforeAll(async () => {
    fakes = await startFakeProviders()
    db = await serverDatabase()
  })
  afterAll(async () => {
    await killAllServers()
    await db?.close()
  })

  /** Our cases' SMS rows. */
  const smsOf = (rows: OutboxRow[], publicNos: Set<string>) => rows.filter((r) => r.channel === 'sms' && r.publicNo !== null && publicNos.has(r.publicNo))

  /** Files N cases through the scan form and lets the member accept them: 2N resident SMS written. */
  async function fileCases(server: NotifyServer): Promise<Set<string>> {
    const code = scanCodeOf(server)
    const filed = await inBatches(
      Array.from({ length: N }, () => () => submitCase(server, code, residentPhone())),
      5,
    )
    const publicNos = filed.map((c) => c.publicNo)
    await acceptAll(server, 'wangjianguo', publicNos)
    return new Set(publicNos)
  }

  /** Waits (polling the console's list) until every SMS of these cases is sent; answers the ms since `started`. */
  async function drained(server: NotifyServer, publicNos: Set<string>, started: number, timeoutMs: number): Promise<number> {
    const token = await login(server, 'committee')
    await until(
      'every resident SMS sent',
      async () => {
        const rows = (await consoleOutbox(server, token)).filter((r) => r.channel === 'sms' && r.publicNo && publicNos.has(r.publicNo))
        return rows.length === N * SMS_PER_CASE && rows.every((r) => r.status === 'sent')
      },
      timeoutMs,
      250,
    )
    return Math.round(performance.now() - started)
  }

  /** With no server running: the database and the fake agree, and no key reached the provider twice. */
  async function exactlyOnce(publicNos: Set<string>) {
    const rows = smsOf(await db.outbox(), publicNos)
    expect(rows).toHaveLength(N * SMS_PER_CASE)
    expect(rows.filter((r) => r.status !== 'sent' || r.provider !== 'aliyun_sms' || r.okTries !== 1)).toEqual([])
    const counts = outIdCounts(fakes)
    expect([...counts].filter(([, n]) => n > 1)).toEqual([])
    expect(new Set(counts.keys())).toEqual(new Set(rows.map((r) => r.key)))
    expect(fakes.aliyun.received).toHaveLength(rows.length)
    return { rows, received: fakes.aliyun.received.length, duplicates: [...counts.values()].filter((n) => n > 1).length }
  }

  it(`an API-only process (NOTIFY_DELIVERY=false) SIGKILLed with ${N * SMS_PER_CASE} notices pending: the next process delivers each exactly once`, async () => {
    const api = await startServer('api-only', { ...db.env, NOTIFY_DELIVERY: 'false' })
    await configureAliyun(api, fakes)
    const publicNos = await fileCases(api)
    // Written, due, and untouched: this process never delivers.
    const token = await login(api, 'committee')
    const listed = (await consoleOutbox(api, token)).filter((r) => r.channel === 'sms' && r.publicNo && publicNos.has(r.publicNo))
    expect(listed).toHaveLength(N * SMS_PER_CASE)
    expect(listed.filter((r) => r.status !== 'pending' || r.attempts !== 0)).toEqual([])
    expect(fakes.aliyun.requests).toBe(0)

    await api.kill9()
    const atKill = smsOf(await db.outbox(), publicNos)
    expect(atKill).toHaveLength(N * SMS_PER_CASE)
    expect(atKill.filter((r) => r.status !== 'pending' || r.tries !== 0)).toEqual([])
    expect(new Set(atKill.map((r) => r.templateKey))).toEqual(new Set(['resident.received', 'resident.accepted']))

    const restarted = performance.now()
    const worker = await startServer('worker', db.env)
    const startMs = Math.round(performance.now() - restarted)
    const drainMs = await drained(worker, publicNos, restarted, 60_000)
    expect(await worker.stop()).toBe(0)
    const { received, duplicates } = await exactlyOnce(publicNos)
    console.info(
      `[outbox-crash ${db.kind}] API-only kill: ${N} cases, ${atKill.length} SMS notices pending at SIGKILL, ${received} received, ${duplicates} duplicates; restart to healthy ${startMs} ms, restart to all sent ${drainMs} ms`,
    )
  }, 240_000)

  it('a delivering process SIGKILLed while the provider throttles: after restart every notice arrives exactly once, after its backoff', async () => {
    fakes.aliyun.reset()
    // Alibaba's flow control answers every request until further notice: each notice is tried and backs off.
    fakes.aliyun.failNext('throttle', 100_000)
    const first = await startServer('deliverer', db.env)
    const publicNos = await fileCases(first)
    const token = await login(first, 'committee')
    await until(
      'every resident SMS tried once and backing off',
      async () => {
        const rows = (await consoleOutbox(first, token)).filter((r) => r.channel === 'sms' && r.publicNo && publicNos.has(r.publicNo))
        return rows.length === N * SMS_PER_CASE && rows.every((r) => r.status === 'pending' && r.attempts >= 1)
      },
      30_000,
      100,
    )
    expect(fakes.aliyun.received).toHaveLength(0)
    const refused = fakes.aliyun.requests

    await first.kill9()
    const killedAt = Date.now()
    const atKill = smsOf(await db.outbox(), publicNos)
    expect(atKill).toHaveLength(N * SMS_PER_CASE)
    // Each refusal is recorded and the row waits out its backoff; none was left claimed.
    expect(atKill.filter((r) => r.status !== 'pending' || r.tries !== r.attempts || r.okTries !== 0 || r.leaseUntil !== null)).toEqual([])
    const latestRetry = Math.max(...atKill.map((r) => new Date(r.nextAttemptAt).getTime()))
    expect(latestRetry).toBeGreaterThan(killedAt)

    // The provider recovers; the process comes back at once (as systemd would), before any backoff has passed.
    fakes.aliyun.reset()
    const restarted = performance.now()
    const second = await startServer('deliverer-2', db.env)
    const startMs = Math.round(performance.now() - restarted)
    // Nothing is sent before its backoff ends; then the job runner's minute tick picks the retries up.
    const drainMs = await drained(second, publicNos, restarted, 150_000)
    expect(await second.stop()).toBe(0)
    const { rows, received, duplicates } = await exactlyOnce(publicNos)
    const retryAt = new Map(atKill.map((r) => [r.key, new Date(r.nextAttemptAt).getTime()]))
    expect(rows.filter((r) => new Date(r.sentAt!).getTime() < retryAt.get(r.key)!)).toEqual([])
    const attempts = rows.reduce((n, r) => n + r.tries, 0)
    console.info(
      `[outbox-crash ${db.kind}] throttled kill: ${N} cases, ${atKill.length} SMS notices pending with backoff at SIGKILL (${refused} refused requests), ${received} received, ${duplicates} duplicates, ${attempts} attempts recorded; restart to healthy ${startMs} ms, restart to all sent ${drainMs} ms (backoff ended ${Math.max(0, latestRetry - killedAt)} ms after the kill)`,
    )
  }, 300_000)

  /**
   * The one window the outbox cannot close: the provider accepted a message and the process died before recording
   * it. Alibaba has no idempotency (OutId is only echoed in receipts), so that message goes out again once the
   * lease runs out: at least once, never lost. A request the provider never saw goes out once.
   */
  it('a process SIGKILLed mid-send: claimed notices come back after their lease; only those the provider had accepted go out twice', async () => {
    const M = 10
    const proxy = await startHoldingProxy(fakes.aliyun.endpoint)
    try {
      fakes.aliyun.reset()
      // A backlog of M receipts (one process's delivery run sends one batch at a time, so a backlog is what puts
      // them all on the wire at once): written by an API-only process, then claimed in one batch at start-up.
      const writer = await startServer('mid-send-writer', { ...db.env, NOTIFY_DELIVERY: 'false' })
      await configureAliyun(writer, fakes, proxy.endpoint)
      const code = scanCodeOf(writer)
      const filed = await inBatches(
        Array.from({ length: M }, () => () => submitCase(writer, code, residentPhone())),
        5,
      )
      const publicNos = new Set(filed.map((c) => c.publicNo))
      expect(await writer.stop()).toBe(0)
      const first = await startServer('mid-send', db.env)
      // Kill while every receipt is on the wire (well within the adapters' 10 s timeout).
      await until('every receipt in flight', () => proxy.held.length === M, 8_000, 20)
      await first.kill9()
      const killedAt = Date.now()
      const accepted = fakes.aliyun.received.map((r) => r.outId)
      expect(accepted).toHaveLength(M / 2)

      const atKill = (await db.outbox()).filter((r) => r.channel === 'sms' && r.publicNo && publicNos.has(r.publicNo))
      expect(atKill).toHaveLength(M)
      expect(atKill.filter((r) => r.status !== 'sending' || r.tries !== 0 || r.leaseUntil === null)).toEqual([])
      const leaseEnds = Math.max(...atKill.map((r) => new Date(r.leaseUntil!).getTime()))

      proxy.pass()
      const restarted = performance.now()
      const second = await startServer('mid-send-2', db.env)
      const token = await login(second, 'committee')
      await until(
        'every receipt sent',
        async () => {
          const rows = (await consoleOutbox(second, token)).filter((r) => r.channel === 'sms' && r.publicNo && publicNos.has(r.publicNo))
          return rows.length === M && rows.every((r) => r.status === 'sent')
        },
        180_000,
        250,
      )
      const drainMs = Math.round(performance.now() - restarted)
      expect(await second.stop()).toBe(0)

      const rows = (await db.outbox()).filter((r) => r.channel === 'sms' && r.publicNo && publicNos.has(r.publicNo))
      expect(rows.filter((r) => r.status !== 'sent' || r.okTries !== 1 || r.tries !== 1 || r.attempts !== 2)).toEqual([])
      // None was taken back before its lease ran out.
      expect(rows.filter((r) => new Date(r.sentAt!).getTime() < leaseEnds - 1000)).toEqual([])
      const counts = outIdCounts(fakes)
      expect(new Set(counts.keys())).toEqual(new Set(rows.map((r) => r.key)))
      const twice = [...counts].filter(([, n]) => n === 2).map(([k]) => k)
      expect(new Set(twice)).toEqual(new Set(accepted))
      expect([...counts.values()].every((n) => n <= 2)).toBe(true)
      console.info(
        `[outbox-crash ${db.kind}] mid-send kill: ${M} receipts claimed and in flight at SIGKILL (${accepted.length} accepted by the provider, answer lost; ${M - accepted.length} never reached it); after restart all ${M} sent, ${twice.length} received twice (exactly the accepted ones), 0 lost; restart to all sent ${drainMs} ms (leases ended ${Math.max(0, leaseEnds - killedAt)} ms after the kill)`,
      )
    } finally {
      await proxy.close()
    }
  }, 300_000)
})

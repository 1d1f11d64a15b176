import pg from 'pg'
import type { FastifyBaseLogger } from 'fastify'

export interface PgListenOptions {
  pool: pg.Pool
  channel: string
  onPayload(payload: string): void
  /** Called once LISTEN is back after a time without it: notifications in between were lost. */
  onResumed(): void
  log: FastifyBaseLogger
  /** Waits before reconnect attempts, in order; the last one repeats. */
  backoffMs: number[]
}

/**
 * LISTEN on one dedicated connection, not a pooled one: a LISTEN belongs to its session, and a pooled client
 * would go back to the pool (and to other queries) or hold a pool slot forever. If the connection drops
 * (server restart, failover, network) it is opened again with backoff until `stop()`.
 */
export async function pgListen(o: PgListenOptions): Promise<() => Promise<void>> {
  let client: pg.Client | null = null
  let stopped = false
  let failures = 0
  let missed = false
  let timer: NodeJS.Timeout | undefined

  const retry = () => {
    const delay = o.backoffMs[Math.min(failures++, o.backoffMs.length - 1)]!
    // unref: a pending retry alone must not keep a finishing process (a CLI, a test run) alive.
    timer = setTimeout(() => void connect(), delay).unref()
    return delay
  }

  const connect = async (): Promise<void> => {
    if (stopped) return
    const c = new pg.Client({
      ...o.pool.options,
      application_name: 'msj-change-listener',
      // Detect a silently dropped connection (NAT, firewall) instead of listening to nothing for hours.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    })
    // An error on this idle connection must not crash the process; 'end' follows and triggers the reconnect.
    c.on('error', (err) => o.log.warn({ err }, 'change listener: connection error'))
    c.on('notification', (msg) => {
      if (msg.channel === o.channel && msg.payload) o.onPayload(msg.payload)
    })
    try {
      await c.connect()
      await c.query(`LISTEN ${o.channel}`)
    } catch (err) {
      await c.end().catch(() => {})
      missed = true
      o.log.warn({ err, retryInMs: retry() }, 'change listener: cannot LISTEN; retrying')
      return
    }
    if (stopped) {
      await c.end().catch(() => {})
      return
    }
    client = c
    failures = 0
    c.once('end', () => {
      client = null
      if (stopped) return
      missed = true
      o.log.warn({ retryInMs: retry() }, 'change listener: connection lost; reconnecting')
    })
    if (missed) {
      missed = false
      o.log.info('change listener: listening again')
      o.onResumed()
    }
  }

  await connect()
  return async () => {
    stopped = true
    clearTimeout(timer)
    await client?.end().catch(() => {})
  }
}

import { Redis } from 'ioredis'
import { StartupError } from './startup-error'

/**
 * The Redis connection that holds shared rate limits (issue 17: with several API processes, per-process counters
 * let a flood through N times over). Checked at start-up — a wrong REDIS_URL stops the server with one line rather
 * than silently counting nothing — and, once running, an outage lets requests through (the limiter's skipOnError)
 * instead of refusing residents: limits are a guard, not a rule of the case.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    // A command during an outage fails at once (the limiter lets the request through) instead of queueing.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  })
  // Without a listener ioredis prints every reconnection error; the limiter reports what matters per request.
  redis.on('error', () => undefined)
  try {
    await redis.connect()
    await redis.ping()
  } catch (err) {
    redis.disconnect()
    throw new StartupError(`REDIS_URL ${url.replace(/\/\/[^@]*@/, '//***@')} does not answer: ${(err as Error).message}`)
  }
  return redis
}

import type { IncomingMessage } from 'node:http'

/** Past this, a client still sending is cut off after all: reading gigabytes to be polite is a denial of service. */
export const DRAIN_MAX_BYTES = 64 * 1024 * 1024
export const DRAIN_TIMEOUT_MS = 15_000

/**
 * Reads and discards the rest of a request body that was refused for its size, before the 413 is written. A
 * response sent while the client is still writing is followed by the socket closing with unread data in it,
 * which the client sees as a connection reset instead of the 413 (a client without `Expect: 100-continue`
 * writes the whole body before it reads anything). Bounded in bytes and time.
 */
export function drainRequest(raw: IncomingMessage, maxBytes = DRAIN_MAX_BYTES, timeoutMs = DRAIN_TIMEOUT_MS): Promise<void> {
  if (raw.complete || raw.destroyed) return Promise.resolve()
  return new Promise((resolve) => {
    let seen = 0
    const done = () => {
      clearTimeout(timer)
      raw.removeListener('data', onData)
      raw.removeListener('end', done)
      raw.removeListener('close', done)
      raw.removeListener('error', done)
      resolve()
    }
    const onData = (chunk: Buffer) => {
      seen += chunk.length
      if (seen > maxBytes) done()
    }
    const timer = setTimeout(done, timeoutMs)
    raw.on('data', onData)
    raw.once('end', done)
    raw.once('close', done)
    raw.once('error', done)
    raw.resume()
  })
}

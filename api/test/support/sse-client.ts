import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'

/**
 * app.close() for a server that test streams talked to. After an aborted fetch, Node's fetch (undici) opens a
 * spare keep-alive connection that never carries a request; Fastify's idle-connection close leaves it alone, so
 * close() would wait out keepAliveTimeout (72 s). Browsers do not do this; the test client's quirk is cut here.
 */
export async function closeServer(app: FastifyInstance): Promise<void> {
  const closing = app.close()
  app.server.closeAllConnections()
  await closing
}

export interface SseEvent {
  event: string
  data: string
}

/**
 * A minimal EventSource for tests: fetch reads the body as it arrives (inject() would wait for an end that never
 * comes). Collects events, comments and `retry:`; `waitFor` polls what has arrived.
 */
export async function openStream(url: string, headers: Record<string, string> = {}) {
  const abort = new AbortController()
  const res = await fetch(url, { headers, signal: abort.signal })
  const events: SseEvent[] = []
  const comments: string[] = []
  const retries: number[] = []
  let ended = false
  const pump = (async () => {
    if (!res.body) return
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      const reader = res.body.getReader()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        buffer += decoder.decode(value, { stream: true })
        let cut: number
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut)
          buffer = buffer.slice(cut + 2)
          const e: SseEvent = { event: 'message', data: '' }
          let isEvent = false
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim())
            else if (line.startsWith('retry: ')) retries.push(Number(line.slice(7)))
            else if (line.startsWith('event: ')) {
              e.event = line.slice(7)
              isEvent = true
            } else if (line.startsWith('data: ')) {
              e.data = line.slice(6)
              isEvent = true
            }
          }
          if (isEvent) events.push(e)
        }
      }
    } catch {
      // aborted by close()
    } finally {
      ended = true
    }
  })()
  return {
    res,
    events,
    comments,
    retries,
    get ended() {
      return ended
    },
    changes: () => events.filter((e) => e.event === 'change').map((e) => JSON.parse(e.data) as { caseId: string; version: number }),
    async waitFor<T>(pick: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
      const until = Date.now() + timeoutMs
      for (;;) {
        const found = pick()
        if (found) return found
        if (Date.now() > until) expect.fail(`timed out waiting for ${what}; got ${JSON.stringify(events)}`)
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    async close() {
      abort.abort()
      await pump
    },
  }
}
export type TestStream = Awaited<ReturnType<typeof openStream>>

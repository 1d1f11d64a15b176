import type { ApiClient } from './api-client'

const RETRY_MS = [1_000, 5_000, 15_000, 60_000]

/**
 * The live channel: the API's SSE stream says "case X changed" and we pull the /sync delta (the stream carries
 * no case data, so scope is decided in one place). `expired` means the token ran out: reconnect with a fresh
 * one. Errors reconnect with a growing pause; offline, the app stops it and the outbox/sync timers take over.
 */
export function createLive({ baseUrl, client, onChange }: { baseUrl: string; client: ApiClient; onChange: () => void }) {
  let source: EventSource | null = null
  let retry: ReturnType<typeof setTimeout> | undefined
  let failures = 0
  let wanted = false

  function close() {
    source?.close()
    source = null
    clearTimeout(retry)
  }

  function schedule() {
    close()
    if (!wanted) return
    retry = setTimeout(() => void connect(), RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)])
  }

  async function connect() {
    if (!wanted || typeof EventSource === 'undefined') return
    let token: string
    try {
      token = await client.accessToken()
    } catch {
      schedule()
      return
    }
    if (!wanted) return // stopped while the token was being fetched
    close()
    const es = new EventSource(`${baseUrl}/api/v1/stream?access_token=${encodeURIComponent(token)}`)
    source = es
    es.addEventListener('open', () => {
      failures = 0
      onChange() // whatever happened while we were away
    })
    es.addEventListener('change', () => onChange())
    es.addEventListener('resync', () => onChange())
    es.addEventListener('expired', () => { failures = 0; schedule() })
    es.addEventListener('error', () => schedule())
  }

  return {
    start() {
      if (wanted) return
      wanted = true
      void connect()
    },
    stop() {
      wanted = false
      close()
    },
  }
}

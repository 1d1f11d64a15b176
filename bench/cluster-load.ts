import { randomUUID } from 'node:crypto'

/**
 * The clients of `npm run bench:cluster` (cluster.ts): residents scanning and submitting, members accepting and
 * resolving, and members' live streams, all through the proxy. A client whose request fails without an answer
 * (connection reset by the killed process) or with a gateway error retries with the same idempotency key or
 * opId, as the resident's browser and the member app do. Every 2xx is recorded for the check against the database.
 */
export interface Tally {
  ok: number
  /** 5xx and 429 answers, and requests that got no answer at all. */
  failed: number
  noAnswer: number
  retried: number
  latencies: number[]
}
export const tally = (): Tally => ({ ok: 0, failed: 0, noAnswer: 0, retried: 0, latencies: [] })

export interface AckedSubmission {
  key: string
  description: string
  publicNo: string
}
export interface AckedAction {
  caseId: string
  opId: string
  type: 'accept' | 'resolve'
}
export interface Acked {
  submissions: AckedSubmission[]
  actions: AckedAction[]
  /** Deliberate resends of an acknowledged submission with the same key: same case, or not. */
  resendSame: number
  resendOther: number
}

const RETRYABLE = new Set([502, 503, 504])
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** One request, retried (same body, same key) while it gets no answer or a gateway error; undefined if it never got one. */
async function withRetry(t: Tally, until: number, send: () => Promise<Response>): Promise<Response | undefined> {
  for (let attempt = 0; attempt < 20; attempt++) {
    if (attempt > 0) t.retried++
    const started = performance.now()
    try {
      const res = await send()
      t.latencies.push(performance.now() - started)
      if (res.ok || !RETRYABLE.has(res.status)) return res
      t.failed++
      await res.arrayBuffer()
    } catch {
      t.noAnswer++
    }
    // Past the end of the run a client still retries a while: an acknowledged write must be verifiable.
    if (Date.now() > until + 15_000) return undefined
    await pause(100 + attempt * 100)
  }
  return undefined
}

export async function scanLoop(base: string, codes: string[], t: Tally, until: number): Promise<void> {
  for (let i = 0; Date.now() < until; i++) {
    const started = performance.now()
    try {
      const res = await fetch(`${base}/q/${codes[i % codes.length]}`, { headers: { accept: 'text/html' } })
      await res.arrayBuffer()
      t.latencies.push(performance.now() - started)
      if (res.ok) t.ok++
      else t.failed++
    } catch {
      t.noAnswer++
    }
  }
}

export async function submitLoop(base: string, codes: string[], worker: number, t: Tally, acked: Acked, until: number): Promise<void> {
  for (let i = 0; Date.now() < until; i++) {
    const key = randomUUID()
    const description = `集群压测第${worker}-${i}号：小区路灯不亮，${key.slice(0, 8)}`
    const body = new URLSearchParams({ code: codes[(worker + i) % codes.length]!, description, confirmNew: 'on' }).toString()
    const send = () =>
      fetch(`${base}/api/v1/public/cases`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': key },
        body,
      })
    const res = await withRetry(t, until, send)
    if (!res) continue
    if (res.status !== 201) {
      t.failed++
      await res.arrayBuffer()
      continue
    }
    t.ok++
    const { publicNo } = (await res.json()) as { publicNo: string }
    acked.submissions.push({ key, description, publicNo })
    // Every fourth one: the resident's browser sends it again (the answer "was lost"): the same case must come back.
    if (i % 4 === 0) {
      const again = await withRetry(t, until, send)
      if (again?.ok) {
        const second = (await again.json()) as { publicNo: string }
        if (second.publicNo === publicNo) acked.resendSame++
        else acked.resendOther++
      }
    }
  }
}

export async function login(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo12345' }),
  })
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { accessToken: string }).accessToken
}

interface Summary {
  id: string
  version: number
  status: string
}

/** A member works through their new cases: accept, then resolve, each with its own opId (kept across retries). */
export async function memberLoop(base: string, token: string, t: Tally, acked: Acked, until: number): Promise<void> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  while (Date.now() < until) {
    const list = await withRetry(t, until, () => fetch(`${base}/api/v1/me/cases?filter=new&limit=10`, { headers }))
    if (!list?.ok) {
      if (list) await list.arrayBuffer()
      continue
    }
    t.ok++
    const { items } = (await list.json()) as { items: Summary[] }
    if (items.length === 0) await pause(200)
    for (const item of items) {
      if (Date.now() > until) return
      let version = item.version
      for (const type of ['accept', 'resolve'] as const) {
        const opId = randomUUID()
        const payload = JSON.stringify({ type, opId, baseVersion: version, ...(type === 'resolve' ? { reply: '已到现场查看，路灯已修好' } : {}) })
        const res = await withRetry(t, until, () => fetch(`${base}/api/v1/cases/${item.id}/actions`, { method: 'POST', headers, body: payload }))
        if (!res) break
        if (!res.ok) {
          // 409: someone else moved the case meanwhile (not a loss); count it and take the next case.
          t.failed += res.status >= 500 ? 1 : 0
          await res.arrayBuffer()
          break
        }
        t.ok++
        const result = (await res.json()) as { case: Summary }
        version = result.case.version
        acked.actions.push({ caseId: item.id, opId, type })
      }
    }
  }
}

/** A member app's live stream: counts `change` events, reconnects (with a pause) when the stream drops. */
export async function streamLoop(base: string, token: string, stats: { events: number; connects: number; drops: number }, until: number): Promise<void> {
  const stop = new AbortController()
  const timer = setTimeout(() => stop.abort(), Math.max(0, until - Date.now()))
  try {
    while (Date.now() < until) {
      try {
        const res = await fetch(`${base}/api/v1/stream?access_token=${encodeURIComponent(token)}`, { signal: stop.signal })
        if (!res.ok || !res.body) {
          await res.arrayBuffer()
          stats.drops++
          await pause(500)
          continue
        }
        stats.connects++
        const decoder = new TextDecoder()
        const reader = res.body.getReader()
        for (let r = await reader.read(); !r.done; r = await reader.read()) {
          stats.events += (decoder.decode(r.value, { stream: true }).match(/^event: change$/gm) ?? []).length
        }
        stats.drops++
      } catch {
        if (stop.signal.aborted) return
        stats.drops++
        await pause(500)
      }
    }
  } finally {
    clearTimeout(timer)
  }
}

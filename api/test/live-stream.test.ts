import type { AddressInfo } from 'node:net'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPostgres } from '../src/db/database'
import { createChangeListener, type CaseChange } from '../src/live/change-listener'
import { MAX_STREAMS_PER_USER } from '../src/live/stream-routes'
import { signIn, submitCase, uniqueText } from './support/case-actions'
import { withLiveDemoApp } from './support/live-app'
import { openStream, type TestStream } from './support/sse-client'

const ctx = withLiveDemoApp()
let base = ''
const streams: TestStream[] = []
const stream = async (username: string, how: 'query' | 'header' = 'query') => {
  const { token } = await signIn(ctx.t.app, username)
  const s =
    how === 'query'
      ? await openStream(`${base}/api/v1/stream?access_token=${encodeURIComponent(token)}`)
      : await openStream(`${base}/api/v1/stream`, { authorization: `Bearer ${token}` })
  streams.push(s)
  return s
}

beforeAll(async () => {
  // inject() cannot stream: the real server on a free port, read with fetch.
  await ctx.t.app.listen({ port: 0, host: '127.0.0.1' })
  base = `http://127.0.0.1:${(ctx.t.app.server.address() as AddressInfo).port}`
})
afterAll(() => Promise.all(streams.map((s) => s.close())))

describe('GET /api/v1/stream', () => {
  it('tells each signed-in user about changes to the cases they may see, and nobody else', async () => {
    const wang = await stream('wangjianguo')
    const li = await stream('lixiulan', 'header')
    const station = await stream('station')
    const committee = await stream('committee')
    expect(wang.res.status).toBe(200)
    expect(wang.res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(wang.res.headers.get('cache-control')).toBe('no-cache')
    expect(wang.res.headers.get('x-accel-buffering')).toBe('no')
    await wang.waitFor(() => wang.retries[0] === 5000, 'retry: 5000')

    const c = await submitCase(ctx.t, ctx.refs.wangCode, uniqueText('楼道里的声控灯坏了好几天'))
    const accepted = await (await signIn(ctx.t.app, 'wangjianguo')).ok(c.id, { type: 'accept' })
    const seen = await wang.waitFor(() => wang.changes().find((e) => e.caseId === c.id && e.version === accepted.case.version), 'the accept')
    expect(seen).toEqual({ caseId: c.id, version: accepted.case.version })
    // Only ids and versions travel; the client reads the rest through /sync, which applies the access rules.
    expect(Object.keys(JSON.parse(wang.events.find((e) => e.event === 'change')!.data)).sort()).toEqual(['caseId', 'version'])
    await station.waitFor(() => station.changes().some((e) => e.caseId === c.id && e.version === accepted.case.version), 'station admin sees it')
    await committee.waitFor(() => committee.changes().some((e) => e.caseId === c.id && e.version === accepted.case.version), 'committee admin sees it')

    // Changes are fanned out in commit order, so once 李秀兰 has her own later case, she would have had 王建国's.
    const hers = await submitCase(ctx.t, ctx.refs.liCode, uniqueText('社区卫生站周末不开门'))
    await li.waitFor(() => li.changes().some((e) => e.caseId === hers.id), 'her own case')
    expect(li.changes().map((e) => e.caseId)).not.toContain(c.id)
    expect(wang.changes().map((e) => e.caseId)).not.toContain(hers.id)
  })

  it('tells a member when a case moves away from them (so the device can drop it)', async () => {
    const c = await submitCase(ctx.t, ctx.refs.wangCode, uniqueText('小区门口的下水道井盖松动'))
    const wang = await stream('wangjianguo')
    const declined = await (await signIn(ctx.t.app, 'wangjianguo')).ok(c.id, { type: 'decline', reason: '本人近期在外地，无法及时处理' })
    expect(declined.case.memberId).toBeNull()
    await wang.waitFor(() => wang.changes().some((e) => e.caseId === c.id && e.version === declined.case.version), 'the decline')
  })

  it('answers 401 problem+json without a token or with a bad one', async () => {
    for (const url of ['/api/v1/stream', '/api/v1/stream?access_token=not-a-jwt']) {
      const res = await ctx.t.app.inject({ method: 'GET', url })
      expect(res.statusCode, url).toBe(401)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' })
    }
    const bearer = await ctx.t.app.inject({ method: 'GET', url: '/api/v1/stream', headers: { authorization: 'Bearer forged.token.here' } })
    expect(bearer.statusCode).toBe(401)
  })

  it(`allows ${MAX_STREAMS_PER_USER} open streams per account; one more gets 429 until one closes`, async () => {
    const opened = []
    for (let i = 0; i < MAX_STREAMS_PER_USER; i++) opened.push(await stream('zhouwenbin'))
    for (const s of opened) expect(s.res.status).toBe(200)
    const extra = await stream('zhouwenbin')
    expect(extra.res.status).toBe(429)
    expect(extra.res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    await opened[0]!.close()
    const deadline = Date.now() + 5000
    let again = await stream('zhouwenbin')
    while (again.res.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50))
      again = await stream('zhouwenbin')
    }
    expect(again.res.status).toBe(200)
  })

  it('is documented in OpenAPI as a bearer-protected endpoint', async () => {
    const doc = (await ctx.t.app.inject({ method: 'GET', url: '/docs/json' })).json()
    const op = doc.paths['/api/v1/stream'].get
    expect(op.security).toEqual([{ bearerAuth: [] }])
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '401']))
  })
})

describe.runIf(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL)('on PostgreSQL', () => {
  it('every process hears every commit: a second, independent listener gets the same notification', async () => {
    const other = await openPostgres(ctx.t.database.url!)
    const listener = await createChangeListener({ database: other, log: ctx.t.app.log })
    const heard: CaseChange[] = []
    listener.subscribe((change) => heard.push(change))
    const wang = await stream('wangjianguo')
    try {
      const c = await submitCase(ctx.t, ctx.refs.wangCode, uniqueText('公交站的遮雨棚被风吹坏了'))
      const accepted = await (await signIn(ctx.t.app, 'wangjianguo')).ok(c.id, { type: 'accept' })
      await wang.waitFor(() => wang.changes().some((e) => e.caseId === c.id && e.version === accepted.case.version), 'the app stream')
      await wang.waitFor(() => heard.find((h) => h.caseId === c.id && h.version === accepted.case.version), 'the other listener')
      expect(heard.find((h) => h.version === accepted.case.version)).toMatchObject({
        status: 'accepted',
        memberId: ctx.refs.wangMemberId,
        committeePath: expect.any(String),
      })
    } finally {
      await listener.close()
      await other.close()
    }
  })

  it('reconnects when its connection is killed, says "resync", and hears later commits', async () => {
    const other = await openPostgres(ctx.t.database.url!)
    const listener = await createChangeListener({ database: other, log: ctx.t.app.log, backoffMs: [50] })
    let resyncs = 0
    const heard: CaseChange[] = []
    listener.subscribe(
      (change) => heard.push(change),
      () => resyncs++,
    )
    const wang = await stream('wangjianguo')
    try {
      // Both this listener and the app's own are dropped, as on a database restart.
      await ctx.t.database.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity
        where application_name = 'msj-change-listener' and datname = current_database()`)
      await wang.waitFor(() => resyncs > 0, 'the test listener to come back')
      await wang.waitFor(() => wang.events.some((e) => e.event === 'resync'), 'the app stream to say resync')
      const c = await submitCase(ctx.t, ctx.refs.wangCode, uniqueText('路口红绿灯时间太短老人过不去'))
      await wang.waitFor(() => heard.some((h) => h.caseId === c.id), 'a commit after the reconnect')
      await wang.waitFor(() => wang.changes().some((e) => e.caseId === c.id), 'the app stream after the reconnect')
    } finally {
      await listener.close()
      await other.close()
    }
  })
})

import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import fastifyJwt from '@fastify/jwt'
import { afterEach, describe, expect, it } from 'vitest'
import { accessGuard } from '../src/auth/access-guard'
import { claimsFromActor, type Actor } from '../src/auth/actor'
import { registerErrorHandling } from '../src/errors/error-handler'
import type { CaseChange, ChangeListener, ChangeSubscriber } from '../src/live/change-listener'
import { changeConcerns } from '../src/live/change-visibility'
import { logSafeRequest } from '../src/live/log-safe'
import { streamRoutes } from '../src/live/stream-routes'
import { closeServer, openStream } from './support/sse-client'

const ids = {
  m1: 'a0000000-0000-4000-8000-000000000001',
  m2: 'a0000000-0000-4000-8000-000000000002',
  s1: 'b0000000-0000-4000-8000-000000000001',
  s2: 'b0000000-0000-4000-8000-000000000002',
  city: 'c0000000-0000-4000-8000-000000000001',
  county: 'c0000000-0000-4000-8000-000000000002',
  other: 'c0000000-0000-4000-8000-000000000003',
}
const actor = (a: Partial<Actor> & Pick<Actor, 'role'>): Actor => ({ userId: 'u', committeeId: ids.county, memberId: null, stationIds: [], ...a })
const change = (c: Partial<CaseChange> = {}): CaseChange => ({
  caseId: 'd0000000-0000-4000-8000-000000000001',
  version: 2,
  status: 'accepted',
  committeeId: ids.county,
  stationId: ids.s1,
  memberId: ids.m1,
  prevStationId: null,
  prevMemberId: null,
  committeePath: `${ids.city}/${ids.county}`,
  ...c,
})

describe('changeConcerns (the sync feed rules, in memory)', () => {
  it('members: assigned now or until this change', () => {
    const m1 = actor({ role: 'member', memberId: ids.m1 })
    expect(changeConcerns(m1, change())).toBe(true)
    expect(changeConcerns(m1, change({ memberId: ids.m2, prevMemberId: ids.m1 }))).toBe(true)
    expect(changeConcerns(m1, change({ memberId: ids.m2 }))).toBe(false)
    expect(changeConcerns(actor({ role: 'member', memberId: null }), change({ memberId: null }))).toBe(false)
  })
  it('station admins: their stations, in their own committee', () => {
    const sa = actor({ role: 'station_admin', stationIds: [ids.s1] })
    expect(changeConcerns(sa, change())).toBe(true)
    expect(changeConcerns(sa, change({ stationId: ids.s2, prevStationId: ids.s1 }))).toBe(true)
    expect(changeConcerns(sa, change({ stationId: ids.s2 }))).toBe(false)
    expect(changeConcerns(sa, change({ committeeId: ids.other }))).toBe(false)
  })
  it('committee admins: their subtree; system admins: everything', () => {
    expect(changeConcerns(actor({ role: 'committee_admin', committeeId: ids.city }), change())).toBe(true)
    expect(changeConcerns(actor({ role: 'committee_admin', committeeId: ids.other }), change())).toBe(false)
    expect(changeConcerns(actor({ role: 'committee_admin', committeeId: ids.city }), change({ committeePath: null }))).toBe(false)
    expect(changeConcerns(actor({ role: 'system_admin', committeeId: null }), change({ committeePath: null }))).toBe(true)
  })
})

/** Stands in for the database listener: the test emits changes and counts subscribers. */
function fakeListener() {
  const subs = new Set<{ onChange: ChangeSubscriber; onResync?: () => void }>()
  const listener: ChangeListener = {
    subscribe(onChange, onResync) {
      const s = { onChange, onResync }
      subs.add(s)
      return () => void subs.delete(s)
    },
    close: async () => subs.clear(),
  }
  return { listener, subs, emit: (c: CaseChange) => subs.forEach((s) => s.onChange(c)), resync: () => subs.forEach((s) => s.onResync?.()) }
}

let app: FastifyInstance
afterEach(() => app && closeServer(app))
async function start(fake: ReturnType<typeof fakeListener>) {
  app = Fastify()
  registerErrorHandling(app)
  await app.register(fastifyJwt, { secret: 'x'.repeat(32), sign: { expiresIn: 900 } })
  await app.register(accessGuard)
  await app.register(streamRoutes, { changes: fake.listener, pingMs: 50 })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/stream`
  const token = (a: Actor, expiresIn = 900) => app.jwt.sign(claimsFromActor(a), { expiresIn })
  return { url, token }
}
const waitUntil = async (ok: () => boolean) => {
  for (let i = 0; i < 250 && !ok(); i++) await new Promise((r) => setTimeout(r, 20))
  expect(ok()).toBe(true)
}

describe('the stream plugin', () => {
  it('sends retry, pings, its own changes and resync; unsubscribes when the client goes away', async () => {
    const fake = fakeListener()
    const { url, token } = await start(fake)
    const s = await openStream(`${url}?access_token=${token(actor({ role: 'member', memberId: ids.m1 }))}`)
    await s.waitFor(() => s.comments.includes('ping'), 'a ping')
    expect(s.retries).toEqual([5000])
    fake.emit(change({ memberId: ids.m2, caseId: 'd0000000-0000-4000-8000-000000000009' }))
    fake.emit(change())
    fake.resync()
    await s.waitFor(() => s.events.some((e) => e.event === 'resync'), 'resync')
    expect(s.changes()).toEqual([{ caseId: change().caseId, version: 2 }])
    expect(fake.subs.size).toBe(1)
    await s.close()
    await waitUntil(() => fake.subs.size === 0)
  })

  it('ends the stream with "expired" when the access token runs out', async () => {
    const fake = fakeListener()
    const { url, token } = await start(fake)
    // Seconds are the JWT's resolution; 3 leaves room for a slow machine between signing and connecting.
    const s = await openStream(url, { authorization: `Bearer ${token(actor({ role: 'member', memberId: ids.m1 }), 3)}` })
    expect(s.res.status).toBe(200)
    await s.waitFor(() => s.events.some((e) => e.event === 'expired'), 'expired', 8000)
    await waitUntil(() => s.ended && fake.subs.size === 0)
  })

  it('ends open streams when the app closes, so a shutdown is not held up', async () => {
    const fake = fakeListener()
    const { url, token } = await start(fake)
    const s = await openStream(`${url}?access_token=${token(actor({ role: 'system_admin', committeeId: null }))}`)
    await s.waitFor(() => s.retries.length > 0, 'the stream to open')
    const started = Date.now()
    await app.close()
    expect(Date.now() - started).toBeLessThan(2000)
    await waitUntil(() => s.ended && fake.subs.size === 0)
  })
})

it('request logs mask the query token (with logSafeRequest as the req serializer)', async () => {
  const lines: string[] = []
  app = Fastify({ logger: { level: 'info', stream: { write: (line: string) => lines.push(line) }, serializers: { req: logSafeRequest } } })
  registerErrorHandling(app)
  await app.register(fastifyJwt, { secret: 'x'.repeat(32) })
  await app.register(accessGuard)
  await app.register(streamRoutes, { changes: fakeListener().listener })
  expect((await app.inject({ method: 'GET', url: '/api/v1/stream?x=1&access_token=SECRET-TOKEN' })).statusCode).toBe(401)
  expect(lines.join('')).not.toContain('SECRET-TOKEN')
  expect(lines.join('')).toContain('/api/v1/stream?x=1&access_token=***')
})

it('request logs mask an Open311 api_key in the query too', () => {
  const req = {
    method: 'POST',
    url: '/open311/v2/requests.json?jurisdiction_id=lx&api_key=msj311_SECRET-KEY&x=1',
    headers: {},
    host: 'h',
    ip: '127.0.0.1',
    socket: { remotePort: 1 },
  }
  const logged = logSafeRequest(req as unknown as Parameters<typeof logSafeRequest>[0])
  expect(logged.url).toBe('/open311/v2/requests.json?jurisdiction_id=lx&api_key=***&x=1')
})

import 'fake-indexeddb/auto'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jpegWithGps } from '../../api/test/support/images'
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffMs } from '../src/data/backoff'
import { createDataStore, type DataStore } from '../src/data/member-data'
import { startLiveApi, type LiveApi } from './support/live-api'
import { startSwitchableProxy } from './support/switchable-proxy'

// The outbox against the real API over real HTTP; the "network" is a proxy the test can cut (see
// switchable-proxy.ts). IndexedDB is fake-indexeddb, one database per store.
let api: LiveApi
let proxy: Awaited<ReturnType<typeof startSwitchableProxy>>
const stores: DataStore[] = []

beforeAll(async () => {
  api = await startLiveApi()
  proxy = await startSwitchableProxy({ host: '127.0.0.1', port: api.port })
})
afterAll(async () => {
  for (const s of stores) await s.close()
  await proxy?.close()
  await api?.close()
})

let clock = Date.now()
let jpegWithGpsSync: Buffer
beforeAll(async () => {
  jpegWithGpsSync = await jpegWithGps(400, 300)
})
async function memberStore(username = 'wangjianguo'): Promise<DataStore> {
  proxy.up()
  const store = createDataStore({ baseUrl: proxy.url, dbName: `t-${randomUUID()}`, now: () => clock })
  stores.push(store)
  await store.signIn(username, 'demo12345')
  return store
}
const outboxOf = (s: DataStore) => s.outbox()

describe('backoff', () => {
  it.each([
    [0, 0, 0],
    [1, 0, BACKOFF_BASE_MS],
    [2, 0, 2 * BACKOFF_BASE_MS],
    [5, 0, 16 * BACKOFF_BASE_MS],
    [1, 0.999, Math.round(BACKOFF_BASE_MS * 1.24975)],
    [20, 0, BACKOFF_CAP_MS],
    [1000, 0.5, BACKOFF_CAP_MS * 1.125],
  ])('after %i failures (random %d) waits %i ms', (attempts, random, ms) => {
    expect(backoffMs(attempts, () => random)).toBe(ms)
  })
})

describe('outbox', () => {
  it('keeps actions made offline in order and sends each exactly once, with photos, when back online', async () => {
    const c = await api.newCase('王建国')
    const store = await memberStore()
    proxy.down()
    await store.act(c.id, { type: 'accept' })
    await store.act(c.id, { type: 'note', body: '已到现场查看，拍照留存' }, [new Blob([new Uint8Array(await jpegWithGps(800, 600))], { type: 'image/jpeg' })])
    await store.act(c.id, { type: 'resolve', reply: '已联系供电所，路灯本周修好' })
    const report = await store.syncNow()
    expect(report).toMatchObject({ sent: 0, pending: 3, stopped: 'offline' })
    const queued = await outboxOf(store)
    expect(queued.map((e) => e.action.type)).toEqual(['accept', 'note', 'resolve'])
    // All three were made on the version the member saw; the projection shows them done.
    expect(new Set(queued.map((e) => e.action.baseVersion)).size).toBe(1)
    expect((await store.inbox('closed')).items.map((v) => v.case.id)).toContain(c.id)
    expect(await api.opEvents(c.id)).toEqual([])

    proxy.up()
    const back = await store.syncNow()
    expect(back).toMatchObject({ sent: 3, pending: 0, needsAttention: 0 })
    const events = await api.opEvents(c.id)
    expect(events.map((e) => e.type)).toEqual(['accepted', 'note', 'resolved'])
    expect(events.map((e) => e.opId)).toEqual(queued.map((e) => e.opId))
    expect(await api.photosOf(events[1]!.id)).toHaveLength(1)
    expect(await outboxOf(store)).toEqual([])
    const view = await store.caseView(c.id)
    expect(view?.view.server.status).toBe('resolved')
  })

  it("sends the answer's photos marked for the resident's tracking page only when the member ticked it (issue 16)", async () => {
    const c = await api.newCase('王建国')
    const store = await memberStore()
    const photo = () => new Blob([new Uint8Array(jpegWithGpsSync)], { type: 'image/jpeg' })
    await store.act(c.id, { type: 'accept' })
    await store.act(c.id, { type: 'note', body: '现场照片，内部留存' }, [photo()])
    await store.act(c.id, { type: 'resolve', reply: '路灯已经修好，请查看照片' }, [photo()], true)
    // act() starts a send itself; this one waits for it and sends whatever is left.
    expect(await store.syncNow()).toMatchObject({ pending: 0, needsAttention: 0 })
    expect(await outboxOf(store)).toEqual([])
    const events = await api.opEvents(c.id)
    expect(events.map((e) => e.type)).toEqual(['accepted', 'note', 'resolved'])
    expect(await api.photosOf(events[1]!.id)).toEqual([expect.objectContaining({ public: false })])
    expect(await api.photosOf(events[2]!.id)).toEqual([expect.objectContaining({ public: true })])
  })

  it('sends an action again after a lost answer and the server keeps it once', async () => {
    const c = await api.newCase('王建国')
    const store = await memberStore()
    proxy.down()
    const entry = await store.act(c.id, { type: 'accept' })
    // The request reached the server but the phone never heard back: the server has it, the outbox too.
    const direct = await fetch(`${api.url}/api/v1/cases/${c.id}/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${(await store.session())!.accessToken}` },
      body: JSON.stringify(entry.action),
    })
    expect(direct.status).toBe(200)
    proxy.up()
    expect(await store.syncNow()).toMatchObject({ sent: 1, needsAttention: 0 })
    expect((await api.opEvents(c.id)).filter((e) => e.opId === entry.opId)).toHaveLength(1)
    expect((await store.caseView(c.id))?.view.server.status).toBe('accepted')
  })

  it('keeps an action the server refuses until the member decides, without holding up other cases', async () => {
    const taken = await api.newCase('王建国')
    const other = await api.newCase('王建国')
    const store = await memberStore()
    proxy.down()
    await store.act(taken.id, { type: 'accept' })
    await store.act(taken.id, { type: 'note', body: '准备去现场' })
    await store.act(other.id, { type: 'accept' })
    // Meanwhile the station admin gives the first case to someone else.
    const admin = await api.signIn('station')
    const li = await api.codeOf('李秀兰')
    await admin.ok(taken.id, { type: 'assign', memberId: li.memberId })

    proxy.up()
    expect(await store.syncNow()).toMatchObject({ sent: 1, needsAttention: 1, pending: 1 })
    const [conflict, blocked] = await outboxOf(store)
    expect(conflict).toMatchObject({ caseId: taken.id, state: 'conflict', problem: { code: 'NOT_FOUND' } })
    expect(blocked).toMatchObject({ caseId: taken.id, state: 'pending' })
    expect(await api.opEvents(taken.id)).toEqual([])
    expect((await api.opEvents(other.id)).map((e) => e.type)).toEqual(['accepted'])
    expect(store.status()).toMatchObject({ attention: 1, pending: 1 })

    // Nothing goes away by itself: another replay leaves both where they are.
    await store.syncNow()
    expect(await outboxOf(store)).toHaveLength(2)
    await store.drop(conflict!.seq!)
    await store.drop(blocked!.seq!)
    expect(await outboxOf(store)).toEqual([])
  })

  it('shows a version conflict with the case as it is now, and re-applies it on that version when asked', async () => {
    const c = await api.newCase('王建国')
    const store = await memberStore()
    await store.act(c.id, { type: 'accept' })
    await store.syncNow()
    proxy.down()
    await store.act(c.id, { type: 'resolve', reply: '已协调处理完毕，谢谢反映' })
    const admin = await api.signIn('station')
    await admin.ok(c.id, { type: 'chase', body: '请尽快办理' })

    proxy.up()
    expect(await store.syncNow()).toMatchObject({ sent: 0, needsAttention: 1 })
    const [entry] = await outboxOf(store)
    expect(entry).toMatchObject({ state: 'conflict', problem: { code: 'VERSION_CONFLICT', current: { id: c.id, status: 'accepted' } } })
    const oldOp = entry!.opId
    await store.reapply(entry!.seq!)
    await store.syncNow()
    expect(await outboxOf(store)).toEqual([])
    const events = await api.opEvents(c.id)
    expect(events.map((e) => e.type)).toEqual(['accepted', 'resolved'])
    expect(events[1]!.opId).not.toBe(oldOp)
  })

  it('waits out the backoff on periodic retries but not when forced', async () => {
    const c = await api.newCase('王建国')
    const store = await memberStore()
    proxy.down()
    await store.act(c.id, { type: 'accept' })
    await store.syncNow()
    await store.syncNow()
    const [entry] = await outboxOf(store)
    expect(entry!.attempts).toBeGreaterThanOrEqual(2)
    expect(entry!.nextAttemptAt).toBeGreaterThan(clock)

    proxy.up()
    const before = proxy.connections
    // A periodic retry before nextAttemptAt sends nothing (it still pulls the feed).
    expect(await store.syncNow({ force: false })).toMatchObject({ sent: 0, pending: 1 })
    expect(proxy.connections).toBeGreaterThan(before)
    expect(await api.opEvents(c.id)).toEqual([])
    clock = entry!.nextAttemptAt + 1
    expect(await store.syncNow({ force: false })).toMatchObject({ sent: 1, pending: 0 })
    expect((await api.opEvents(c.id)).map((e) => e.type)).toEqual(['accepted'])
  })
})

describe('order under backoff', () => {
  it('an action waiting out its backoff holds back the later actions on its case', async () => {
    const c = await api.newCase('王建国')
    const store = await memberStore()
    proxy.down()
    await store.act(c.id, { type: 'accept' })
    await store.syncNow()
    // Made after the accept, on the same case, never tried yet: a periodic retry must not send it first.
    await store.act(c.id, { type: 'note', body: '已电话联系' })
    await store.syncNow()
    proxy.up()
    expect(await store.syncNow({ force: false })).toMatchObject({ sent: 0, pending: 2 })
    expect(await api.opEvents(c.id)).toEqual([])
    expect(await store.syncNow()).toMatchObject({ sent: 2, pending: 0 })
    expect((await api.opEvents(c.id)).map((e) => e.type)).toEqual(['accepted', 'note'])
  })
})

describe('sign-out', () => {
  it('forgets the cached cases but keeps unsent actions, which go out after the next sign-in', async () => {
    const c = await api.newCase('王建国')
    const store = await memberStore()
    proxy.down()
    await store.act(c.id, { type: 'accept' })
    proxy.up()
    await store.signOut()
    expect((await store.inbox('new')).items).toEqual([])
    expect(await api.opEvents(c.id)).toEqual([])
    await store.signIn('wangjianguo', 'demo12345')
    expect((await api.opEvents(c.id)).map((e) => e.type)).toEqual(['accepted'])
    expect((await store.inbox('open')).items.map((v) => v.case.id)).toContain(c.id)
  })
})

import 'fake-indexeddb/auto'
import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { station } from '../../api/src/db/schema'
import { createDataStore, type DataStore } from '../src/data/member-data'
import { startLiveApi, type LiveApi } from './support/live-api'
import { startSwitchableProxy } from './support/switchable-proxy'

// 修改后重发 (issue 12): an action the server refuses with 400 is corrected and takes the refused entry's place
// in the outbox; against the real API over real HTTP, as outbox.test.ts.
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

async function memberStore(): Promise<DataStore> {
  proxy.up()
  const store = createDataStore({ baseUrl: proxy.url, dbName: `t-${randomUUID()}` })
  stores.push(store)
  await store.signIn('wangjianguo', 'demo12345')
  return store
}
const DAY = 86_400_000

describe('revising a refused action', () => {
  it('a 400 leaves the entry for the member with the field messages; the corrected action goes out in its place, before the later ones', async () => {
    const c = await api.newCase('王建国')
    const other = await api.newCase('王建国')
    const store = await memberStore()
    await store.act(c.id, { type: 'accept' })
    await store.syncNow()
    const due = (await store.caseView(c.id))!.view.server.resolveDueAt!
    proxy.down()
    // More time "until" a moment before the deadline it would extend: the server refuses it (400, body.until).
    await store.act(c.id, { type: 'request_extension', reason: '需要协调多个部门', until: new Date(new Date(due).getTime() - 60_000).toISOString() })
    await store.act(c.id, { type: 'note', body: '已约街道办周三碰头' })
    await store.act(other.id, { type: 'accept' })
    proxy.up()
    // (The background sync each action starts may have sent the other case's accept already.)
    expect(await store.syncNow()).toMatchObject({ needsAttention: 1, pending: 1 })
    expect((await api.opEvents(other.id)).map((e) => e.type)).toEqual(['accepted'])
    const [refused, later] = await store.outbox()
    expect(refused).toMatchObject({
      caseId: c.id,
      state: 'rejected',
      action: { type: 'request_extension' },
      problem: { status: 400, code: 'VALIDATION_FAILED' },
    })
    expect(refused!.problem!.errors).toEqual([expect.objectContaining({ field: 'body.until' })])
    expect(later).toMatchObject({ caseId: c.id, state: 'pending', action: { type: 'note' } })
    // Refused stays refused: another sync sends neither it nor the note behind it.
    await store.syncNow()
    expect((await api.opEvents(c.id)).map((e) => e.type)).toEqual(['accepted'])

    const until = new Date(new Date(due).getTime() + 3 * DAY).toISOString()
    const revised = await store.revise(refused!.seq!, { type: 'request_extension', reason: '需要协调多个部门，街道办下周答复', until })
    expect(revised).toMatchObject({ seq: refused!.seq, state: 'pending', action: { until, baseVersion: refused!.action.baseVersion } })
    expect(revised!.opId).not.toBe(refused!.opId)
    expect(revised!.action.opId).toBe(revised!.opId)
    expect(revised!.problem).toBeUndefined()
    await store.syncNow()
    expect(await store.outbox()).toEqual([])
    const events = await api.opEvents(c.id)
    expect(events.map((e) => e.type)).toEqual(['accepted', 'extension_requested', 'note'])
    expect(events.map((e) => e.opId)).toEqual([expect.any(String), revised!.opId, later!.opId])
    expect(events[1]!.body).toBe('需要协调多个部门，街道办下周答复')
    expect((await store.caseView(c.id))!.view.server.extensionRequestedUntil).toBe(until)
  })

  it('a transfer refused for want of a destination is corrected with one and hands the case over', async () => {
    const c = await api.newCase('王建国')
    const store = await memberStore()
    const [nanguan] = await api.db.select({ id: station.id }).from(station).where(eq(station.name, '南关社区委员工作室'))
    // What the old sheet sent: a reason and no destination.
    await store.act(c.id, { type: 'transfer', reason: '不属于本工作站辖区' })
    await store.syncNow()
    const [refused] = await store.outbox()
    expect(refused).toMatchObject({ state: 'rejected', problem: { status: 400, code: 'VALIDATION_FAILED' } })
    expect(await store.revise(refused!.seq!, { type: 'transfer', reason: '不属于本工作站辖区', toStationId: nanguan!.id })).toMatchObject({ seq: refused!.seq })
    await store.syncNow()
    expect(await store.outbox()).toEqual([])
    expect((await api.opEvents(c.id)).map((e) => e.type)).toEqual(['transferred'])
    const admin = await api.signIn('committee')
    const detail = await admin.detail(c.id)
    expect(detail).toMatchObject({ status: 'assigned', memberId: null, stationId: nanguan!.id })
  })

  it('a revision keeps the action it revises: another type is refused, and an entry still pending is left alone', async () => {
    const c = await api.newCase('王建国')
    const store = await memberStore()
    proxy.down()
    const pending = await store.act(c.id, { type: 'accept' })
    await expect(store.revise(pending.seq!, { type: 'accept' })).resolves.toBeUndefined()
    expect((await store.outbox())[0]).toMatchObject({ opId: pending.opId, state: 'pending' })
    proxy.up()
    await store.syncNow()
    await store.act(c.id, { type: 'transfer', reason: '不属于本工作站辖区' })
    await store.syncNow()
    const [refused] = await store.outbox()
    await expect(store.revise(refused!.seq!, { type: 'decline', reason: '不属于本工作站辖区' })).rejects.toThrow(/cannot be revised/)
    expect((await store.outbox())[0]).toMatchObject({ opId: refused!.opId, state: 'rejected' })
  })
})

describe('transfer destinations', () => {
  it('are read online and kept with the case; offline the kept list is offered, and a case never read says it needs a connection', async () => {
    const seen = await api.newCase('王建国')
    const store = await memberStore()
    // The sign-in pull brought both cases' details and, with them, where each may be handed on.
    const online = await store.destinations(seen.id)
    expect(online).toMatchObject({ fresh: true })
    expect(online.destinations!.stations.map((s) => s.name)).toContain('南关社区委员工作室')
    expect(online.destinations!.members.map((m) => m.name)).toContain('李秀兰')
    expect(online.destinations!.members.map((m) => m.name)).not.toContain('王建国')

    proxy.down()
    const offline = await store.destinations(seen.id)
    expect(offline).toMatchObject({ fresh: false, destinations: online.destinations })
    expect(offline.fetchedAt).toEqual(expect.any(Number))
    // A phone that never read them, offline: nothing to offer (the sheet says the list needs a connection).
    const other = createDataStore({ baseUrl: proxy.url, dbName: `t-${randomUUID()}` })
    stores.push(other)
    expect(await other.destinations(seen.id)).toEqual({ destinations: null, fetchedAt: null, fresh: false })
  })
})

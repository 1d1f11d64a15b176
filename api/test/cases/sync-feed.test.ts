import { eq } from 'drizzle-orm'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import type { CaseSummary, SyncPage } from '@mashangjian/shared'
import { member } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { signIn, submitCase, uniqueText, type SignedIn } from '../support/case-actions'

const ctx = withDemoApp()
const db = () => ctx.t.database.db

async function sync(user: SignedIn, since?: string, limit?: number): Promise<SyncPage> {
  const q = new URLSearchParams()
  if (since !== undefined) q.set('since', since)
  if (limit) q.set('limit', String(limit))
  const res = await user.get(`/api/v1/sync?${q}`)
  expect(res.statusCode, res.body).toBe(200)
  return res.json<SyncPage>()
}

/**
 * Follows the feed until `done` holds (or 10 s pass), like a client that syncs again later. The watermark is
 * cluster-wide: a write transaction still open anywhere on the server (other test files run in parallel)
 * holds newer changes back for a moment; it never loses them.
 */
async function changesUntil(user: SignedIn, since: string, done: (changes: SyncPage['changes'], last: SyncPage) => boolean) {
  const changes: SyncPage['changes'] = []
  let cursor = since
  const deadline = Date.now() + 10_000
  for (;;) {
    const page = await sync(user, cursor)
    changes.push(...page.changes)
    cursor = page.cursor
    if ((!page.more && done(changes, page)) || Date.now() > deadline) return { changes, cursor, last: page }
    if (!page.more) await new Promise((r) => setTimeout(r, 50))
  }
}

/** A client's replica: follows the feed from a cursor until it has caught up. */
async function replay(user: SignedIn, since: string, start: Map<string, CaseSummary> = new Map(), limit = 7, stopAt?: string) {
  const replica = new Map(start)
  let cursor = since
  for (;;) {
    if (stopAt && cursor === stopAt) return { replica, cursor }
    const page = await sync(user, cursor, limit)
    for (const c of page.cases) replica.set(c.id, c)
    for (const id of page.removed) replica.delete(id)
    cursor = page.cursor
    if (!page.more) return { replica, cursor }
  }
}

/** Replays from `since` (again, after a pause, if a transaction elsewhere held the feed back) until it matches. */
async function converged(user: SignedIn, start: Map<string, CaseSummary>, since: string, truth: Map<string, number>) {
  const deadline = Date.now() + 10_000
  for (;;) {
    const { replica } = await replay(user, since, start)
    if (JSON.stringify([...versions(replica)].sort()) === JSON.stringify([...truth].sort()) || Date.now() > deadline) return replica
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** What the server says the user can see now, through the inbox API. */
async function serverState(user: SignedIn) {
  const all = new Map<string, number>()
  let cursor: string | null = null
  do {
    const page: { items: CaseSummary[]; nextCursor: string | null } = (
      await user.get(`/api/v1/me/cases?filter=all&limit=50${cursor ? `&cursor=${cursor}` : ''}`)
    ).json()
    for (const c of page.items) all.set(c.id, c.version)
    cursor = page.nextCursor
  } while (cursor)
  return all
}
const versions = (m: Map<string, CaseSummary>) => new Map([...m].map(([id, c]) => [id, c.version]))

describe('GET /api/v1/sync', () => {
  it('without a cursor answers only where "now" is; with one, the changes after it', async () => {
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const head = await sync(wang)
    expect(head).toMatchObject({ changes: [], cases: [], removed: [], more: false, cursor: expect.stringMatching(/^\d+\.0$/) })
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('菜市场的下水道堵了，污水流到街上'))
    await wang.ok(c.id, { type: 'accept' })
    // Only this case is asserted: changes committed just before `head` may still arrive if a transaction
    // elsewhere held the watermark back when `head` was taken.
    const mine = (ch: SyncPage['changes']) => ch.filter((x) => x.caseId === c.id)
    const { changes, cursor, last } = await changesUntil(wang, head.cursor, (ch) => mine(ch).length >= 2)
    expect(mine(changes).map((ch) => [ch.version, ch.change])).toEqual([
      [2, 'upsert'],
      [3, 'upsert'],
    ])
    expect(last.cases).toContainEqual(expect.objectContaining({ id: c.id, status: 'accepted', version: 3 }))
    expect(mine((await changesUntil(wang, cursor, () => true)).changes)).toEqual([])
  })

  it('tells a member when a case moved away from them', async () => {
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('居民楼电梯经常困人，物业不管'))
    const { cursor } = await sync(wang)
    const [li] = await db().select().from(member).where(eq(member.name, '李秀兰'))
    await wang.ok(c.id, { type: 'transfer', toMemberId: li!.id, reason: '医疗相关，李委员更熟悉' })
    const { changes, last } = await changesUntil(wang, cursor, (ch) => ch.some((x) => x.caseId === c.id && x.version === 3))
    expect(last.removed).toContain(c.id)
    expect(changes.filter((x) => x.caseId === c.id).at(-1)).toEqual({ caseId: c.id, version: 3, change: 'removed' })
    const li_ = await signIn(ctx.t.app, 'lixiulan')
    const hers = await replay(li_, '0')
    expect(hers.replica.get(c.id)).toMatchObject({ memberName: '李秀兰', status: 'assigned' })
  })

  it('a client replaying the feed from any cursor converges to the server state', async () => {
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const station = await signIn(ctx.t.app, 'station')
    const cursors: string[] = ['0']
    const [li] = await db().select().from(member).where(eq(member.name, '李秀兰'))
    for (let i = 0; i < 6; i++) {
      const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText(`第${i}个问题：小区绿化带被占用种菜`))
      cursors.push((await sync(wang)).cursor)
      await wang.ok(c.id, { type: 'accept' })
      if (i % 3 === 1) await wang.ok(c.id, { type: 'decline', reason: '本周外出，请站里改派' })
      if (i % 3 === 2) await station.ok(c.id, { type: 'transfer', toMemberId: li!.id, reason: '改派给李委员' })
      cursors.push((await sync(wang)).cursor)
    }
    const truth = await serverState(wang)
    await changesUntil(wang, cursors.at(-1)!, () => true) // let any open transaction elsewhere finish
    // From scratch, and a client that synced up to some earlier cursor and now catches up: the same place.
    for (const cursor of cursors) {
      const upTo = await replay(wang, '0', new Map(), 7, cursor)
      const caughtUp = await converged(wang, upTo.replica, cursor, truth)
      expect(versions(caughtUp)).toEqual(truth)
    }
    for (const user of [station, await signIn(ctx.t.app, 'committee')]) {
      const state = await serverState(user)
      expect(versions(await converged(user, new Map(), '0', state))).toEqual(state)
    }
  })

  it('rejects a malformed cursor with 400', async () => {
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const res = await wang.get('/api/v1/sync?since=abc')
    expect(res.statusCode).toBe(400)
    expect(res.json().code).toBe('VALIDATION_FAILED')
  })

  // Two overlapping transactions on real PostgreSQL: the one that started first commits last. A cursor taken
  // between the commits must not pass over the late one (an id- or time-ordered cursor would).
  it.runIf(!!ctx.t?.database.url || !!process.env.TEST_DATABASE_URL || !!process.env.DATABASE_URL)(
    'never skips a change whose transaction commits after a later-numbered one',
    async () => {
      const wang = await signIn(ctx.t.app, 'wangjianguo')
      const early = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('早开始、晚提交的事务改的案子'))
      const late = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('晚开始、早提交的事务改的案子'))
      const { cursor: c0 } = await sync(wang)
      const a = new pg.Client({ connectionString: ctx.t.database.url })
      const b = new pg.Client({ connectionString: ctx.t.database.url })
      await a.connect()
      await b.connect()
      try {
        const bump = `update cases set version = version + 1, updated_at = now() where id = $1`
        await a.query('begin')
        await a.query(bump, [early.id]) // A takes the older xid
        await b.query('begin')
        await b.query(bump, [late.id])
        await b.query('commit') // B is visible now, A is not
        const during = await sync(wang, c0)
        expect(during.changes.map((ch) => ch.caseId)).not.toContain(late.id)
        expect(during.changes.map((ch) => ch.caseId)).not.toContain(early.id)
        await a.query('commit')
        const { changes } = await changesUntil(wang, during.cursor, (ch) => ch.length >= 2)
        expect(changes.map((ch) => ch.caseId).sort()).toEqual([early.id, late.id].sort())
      } finally {
        await a.end()
        await b.end()
      }
    },
  )
})

import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { caseEvent, caseOp, member } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { signIn, submitCase, uniqueText } from '../support/case-actions'

const ctx = withDemoApp()
const db = () => ctx.t.database.db
const eventsOf = (caseId: string) => db().select().from(caseEvent).where(eq(caseEvent.caseId, caseId))
const post = (token: string, caseId: string, payload: object) =>
  ctx.t.app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/actions`, headers: { authorization: `Bearer ${token}` }, payload })

describe('idempotency and conflicts', () => {
  it('the same action posted 3 times concurrently yields one event and the same answer', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('广场舞音响太大声，晚上十点还在放'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const body = { opId: randomUUID(), baseVersion: (await wang.detail(c.id)).version, type: 'accept' }
    const answers = await Promise.all([1, 2, 3].map(() => post(wang.token, c.id, body)))
    for (const a of answers) expect(a.statusCode, a.body).toBe(200)
    const parsed = answers.map((a) => a.json())
    expect(parsed.filter((p) => !p.replayed)).toHaveLength(1)
    for (const p of parsed) expect(p.case.version).toBe(parsed[0].case.version)
    expect((await eventsOf(c.id)).filter((e) => e.type === 'accepted')).toHaveLength(1)
    expect(await db().select().from(caseOp).where(eq(caseOp.opId, body.opId))).toHaveLength(1)

    // Later, the same op again (an outbox replayed after a lost answer): the first answer, nothing changed.
    const again = await post(wang.token, c.id, body)
    expect(again.json()).toMatchObject({ replayed: true, case: { version: parsed[0].case.version } })
    expect((await wang.detail(c.id)).version).toBe(parsed[0].case.version)
  })

  it('an opId cannot be reused for another case', async () => {
    const a = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('路口红绿灯时间太短，老人过不去'))
    const b = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('小区门口违停严重，救护车进不来'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const opId = randomUUID()
    expect((await post(wang.token, a.id, { opId, baseVersion: (await wang.detail(a.id)).version, type: 'accept' })).statusCode).toBe(200)
    const reused = await post(wang.token, b.id, { opId, baseVersion: (await wang.detail(b.id)).version, type: 'accept' })
    expect(reused.statusCode).toBe(409)
    expect(reused.json().code).toBe('OP_ID_REUSED')
  })

  it('two actors on the same version: one wins; the other gets 409 VERSION_CONFLICT with the current case (or 404 once the case is no longer theirs)', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('学校门口早高峰拥堵，希望安排交警'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const station = await signIn(ctx.t.app, 'station')
    const [li] = await db().select().from(member).where(eq(member.name, '李秀兰'))
    const version = (await wang.detail(c.id)).version
    const [accept, reassign] = await Promise.all([
      post(wang.token, c.id, { opId: randomUUID(), baseVersion: version, type: 'accept' }),
      post(station.token, c.id, { opId: randomUUID(), baseVersion: version, type: 'assign', memberId: li!.id }),
    ])
    // Exactly one wins. If the member's accept wins, the desk's reassignment made on the old version is a 409
    // with the current case. If the reassignment wins, the case is 李秀兰's now: 王建国 may get the 409 (his
    // request read the case before the reassignment) or, having read it after, the 404 of a case that is no
    // longer his (showing him the current case would leak it); which one depends only on timing.
    const winners = [accept, reassign].filter((r) => r.statusCode === 200)
    expect(winners, `${accept.statusCode} ${reassign.statusCode}`).toHaveLength(1)
    if (winners[0] === accept) {
      expect(reassign.statusCode).toBe(409)
      expect(reassign.json()).toMatchObject({ code: 'VERSION_CONFLICT', current: { id: c.id, version: version + 1 } })
    } else if (accept.statusCode === 409) {
      expect(accept.json()).toMatchObject({ code: 'VERSION_CONFLICT', current: { id: c.id, version: version + 1 } })
    } else {
      expect(accept.statusCode).toBe(404)
    }
    expect((await eventsOf(c.id)).filter((e) => e.type === 'accepted' || e.type === 'assigned')).toHaveLength(2) // routing's + the winner's
  })

  it('a note made on an older version is applied and says it was rebased; a state change on it is refused', async () => {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('河边护栏松动，有孩子在那玩很危险'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    const v1 = (await wang.detail(c.id)).version
    await wang.ok(c.id, { type: 'accept', baseVersion: v1 })
    const note = await wang.ok(c.id, { type: 'note', body: '离线时记下的：护栏共三处松动', baseVersion: v1 })
    expect(note).toMatchObject({ rebased: true, replayed: false, case: { status: 'in_progress' } })
    const stale = await wang.act(c.id, { type: 'resolve', reply: '已协调水利站加固护栏', baseVersion: v1 })
    expect(stale.statusCode).toBe(409)
    expect(stale.json()).toMatchObject({ code: 'VERSION_CONFLICT', current: { status: 'in_progress' } })
    const future = await wang.act(c.id, { type: 'note', body: '版本号来自未来', baseVersion: 999 })
    expect(future.json().code).toBe('VERSION_CONFLICT')
  })
})

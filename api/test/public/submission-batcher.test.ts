import { eq, inArray, like, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { queryRows } from '../../src/db/database'
import { cases, committee, qrCode } from '../../src/db/schema'
import { createSubmissionBatcher } from '../../src/public/submission-batcher'
import type { SubmitOutcome } from '../../src/public/public-cases-service'
import { withDemoApp } from '../support/demo-app'
import { uniqueText } from '../support/case-actions'

const ctx = withDemoApp()
const db = () => ctx.t.database.db
const seqOf = (publicNo: string) => Number(publicNo.split('-').at(-1))

/** The committee's counter: numbers handed out so far this year (the last one). */
async function lastNumber(): Promise<number> {
  const rows = await db().select({ n: cases.publicNo }).from(cases).where(like(cases.publicNo, 'DEMO-%'))
  return Math.max(0, ...rows.map((r) => seqOf(r.n)))
}

/** Numbers after `before` are exactly before+1 … before+count: no gap, no duplicate. */
function expectConsecutive(numbers: string[], before: number) {
  expect(new Set(numbers).size).toBe(numbers.length)
  expect(numbers.map(seqOf).sort((a, b) => a - b)).toEqual(Array.from({ length: numbers.length }, (_, i) => before + i + 1))
}

// Called on the service, like case-numbers.test.ts: parallel inject() confuses the rate limiter's counting.
describe('submission batcher (issue 17)', () => {
  it('shares one transaction among the work that queued while the first one ran', async () => {
    const batcher = createSubmissionBatcher(db())
    const txids = await Promise.all(
      Array.from({ length: 10 }, () => batcher.run('k', async (tx) => (await queryRows<{ x: string }>(tx, sql`select txid_current()::text as x`))[0]!.x)),
    )
    // The first runs alone at once; the nine that arrived meanwhile commit together in the next transaction.
    expect(new Set(txids).size).toBe(2)
    expect(new Set(txids.slice(1)).size).toBe(1)
  })

  it('N concurrent submissions: N cases numbered without gap or duplicate, each answer naming its own case', async () => {
    const before = await lastNumber()
    const texts = Array.from({ length: 30 }, (_, i) => uniqueText(`批量提交第${i}件：小区${i}号楼的电梯经常停在半路`))
    const outcomes = await Promise.all(
      texts.map((description) =>
        ctx.t.app.services.submissions.submit({
          code: ctx.refs.memberCode,
          locale: 'zh-CN',
          photos: [],
          parseIssues: [],
          raw: { description, confirmNew: true },
        }),
      ),
    )
    const created = outcomes.map((o) => {
      if (o.kind !== 'created') throw new Error(`expected created, got ${o.kind}`)
      return o
    })
    expectConsecutive(
      created.map((o) => o.publicNo),
      before,
    )
    const rows = await db()
      .select({ id: cases.id, publicNo: cases.publicNo, description: cases.description })
      .from(cases)
      .where(
        inArray(
          cases.id,
          created.map((o) => o.caseId),
        ),
      )
    const byId = new Map(rows.map((r) => [r.id, r]))
    created.forEach((o, i) => expect(byId.get(o.caseId)).toEqual({ id: o.caseId, publicNo: o.publicNo, description: texts[i] }))
    // Each answer's tracking link opens its own case.
    const page = await ctx.t.app.inject({ url: `/t/${created[7]!.trackingSecret}` })
    expect(page.body).toContain(created[7]!.publicNo)
  })

  it('a case failing inside its transaction takes its number back and leaves the others stored', async () => {
    const before = await lastNumber()
    const [c] = await db().select().from(committee).where(eq(committee.shortCode, 'DEMO'))
    const [code] = await db().select().from(qrCode).where(eq(qrCode.code, ctx.refs.stationCode))
    const texts = Array.from({ length: 8 }, (_, i) => uniqueText(`失败隔离第${i}件：路口的红绿灯不亮`))
    const now = ctx.t.clock.now()
    const settled = await Promise.allSettled(
      texts.map((description, i) =>
        ctx.t.app.services.submissions.register({
          committee: c!,
          now,
          occurredAt: now,
          channel: 'qr',
          qrCodeId: code!.id,
          category: null,
          description,
          locationText: null,
          phone: null,
          locale: 'zh-CN',
          attachments: [],
          route: async () => ({ memberId: null, stationId: ctx.refs.stationId, reason: 'station_queue' }),
          submittedBy: { actorKind: 'resident', actorUserId: null, data: {} },
          audit: { actorUserId: null, actorIp: null, action: 'case.submitted', detail: {} },
          // After its number was taken: the savepoint must give it back.
          beforeCommit: async () => {
            if (i === 4) throw new Error('this one fails')
          },
        }),
      ),
    )
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled'])
    expect((settled[4] as PromiseRejectedResult).reason).toMatchObject({ message: 'this one fails' })
    const stored = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.row] : []))
    expectConsecutive(
      stored.map((r) => r.publicNo),
      before,
    )
    const rows = await db().select({ description: cases.description }).from(cases).where(inArray(cases.description, texts))
    expect(rows.map((r) => r.description).sort()).toEqual(texts.filter((_, i) => i !== 4).sort())
    expect((await db().select({ n: cases.publicNo }).from(cases)).filter((r) => r.n.startsWith('pending:'))).toEqual([])
  })

  it('exactly once by idempotency key when retries of one submission land among others', async () => {
    const before = await lastNumber()
    const retried = uniqueText('菜市场后门的下水道反味，夏天尤其严重')
    const jobs = Array.from({ length: 12 }, (_, i) =>
      i % 3 === 0
        ? { description: retried, idempotency: 'c:batched-retry-key-0123456789' }
        : { description: uniqueText(`幂等混合第${i}件：小区门口的路面塌陷`), idempotency: `c:other-key-${i}-0123456789abcdef` },
    )
    const outcomes: SubmitOutcome[] = await Promise.all(
      jobs.map((j) =>
        ctx.t.app.services.submissions.submit({
          code: ctx.refs.memberCode,
          locale: 'zh-CN',
          photos: [],
          parseIssues: [],
          raw: { description: j.description, confirmNew: true },
          idempotency: j.idempotency,
        }),
      ),
    )
    const numbers = outcomes.map((o) => (o.kind === 'created' ? o.publicNo : o.kind))
    // The four retries share one answer (the same case and link); the eight others have their own.
    const retries = numbers.filter((_, i) => i % 3 === 0)
    expect(new Set(retries).size).toBe(1)
    expect(new Set(outcomes.filter((_, i) => i % 3 === 0).map((o) => ('trackingSecret' in o ? o.trackingSecret : o.kind))).size).toBe(1)
    expectConsecutive([...new Set(numbers)], before)
    expect(await db().select({ id: cases.id }).from(cases).where(eq(cases.description, retried))).toHaveLength(1)
  })
})

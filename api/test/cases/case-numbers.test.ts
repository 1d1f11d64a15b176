import { inArray } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { cases } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { uniqueText } from '../support/case-actions'

const ctx = withDemoApp()

describe('public case numbers', () => {
  // Called on the service: parallel inject() confuses @fastify/rate-limit's counting (see notes), real HTTP does not.
  it('20 concurrent submissions get 20 distinct, consecutive numbers and no case keeps a stand-in number', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ctx.t.app.services.submissions.submit({
          code: ctx.refs.memberCode,
          locale: 'zh-CN',
          photos: [],
          parseIssues: [],
          raw: { description: uniqueText(`并发提交第${i}件：小区停车位被长期占用`), confirmNew: true },
        }),
      ),
    )
    const numbers = outcomes.map((o) => (o.kind === 'created' ? o.publicNo : o.kind))
    expect(new Set(numbers).size).toBe(20)
    const seq = numbers.map((n) => Number(n.split('-').at(-1))).sort((a, b) => a - b)
    expect(seq.at(-1)! - seq[0]!).toBe(19)
    const rows = await ctx.t.database.db.select({ publicNo: cases.publicNo }).from(cases).where(inArray(cases.publicNo, numbers))
    expect(rows).toHaveLength(20)
    expect((await ctx.t.database.db.select({ n: cases.publicNo }).from(cases)).filter((r) => r.n.startsWith('pending:'))).toEqual([])
  })
})

import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { cases } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { uniqueText } from '../support/case-actions'
import { postCase } from '../support/submit'

/**
 * Issue 18: a public submission whose answer was lost (a timeout, a crash after commit) is sent again by the
 * browser or the script; the retry must find the case the first try stored, not create a second one.
 */
describe('public submissions are idempotent', () => {
  const ctx = withDemoApp()
  const casesWith = async (description: string) =>
    ctx.t.database.db.select({ id: cases.id, publicNo: cases.publicNo }).from(cases).where(eq(cases.description, description))
  const cookieOf = (res: { headers: Record<string, unknown> }) => {
    const raw = res.headers['set-cookie']
    const all = Array.isArray(raw) ? raw : raw ? [String(raw)] : []
    return all.map((c) => /^msj_submit=([^;]+)/.exec(c)?.[1]).find(Boolean)
  }

  it('the scan page gives the browser a submission cookie; a re-sent form post lands on the same case, and the cookie then turns over', async () => {
    const page = await ctx.t.app.inject({ url: `/q/${ctx.refs.memberCode}`, headers: { accept: 'text/html' } })
    const cookie = cookieOf(page)
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{22}$/)
    const description = uniqueText('小区东门的井盖松动，走上去咣当响')
    const send = () => postCase(ctx.t.app, { code: ctx.refs.memberCode, description }, [], { html: true, headers: { cookie: `msj_submit=${cookie}` } })
    const first = await send()
    expect(first.statusCode, first.body).toBe(303)
    const retry = await send()
    expect(retry.statusCode, retry.body).toBe(303)
    // The same tracking link (the resident's only key to the case), and one case.
    expect(retry.headers.location!.split('?')[0]).toBe(first.headers.location!.split('?')[0])
    expect(await casesWith(description)).toHaveLength(1)
    // The stored submission rotates the cookie: the browser's next, different submission is not a retry.
    expect(cookieOf(first)).toBeDefined()
    expect(cookieOf(first)).not.toBe(cookie)
  })

  it('a retry that now looks like a duplicate of its own first try is answered with that case, not the similar-case prompt', async () => {
    const description = uniqueText('菜市场门口的路灯一到晚上就不亮，买菜的老人容易摔倒')
    const headers = { 'idempotency-key': 'retry-key-0123456789abcdef' }
    const first = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description }, [], { headers })
    expect(first.statusCode, first.body).toBe(201)
    const retry = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description }, [], { headers })
    expect(retry.statusCode, retry.body).toBe(201)
    expect(retry.json()).toMatchObject({ status: 'created', publicNo: first.json().publicNo, trackingSecret: first.json().trackingSecret })
    expect(await casesWith(description)).toHaveLength(1)
  })

  it('concurrent identical retries make one case', async () => {
    const description = uniqueText('楼道里的声控灯坏了半个月，晚上上楼要摸黑')
    const headers = { 'idempotency-key': 'parallel-key-0123456789abcdef' }
    const answers = await Promise.all([1, 2, 3].map(() => postCase(ctx.t.app, { code: ctx.refs.memberCode, description }, [], { headers })))
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201])
    expect(new Set(answers.map((a) => a.json().publicNo)).size).toBe(1)
    expect(await casesWith(description)).toHaveLength(1)
  })

  it('the same key with a different text is a different submission; no key means no replay', async () => {
    const headers = { 'idempotency-key': 'same-key-0123456789abcdefgh' }
    const a = uniqueText('公园的健身器材坏了一个，螺丝都松了')
    const b = uniqueText('公交站台的顶棚漏雨，下雨天没处躲')
    const ra = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: a }, [], { headers })
    const rb = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: b }, [], { headers })
    expect([ra.statusCode, rb.statusCode]).toEqual([201, 201])
    expect(ra.json().publicNo).not.toBe(rb.json().publicNo)
    // Without a key a resent post cannot be told from a second report: the similar-case prompt catches it instead.
    const c = uniqueText('河边的护栏断了一截，小孩在那边玩很危险')
    expect((await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: c })).statusCode).toBe(201)
    expect((await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: c })).json()).toMatchObject({ status: 'duplicate' })
  })

  it('an unusable key (too short, odd characters) is ignored, never an error', async () => {
    const description = uniqueText('小区里的垃圾桶满了三天没人收')
    const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description }, [], { headers: { 'idempotency-key': 'x y' } })
    expect(res.statusCode, res.body).toBe(201)
  })
})

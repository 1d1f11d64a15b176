import { and, eq, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { auditLog, caseFollower, cases, notification } from '../../src/db/schema'
import { queryRows } from '../../src/db/database'
import { withDemoApp } from '../support/demo-app'
import { signIn } from '../support/case-actions'
import { BROWSER_ACCEPT, postCase } from '../support/submit'

const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: BROWSER_ACCEPT }

/**
 * 删除我的手机号 (issue 19): the resident withdraws consent for their phone on the tracking page, as a plain form
 * flow (no JavaScript): confirm page, post, the number gone from the rows, the member told, no SMS to it after.
 */
describe('withdrawing consent for the phone on the tracking page', () => {
  const ctx = withDemoApp()
  const db = () => ctx.t.database.db
  const app = () => ctx.t.app

  async function submit(fields: Record<string, string>) {
    const res = await postCase(app(), { code: ctx.refs.memberCode, consent: 'on', confirmNew: '1', ...fields })
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as { publicNo: string; trackingSecret: string; status?: string }
  }
  const caseRow = async (publicNo: string) => (await db().select().from(cases).where(eq(cases.publicNo, publicNo)))[0]!
  const withdrawals = (caseId: string) =>
    db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'case.resident_phone_withdrawn'), eq(auditLog.targetId, caseId)))

  it('removes the submitter’s phone and the same person’s follower phone; the member sees it withdrawn; no SMS to it after', async () => {
    const phone = '13700000021'
    const c = await submit({ description: '三号楼楼顶的水箱漏水，顶楼住户家里墙面发霉', phone })
    // The same person joins their own case again (并单), and a neighbour joins with another number.
    const same = await postCase(app(), {
      code: ctx.refs.memberCode,
      description: '三号楼楼顶水箱漏水，顶楼墙面发霉了',
      joinCase: c.publicNo,
      phone,
      consent: 'on',
    })
    expect(same.json().status, same.body).toBe('joined')
    const other = await postCase(app(), {
      code: ctx.refs.memberCode,
      description: '三号楼楼顶的水箱漏水，顶楼住户墙面都发霉了',
      joinCase: c.publicNo,
      phone: '13700000022',
      consent: 'on',
    })
    expect(other.json().status, other.body).toBe('joined')
    const row = await caseRow(c.publicNo)
    expect(row.residentPhoneHash).toBeTruthy()

    // The tracking page offers the removal, in every language (ug is laid out right to left).
    const page = await app().inject({ url: `/t/${c.trackingSecret}` })
    expect(page.body).toContain('data-testid="phone-section"')
    expect(page.body).toContain('删除我的手机号')
    const ug = await app().inject({ url: `/t/${c.trackingSecret}?lang=ug` })
    expect(ug.body).toContain('dir="rtl"')
    expect(ug.body).toContain('تېلېفون نومۇرۇمنى ئۆچۈرۈش')
    const kk = await app().inject({ url: `/t/${c.trackingSecret}/phone?lang=kk-Arab-CN` })
    expect(kk.statusCode).toBe(200)
    expect(kk.body).toContain('dir="rtl"')
    expect(kk.body).toContain('ٴيا، ٴوشىرىلسىن')

    // The confirm page; a post without the confirmation removes nothing.
    const confirm = await app().inject({ url: `/t/${c.trackingSecret}/phone` })
    expect(confirm.statusCode).toBe(200)
    expect(confirm.body).toContain(`action="/t/${c.trackingSecret}/phone?lang=zh-CN"`)
    expect(confirm.body).toContain('name="confirm" value="yes"')
    const stray = await app().inject({ method: 'POST', url: `/t/${c.trackingSecret}/phone`, headers: FORM, payload: '' })
    expect(stray.statusCode).toBe(400)
    expect((await caseRow(c.publicNo)).residentPhoneEnc).toBeTruthy()

    const done = await app().inject({ method: 'POST', url: `/t/${c.trackingSecret}/phone?lang=zh-CN`, headers: FORM, payload: 'confirm=yes' })
    expect(done.statusCode, done.body).toBe(303)
    expect(done.headers.location).toBe(`/t/${c.trackingSecret}?phoneRemoved=1&lang=zh-CN`)
    const after = await app().inject({ url: done.headers.location as string })
    expect(after.body).toContain('您的手机号已删除')
    expect(after.body).toContain('data-testid="phone-withdrawn"')
    expect(after.body).not.toContain('data-testid="phone-remove"')

    // The rows: no ciphertext, hash or masked copy left on the case or the same person's follower row.
    const [raw] = await queryRows<Record<string, unknown>>(db(), sql`select * from cases where id = ${row.id}`)
    expect(raw).toMatchObject({ resident_phone_enc: null, resident_phone_hash: null, resident_phone_masked: null })
    expect(raw!.resident_phone_withdrawn_at).not.toBeNull()
    const followers = await db().select().from(caseFollower).where(eq(caseFollower.caseId, row.id))
    const mine = followers.find((f) => f.trackingSecretHash !== null && f.residentPhoneWithdrawnAt !== null)
    const theirs = followers.find((f) => f.residentPhoneMasked === '137****0022')
    expect(followers).toHaveLength(2)
    expect(mine).toMatchObject({ residentPhoneEnc: null, residentPhoneHash: null, residentPhoneMasked: null })
    expect(theirs!.residentPhoneEnc).toBeTruthy()
    const dump = JSON.stringify(await queryRows(db(), sql`select * from cases c left join case_follower f on f.case_id = c.id where c.id = ${row.id}`))
    expect(dump).not.toContain(row.residentPhoneHash!)
    expect(dump).not.toContain(phone)

    // Audit-logged with its reason, once: doing it again (form or JSON) changes nothing.
    const [audit] = await withdrawals(row.id)
    expect(audit!.detail).toMatchObject({ reason: expect.stringContaining('consent'), by: 'submitter', owner: true, followers: 1 })
    expect(JSON.stringify(audit)).not.toContain(phone)
    const again = await app().inject({ method: 'POST', url: `/t/${c.trackingSecret}/phone`, headers: FORM, payload: 'confirm=yes' })
    expect(again.statusCode).toBe(303)
    const json = await app().inject({ method: 'POST', url: `/api/v1/public/tracking/${c.trackingSecret}/phone/withdraw`, payload: { confirm: true } })
    expect(json.json()).toEqual({ status: 'already' })
    expect(await withdrawals(row.id)).toHaveLength(1)
    // The confirm page is not offered for a number already gone.
    expect((await app().inject({ url: `/t/${c.trackingSecret}/phone` })).statusCode).toBe(303)

    // The member sees why there is no number, and has none to call.
    const wang = await signIn(app(), 'wangjianguo')
    const detail = await wang.detail(row.id)
    expect(detail).toMatchObject({ residentPhone: null, residentPhoneMasked: null, residentPhoneWithdrawn: true })

    // Accepting the case plans the SMS to the neighbour only, none to the removed number (the delivery reads the
    // number when it sends, so a notice planned earlier finds none either: delivery.ts 'no phone').
    await wang.ok(row.id, { type: 'accept' })
    const accepted = await db()
      .select()
      .from(notification)
      .where(and(eq(notification.caseId, row.id), eq(notification.templateKey, 'resident.accepted')))
    expect(accepted.map((n) => n.followerId)).toEqual([theirs!.id])
  })

  it('a follower removes their own number only; the submitter’s stays', async () => {
    const c = await submit({ description: '菜市场门口的排水沟堵了，下雨就淹', phone: '13700000031' })
    const joined = await postCase(app(), {
      code: ctx.refs.memberCode,
      description: '菜市场门口排水沟堵住了，一下雨就淹',
      joinCase: c.publicNo,
      phone: '13700000032',
      consent: 'on',
    })
    const secret = joined.json().trackingSecret as string
    const res = await app().inject({ method: 'POST', url: `/api/v1/public/tracking/${secret}/phone/withdraw`, payload: { confirm: true } })
    expect(res.json()).toEqual({ status: 'withdrawn' })
    const row = await caseRow(c.publicNo)
    expect(row.residentPhoneMasked).toBe('137****0031')
    const [f] = await db().select().from(caseFollower).where(eq(caseFollower.caseId, row.id))
    expect(f).toMatchObject({ residentPhoneEnc: null, residentPhoneHash: null, residentPhoneMasked: null })
    expect((await withdrawals(row.id))[0]!.detail).toMatchObject({ by: 'follower', owner: false, followers: 1 })
    // A link that opens nothing: the tracking page's own not-found.
    expect((await app().inject({ method: 'POST', url: '/t/not-a-real-secret-aaaaaaaaaa/phone', headers: FORM, payload: 'confirm=yes' })).statusCode).toBe(404)
  })
})

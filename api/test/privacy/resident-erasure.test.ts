import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { attachment, auditLog, cases } from '../../src/db/schema'
import { withDemoApp } from '../support/demo-app'
import { rate, signIn, uniqueText } from '../support/case-actions'
import { BROWSER_ACCEPT, postCase } from '../support/submit'
import { jpegWithGps } from '../support/images'

/** Issue 19: the resident erases their closed request's personal data from the tracking page (plain form posts, no JS). */
const ctx = withDemoApp()
const db = () => ctx.t.database.db
const caseRow = async (id: string) => (await db().select().from(cases).where(eq(cases.id, id)))[0]!
const page = (url: string) => ctx.t.app.inject({ method: 'GET', url, headers: { accept: BROWSER_ACCEPT } })
const form = (url: string, fields: Record<string, string>) =>
  ctx.t.app.inject({
    method: 'POST',
    url,
    headers: { accept: BROWSER_ACCEPT, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  })

async function submit(text: string) {
  const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: text, phone: '13812345678', consent: 'on', confirmNew: 'on' }, [
    { name: 'photo1', data: await jpegWithGps(640, 480) },
  ])
  expect(res.statusCode, res.body).toBe(201)
  const { publicNo, trackingSecret } = res.json<{ publicNo: string; trackingSecret: string }>()
  const [row] = await db().select({ id: cases.id }).from(cases).where(eq(cases.publicNo, publicNo))
  return { id: row!.id, publicNo, trackingSecret }
}

describe("the resident's erasure request", () => {
  it('is offered only once the case is closed; confirm step; erases at once, audited; the link then says so', async () => {
    const text = uniqueText('我家楼下的下水道堵了一个星期，住在3单元502')
    const c = await submit(text)
    const wang = await signIn(ctx.t.app, 'wangjianguo')

    // Open: no offer, and the erase URLs refuse (409 page), nothing erased.
    expect((await page(`/t/${c.trackingSecret}`)).body).not.toContain('erase-offer')
    const early = await form(`/t/${c.trackingSecret}/erase`, { confirm: 'yes' })
    expect(early.statusCode).toBe(409)
    expect(early.headers['content-type']).toContain('text/html')
    expect((await caseRow(c.id)).personalDataErasedAt).toBeNull()

    await wang.ok(c.id, { type: 'accept' })
    await wang.ok(c.id, { type: 'resolve', reply: '已通知物业疏通3单元的下水道' })
    // Resolved but not yet rated (not closed): still not offered.
    expect((await page(`/t/${c.trackingSecret}`)).body).not.toContain('erase-offer')
    expect((await rate(ctx.t, c.trackingSecret, 'satisfied')).statusCode).toBe(200)

    const tracking = await page(`/t/${c.trackingSecret}?lang=zh-CN`)
    expect(tracking.body).toContain('data-testid="erase-offer"')
    expect(tracking.body).toContain('删除本诉求中的个人信息')
    // The offer is a plain GET form to the confirm step.
    expect(tracking.body).toContain(`action="/t/${c.trackingSecret}/erase"`)
    const confirm = await page(`/t/${c.trackingSecret}/erase?lang=zh-CN`)
    expect(confirm.statusCode).toBe(200)
    expect(confirm.body).toContain('确认删除')
    expect(confirm.body).toContain(c.publicNo)
    expect((await caseRow(c.id)).personalDataErasedAt).toBeNull()

    // A post without the confirm field asks again.
    const unconfirmed = await form(`/t/${c.trackingSecret}/erase?lang=zh-CN`, {})
    expect(unconfirmed.statusCode).toBe(303)
    expect(unconfirmed.headers.location).toBe(`/t/${c.trackingSecret}/erase?lang=zh-CN`)
    expect((await caseRow(c.id)).personalDataErasedAt).toBeNull()

    const done = await form(`/t/${c.trackingSecret}/erase?lang=zh-CN`, { confirm: 'yes' })
    expect(done.statusCode).toBe(303)
    expect(done.headers.location).toBe(`/t/${c.trackingSecret}?erased=1&lang=zh-CN`)
    const row = await caseRow(c.id)
    expect(row).toMatchObject({
      residentPhoneEnc: null,
      residentPhoneHash: null,
      residentPhoneMasked: null,
      description: '（已应本人要求删除）',
      status: 'closed',
      rating: 'satisfied',
    })
    expect(await db().select().from(attachment).where(eq(attachment.caseId, c.id))).toHaveLength(0)
    const [audited] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'case.personal_data_erased'), eq(auditLog.targetId, c.id)))
    expect(audited!.detail).toMatchObject({ reason: 'resident_request', by: 'resident', photos: 1 })
    expect(audited!.actorIp).toBeTruthy()

    const after = await page(done.headers.location as string)
    expect(after.statusCode).toBe(200)
    expect(after.body).toContain('本诉求中的个人信息已删除')
    expect(after.body).toContain('data-testid="erased"')
    expect(after.body).toContain(c.publicNo)
    expect(after.body).not.toContain('3单元502')
    expect(after.body).not.toContain('erase-offer')
    // Asking again changes nothing (and the confirm step leads back to the page).
    expect((await form(`/t/${c.trackingSecret}/erase`, { confirm: 'yes' })).statusCode).toBe(303)
    expect((await page(`/t/${c.trackingSecret}/erase`)).statusCode).toBe(303)
    expect(
      await db()
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'case.personal_data_erased'), eq(auditLog.targetId, c.id))),
    ).toHaveLength(1)
  })

  it.each([
    ['en', 'Delete the personal information in this request'],
    ['ug', 'بۇ ئىلتىماستىكى شەخسىي ئۇچۇرلارنى ئۆچۈرۈش'],
    ['kk-Arab-CN', 'بۇل وتىنىشتەگى جەكە مالىمەتتەردى ٴوشىرۋ'],
  ])('the offer is in %s', async (lang, words) => {
    const c = await submit(uniqueText('公园的健身器材坏了很久没人修'))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    await wang.ok(c.id, { type: 'resolve', reply: '已联系园林部门报修健身器材' })
    await rate(ctx.t, c.trackingSecret, 'satisfied')
    expect((await page(`/t/${c.trackingSecret}?lang=${lang}`)).body).toContain(words)
  })

  it("the scan page's privacy notice names the committee's retention years", async () => {
    const admin = await signIn(ctx.t.app, 'committee')
    const [row] = await db().select({ id: cases.committeeId }).from(cases).limit(1)
    const scan = async (lang: string) => {
      const res = await page(`/q/${ctx.refs.memberCode}?lang=${lang}`)
      return /data-testid="privacy-body">([^<]*)</.exec(res.body)?.[1] ?? ''
    }
    expect(await scan('zh-CN')).toContain('结案满3年后删除')
    const put = await ctx.t.app.inject({ method: 'PUT', url: `/api/v1/committees/${row!.id}/retention`, headers: admin.headers, payload: { years: 5 } })
    expect(put.statusCode, put.body).toBe(200)
    expect(await scan('zh-CN')).toContain('结案满5年后删除')
    expect(await scan('en')).toContain('5 years after the case is closed')
    expect(await scan('ug')).toContain('5 يىل')
    expect(await scan('kk-Arab-CN')).toContain('5 جىل')
    await ctx.t.app.inject({ method: 'PUT', url: `/api/v1/committees/${row!.id}/retention`, headers: admin.headers, payload: { years: 1 } })
    expect(await scan('en')).toContain('1 year after the case is closed')
  })
})

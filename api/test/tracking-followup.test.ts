import { randomUUID } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { attachment, caseEvent, cases } from '../src/db/schema'
import { withDemoApp } from './support/demo-app'
import { BROWSER_ACCEPT, footprint, postCase, type FileField } from './support/submit'
import { jpegWithGps } from './support/images'
import { signIn, uniqueText } from './support/case-actions'
import { outboxOf } from './support/outbox'
import { COPY_SCRIPT_PATH } from '../src/public/pages/tracking-page'

/** issue 16, the tracking page side: follow-up (补充情况) with photos, photos shown, confirmation, defects. */
describe('the tracking page: follow-up, photos, confirmation', () => {
  const ctx = withDemoApp()
  const db = () => ctx.t.database.db
  const app = () => ctx.t.app

  async function submit(description = uniqueText('小区北门的路灯坏了两个星期'), files: FileField[] = [], extra: Record<string, string> = {}) {
    const res = await postCase(app(), { code: ctx.refs.memberCode, description, confirmNew: 'on', ...extra }, files)
    expect(res.statusCode, res.body).toBe(201)
    const { publicNo, trackingSecret } = res.json<{ publicNo: string; trackingSecret: string }>()
    const [row] = await db().select().from(cases).where(eq(cases.publicNo, publicNo))
    return { id: row!.id, publicNo, secret: trackingSecret }
  }

  /** The follow-up as a browser (multipart, Accept: HTML) or a script (JSON answer). */
  function addInfo(secret: string, text: string | undefined, photos: Buffer[] = [], { html = false, lang = '' } = {}) {
    const form = new FormData()
    if (text !== undefined) form.append('text', text)
    photos.forEach((p, i) => form.append(`photo${i + 1}`, new Blob([new Uint8Array(p)], { type: 'image/jpeg' }), `p${i + 1}.jpg`))
    const url = html ? `/t/${secret}/info${lang ? `?lang=${lang}` : ''}` : `/api/v1/public/tracking/${secret}/info`
    return app().inject({ method: 'POST', url, payload: form, headers: { accept: html ? BROWSER_ACCEPT : 'application/json' } })
  }
  const view = (secret: string) =>
    app()
      .inject({ url: `/api/v1/public/tracking/${secret}` })
      .then((r) =>
        r.json<{
          events: { type: string; body: string }[]
          photos: { id: string; by: string; alt: string; url: string }[]
          canAddInfo: boolean
        }>(),
      )
  const eventsOf = (caseId: string) => db().select().from(caseEvent).where(eq(caseEvent.caseId, caseId))
  const state = () =>
    footprint(db(), ctx.t.app.services.blobs).then(async (f) => ({ ...f, events: (await db().select({ id: caseEvent.id }).from(caseEvent)).length }))

  it('adds text and a photo to an open case: a public event, the photo stored, the member told, the text masked on the page', async () => {
    const c = await submit()
    const res = await addInfo(c.secret, '又坏了一盏，联系人张女士13500135000', [await jpegWithGps(1200, 900)])
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toEqual({ status: 'added', photos: 1 })

    const added = (await eventsOf(c.id)).filter((e) => e.type === 'resident_added_info')
    expect(added).toEqual([expect.objectContaining({ actorKind: 'resident', visibility: 'public', body: '又坏了一盏，联系人张女士13500135000' })])
    const [photo] = await db().select().from(attachment).where(eq(attachment.eventId, added[0]!.id))
    expect(photo).toMatchObject({ caseId: c.id, public: false })
    // The member who holds the case hears of it (push or the log; never an SMS for a follow-up).
    const notices = await outboxOf(db(), { caseId: c.id, templateKeys: ['member.resident_added_info'] })
    expect(notices.length).toBeGreaterThan(0)
    expect(notices.every((n) => n.recipientKind === 'member' && n.channel !== 'sms')).toBe(true)

    const v = await view(c.secret)
    const body = v.events.find((e) => e.type === 'resident_added_info')!.body
    expect(body).not.toContain('13500135000')
    expect(body).toContain('135****5000')
    expect(v.photos).toEqual([{ id: photo!.id, by: 'resident', alt: '群众上传的照片 1', url: `/t/${c.secret}/photos/${photo!.id}?w=640` }])

    // The page shows it downscaled, privately cacheable, with its alt text.
    const page = await app().inject({ url: `/t/${c.secret}` })
    expect(page.body).toContain('alt="群众上传的照片 1"')
    for (const [w, expected] of [
      [320, 320],
      [640, 640],
      [2000, 640],
    ] as const) {
      const img = await app().inject({ url: `/t/${c.secret}/photos/${photo!.id}?w=${w}` })
      expect(img.statusCode).toBe(200)
      expect(img.headers['content-type']).toBe('image/jpeg')
      expect(img.headers['cache-control']).toBe('private, max-age=86400')
      expect((await sharp(img.rawPayload).metadata()).width).toBe(expected)
    }
  })

  it("tells the station's desk when nobody holds the case", async () => {
    const c = await submit()
    await db().update(cases).set({ memberId: null }).where(eq(cases.id, c.id))
    expect((await addInfo(c.secret, '补充：物业说没有备用灯泡')).statusCode).toBe(201)
    const notices = await outboxOf(db(), { caseId: c.id, templateKeys: ['member.resident_added_info'] })
    expect(notices.map((n) => [n.recipientKind, n.channel])).toEqual([['station', 'push']])
  })

  it('answers a browser 303 back to the page, which says the information was added', async () => {
    const c = await submit()
    const res = await addInfo(c.secret, '补充：晚上九点以后完全是黑的', [], { html: true, lang: 'zh-CN' })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe(`/t/${c.secret}?added=1&lang=zh-CN`)
    const page = await app().inject({ url: res.headers.location as string })
    expect(page.body).toContain('已收到您的补充')
    expect(page.body).toContain('补充：晚上九点以后完全是黑的')
  })

  it('refuses a follow-up on an ended case with 409 and stores nothing (JSON and page)', async () => {
    const c = await submit()
    await db().update(cases).set({ status: 'closed', closedAt: ctx.t.clock.now() }).where(eq(cases.id, c.id))
    const before = await state()
    const json = await addInfo(c.secret, '还想补充一句', [await jpegWithGps(400, 300)])
    expect(json.statusCode).toBe(409)
    expect(json.headers['content-type']).toContain('application/problem+json')
    const page = await addInfo(c.secret, '还想补充一句', [await jpegWithGps(400, 300)], { html: true })
    expect(page.statusCode).toBe(409)
    expect(page.body).toContain('这条诉求已经结束，不能再补充')
    expect(await state()).toEqual(before)
    expect((await view(c.secret)).canAddInfo).toBe(false)
    expect((await app().inject({ url: `/t/${c.secret}` })).body).not.toContain('data-testid="follow-up"')
  })

  it('refuses more than 3 photos (400, nothing stored) and keeps the text on the page', async () => {
    const c = await submit()
    const photo = await jpegWithGps(300, 200)
    const before = await state()
    const json = await addInfo(c.secret, '四张照片', [photo, photo, photo, photo])
    expect(json.statusCode).toBe(400)
    const page = await addInfo(c.secret, '四张照片<script>', [photo, photo, photo, photo], { html: true })
    expect(page.statusCode).toBe(400)
    expect(page.headers['content-type']).toContain('text/html')
    expect(page.body).toContain('最多上传3张照片')
    expect(page.body).toContain('四张照片&lt;script></textarea>')
    expect(await state()).toEqual(before)
  })

  it('refuses an empty follow-up and a text over 1000 characters, each by its field', async () => {
    const c = await submit()
    const empty = await addInfo(c.secret, '   ')
    expect(empty.statusCode).toBe(400)
    expect(empty.json().errors).toEqual([expect.objectContaining({ field: 'body.text', message: '请写下补充的情况，或选一张照片' })])
    const long = await addInfo(c.secret, '长'.repeat(1001), [], { html: true })
    expect(long.statusCode).toBe(400)
    expect(long.body).toContain('请不要超过1000字')
    expect(long.body).toContain('aria-invalid="true"')
  })

  it('a follower (who joined the case) reads it but cannot add: 403, nothing stored', async () => {
    const first = await submit('东城小区五号楼门口的井盖松动了，踩上去咣当响，晚上很危险')
    const similar = '东城小区五号楼门口的井盖松动了，踩上去咣当响，晚上危险'
    const joined = await postCase(app(), { code: ctx.refs.memberCode, description: similar, joinCase: first.publicNo })
    expect(joined.statusCode, joined.body).toBe(201)
    const follower = joined.json<{ trackingSecret: string }>().trackingSecret
    const before = await state()
    expect((await addInfo(follower, '我也补充一句')).statusCode).toBe(403)
    const page = await addInfo(follower, '我也补充一句', [], { html: true })
    expect(page.statusCode).toBe(403)
    expect(page.body).toContain('只有提交这条诉求的人可以补充情况')
    expect(await state()).toEqual(before)
    expect((await view(follower)).canAddInfo).toBe(false)
  })

  it("serves only this case's visible photos under a secret: a foreign, unknown or malformed id and another case's secret get 404", async () => {
    const a = await submit(uniqueText('甲：垃圾站满了'), [{ name: 'photo1', data: await jpegWithGps(500, 400) }])
    const b = await submit(uniqueText('乙：下水道堵了'), [{ name: 'photo1', data: await jpegWithGps(500, 400) }])
    const [photoA] = await db().select().from(attachment).where(eq(attachment.caseId, a.id))
    const [photoB] = await db().select().from(attachment).where(eq(attachment.caseId, b.id))
    expect((await app().inject({ url: `/t/${a.secret}/photos/${photoA!.id}` })).statusCode).toBe(200)
    for (const url of [
      `/t/${a.secret}/photos/${photoB!.id}`, // another case's photo under this secret
      `/t/${b.secret}/photos/${photoA!.id}`, // this photo under another case's secret
      `/t/${a.secret}/photos/${randomUUID()}`,
      `/t/${a.secret}/photos/not-a-uuid`,
      `/t/${'x'.repeat(32)}/photos/${photoA!.id}`,
    ]) {
      const res = await app().inject({ url })
      expect(res.statusCode, url).toBe(404)
      expect(res.headers['content-type'], url).toContain('text/html')
    }
    // A follow-up posted with another case's secret lands on that case only.
    expect((await addInfo(b.secret, '这是乙的补充')).statusCode).toBe(201)
    expect((await eventsOf(a.id)).some((e) => e.body === '这是乙的补充')).toBe(false)
    expect((await eventsOf(b.id)).some((e) => e.body === '这是乙的补充')).toBe(true)
  })

  it("shows the member's photos marked public (from public events only) to owner and follower; unmarked and internal ones never", async () => {
    const c = await submit('东城小区七号楼前的路面塌了一个坑，骑车的人摔了好几个')
    const joined = await postCase(app(), { code: ctx.refs.memberCode, description: '东城小区七号楼前路面塌了一个坑，骑车的人摔了好几个', joinCase: c.publicNo })
    expect(joined.statusCode, joined.body).toBe(201)
    const follower = joined.json<{ trackingSecret: string }>().trackingSecret
    const wang = await signIn(app(), 'wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    const withPhotos = async (action: Record<string, unknown>, pub: boolean) => {
      const form = new FormData()
      form.append('action', JSON.stringify({ opId: randomUUID(), baseVersion: (await wang.detail(c.id)).version, ...action }))
      if (pub) form.append('public', 'true')
      form.append('photo1', new Blob([new Uint8Array(await jpegWithGps(600, 400))], { type: 'image/jpeg' }), 'a.jpg')
      const res = await app().inject({ method: 'POST', url: `/api/v1/cases/${c.id}/actions/with-photos`, headers: wang.headers, payload: form })
      expect(res.statusCode, res.body).toBe(200)
    }
    await withPhotos({ type: 'note', body: '现场照片（内部）' }, true) // internal event: never shown, even marked
    await withPhotos({ type: 'resolve', reply: '坑已经填平，请查看照片' }, true)
    const memberPhotos = await db()
      .select()
      .from(attachment)
      .where(and(eq(attachment.caseId, c.id), eq(attachment.public, true)))
    expect(memberPhotos).toHaveLength(2)
    const resolvePhoto = memberPhotos.find((p) => p.altText === null && p.eventId === Math.max(...memberPhotos.map((m) => m.eventId!)))!

    for (const secret of [c.secret, follower]) {
      const v = await view(secret)
      expect(v.photos.filter((p) => p.by === 'member')).toEqual([expect.objectContaining({ id: resolvePhoto.id, alt: '委员上传的照片 1' })])
      expect(v.photos.some((p) => p.by === 'resident')).toBe(false) // neither the follower's nor the owner's own (none given here)
      expect((await app().inject({ url: `/t/${secret}/photos/${resolvePhoto.id}` })).statusCode).toBe(200)
    }
    const internal = memberPhotos.find((p) => p.id !== resolvePhoto.id)!
    expect((await app().inject({ url: `/t/${c.secret}/photos/${internal.id}` })).statusCode).toBe(404)
  })

  it("a follower does not see the submitter's own photos", async () => {
    const c = await submit('东城小区九号楼的外墙瓷砖掉下来了，差点砸到人，很危险', [{ name: 'photo1', data: await jpegWithGps(500, 400) }])
    const joined = await postCase(app(), {
      code: ctx.refs.memberCode,
      description: '东城小区九号楼的外墙瓷砖掉下来了，差点砸到人，太危险',
      joinCase: c.publicNo,
    })
    const follower = joined.json<{ trackingSecret: string }>().trackingSecret
    const [own] = await db().select().from(attachment).where(eq(attachment.caseId, c.id))
    expect((await view(c.secret)).photos.map((p) => p.id)).toEqual([own!.id])
    expect((await view(follower)).photos).toEqual([])
    expect((await app().inject({ url: `/t/${follower}/photos/${own!.id}` })).statusCode).toBe(404)
  })

  it('limits follow-ups per link', async () => {
    const c = await submit()
    for (let i = 0; i < 10; i++) expect((await addInfo(c.secret, `第${i}次补充`)).statusCode).toBe(201)
    expect((await addInfo(c.secret, '第十一次')).statusCode).toBe(429)
  })

  it.each([
    ['zh-CN', '没有找到这个诉求链接', '找回我的诉求'],
    ['en', 'We could not find this request link', 'Recover my request'],
    ['ug', 'بۇ ئىلتىماس ئۇلانمىسى تېپىلمىدى', 'ئىلتىماسىمنى قايتا تېپىش'],
    ['kk-Arab-CN', 'بۇل ٶتىنىش سىلتەمەسى تابىلمادى', 'ٶتىنىشىمدى قايتا تابۋ'],
  ])('a wrong tracking link in %s says so in its own words and points to recovery', async (lang, title, recover) => {
    for (const url of [`/t/${'A'.repeat(32)}?lang=${lang}`, `/t/short?lang=${lang}`]) {
      const res = await app().inject({ url })
      expect(res.statusCode).toBe(404)
      expect(res.body).toContain(title)
      expect(res.body).toContain(recover)
      expect(res.body).toContain(`href="/t?lang=${lang}"`)
      expect(res.body).not.toContain('二维码')
    }
  })

  it.each(['new', 'joined'])('the confirmation (?%s=1) shows the absolute link, a copy button for JavaScript and how to recover', async (flag) => {
    const c = await submit()
    const page = await app().inject({ url: `/t/${c.secret}?${flag}=1` })
    expect(page.body).toContain(`>http://msj.test/t/${c.secret}</p>`)
    expect(page.body).toMatch(/<button type="button" class="secondary" id="copy-link" hidden/)
    expect(page.body).toContain(`<script src="${COPY_SCRIPT_PATH}" defer>`)
    expect(page.body).toContain(`凭查询编号 ${c.publicNo} 和您留的手机号可以找回`)
    // The script comes from this origin: the CSP (script-src 'self') allows it, no inline script is needed.
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/)
    const script = await app().inject({ url: COPY_SCRIPT_PATH })
    expect(script.statusCode).toBe(200)
    expect(script.headers['content-type']).toContain('javascript')
    expect(script.body).toContain('clipboard')
    // A later visit does not repeat it.
    expect((await app().inject({ url: `/t/${c.secret}` })).body).not.toContain('copy-link')
  })

  it.each(['en', 'ug', 'kk-Arab-CN'])('in %s the page has no Chinese full-width colon', async (lang) => {
    const c = await submit(uniqueText('路灯不亮了'))
    const page = await app().inject({ url: `/t/${c.secret}?lang=${lang}` })
    const text = page.body.replace(/<[^>]+>/g, ' ')
    // The number in the description's uniqueText suffix is the resident's text, not the page's: check outside it.
    expect(text.replace(/[^\n]*路灯不亮了[^\n]*/g, '')).not.toContain('：')
    if (lang === 'en') expect(text).toContain('Status: ')
  })

  it("shows the member's answer before the rating form, and the chosen rating after rating, every time", async () => {
    const c = await submit()
    const wang = await signIn(app(), 'wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    await wang.ok(c.id, { type: 'resolve', reply: '路灯已经更换，晚上可以正常照明了' })
    const page = (await app().inject({ url: `/t/${c.secret}` })).body
    expect(page.indexOf('路灯已经更换')).toBeGreaterThan(0)
    expect(page.indexOf('data-testid="rating-form"')).toBeGreaterThan(page.indexOf('路灯已经更换'))
    const rated = await app().inject({
      method: 'POST',
      url: `/t/${c.secret}/rating?lang=en`,
      payload: 'rating=basically_satisfied',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(rated.headers.location).toBe(`/t/${c.secret}?rated=1&lang=en`)
    expect((await app().inject({ url: rated.headers.location as string })).body).toContain('Your rating: Mostly satisfied')
    const later = (await app().inject({ url: `/t/${c.secret}?lang=zh-CN` })).body
    expect(later).toContain('您的评价：基本满意')
    expect(later).not.toContain('data-testid="rating-form"')
  })
})

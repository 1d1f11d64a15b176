import { eq, isNull } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { attachment, cases, station } from '../../src/db/schema'
import { SCAN_SCRIPT_HASH } from '../../src/public/pages/scan-script'
import { withDemoApp } from '../support/demo-app'
import { bearer, login } from '../support/fixtures'
import { DEMO_PASSWORD } from '../../src/seed/demo-data'
import { BROWSER_ACCEPT, footprint, postCase } from '../support/submit'
import { jpegWithGps } from '../support/images'

/** Issue 16, the scan page's defects: each test here fails on the code before the fix. */
describe('scan page defects (issue 16)', () => {
  const ctx = withDemoApp()
  const db = () => ctx.t.database.db
  const get = (url: string, headers: Record<string, string> = {}) => ctx.t.app.inject({ url, headers })
  let n = 0
  const unique = (text: string) => `${text}（第${++n}号，${'甲乙丙丁戊己庚辛壬癸'.slice(n % 10)}${n * 7919}）`
  const textarea = (html: string) => html.match(/<textarea[^>]*>([^<]*)<\/textarea>/)?.[1]

  describe('language switch on a form shown again', () => {
    it('an old language link (GET /api/v1/public/cases?code=…&lang=ug) leads back to the scan page, not to JSON', async () => {
      const res = await get(`/api/v1/public/cases?code=${ctx.refs.memberCode.toLowerCase()}&lang=ug`, { accept: BROWSER_ACCEPT })
      expect(res.statusCode).toBe(303)
      expect(res.headers.location).toBe(`/q/${ctx.refs.memberCode}?lang=ug`)
      const bare = await get('/api/v1/public/cases?lang=ug', { accept: BROWSER_ACCEPT })
      expect(bare.statusCode).toBe(404)
      expect(bare.headers['content-type']).toMatch(/^text\/html/)
      expect(bare.body).toContain('lang="ug"')
      // Scripts still get problem+json.
      const script = await get('/api/v1/public/cases', { accept: 'application/json' })
      expect(script.headers['content-type']).toMatch(/^application\/problem\+json/)
    })

    it('a form shown after an error switches language by re-posting it: text kept, no errors, nothing stored', async () => {
      const error = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: '路灯坏', location: '北门' }, [], {
        html: true,
        query: `?code=${ctx.refs.memberCode}&lang=zh-CN`,
      })
      expect(error.statusCode).toBe(400)
      // No plain link to the POST address any more: each language is a submit button of the form.
      expect(error.body).not.toContain('href="/api/v1/public/cases')
      expect(error.body).toMatch(
        new RegExp(
          `<button type="submit" form="scan-form" formaction="/api/v1/public/cases\\?code=${ctx.refs.memberCode}&amp;lang=ug" formnovalidate name="relang" value="ug"`,
          'i',
        ),
      )
      const before = await footprint(db(), ctx.t.app.services.blobs)
      const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: '路灯坏', location: '北门', relang: 'ug' }, [], {
        html: true,
        query: `?code=${ctx.refs.memberCode}&lang=ug`,
      })
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain('<html lang="ug" dir="rtl">')
      expect(textarea(res.body)).toBe('路灯坏')
      expect(res.body).toContain('value="北门"')
      expect(res.body).not.toContain('role="alert"')
      expect(res.body).toContain(`action="/api/v1/public/cases?code=${ctx.refs.memberCode}&amp;lang=ug"`)
      expect(await footprint(db(), ctx.t.app.services.blobs)).toEqual(before)
    })

    it('a plain GET page keeps plain language links to /q/<code>', async () => {
      const page = await get(`/q/${ctx.refs.memberCode}`)
      expect(page.body).toContain(`<a href="/q/${ctx.refs.memberCode}?lang=ug"`)
      expect(page.body).not.toContain('name="relang"')
    })
  })

  describe('long texts', () => {
    it('a 5,000-character text is not cut: the server rejects it with the field message and keeps all of it', async () => {
      const long = '楼道里的灯不亮了'.repeat(625)
      expect([...long]).toHaveLength(5000)
      const page = await get(`/q/${ctx.refs.memberCode}`)
      expect(page.body).not.toMatch(/<textarea[^>]*maxlength/i)
      expect(page.body).toContain('5至2000字')
      const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: long }, [], { html: true })
      expect(res.statusCode).toBe(400)
      expect(textarea(res.body)).toBe(long)
      expect(res.body).toContain('请不要超过2000字')
      // Without JavaScript the counter is rendered by the server on a form shown again.
      expect(res.body).toContain('<span id="description-count" class="count error" dir="ltr">5000/2000</span>')
      const json = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: long })
      expect(json.statusCode).toBe(400)
      expect(json.json().errors).toContainEqual(expect.objectContaining({ field: 'body.description', keyword: 'error.description.long' }))
    })

    it('a 9,000-character Chinese paste (27 KB of UTF-8) reaches the server whole and is shown again whole', async () => {
      const long = '小区门口的路灯坏了'.repeat(1000)
      expect(Buffer.byteLength(long)).toBeGreaterThan(16 * 1024)
      const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: long }, [], { html: true })
      expect(res.statusCode).toBe(400)
      expect(textarea(res.body)).toBe(long)
      expect(res.body).toContain('9000/2000')
    })

    it('the counter script runs under the CSP: its hash is in script-src, no other inline script', async () => {
      const res = await get(`/q/${ctx.refs.memberCode}`)
      const csp = String(res.headers['content-security-policy'])
      expect(csp).toMatch(new RegExp(`script-src 'self' ${SCAN_SCRIPT_HASH.replace(/[+/]/g, '\\$&')}`))
      expect(csp).not.toContain("'unsafe-inline' 'sha256")
    })
  })

  describe('the duplicate prompt', () => {
    const SECRET = '联系人张女士13500135000，身份证110101199003071234，小区北门的垃圾站三天没人清运，臭味很大'
    const SIMILAR = '小区北门的垃圾站三天没人清运了，臭味很大，联系人张女士13500135000，身份证110101199003071234'

    it('shows only category, date and the masked first 30 characters (phone, ID number, name-with-title masked), in HTML and JSON', async () => {
      const first = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: SECRET })
      expect(first.statusCode, first.body).toBe(201)
      const html = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: SIMILAR }, [], { html: true })
      expect(html.statusCode).toBe(200)
      expect(html.body).toContain('已有类似问题正在处理')
      const json = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: SIMILAR })
      const hint = json.json()
      expect(hint.status).toBe('duplicate')
      expect([...hint.excerpt].length).toBeLessThanOrEqual(30)
      expect(hint.excerpt).toBe('联系人某女士135****5000，身份证110101***')
      // The page also holds the resident's own text (in the textarea): the hint is the alert box.
      const box = html.body.match(/<div class="alert" role="alert">[\s\S]*?<\/div>/)?.[0] ?? ''
      expect(box).toContain('联系人某女士135****5000')
      for (const body of [box, json.body]) {
        expect(body).not.toContain('13500135000')
        expect(body).not.toContain('110101199003071234')
        expect(body).not.toContain('张女士')
        expect(body).not.toContain('垃圾站三天没人清运，臭味') // past the first 30 characters
      }
      // The visible hint does not print the public number (it only rides on the join button).
      const visible = box.replace(/<[^>]+>/g, ' ')
      expect(visible).not.toContain(first.json().publicNo)
    })

    it('keeps the chosen photos across the prompt, and a plain 提交 after it creates the case with them', async () => {
      const description = unique('东门外的人行道砖松动了好多块，下雨天一踩就溅一身泥水')
      const seed = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description })
      expect(seed.statusCode).toBe(201)
      const again = `${description}，请尽快修`
      const photo = await jpegWithGps(800, 600)
      const prompt = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: again }, [{ name: 'photo1', data: photo }], { html: true })
      expect(prompt.statusCode).toBe(200)
      expect(prompt.body).toContain('已保留您选择的1张照片')
      const ref = prompt.body.match(/name="keptPhoto1" value="([0-9a-f]+)"/)?.[1]
      expect(ref).toMatch(/^[0-9a-f]{40}$/)
      expect(prompt.body.match(/type="file"/g)).toHaveLength(2)
      expect(prompt.body).toContain(`name="seenDuplicate" value="${seed.json().publicNo}"`)
      // Its language switch re-posts the form too, and the kept photo stays kept.
      expect(prompt.body).toContain('name="relang" value="en"')
      const switched = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: again, keptPhoto1: ref!, relang: 'en' }, [], {
        html: true,
        query: `?code=${ctx.refs.memberCode}&lang=en`,
      })
      expect(switched.statusCode).toBe(200)
      expect(switched.body).toContain(`name="keptPhoto1" value="${ref}"`)
      expect(switched.body).toContain('1 photo kept; you may add more')
      const waiting = await db().select().from(attachment).where(isNull(attachment.caseId))
      expect(waiting.some((a) => a.storageKey.includes(ref!))).toBe(true)

      const created = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: again, keptPhoto1: ref!, seenDuplicate: seed.json().publicNo }, [], {
        html: true,
      })
      expect(created.statusCode, created.body).toBe(303)
      expect(created.headers.location).toMatch(/\?new=1$/)
      const [row] = await db().select().from(cases).where(eq(cases.description, again))
      const photos = await db().select().from(attachment).where(eq(attachment.caseId, row!.id))
      expect(photos).toHaveLength(1)
      expect(photos[0]!.storageKey).toContain(ref!)
      expect(photos[0]!.eventId).not.toBeNull()

      // A reference already claimed gives nothing to another case.
      const other = await postCase(ctx.t.app, {
        code: ctx.refs.memberCode,
        description: unique('西门岗亭的栏杆坏了抬不起来，车辆进出要人工推'),
        keptPhoto1: ref!,
      })
      expect(other.statusCode).toBe(201)
      const [otherRow] = await db().select().from(cases).where(eq(cases.publicNo, other.json().publicNo))
      expect(await db().select().from(attachment).where(eq(attachment.caseId, otherRow!.id))).toHaveLength(0)
    })
  })

  describe('coordinates from "use my location"', () => {
    it.each([
      [{ lat: '91', lng: '87.6' }, 'body.lat'],
      [{ lat: '43.8', lng: '-180.5' }, 'body.lng'],
      [{ lat: '43.8', lng: '87.6', accuracy: '-1' }, 'body.accuracy'],
      [{ lat: 'north', lng: '87.6' }, 'body.lat'],
      [{ lat: '43.8' }, 'body.lng'],
    ])('%o is refused with a field error', async (coords, field) => {
      const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: unique('路口红绿灯的倒计时屏不亮了'), ...coords })
      expect(res.statusCode).toBe(400)
      expect(res.json().errors).toContainEqual(expect.objectContaining({ field, keyword: 'error.geo.invalid' }))
    })

    it('valid ones are stored with the case and reach the member in the case summary', async () => {
      const res = await postCase(ctx.t.app, {
        code: ctx.refs.memberCode,
        description: unique('幼儿园门口的减速带被压坏了，车开得很快'),
        lat: '43.825592',
        lng: '87.616848',
        accuracy: '23.6',
      })
      expect(res.statusCode, res.body).toBe(201)
      const [row] = await db().select().from(cases).where(eq(cases.publicNo, res.json().publicNo))
      expect(row).toMatchObject({ lat: 43.825592, lng: 87.616848, locationAccuracy: 23.6 })
      // The member it went to (王建国) reads it in the case detail his app shows.
      const wang = await login(ctx.t.app, 'wangjianguo', DEMO_PASSWORD)
      const detail = await ctx.t.app.inject({ url: `/api/v1/cases/${row!.id}`, headers: bearer(wang.accessToken) })
      expect(detail.statusCode, detail.body).toBe(200)
      expect(detail.json().coords).toEqual({ lat: 43.825592, lng: 87.616848, accuracy: 23.6 })
    })
  })

  describe('punctuation and icon', () => {
    it.each(['en', 'ug', 'kk-Arab-CN'])('the %s station page has no Chinese punctuation in its own texts', async (lang) => {
      const res = await get(`/q/${ctx.refs.stationCode}?lang=${lang}`)
      // The station's opening hours are data, written in Chinese by its staff: not ours to translate.
      const [st] = await db().select().from(station).where(eq(station.id, ctx.refs.stationId))
      const text = res.body
        .replace(st!.openHours, '')
        .replace(/<style>[\s\S]*?<\/style>|<script>[\s\S]*?<\/script>/g, '')
        .replace(/<[^>]+>/g, '\n')
      expect(text).not.toMatch(/[：（）、]/)
      expect(res.body).toContain('王建国 (经济界)')
    })

    it('serves /favicon.ico (cacheable, public) and the pages link it', async () => {
      const res = await get('/favicon.ico')
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe('image/png')
      expect(res.headers['cache-control']).toMatch(/^public, max-age=\d{5,}/)
      expect(res.rawPayload.subarray(1, 4).toString()).toBe('PNG')
      expect((await get(`/q/${ctx.refs.memberCode}`)).body).toContain('<link rel="icon" href="/favicon.ico"')
    })
  })
})

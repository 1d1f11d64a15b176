import { asc, eq } from 'drizzle-orm'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { attachment, caseEvent, cases } from '../src/db/schema'
import { createPiiCipher } from '../src/privacy/pii-cipher'
import { withDemoApp } from './support/demo-app'
import { footprint, postCase } from './support/submit'
import { hugeJpeg, jpegWithGps, notAnImage } from './support/images'

describe('POST /api/v1/public/cases', () => {
  const ctx = withDemoApp()
  const db = () => ctx.t.database.db
  let n = 0
  /** Descriptions differ enough between tests that the duplicate hint stays out of the way. */
  const unique = (text: string) => `${text}（第${++n}号测试，${'甲乙丙丁戊己庚辛壬癸'.slice(n % 10)}${n * 7919}）`

  it('creates a case from a member code, routed to that member, with its first events, and answers JSON', async () => {
    const description = unique('楼下早餐店每天凌晨四点开始剁肉，吵得整栋楼睡不着')
    const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description, phone: '138 0931 2345', consent: 'on' })
    expect(res.statusCode, res.body).toBe(201)
    const body = res.json()
    expect(body).toMatchObject({ status: 'created', publicNo: expect.stringMatching(/^DEMO-\d{4}-\d{6}$/), trackingUrl: expect.stringMatching(/^\/t\//) })
    const [row] = await db().select().from(cases).where(eq(cases.publicNo, body.publicNo))
    expect(row).toMatchObject({ status: 'assigned', channel: 'qr', description, residentPhoneMasked: '138****2345' })
    expect(createPiiCipher(ctx.t.config.secrets.piiKey).decrypt(row!.residentPhoneEnc!)).toBe('13809312345')
    const events = await db().select().from(caseEvent).where(eq(caseEvent.caseId, row!.id)).orderBy(asc(caseEvent.id))
    expect(events.map((e) => [e.type, e.toStatus])).toEqual([
      ['submitted', 'submitted'],
      ['assigned', 'assigned'],
    ])
    expect(events[1]!.data).toMatchObject({ reason: 'member_code' })
  })

  it('answers a browser form post with 303 to the tracking page, which shows the number and status', async () => {
    const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: unique('公园的健身器材坏了好几件，老人锻炼不安全') }, [], { html: true })
    expect(res.statusCode, res.body).toBe(303)
    const location = res.headers.location as string
    expect(location).toMatch(/^\/t\/[A-Za-z0-9_-]{32}\?new=1$/)
    const page = await ctx.t.app.inject({ url: location })
    expect(page.statusCode).toBe(200)
    expect(page.headers['cache-control']).toBe('no-cache')
    expect(page.body).toMatch(/DEMO-\d{4}-\d{6}/)
    expect(page.body).toContain('已派单，等待委员接单')
    expect(page.body).toContain('承办：王建国')
  })

  it('sends a member-code case to the station queue when the member is on leave', async () => {
    const res = await postCase(ctx.t.app, { code: ctx.refs.onLeaveCode, description: unique('菜市场排水沟堵了，污水漫到路面上') })
    const [row] = await db().select().from(cases).where(eq(cases.publicNo, res.json().publicNo))
    expect(row).toMatchObject({ memberId: null, status: 'assigned' })
    expect(row!.stationId).not.toBeNull()
  })

  it('re-encodes photos: at most 1600 px, JPEG, EXIF and GPS gone', async () => {
    const photo = await jpegWithGps()
    expect((await sharp(photo).metadata()).exif).toBeDefined()
    const res = await postCase(ctx.t.app, { code: ctx.refs.stationCode, description: unique('街边井盖松动，电动车压过去很危险') }, [
      { name: 'photo1', data: photo, filename: 'IMG_0001.jpg' },
      { name: 'photo2', data: await sharp(photo).png().toBuffer(), filename: 'shot.png', type: 'image/png' },
    ])
    expect(res.statusCode, res.body).toBe(201)
    const [row] = await db().select().from(cases).where(eq(cases.publicNo, res.json().publicNo))
    const stored = await db().select().from(attachment).where(eq(attachment.caseId, row!.id))
    expect(stored).toHaveLength(2)
    for (const a of stored) {
      const bytes = (await ctx.t.app.services.blobs.get(a.storageKey))!
      expect(bytes).toBeDefined()
      const meta = await sharp(bytes).metadata()
      expect(meta.format).toBe('jpeg')
      expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(1600)
      expect(meta.exif).toBeUndefined()
      expect(bytes.includes(Buffer.from('TestPhone'))).toBe(false)
      expect(a).toMatchObject({ mime: 'image/jpeg', bytes: bytes.length })
    }
  })

  describe('refuses bad input with a clear message and leaves nothing behind', () => {
    const text = () => unique('小区门口的路灯坏了一个月了，晚上很黑')
    const cases_: [
      string,
      () => Promise<{ fields: Record<string, string>; files?: { name: string; data: Buffer; filename?: string }[] }>,
      number,
      string,
      string,
    ][] = [
      ['empty description', async () => ({ fields: { description: '' } }), 400, 'description', '请至少写5个字'],
      ['too short description', async () => ({ fields: { description: '路灯坏' } }), 400, 'description', '请至少写5个字'],
      ['over-long description', async () => ({ fields: { description: '很'.repeat(2001) } }), 400, 'description', '请不要超过2000字'],
      ['malformed phone', async () => ({ fields: { description: text(), phone: '12345', consent: 'on' } }), 400, 'phone', '请填写11位手机号'],
      ['phone without consent', async () => ({ fields: { description: text(), phone: '13812345678' } }), 400, 'consent', '请勾选同意'],
      [
        'an .exe renamed .jpg',
        async () => ({
          fields: { description: text() },
          files: [{ name: 'photo1', data: Buffer.concat([Buffer.from('MZ'), notAnImage(50_000)]), filename: 'cat.jpg' }],
        }),
        400,
        'photo1',
        '第1张不是能识别的图片',
      ],
      [
        'a 20 MB image',
        async () => ({ fields: { description: text() }, files: [{ name: 'photo1', data: notAnImage(20 * 1024 * 1024) }] }),
        400,
        'photo1',
        '第1张照片超过8MB',
      ],
      [
        'a real photo over 8 MB',
        async () => ({ fields: { description: text() }, files: [{ name: 'photo1', data: await hugeJpeg() }] }),
        400,
        'photo1',
        '超过8MB',
      ],
      [
        '4 images',
        async () => {
          const p = await jpegWithGps(400, 300)
          return { fields: { description: text() }, files: [1, 2, 3, 4].map((i) => ({ name: `photo${i}`, data: p })) }
        },
        400,
        'photos',
        '最多上传3张照片',
      ],
      ['honeypot filled', async () => ({ fields: { description: text(), website: 'http://spam.example' } }), 400, 'form', '提交未成功'],
      [
        'unknown category',
        async () => ({ fields: { description: text(), categoryId: '00000000-0000-4000-8000-000000000000' } }),
        400,
        'categoryId',
        '请从列表中选择问题类型',
      ],
    ]

    it.each(cases_)('%s (HTML form)', async (_name, build, status, field, message) => {
      const before = await footprint(db(), ctx.t.app.services.blobs)
      const { fields, files } = await build()
      const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, ...fields }, files, { html: true })
      expect(res.statusCode).toBe(status)
      expect(res.headers['content-type']).toMatch(/^text\/html/)
      expect(res.body).toContain(message)
      expect(res.body).toContain(`id="${field}-error"`)
      expect(await footprint(db(), ctx.t.app.services.blobs)).toEqual(before)
    })

    it.each(cases_)('%s (JSON)', async (_name, build, status, field) => {
      const before = await footprint(db(), ctx.t.app.services.blobs)
      const { fields, files } = await build()
      const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, ...fields }, files)
      expect(res.statusCode).toBe(status)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: `body.${field}` })]))
      expect(await footprint(db(), ctx.t.app.services.blobs)).toEqual(before)
    })

    it('keeps what the resident typed when the form comes back', async () => {
      const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: '太短', location: '人民路<3号>' }, [], { html: true })
      expect(res.body).toContain('>太短</textarea>')
      expect(res.body).toContain('value="人民路&lt;3号>"')
    })

    it.each([
      ['unknown code', 'ZZZZZZZZZZ', 404],
      ['malformed code', '../../etc', 404],
    ])('%s → friendly 404 page', async (_name, code, status) => {
      const before = await footprint(db(), ctx.t.app.services.blobs)
      const res = await postCase(ctx.t.app, { code, description: text() }, [], { html: true })
      expect(res.statusCode).toBe(status)
      expect(res.body).toContain('没有找到这个二维码')
      expect(await footprint(db(), ctx.t.app.services.blobs)).toEqual(before)
    })

    it('renders HTML and script in the description as text', async () => {
      const evil = unique('<script>alert(1)</script><img src=x onerror=alert(2)> 路灯不亮')
      const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: evil }, [], { html: true })
      const page = await ctx.t.app.inject({ url: res.headers.location as string })
      expect(page.body).not.toContain('<script>alert(1)')
      const back = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: evil, phone: 'x' }, [], { html: true })
      expect(back.body).toContain('&lt;script>alert(1)&lt;/script>')
      expect(back.body).not.toMatch(/<img src=x/)
    })

    it('answers more files than a form can hold with a friendly 413 page and creates nothing', async () => {
      const before = await footprint(db(), ctx.t.app.services.blobs)
      const p = await jpegWithGps(200, 150)
      const res = await postCase(
        ctx.t.app,
        { code: ctx.refs.memberCode, description: text() },
        [1, 2, 3, 4, 5, 6].map((i) => ({ name: `photo${i}`, data: p })),
        { html: true },
      )
      expect(res.statusCode).toBe(413)
      expect(res.headers['content-type']).toMatch(/^text\/html/)
      expect(res.body).toContain('最多3张照片，每张不超过8MB')
      expect(await footprint(db(), ctx.t.app.services.blobs)).toEqual(before)
    })

    it('answers an oversized JSON body with 413 and creates nothing', async () => {
      const before = await footprint(db(), ctx.t.app.services.blobs)
      const res = await ctx.t.app.inject({
        method: 'POST',
        url: '/api/v1/public/cases',
        payload: { code: ctx.refs.memberCode, description: 'x'.repeat(2 * 1024 * 1024) },
      })
      expect(res.statusCode).toBe(413)
      expect(await footprint(db(), ctx.t.app.services.blobs)).toEqual(before)
    })
  })
})

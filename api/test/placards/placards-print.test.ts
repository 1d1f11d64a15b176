import { and, eq, inArray } from 'drizzle-orm'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { CATALOGUES } from '@mashangjian/shared'
import { auditLog, member, memberStation, qrCode, station } from '../../src/db/schema'
import { DESIGNS, onPage, pageSpecs } from '../../src/placards/placard-layouts'
import { withDemoApp } from '../support/demo-app'
import { signIn, type SignedIn } from '../support/case-actions'
import { decodeQrIn, imagesPerPage, pdfFonts, pdfText, popplerMissing, rasterise } from '../support/pdf-tools'

describe.skipIf(popplerMissing)('placards PDF and preview for a demo station', () => {
  const ctx = withDemoApp()
  let admin: SignedIn
  /** 东城街道委员工作站's members and their active codes. */
  let expected: Map<string, string>

  beforeAll(async () => {
    admin = await signIn(ctx.t.app, 'station')
    const db = ctx.t.database.db
    const rows = await db
      .select({ name: member.name, code: qrCode.code })
      .from(memberStation)
      .innerJoin(member, eq(member.id, memberStation.memberId))
      .innerJoin(qrCode, and(eq(qrCode.memberId, member.id), eq(qrCode.status, 'active')))
      .where(eq(memberStation.stationId, ctx.refs.stationId))
    expected = new Map(rows.map((r) => [r.code, r.name]))
    expect(expected.size).toBe(5)
  })

  const pdfOf = async (query: string) => {
    const res = await admin.get(`/api/v1/placards.pdf?${query}`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    return res
  }

  /** Every QR code of every panel, decoded from the rasterised pages, must open the scan page of that placard's member. */
  async function expectEveryCodeReachesItsMember(pdf: Buffer, layout: 'poster' | 'cards' | 'tent', count: number, lang?: 'ug' | 'kk-Arab-CN') {
    const pages = rasterise(pdf)
    const specs = pageSpecs(layout, count)
    expect(pages).toHaveLength(specs.length)
    const seen = new Map<string, number>()
    for (const [i, spec] of specs.entries()) {
      for (const panel of spec.panels) {
        const url = decodeQrIn(pages[i]!, onPage(panel, DESIGNS[panel.design].qr))
        // Uyghur and Kazakh placards open the scan page in their language (issue 12); others print the bare URL.
        expect(url, `page ${i + 1}, panel of placard ${panel.item}`).toMatch(
          new RegExp(`^${ctx.t.config.publicBaseUrl}/q/[0-9A-Z]{10}${lang ? `\\?lang=${lang}` : ''}$`),
        )
        const code = url!.split('/q/')[1]!.split('?')[0]!
        seen.set(code, (seen.get(code) ?? 0) + 1)
        const name = expected.get(code)
        expect(name, `${code} belongs to a member of the station`).toBeDefined()
        const scan = await ctx.t.app.inject({ url: new URL(url!).pathname, headers: { 'accept-language': 'zh-CN' } })
        expect(scan.statusCode).toBe(200)
        expect(scan.body).toContain(`找${name}委员说事`)
      }
    }
    // Each member once (a tent shows the same member on both faces).
    expect([...seen.keys()].sort()).toEqual([...expected.keys()].sort())
    for (const n of seen.values()) expect(n).toBe(layout === 'tent' ? 2 : 1)
  }

  it('cards: one A4 sheet of 8 slots, every QR decodes to the right member, names as text, CJK font embedded as a subset', async () => {
    const res = await pdfOf(`stationId=${ctx.refs.stationId}&layout=cards`)
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="placards-cards-\d{4}-\d{2}-\d{2}\.pdf"; filename\*=UTF-8''/)
    expect(decodeURIComponent(res.headers['content-disposition']!.split("''")[1]!)).toMatch(/^码牌-东城街道委员工作站-卡片-\d{4}-\d{2}-\d{2}\.pdf$/)
    expect(res.headers['x-placards-count']).toBe('5')
    expect(res.headers['x-placards-pages']).toBe('1')
    expect(res.headers['x-placards-skipped']).toBe('0')
    expect(res.headers['content-length']).toBeUndefined() // streamed
    const pdf = res.rawPayload
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    await expectEveryCodeReachesItsMember(pdf, 'cards', 5)
    const text = pdfText(pdf)
    for (const name of expected.values()) expect(text).toContain(name)
    expect(text).toContain('微信扫一扫，找委员说事')
    expect(text).toContain('界别：经济界')
    const fonts = pdfFonts(pdf)
    expect(fonts).toHaveLength(1) // zh-CN only: the Arabic font is not used, so not embedded
    expect(fonts[0]!.name).toMatch(/^[A-Z]{6}\+NotoSansSC-Regular$/)
    expect(fonts[0]).toMatchObject({ embedded: true, subset: true, unicode: true })
    // Vector QR: no raster image at all (no member has a photo yet).
    expect(imagesPerPage(pdf).size).toBe(0)
  })

  it('poster: one A4 page per member, Uyghur line set in the Arabic font (also a subset)', async () => {
    const res = await pdfOf(`stationId=${ctx.refs.stationId}&layout=poster&lang=ug`)
    expect(res.headers['x-placards-pages']).toBe('5')
    const pdf = res.rawPayload
    await expectEveryCodeReachesItsMember(pdf, 'poster', 5, 'ug')
    const fonts = pdfFonts(pdf)
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(['NotoNaskhArabic-Regular', 'NotoSansSC-Regular'])
    for (const f of fonts) {
      expect(f.name).toMatch(/^[A-Z]{6}\+/)
      expect(f).toMatchObject({ embedded: true, subset: true })
    }
    const text = pdfText(pdf)
    expect(text).toContain('王建国')
    // The Uyghur line extracts with the right letters (ActualText; the font's shared letter skeletons alone would
    // not). poppler reorders right-to-left text itself, so compare the letters, not their order.
    const letters = (s: string) => [...s.replace(/[^\u0600-\u06ff]/g, '')].sort().join('')
    const ug = CATALOGUES.ug['placard.scan']
    const extracted = text.split('\n').find((l) => /[\u0600-\u06ff]/.test(l))!
    expect(letters(extracted)).toBe(letters(ug))
  })

  it('tent: A5, both faces of each member decode (the upper one turned 180°)', async () => {
    const res = await pdfOf(`stationId=${ctx.refs.stationId}&layout=tent&lang=kk-Arab-CN`)
    const pdf = res.rawPayload
    const pages = rasterise(pdf)
    // A5 (148 × 210 mm) at 150 dpi: 874 × 1240 px, give or take poppler's rounding.
    expect(Math.abs(pages[0]!.width - 874)).toBeLessThanOrEqual(1)
    expect(Math.abs(pages[0]!.height - 1240)).toBeLessThanOrEqual(1)
    await expectEveryCodeReachesItsMember(pdf, 'tent', 5, 'kk-Arab-CN')
  })

  it("puts a member's photo on the placard when there is one, and prints without it when its file is gone", async () => {
    const db = ctx.t.database.db
    const photo = await sharp({ create: { width: 800, height: 1000, channels: 3, background: '#3366aa' } })
      .jpeg()
      .toBuffer()
    await ctx.t.app.services.blobs.put('members/test/wang.jpg', photo)
    await db.update(member).set({ photoKey: 'members/test/wang.jpg' }).where(eq(member.name, '王建国'))
    await db.update(member).set({ photoKey: 'members/test/missing.jpg' }).where(eq(member.name, '李秀兰'))
    const { rawPayload: pdf } = await pdfOf(`stationId=${ctx.refs.stationId}&layout=poster`)
    const perPage = imagesPerPage(pdf)
    expect([...perPage.values()]).toEqual([1]) // one page has the one photo
    // Kept resized for the next print, not the 800 × 1000 original.
    const kept = await ctx.t.app.services.blobs.get('placard-photos/poster/members/test/wang.jpg')
    expect(await sharp(kept!).metadata()).toMatchObject({ width: 360, height: 450 })
    await expectEveryCodeReachesItsMember(pdf, 'poster', 5)
    await db
      .update(member)
      .set({ photoKey: null })
      .where(inArray(member.name, ['王建国', '李秀兰']))
  })

  it('prints chosen members in the order given, each with their home station', async () => {
    const db = ctx.t.database.db
    const ids = await db
      .select({ id: member.id, name: member.name })
      .from(member)
      .where(inArray(member.name, ['周文斌', '王建国']))
    const ordered = ['周文斌', '王建国'].map((n) => ids.find((r) => r.name === n)!.id)
    const res = await pdfOf(`memberIds=${ordered.join(',')}&layout=cards`)
    expect(res.headers['x-placards-count']).toBe('2')
    const text = pdfText(res.rawPayload)
    expect(text.indexOf('周文斌')).toBeLessThan(text.indexOf('王建国'))
    expect(decodeURIComponent(res.headers['content-disposition']!.split("''")[1]!)).toContain('2位委员')
  })

  it('records each printed placard in the audit log, with the code printed', async () => {
    const before = await ctx.t.database.db.select().from(auditLog).where(eq(auditLog.action, 'placard.printed'))
    await pdfOf(`stationId=${ctx.refs.stationId}&layout=cards&lang=en`)
    const after = await ctx.t.database.db.select().from(auditLog).where(eq(auditLog.action, 'placard.printed'))
    const added = after.filter((a) => !before.some((b) => b.id === a.id))
    expect(added).toHaveLength(5)
    for (const row of added) {
      expect(row.targetKind).toBe('member')
      expect(row.detail).toMatchObject({ format: 'pdf', layout: 'cards', lang: 'en', stationId: ctx.refs.stationId, batchSize: 5 })
      expect(expected.has((row.detail as { code: string }).code)).toBe(true)
    }
  })

  it('the HTML preview shows the count, the PDF link, inline SVG codes and print rules, with nothing from another host', async () => {
    const res = await admin.get(`/api/v1/placards.html?stationId=${ctx.refs.stationId}&layout=cards`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    const html = res.body
    expect(html).toContain('共 5 张码牌')
    expect(html).toContain(`href="/api/v1/placards.pdf?stationId=${ctx.refs.stationId}&amp;layout=cards"`)
    expect(html).toContain(`href="/api/v1/placards.html?stationId=${ctx.refs.stationId}&amp;layout=tent"`)
    expect(html.match(/<svg /g)).toHaveLength(5)
    expect(html).toContain('@media print')
    for (const name of expected.values()) expect(html).toContain(name)
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//)
    expect(html).not.toMatch(/@import|url\(/)
  })

  it('opens in a browser tab with ?access_token= (no header), and its PDF link carries the token', async () => {
    const url = `/api/v1/placards.html?stationId=${ctx.refs.stationId}&layout=tent&lang=ug&access_token=${admin.token}`
    const res = await ctx.t.app.inject({ url })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.body).toContain('dir="rtl"')
    const pdfHref = /href="(\/api\/v1\/placards\.pdf\?[^"]+)"/.exec(res.body)![1]!.replaceAll('&amp;', '&')
    expect(pdfHref).toContain(`access_token=${admin.token}`)
    const pdf = await ctx.t.app.inject({ url: pdfHref })
    expect(pdf.statusCode).toBe(200)
    expect(pdf.headers['content-type']).toBe('application/pdf')
    expect((await ctx.t.app.inject({ url: url.replace(admin.token, 'not-a-token') })).statusCode).toBe(401)
  })

  it('skips members without an active code and says so; nothing left to print is 409', async () => {
    const db = ctx.t.database.db
    const [wang] = await db.select({ id: member.id }).from(member).where(eq(member.name, '王建国'))
    const [code] = await db
      .select({ id: qrCode.id })
      .from(qrCode)
      .where(and(eq(qrCode.memberId, wang!.id), eq(qrCode.status, 'active')))
    const revoked = await ctx.t.app.inject({ method: 'POST', url: `/api/v1/qr-codes/${code!.id}/revoke`, headers: admin.headers })
    expect(revoked.statusCode).toBe(200)

    const pdf = await pdfOf(`stationId=${ctx.refs.stationId}&layout=cards`)
    expect(pdf.headers['x-placards-count']).toBe('4')
    expect(pdf.headers['x-placards-skipped']).toBe('1')
    expect(pdf.headers['x-placards-skipped-ids']).toBe(wang!.id)
    expect(pdfText(pdf.rawPayload)).not.toContain('王建国')
    const html = await admin.get(`/api/v1/placards.html?stationId=${ctx.refs.stationId}`)
    expect(html.body).toContain('以下委员没有有效二维码，未生成码牌（请先签发）：王建国')

    const none = await admin.get(`/api/v1/placards.pdf?memberIds=${wang!.id}`)
    expect(none.statusCode).toBe(409)
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(none.json()).toMatchObject({ code: 'CONFLICT', status: 409 })

    const reissued = await ctx.t.app.inject({ method: 'POST', url: '/api/v1/qr-codes', headers: admin.headers, payload: { memberId: wang!.id } })
    expect(reissued.statusCode).toBe(201)
    expected.set(reissued.json<{ code: string }>().code, '王建国')
    expected.delete([...expected].find(([, n]) => n === '王建国')![0])
  })

  it("serves a station admin's own station only", async () => {
    const [other] = await ctx.t.database.db.select({ id: station.id }).from(station).where(eq(station.name, '南关社区委员工作室'))
    const res = await admin.get(`/api/v1/placards.pdf?stationId=${other!.id}`)
    expect(res.statusCode).toBe(404)
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' })
  })
})

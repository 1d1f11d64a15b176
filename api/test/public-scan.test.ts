import { gunzipSync, gzipSync } from 'node:zlib'
import jsQR from 'jsqr'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { withDemoApp } from './support/demo-app'
import { bearer, login } from './support/fixtures'
import { eq } from 'drizzle-orm'
import { DEMO_PASSWORD } from '../src/seed/demo-data'
import { station as stationTable } from '../src/db/schema'
import { SCAN_SCRIPT } from '../src/public/pages/scan-script'

/** Decodes the first QR code in an image (any format sharp reads, SVG included). */
async function decodeQr(image: Buffer): Promise<string | undefined> {
  const { data, info } = await sharp(image, { density: 200 }).flatten({ background: '#fff' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)?.data
}

describe('scan page and QR codes', () => {
  const ctx = withDemoApp()
  const get = (url: string, headers: Record<string, string> = {}) => ctx.t.app.inject({ url, headers })

  it.each(['svg', 'png'])('the %s image decodes to the scan URL, whose page names the member', async (ext) => {
    const res = await get(`/api/v1/qr/${ctx.refs.memberCode}.${ext}`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(ext === 'svg' ? /^image\/svg\+xml/ : /^image\/png/)
    const url = await decodeQr(res.rawPayload)
    expect(url).toBe(`${ctx.t.config.publicBaseUrl}/q/${ctx.refs.memberCode}`)
    const page = await get(new URL(url!).pathname)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('找王建国委员说事')
    expect(page.body).toContain('经济界')
    expect(page.body).toContain('东城街道委员工作站')
  })

  it('serves the first view under 14 KB gzip, no-cache, with nothing from another host', async () => {
    for (const code of [ctx.refs.memberCode, ctx.refs.stationCode]) {
      for (const lang of ['zh-CN', 'ug', 'kk-Arab-CN', 'en']) {
        const res = await get(`/q/${code}?lang=${lang}`)
        expect(res.statusCode).toBe(200)
        expect(res.headers['cache-control']).toBe('no-cache')
        expect(gzipSync(res.body, { level: 6 }).length).toBeLessThanOrEqual(14 * 1024)
        // No absolute URL at all (every link and asset is on this host), and no protocol-relative one.
        expect(res.body).not.toMatch(/(src|href|action)=["']?(https?:)?\/\//i)
        expect(res.body).not.toMatch(/@import|url\(\s*["']?https?:/i)
      }
    }
  })

  it('answers a browser coming back with the same page 304, still handing out a submission cookie (issue 17)', async () => {
    const first = await get(`/q/${ctx.refs.memberCode}`, { 'accept-encoding': 'gzip' })
    const etag = first.headers.etag as string
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/)
    // The same tag for the plain bytes: it names the page, not its encoding.
    expect((await get(`/q/${ctx.refs.memberCode}`)).headers.etag).toBe(etag)
    const again = await get(`/q/${ctx.refs.memberCode}`, { 'if-none-match': etag, 'accept-encoding': 'gzip' })
    expect(again.statusCode).toBe(304)
    expect(again.rawPayload.length).toBe(0)
    expect(again.headers.etag).toBe(etag)
    expect(again.headers['cache-control']).toBe('no-cache')
    expect(String(again.headers['set-cookie'])).toMatch(/msj_submit=[A-Za-z0-9_-]{22};/)
    // Another language or another code is another page.
    const en = await get(`/q/${ctx.refs.memberCode}?lang=en`, { 'if-none-match': etag })
    expect(en.statusCode).toBe(200)
    expect(en.headers.etag).not.toBe(etag)
    expect((await get(`/q/${ctx.refs.stationCode}`, { 'if-none-match': etag })).statusCode).toBe(200)
  })

  it('sends the page gzipped to browsers that accept it (as WeChat does), the same page as uncompressed', async () => {
    const plain = await get(`/q/${ctx.refs.memberCode}`)
    const zipped = await get(`/q/${ctx.refs.memberCode}`, { 'accept-encoding': 'gzip, deflate' })
    expect(zipped.headers['content-encoding']).toBe('gzip')
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/)
    expect(zipped.rawPayload.length).toBeLessThanOrEqual(14 * 1024)
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(plain.body)
    expect(plain.headers['content-encoding']).toBeUndefined()
  })

  it('works without JavaScript: a plain multipart form with one file per input, labels for every field', async () => {
    const body = (await get(`/q/${ctx.refs.memberCode}`)).body
    // One inline script only (counter, "use my location": extras), allowed by its hash; no script file.
    expect(body.match(/<script/g)).toHaveLength(1)
    expect(body).toContain(`<script>${SCAN_SCRIPT}</script>`)
    expect(body).not.toMatch(/<script[^>]*src=/)
    expect(body).toMatch(/<form id="scan-form" method="post" action="\/api\/v1\/public\/cases\?code=[0-9A-Z]+&amp;lang=zh-CN" enctype="multipart\/form-data"/)
    expect(body.match(/type="file"/g)).toHaveLength(3)
    expect(body).not.toMatch(/multiple/)
    for (const id of [...body.matchAll(/<(?:input|select|textarea)[^>]*\sid="([^"]+)"/g)].map((m) => m[1])) {
      expect(body, `label for ${id}`).toContain(`for="${id}"`)
    }
  })

  it('lets a station code choose a category or a member, and shows the station', async () => {
    const body = (await get(`/q/${ctx.refs.stationCode}`)).body
    expect(body).toContain('到东城街道委员工作站说事')
    expect(body).toContain('name="memberId"')
    expect(body).toContain('王建国（经济界）')
    expect(body).toContain('噪音扰民')
  })

  it.each([
    ['?lang=ug', {}, 'ug', 'rtl'],
    ['?lang=kk-Arab-CN', {}, 'kk-Arab-CN', 'rtl'],
    ['?lang=en', {}, 'en', 'ltr'],
    ['', { 'accept-language': 'ug-CN,ug;q=0.9' }, 'ug', 'rtl'],
    ['', { 'accept-language': 'kk-CN' }, 'kk-Arab-CN', 'rtl'],
    ['', { 'accept-language': 'en-GB,en;q=0.8' }, 'en', 'ltr'],
    ['', { 'accept-language': 'fr-FR' }, 'zh-CN', 'ltr'],
    ['', { cookie: 'lang=ug', 'accept-language': 'en' }, 'ug', 'rtl'],
    ['?lang=xx', {}, 'zh-CN', 'ltr'],
  ])('picks the language from %s %j', async (query, headers, lang, dir) => {
    const res = await get(`/q/${ctx.refs.memberCode}${query}`, headers as Record<string, string>)
    expect(res.body).toContain(`<html lang="${lang}" dir="${dir}">`)
  })

  it('remembers ?lang= in a cookie', async () => {
    const res = await get(`/q/${ctx.refs.memberCode}?lang=kk-Arab-CN`)
    const cookie = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('lang='))
    expect(cookie).toMatch(/^lang=kk-Arab-CN;.*Max-Age=31536000/)
    const again = await get(`/q/${ctx.refs.memberCode}`, { cookie: 'lang=kk-Arab-CN' })
    expect(again.body).toContain('dir="rtl"')
  })

  it.each([['ZZZZZZZZZZ'], ['not-a-code'], ['%3Cscript%3E']])('shows a friendly 404 page for unknown code %s', async (code) => {
    const res = await get(`/q/${code}`)
    expect(res.statusCode).toBe(404)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.body).toContain('没有找到这个二维码')
  })

  it('accepts a hand-typed code in lower case with O for 0', async () => {
    const typed = ctx.refs.memberCode.toLowerCase().replace(/0/g, 'o')
    expect((await get(`/q/${typed}`)).statusCode).toBe(200)
  })

  it('rotation: the old code points to the new one for 90 days; revocation: a friendly page pointing to the station', async () => {
    const admin = await login(ctx.t.app, 'station', DEMO_PASSWORD)
    const list = await ctx.t.app.inject({ url: `/api/v1/qr-codes?stationId=${ctx.refs.stationId}`, headers: bearer(admin.accessToken) })
    expect(list.statusCode, list.body).toBe(200)
    expect(list.json().map((c: { code: string }) => c.code)).toContain(ctx.refs.stationCode)

    const committee = await login(ctx.t.app, 'committee', DEMO_PASSWORD)
    const codes = (await ctx.t.app.inject({ url: `/api/v1/qr-codes?stationId=${ctx.refs.stationId}`, headers: bearer(committee.accessToken) })).json()
    const rotated = await ctx.t.app.inject({ method: 'POST', url: `/api/v1/qr-codes/${codes[0].id}/rotate`, headers: bearer(committee.accessToken) })
    expect(rotated.statusCode, rotated.body).toBe(201)
    const fresh = rotated.json()
    expect(fresh.code).not.toBe(ctx.refs.stationCode)
    const old = await get(`/q/${ctx.refs.stationCode}`)
    expect(old.statusCode).toBe(200)
    expect(old.body).toContain('这个二维码已更换')
    expect(old.body).toContain(`href="/q/${fresh.code}"`)

    ctx.t.clock.advance(91 * 86_400_000)
    const expired = await get(`/q/${ctx.refs.stationCode}`)
    expect(expired.statusCode).toBe(410)
    expect(expired.body).toContain('这个二维码已停用')
    expect(expired.body).toContain(`href="/q/${fresh.code}"`)

    const revoked = await ctx.t.app.inject({ method: 'POST', url: `/api/v1/qr-codes/${fresh.id}/revoke`, headers: bearer(committee.accessToken) })
    expect(revoked.json().status).toBe('revoked')
    const gone = await get(`/q/${fresh.code}`)
    expect(gone.statusCode).toBe(410)
    expect(gone.body).toContain('东城街道委员工作站')
    // A revoked code takes no submissions either.
    const post = await ctx.t.app.inject({ method: 'POST', url: '/api/v1/public/cases', payload: { code: fresh.code, description: '路灯坏了很久了没人修' } })
    expect(post.statusCode).toBe(404)
    // Its image still renders, so an archive of printed placards stays readable.
    expect((await get(`/api/v1/qr/${fresh.code}.svg`)).statusCode).toBe(200)
  })

  it('keeps QR administration inside the admin’s scope', async () => {
    const member = await login(ctx.t.app, 'wangjianguo', DEMO_PASSWORD)
    expect(
      (await ctx.t.app.inject({ method: 'POST', url: '/api/v1/qr-codes', headers: bearer(member.accessToken), payload: { stationId: ctx.refs.stationId } }))
        .statusCode,
    ).toBe(403)
    const station = await login(ctx.t.app, 'station', DEMO_PASSWORD)
    const own = await ctx.t.app.inject({
      method: 'POST',
      url: '/api/v1/qr-codes',
      headers: bearer(station.accessToken),
      payload: { stationId: ctx.refs.stationId },
    })
    expect(own.statusCode, own.body).toBe(201)
    expect(own.json()).toMatchObject({ status: 'active', targetKind: 'station', url: expect.stringMatching(/\/q\/[0-9A-Z]{10}$/) })
    const [nanguan] = await ctx.t.database.db.select().from(stationTable).where(eq(stationTable.name, '南关社区委员工作室'))
    for (const payload of [{ stationId: nanguan!.id }, { stationId: '00000000-0000-4000-8000-000000000000' }]) {
      const other = await ctx.t.app.inject({ method: 'POST', url: '/api/v1/qr-codes', headers: bearer(station.accessToken), payload })
      expect(other.statusCode).toBe(404)
    }
    const committee = await login(ctx.t.app, 'committee', DEMO_PASSWORD)
    expect(
      (await ctx.t.app.inject({ method: 'POST', url: '/api/v1/qr-codes', headers: bearer(committee.accessToken), payload: { stationId: nanguan!.id } }))
        .statusCode,
    ).toBe(201)
  })
})

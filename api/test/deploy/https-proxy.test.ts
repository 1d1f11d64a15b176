import { request as httpsRequest } from 'node:https'
import { readFile } from 'node:fs/promises'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser } from 'playwright-core'
import { cases } from '../../src/db/schema'
import { CHROMIUM, browserMissing } from '../support/browser'
import { freePort } from '../support/server-process'
import { nginxMissing, selfSignedCert, startNginx, type Nginx } from '../support/nginx'
import { uniqueText } from '../support/case-actions'
import { BROWSER_ACCEPT } from '../support/submit'
import { buildWebApp, scratchDir } from '../../../web/e2e/support/member-browser'
import { startLiveApi, type LiveApi } from '../../../web/test/support/live-api'

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/**
 * Issue 19: the deployment shape — Debian's nginx terminating TLS with a self-signed certificate in front of the
 * real API listening on 127.0.0.1 (TRUST_PROXY on, PUBLIC_BASE_URL https) — serves the scan page with HSTS, takes a
 * resident's form post without JavaScript to a tracking link on the public address, and runs the member app.
 */
describe.skipIf(nginxMissing || browserMissing)('HTTPS through nginx', { timeout: 240_000 }, () => {
  let api: LiveApi
  let proxy: Nginx
  let base: string
  let ca: Buffer
  let web: Awaited<ReturnType<typeof scratchDir>>
  let browser: Browser

  /** One request over HTTPS that trusts only the test's certificate (a wrong certificate fails the test). */
  const send = (url: string, { method = 'GET', headers = {} as Record<string, string>, body = '' } = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const req = httpsRequest(url, { method, headers, ca }, (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (d: string) => (text += d))
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }))
      })
      req.once('error', reject)
      req.end(body)
    })

  beforeAll(async () => {
    web = await scratchDir()
    await buildWebApp(web.dir, 'https-proxy')
    const tls = await selfSignedCert(web.dir)
    ca = await readFile(tls.cert)
    const port = await freePort()
    base = `https://localhost:${port}`
    api = await startLiveApi({ webDistDir: web.dir, trustProxy: true, publicBaseUrl: base })
    proxy = await startNginx({ upstreams: [api.port], port, tls })
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    })
  }, 240_000)
  afterAll(async () => {
    await browser?.close()
    await proxy?.stop()
    await api?.close()
    await web?.remove()
  })

  it('serves the scan page over HTTPS with HSTS; the API itself on plain HTTP sends none', async () => {
    const { code } = await api.codeOf('王建国')
    const page = await send(`${base}/q/${code}`, { headers: { accept: BROWSER_ACCEPT } })
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(page.body).toContain('王建国')
    expect(page.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/)
    // Nothing on the page points back to plain http.
    expect(page.body).not.toMatch(/(href|action|src)="http:\/\//)
    // A redirect keeps the https origin (relative Location resolved against it).
    const back = await send(`${base}/api/v1/public/cases?code=${code}`, { headers: { accept: BROWSER_ACCEPT } })
    expect(back.status).toBe(303)
    expect(new URL(String(back.headers.location), base).href).toBe(`${base}/q/${code}`)

    const plain = await fetch(`${api.url}/q/${code}`)
    expect(plain.status).toBe(200)
    expect(plain.headers.get('strict-transport-security')).toBeNull()
  })

  it('takes a form post without JavaScript to the tracking page, which shows the link on PUBLIC_BASE_URL', async () => {
    const { code } = await api.codeOf('王建国')
    const scan = await send(`${base}/q/${code}`, { headers: { accept: BROWSER_ACCEPT } })
    const cookie = ([] as string[])
      .concat(scan.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .join('; ')
    expect(cookie).toContain('msj_submit=')
    const description = uniqueText('小区北门的路灯不亮了，晚上很黑')
    const post = await send(`${base}/api/v1/public/cases`, {
      method: 'POST',
      headers: { accept: BROWSER_ACCEPT, 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ code, description }).toString(),
    })
    expect(post.status, post.body).toBe(303)
    const location = new URL(String(post.headers.location), base)
    expect(location.origin).toBe(base)
    expect(location.pathname).toMatch(/^\/t\/[A-Za-z0-9_-]{22,}$/)
    const tracking = await send(location.href, { headers: { accept: BROWSER_ACCEPT } })
    expect(tracking.status).toBe(200)
    expect(tracking.headers['strict-transport-security']).toBeDefined()
    expect(tracking.body).toContain(`${base}${location.pathname}`)
    expect(await api.db.select({ id: cases.id }).from(cases).where(eq(cases.description, description))).toHaveLength(1)
  })

  it('runs the member app over HTTPS: a member signs in and sees the inbox with a new case', async () => {
    const c = await api.newCase('王建国', '菜市场门口积水，老人进出不方便')
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 360, height: 740 }, locale: 'zh-CN' })
    context.setDefaultTimeout(60_000)
    const page = await context.newPage()
    const main = await page.goto(`${base}/app/`)
    expect(main!.status()).toBe(200)
    expect(main!.headers()['strict-transport-security']).toBeDefined()
    await page.fill('#username', 'wangjianguo')
    await page.fill('#password', 'demo12345')
    await page.click('button[type=submit]')
    await page.waitForSelector(`[data-case-id="${c.id}"]`)
    expect(new URL(page.url()).origin).toBe(base)
    await context.close()
  })
})

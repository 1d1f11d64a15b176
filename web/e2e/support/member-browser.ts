import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium } from '../../../api/test/support/browser'
import { startLiveApi, type LiveApi } from '../../test/support/live-api'

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Builds the member app (vite + PWA plugin, as `npm run build` does) into `outDir`, marked with `buildId`. */
export async function buildWebApp(outDir: string, buildId: string): Promise<void> {
  await promisify(execFile)(process.execPath, [path.join(WEB_DIR, '..', 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], {
    // vitest sets NODE_ENV=test, which would make it a non-production build (no service worker registration).
    cwd: WEB_DIR,
    env: { ...process.env, NODE_ENV: 'production', MSJ_WEB_OUT_DIR: outDir, MSJ_BUILD_ID: buildId },
    timeout: 120_000,
  })
}

export async function scratchDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'msj-web-'))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** A phone-sized context in Chinese; a new context is a new phone (no IndexedDB, no service worker). */
export const PHONE = { viewport: { width: 360, height: 740 }, locale: 'zh-CN', serviceWorkers: 'allow' as const }

/**
 * A new phone for a test. Waits get a minute: the whole suite shares two cores with chromium and the API, and a
 * slow step is not a failure; a missing one still is.
 */
export async function newPhone(browser: Browser, extra: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ ...PHONE, ...extra })
  context.setDefaultTimeout(60_000)
  return context
}

/** Signs in through the login page and waits until the inbox shows and the service worker controls the page. */
export async function signInAsMember(page: Page, baseUrl: string, username: string): Promise<void> {
  if (process.env.E2E_DEBUG) {
    page.on('console', (m) => console.log('[page]', m.type(), m.text()))
    page.on('pageerror', (e) => console.log('[pageerror]', e.message))
    page.on('requestfailed', (r) => console.log('[failed]', r.url(), r.failure()?.errorText))
  }
  await page.goto(`${baseUrl}/app/`)
  await page.fill('#username', username)
  await page.fill('#password', 'demo12345')
  await page.click('button[type=submit]')
  await page.waitForSelector('[data-testid=case-row], [data-testid=empty]')
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
}

/** In-app navigation (what a tapped link does), so offline it needs no page load. */
export async function openInApp(page: Page, url: string): Promise<void> {
  await page.evaluate((u) => {
    history.pushState(null, '', u)
    dispatchEvent(new PopStateEvent('popstate'))
  }, url)
}

export async function openCase(page: Page, caseId: string): Promise<void> {
  await openInApp(page, `/app/cases/${caseId}`)
  await page.waitForSelector(`[data-testid=case-page]`)
}

/** Makes one action through its sheet; `fill` fills the sheet's fields first. */
export async function act(page: Page, action: string, fill?: (page: Page) => Promise<void>): Promise<void> {
  await page.click(`[data-testid=action-${action}]`)
  await page.waitForSelector(`[data-testid=sheet-${action}]`)
  await fill?.(page)
  await page.click('[data-testid=sheet-submit]')
  await page.waitForSelector(`[data-testid=sheet-${action}]`, { state: 'detached' })
}

export const pendingCount = async (page: Page) => Number(await page.getAttribute('[data-testid=sync-state]', 'data-pending'))

/**
 * Waits until the outbox is empty, nudging a sync (the header chip) now and then as a member would. Right after
 * an action the page may not show it pending yet (it re-reads the device asynchronously), so an empty outbox
 * alone can be read too early: pass `landed` (e.g. "the server has the event") to wait for that as well.
 */
export async function waitUntilSynced(page: Page, timeoutMs = 60_000, landed?: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + timeoutMs
  for (;;) {
    if ((await pendingCount(page)) === 0 && (await page.locator('[data-testid=attention-banner]').count()) === 0 && (!landed || (await landed()))) return
    if (Date.now() > until) expect.fail(`still ${await pendingCount(page)} actions pending after ${timeoutMs} ms`)
    await page.click('[data-testid=sync-state]').catch(() => undefined)
    await page.waitForTimeout(500)
  }
}

export async function setOffline(context: BrowserContext, offline: boolean): Promise<void> {
  await context.setOffline(offline)
}

/**
 * Bad weather for a phone: the network goes on and off at random moments (every 50 ms to 50 + `spanMs`) until the
 * returned stop() is awaited, which leaves it online. Seeded, so a failure replays the same weather.
 */
export function flappingNetwork(context: BrowserContext, seed: number, spanMs = 450): { stop: () => Promise<void> } {
  let state = seed
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return state / 2 ** 31
  }
  let done = false
  const weather = (async () => {
    while (!done) {
      await new Promise((r) => setTimeout(r, 50 + random() * spanMs))
      if (!done) await context.setOffline(random() < 0.5)
    }
  })()
  return {
    async stop() {
      done = true
      await weather
      await context.setOffline(false)
    },
  }
}

/**
 * For a describe block: builds the member app into a scratch folder (marked `buildId`), serves it from the real
 * API on a fresh seeded database, and launches chromium; all torn down after. `ctx.dist` is the folder served,
 * so a test can "deploy" another build into it.
 */
export function withMemberApp(buildId: string) {
  const ctx = {} as { api: LiveApi; browser: Browser; dist: string }
  let scratch: Awaited<ReturnType<typeof scratchDir>> | undefined
  beforeAll(async () => {
    scratch = await scratchDir()
    ctx.dist = scratch.dir
    await buildWebApp(scratch.dir, buildId)
    ctx.api = await startLiveApi({ webDistDir: scratch.dir })
    ctx.browser = await launchChromium()
  }, 180_000)
  afterAll(async () => {
    await ctx.browser?.close()
    await ctx.api?.close()
    await scratch?.remove()
  })
  return ctx
}

import type { Browser, BrowserContext, Page } from 'playwright-core'
import { openInApp } from './member-browser'

/** A laptop-sized context in Chinese (the console is also checked at phone width in the tests). */
export const LAPTOP = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', serviceWorkers: 'allow' as const }

/**
 * Signs in through the login page as a demo admin (password demo12345) and waits for the console's first screen:
 * the dashboard for committee admins, the desk's queue (诉求办理) for station admins.
 */
export async function signInAsAdmin(
  browser: Browser,
  baseUrl: string,
  username: string,
  options: Parameters<Browser['newContext']>[0] = LAPTOP,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options)
  // Fail with the step that waited rather than at the test's own limit.
  context.setDefaultTimeout(20_000)
  const page = await context.newPage()
  if (process.env.E2E_DEBUG) {
    page.on('console', (m) => console.log('[page]', m.type(), m.text()))
    page.on('pageerror', (e) => console.log('[pageerror]', e.message))
  }
  await page.goto(`${baseUrl}/app/`)
  await page.fill('#username', username)
  await page.fill('#password', 'demo12345')
  await page.click('button[type=submit]')
  await page.waitForSelector('[data-testid=dashboard], [data-testid=cases-page]')
  return { context, page }
}

/** Opens a console page (/app/admin/{sub}) as a nav link would, and waits for it. */
export async function openAdminPage(page: Page, sub: string, testId: string): Promise<void> {
  await openInApp(page, `/app/admin/${sub}`)
  await page.waitForSelector(`[data-testid=${testId}]`)
}

/** The names in the member list as shown. */
export const memberNames = (page: Page): Promise<string[]> => page.locator('[data-testid=member-row] [data-testid=member-name]').allTextContents()

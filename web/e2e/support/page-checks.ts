import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { expect } from 'vitest'
import type { Page } from 'playwright-core'

const require = createRequire(import.meta.url)
let axeSource: Promise<string> | undefined

/**
 * Runs axe-core (the real library, injected into the page) on what is shown now and fails on any serious or
 * critical violation, naming the rule and the first elements it found.
 */
export async function expectNoSeriousAxeViolations(page: Page, label: string, selector = 'body'): Promise<void> {
  axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8')
  const source = await axeSource
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not block (a script tag would be).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source)
  const violations = await page.evaluate(async (sel) => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> }
      }
    ).axe
    const r = await axe.run(sel, { resultTypes: ['violations'] })
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }))
  }, selector)
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious, `${label}: axe-core serious/critical violations`).toEqual([])
}

/**
 * The console's layout rules for a page as shown now: nothing wider than the viewport (no sideways scrolling),
 * one heading (h2) in main, and every visible input, select and textarea labelled.
 */
export async function expectPhoneFriendly(page: Page, label: string, width = 320): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${label}: page width`).toBeLessThanOrEqual(width)
  expect(await page.locator('main h2').count(), `${label}: headings`).toBe(1)
  const unlabelled = await page.$$eval('main input:not([type=hidden]), main select, main textarea', (els) =>
    els
      .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby') && !el.closest('label'))
      .map((el) => el.outerHTML.slice(0, 80)),
  )
  expect(unlabelled, `${label}: unlabelled controls`).toEqual([])
}

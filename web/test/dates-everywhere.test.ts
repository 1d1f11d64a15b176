import { afterEach, describe, expect, it, vi } from 'vitest'
import { rowsOf, stripIsolates, AT, type Surface } from '../../api/test/support/dates-table'

/**
 * Issue 15, the browser-side surfaces of the date table (api/test/support/dates-table.ts): the console's
 * fullDateTime and the member app's dateTime and deadlineText, in each locale the app offers. The app picks its
 * locale once at load from localStorage (msj-locale), so each row loads the modules afresh with that choice saved.
 */
async function load(locale: string) {
  vi.resetModules()
  const saved = new Map([['msj-locale', locale]])
  vi.stubGlobal('localStorage', { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => saved.set(k, v) })
  const i18n = await import('../src/i18n')
  const desk = await import('../src/admin/desk-format')
  expect(i18n.currentLocale()).toBe(locale)
  return { i18n, desk }
}

afterEach(() => vi.unstubAllGlobals())

const cases: [Surface, (m: Awaited<ReturnType<typeof load>>) => string][] = [
  ['consoleDateTime', ({ desk }) => desk.fullDateTime(AT)],
  ['memberDateTime', ({ i18n }) => i18n.dateTime(AT)],
  ['memberDeadline', ({ i18n }) => i18n.deadlineText(AT)],
]

describe('one date in the console and the member app, as the table says', () => {
  for (const [surface, render] of cases) {
    it.each(rowsOf(surface))(`${surface} in %s reads %s`, async (locale, expected) => {
      expect(stripIsolates(render(await load(locale)))).toBe(expected)
    })
  }
})

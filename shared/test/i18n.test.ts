import { describe, expect, it } from 'vitest'
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser'
import { CATALOGUES, LOCALES, LOCALE_INFO, REVIEW_STATUS, translator, type MessageKey } from '../src/i18n'
import { CASE_EVENT_TYPES, CASE_STATUSES } from '../src/cases'

/** The placeholder names a message uses, e.g. {name} and {count, plural, …}. */
function placeholders(message: string): string[] {
  const names = new Set<string>()
  const walk = (els: MessageFormatElement[]) => {
    for (const el of els) {
      if (el.type === TYPE.literal || el.type === TYPE.pound || el.type === TYPE.tag) {
        if (el.type === TYPE.tag) walk(el.children)
        continue
      }
      names.add(el.value)
      if (el.type === TYPE.plural || el.type === TYPE.select) for (const opt of Object.values(el.options)) walk(opt.value)
    }
  }
  walk(parse(message))
  return [...names].sort()
}

describe('message catalogue', () => {
  const source = CATALOGUES['zh-CN']
  const keys = Object.keys(source) as MessageKey[]

  it.each(LOCALES)('%s has every key, non-empty, with the same placeholders as zh-CN', (locale) => {
    const cat = CATALOGUES[locale]
    expect(Object.keys(cat).sort()).toEqual([...keys].sort())
    for (const key of keys) {
      expect(cat[key].trim(), `${locale} ${key}`).not.toBe('')
      expect(placeholders(cat[key]), `${locale} ${key}`).toEqual(placeholders(source[key]))
    }
  })

  it('names every case status and event type a resident can see', () => {
    for (const s of CASE_STATUSES) expect(keys).toContain(`status.${s}`)
    for (const e of CASE_EVENT_TYPES) expect(keys).toContain(`event.${e}`)
  })

  it('lays out Uyghur and Kazakh right to left and flags them for native review', () => {
    expect(LOCALE_INFO.ug.dir).toBe('rtl')
    expect(LOCALE_INFO['kk-Arab-CN'].dir).toBe('rtl')
    expect(REVIEW_STATUS.ug).toBe('needs-native-review')
    expect(REVIEW_STATUS['kk-Arab-CN']).toBe('needs-native-review')
    // Arabic-script locales are actually in Arabic script.
    for (const l of ['ug', 'kk-Arab-CN'] as const) expect(CATALOGUES[l]['form.submit']).toMatch(/[\u0600-\u06FF]/)
  })

  it('formats placeholders and plurals', () => {
    expect(translator('en')('form.errorSummary', { count: 1 })).toMatch(/^1 thing needs/)
    expect(translator('en')('form.errorSummary', { count: 2 })).toMatch(/^2 things need/)
    expect(translator('zh-CN')('scan.memberHeading', { name: '王建国' })).toBe('找王建国委员说事')
  })
})

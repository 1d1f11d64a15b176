import { describe, expect, it } from 'vitest'
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser'
import {
  LOCALES,
  LOCALE_INFO,
  MEMBER_ARGS,
  MEMBER_CATALOGUES,
  REVIEW_STATUS,
  categoryLabel,
  compileMemberCatalogue,
  missingCategoryLocales,
  type MemberKey,
} from '../src/i18n'

/** The placeholder names a message uses. */
function placeholders(message: string): string[] {
  const names = new Set<string>()
  const walk = (els: MessageFormatElement[]) => {
    for (const el of els) {
      if (el.type === TYPE.literal || el.type === TYPE.pound) continue
      if (el.type === TYPE.tag) {
        walk(el.children)
        continue
      }
      names.add(el.value)
      if (el.type === TYPE.plural || el.type === TYPE.select) for (const opt of Object.values(el.options)) walk(opt.value)
    }
  }
  walk(parse(message))
  return [...names].sort()
}

describe('member app catalogue (issue 15)', () => {
  const source = MEMBER_CATALOGUES['zh-CN']
  const keys = Object.keys(source) as MemberKey[]

  it.each(LOCALES)('%s has every member-app key, non-empty, valid ICU, with the same placeholders as zh-CN', (locale) => {
    const cat = MEMBER_CATALOGUES[locale]
    expect(Object.keys(cat).sort()).toEqual([...keys].sort())
    for (const key of keys) {
      expect(cat[key].trim(), `${locale} ${key}`).not.toBe('')
      // parse() throws on a syntax error, naming the message here.
      expect(() => parse(cat[key]), `${locale} ${key}: ICU syntax`).not.toThrow()
      expect(placeholders(cat[key]), `${locale} ${key}`).toEqual(placeholders(source[key]))
    }
    // And intl-messageformat (what the app uses) compiles every one of them.
    expect(Object.keys(compileMemberCatalogue(locale, LOCALE_INFO[locale].intl))).toHaveLength(keys.length)
  })

  it('declares arguments exactly for the messages that have placeholders', () => {
    const args = MEMBER_ARGS as Record<string, readonly string[]>
    for (const key of keys) {
      const names = placeholders(source[key])
      if (key.includes('.')) expect(names, `${key}: a grouped key is read as text`).toEqual([])
      else expect([...(args[key] ?? [])].sort(), key).toEqual(names)
    }
  })

  it('text without placeholders reads exactly as written (no ICU quoting swallowed an apostrophe)', () => {
    for (const locale of LOCALES) {
      const compiled = compileMemberCatalogue(locale, LOCALE_INFO[locale].intl)
      for (const key of keys)
        if (placeholders(source[key]).length === 0) expect(String(compiled[key].format()), `${locale} ${key}`).toBe(MEMBER_CATALOGUES[locale][key])
    }
  })

  it('Uyghur and Kazakh are Arabic script and flagged for native review', () => {
    for (const l of ['ug', 'kk-Arab-CN'] as const) {
      expect(REVIEW_STATUS[l]).toBe('needs-native-review')
      expect(LOCALE_INFO[l].dir).toBe('rtl')
      for (const key of ['inboxTitle', 'back', 'status.assigned', 'language'] as const)
        expect(MEMBER_CATALOGUES[l][key], `${l} ${key}`).toMatch(/[\u0600-\u06FF]/)
    }
  })

  it('a category without a name in the locale falls back to Chinese, flagged; the console lists what is missing', () => {
    const names = { 'zh-CN': '噪音扰民', en: 'Noise', ug: '' }
    expect(categoryLabel(names, 'en')).toEqual({ text: 'Noise', fallback: false })
    expect(categoryLabel(names, 'ug')).toEqual({ text: '噪音扰民', fallback: true })
    expect(categoryLabel(names, 'kk-Arab-CN')).toEqual({ text: '噪音扰民', fallback: true })
    expect(categoryLabel(names, 'zh-CN')).toEqual({ text: '噪音扰民', fallback: false })
    expect(categoryLabel(null, 'ug')).toBeNull()
    expect(missingCategoryLocales(names, LOCALES)).toEqual(['ug', 'kk-Arab-CN'])
  })
})

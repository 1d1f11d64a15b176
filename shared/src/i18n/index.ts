import { IntlMessageFormat } from 'intl-messageformat'
import { zhCN, type Catalogue, type MessageKey } from './zh-CN'
import { en } from './en'
import { ug } from './ug'
import { kkArabCN } from './kk-Arab-CN'

export type { MessageKey, Catalogue }

export const LOCALES = ['zh-CN', 'ug', 'kk-Arab-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh-CN'

/** How each locale is shown and laid out; `name` is in the language itself, for the language switcher. */
export const LOCALE_INFO: Record<Locale, { name: string; dir: 'ltr' | 'rtl'; intl: string }> = {
  'zh-CN': { name: '中文', dir: 'ltr', intl: 'zh-CN' },
  ug: { name: 'ئۇيغۇرچە', dir: 'rtl', intl: 'ug' },
  'kk-Arab-CN': { name: 'قازاقشا', dir: 'rtl', intl: 'kk-Arab' },
  en: { name: 'English', dir: 'ltr', intl: 'en' },
}

/** Translations drafted without a native speaker are flagged here until one has checked them. */
export const REVIEW_STATUS: Record<Locale, 'source' | 'reviewed' | 'needs-native-review'> = {
  'zh-CN': 'source',
  en: 'reviewed',
  ug: 'needs-native-review',
  'kk-Arab-CN': 'needs-native-review',
}

export const CATALOGUES: Record<Locale, Catalogue> = { 'zh-CN': zhCN, en, ug, 'kk-Arab-CN': kkArabCN }

export const isLocale = (value: unknown): value is Locale => LOCALES.includes(value as Locale)

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string

const cache = new Map<string, IntlMessageFormat>()

/** A translator for one locale. Compiled messages are cached per locale and key. */
export function translator(locale: Locale): Translate {
  const catalogue = CATALOGUES[locale]
  return (key, values) => {
    const id = `${locale}\u0000${key}`
    let format = cache.get(id)
    if (!format) {
      format = new IntlMessageFormat(catalogue[key], LOCALE_INFO[locale].intl)
      cache.set(id, format)
    }
    return String(format.format(values))
  }
}

// issue 15 (member app in ug/kk): the member app's own catalogues and category names with a visible fallback.
export * from './member-app'
export * from './category-name'

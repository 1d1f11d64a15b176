import { formatDate } from '@mashangjian/shared'
import { en } from './en'
import { zhCN, type Messages } from './zh-CN'

export const LOCALES = { 'zh-CN': { name: '中文', messages: zhCN }, en: { name: 'English', messages: en } } as const
export type Locale = keyof typeof LOCALES
const KEY = 'msj-locale'

function initial(): Locale {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(KEY) : null
  if (saved && saved in LOCALES) return saved as Locale
  const lang = typeof navigator !== 'undefined' ? navigator.language : 'zh-CN'
  return lang.toLowerCase().startsWith('zh') || !lang.toLowerCase().startsWith('en') ? 'zh-CN' : 'en'
}

let locale: Locale = initial()
/** The current texts; a locale switch reloads the page, so modules may read `t` once. */
export let t: Messages = LOCALES[locale].messages

export const currentLocale = () => locale
export function setLocale(next: Locale) {
  locale = next
  t = LOCALES[next].messages
  localStorage.setItem(KEY, next)
  document.documentElement.lang = next
}

/** A problem code from the API (shared/src/errors.ts) in the member's language. */
export const errorText = (code: string | undefined, fallback?: string) => (code && t.errors[code]) || fallback || t.unknownError

/** "3 天" / "5 h": the largest unit that is at least 1. */
export function duration(ms: number): string {
  const min = Math.max(1, Math.round(Math.abs(ms) / 60_000))
  if (min >= 24 * 60) return t.days(Math.floor(min / (24 * 60)))
  if (min >= 60) return t.hours(Math.floor(min / 60))
  return t.minutes(min)
}

/** A moment without its year: "12月4日 06:05" (zh-CN), "Dec 4, 06:05" (en); Beijing time (shared/src/time/dates.ts). */
export function dateTime(iso: string | number): string {
  return formatDate(iso, locale, 'monthDayTime')
}

/** A deadline in words: "12月11日 18:00" (zh-CN), "Dec 11, 18:00" (en); Beijing time. */
export function deadlineText(iso: string | number): string {
  return formatDate(iso, locale, 'monthDayTime')
}

import { LOCALES, LOCALE_INFO, MEMBER_ARGS, compileMemberCatalogue, formatDate, isLocale, type Locale, type MemberKey } from '@mashangjian/shared'

/**
 * The member app's texts, from the shared ICU catalogue (shared/src/i18n/member-app/*: how to add or port a key is
 * written at the head of its zh-CN.ts), read through `t` with the call shapes the components use: `t.back`,
 * `t.status[s]`, `t.pendingCount(n)`. A locale switch reloads the page, so modules may read `t` once.
 */
export { LOCALES, LOCALE_INFO, type Locale }

type Arg = string | number | null
type Fn = keyof typeof MEMBER_ARGS
/** A tuple of argument names → a tuple of values (a generic mapped type keeps it a tuple). */
type ArgValues<T> = { -readonly [I in keyof T]: Arg }
type GroupOf<K> = K extends `${infer G}.${string}` ? G : never
type SubKeyOf<K, G extends string> = K extends `${G}.${infer S}` ? S : never
export type Messages = { readonly [K in Exclude<MemberKey, `${string}.${string}` | Fn>]: string } & {
  readonly [K in Fn]: (...args: ArgValues<(typeof MEMBER_ARGS)[K]>) => string
} & {
  /** Known keys read as text (`t.publication.title`); looked up by a runtime key (`t.status[s]`) it may be missing. */
  readonly [G in GroupOf<MemberKey>]: { readonly [S in SubKeyOf<MemberKey, G>]: string } & Record<string, string>
} & {
  /** A field's validation message from the API in the member's language (the known ones; else as the API said it). */
  readonly fieldMessage: (field: string, message: string) => string
}

/** Where the choice is kept on the device; web/public/locale-boot.js reads the same key before first paint. */
export const LOCALE_KEY = 'msj-locale'

/** From the browser's language when nothing is saved: Chinese unless it asks for one we speak. */
function fromBrowser(lang: string): Locale {
  const l = lang.toLowerCase()
  if (l.startsWith('ug')) return 'ug'
  if (l.startsWith('kk')) return 'kk-Arab-CN'
  if (l.startsWith('en')) return 'en'
  return 'zh-CN'
}

function initial(): Locale {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(LOCALE_KEY) : null
  if (isLocale(saved)) return saved
  return fromBrowser(typeof navigator !== 'undefined' ? navigator.language : 'zh-CN')
}

/** Builds `t` for one locale: `a.b` keys become groups, MEMBER_ARGS keys functions, the rest text. */
export function buildMessages(locale: Locale): Messages {
  const compiled = compileMemberCatalogue(locale, LOCALE_INFO[locale].intl)
  const out: Record<string, unknown> = {}
  const groups: Record<string, Record<string, string>> = {}
  const args = MEMBER_ARGS as Record<string, readonly string[] | undefined>
  for (const [key, format] of Object.entries(compiled)) {
    const dot = key.indexOf('.')
    const names = args[key]
    if (dot > 0) (groups[key.slice(0, dot)] ??= {})[key.slice(dot + 1)] = String(format.format())
    else if (names)
      // Arguments as text (a year must not read "2,026"); null as "none", for `{who, select, none {} other {…}}`.
      out[key] = (...values: Arg[]) => String(format.format(Object.fromEntries(names.map((n, i) => [n, values[i] == null ? 'none' : String(values[i])]))))
    else out[key] = String(format.format())
  }
  Object.assign(out, groups)
  const field = groups.field ?? {}
  const m = out as unknown as Messages
  const known: Record<string, string | undefined> = {
    'must be after the current deadline': field.afterDeadline,
    'exactly one of toMemberId, toStationId': field.oneTarget,
    'too large (at most 8 MB)': field.tooLarge,
    'not an image': field.notImage,
  }
  out.fieldMessage = (_field: string, message: string): string => {
    const k = known[message]
    if (k) return k
    let r: RegExpMatchArray | null
    if ((r = message.match(/fewer than (\d+) characters/))) return r[1] === '1' ? (field.required ?? message) : m.fieldAtLeast(r[1]!)
    if ((r = message.match(/more than (\d+) characters/))) return m.fieldAtMost(r[1]!)
    if (/format "date-time"|format "uuid"|allowed values/.test(message)) return field.chooseAgain ?? message
    return message
  }
  return out as Messages
}

let locale: Locale = initial()
export let t: Messages = buildMessages(locale)

export const currentLocale = () => locale
/** 'rtl' for Uyghur and Kazakh. */
export const currentDir = () => LOCALE_INFO[locale].dir

/** Marks the page with the locale's language and direction (also done before first paint by locale-boot.js). */
export function applyLocaleToDocument(doc: Document = document) {
  doc.documentElement.lang = locale
  doc.documentElement.dir = LOCALE_INFO[locale].dir
}

/** Remembers the member's choice on this device; the caller reloads the page so every module reads the new `t`. */
export function setLocale(next: Locale) {
  locale = next
  t = buildMessages(next)
  localStorage.setItem(LOCALE_KEY, next)
  applyLocaleToDocument()
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

/** An instant, Beijing time, with month and day: "12月4日 14:05", "Dec 4, 14:05", "4.12 14:05" (never year first). */
export function dateTime(iso: string | number): string {
  return formatDate(iso, locale, 'monthDayTime')
}

/** A deadline: "12月11日 18:00" (zh-CN), "Dec 11, 18:00" (en), "11.12 18:00" (ug, kk); Beijing time. */
export function deadlineText(iso: string | number): string {
  return formatDate(iso, locale, 'monthDayTime')
}

/** A whole date with the year, "2026年12月4日" / "4.12.2026", for what may lie in another year. */
export function dateText(iso: string | number): string {
  return formatDate(iso, locale, 'date')
}

import type { Locale } from '../i18n'
import { beijingParts, isDay, weekdayOf } from './beijing'

/**
 * Dates and times as each locale writes them, always in Beijing time: one module for every surface (scan and
 * tracking pages, member app, console, PDFs). Explicit patterns rather than the runtime's locale data: ICU's Uyghur
 * pattern reads year-day-month ("2026-4-12" for 4 December), Kazakh in Arabic script has no data at all, and the
 * server and an old phone's WebView would disagree anyway. Uyghur and Kazakh write day.month.year.
 */
export type DateStyle =
  /** 2026年12月4日 · Dec 4, 2026 · 4.12.2026 */
  | 'date'
  /** 12月4日 · Dec 4 · 4.12 */
  | 'monthDay'
  /** 12月9日（周二） · Tue, Dec 9 · سەيشەنبە 9.12 */
  | 'weekdayMonthDay'
  /** 2026年12月4日 14:05 · Dec 4, 2026, 14:05 · 4.12.2026 14:05 */
  | 'dateTime'
  /** 12月4日 14:05 · Dec 4, 14:05 · 4.12 14:05 */
  | 'monthDayTime'
  /** 14:05 */
  | 'time'

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const WEEKDAYS: Record<Locale, readonly string[]> = {
  'zh-CN': ['周日', '周一', '周二', '周三', '周四', '周五', '周六'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
  // Uyghur and Kazakh (Arabic script) weekday names; flagged for native review with the rest of those catalogues.
  ug: ['يەكشەنبە', 'دۈشەنبە', 'سەيشەنبە', 'چارشەنبە', 'پەيشەنبە', 'جۈمە', 'شەنبە'],
  'kk-Arab-CN': ['جەكسەنبى', 'دۇيسەنبى', 'سەيسەنبى', 'سارسەنبى', 'بەيسەنبى', 'جۇما', 'سەنبى'],
}

/** Locales whose calendar text is right-to-left: a date inside it is isolated so its digits keep their order. */
const RTL: ReadonlySet<Locale> = new Set<Locale>(['ug', 'kk-Arab-CN'])
/** First strong isolate … pop directional isolate: "4.12.2026" stays one left-to-right run inside Arabic script. */
const ltr = (s: string) => `\u2068${s}\u2069`

interface Fields {
  year: number
  month: number
  day: number
  weekday: number
  hour?: number
  minute?: number
}

const pad = (n: number) => String(n).padStart(2, '0')

function render(f: Fields, locale: Locale, style: DateStyle): string {
  const time = f.hour === undefined ? '' : `${pad(f.hour)}:${pad(f.minute ?? 0)}`
  const wd = WEEKDAYS[locale][f.weekday]!
  switch (locale) {
    case 'zh-CN':
      switch (style) {
        case 'date':
          return `${f.year}年${f.month}月${f.day}日`
        case 'monthDay':
          return `${f.month}月${f.day}日`
        case 'weekdayMonthDay':
          return `${f.month}月${f.day}日（${wd}）`
        case 'dateTime':
          return `${f.year}年${f.month}月${f.day}日 ${time}`
        case 'monthDayTime':
          return `${f.month}月${f.day}日 ${time}`
        case 'time':
          return time
      }
      break
    case 'en': {
      const md = `${EN_MONTHS[f.month - 1]} ${f.day}`
      switch (style) {
        case 'date':
          return `${md}, ${f.year}`
        case 'monthDay':
          return md
        case 'weekdayMonthDay':
          return `${wd}, ${md}`
        case 'dateTime':
          return `${md}, ${f.year}, ${time}`
        case 'monthDayTime':
          return `${md}, ${time}`
        case 'time':
          return time
      }
      break
    }
    default: {
      // ug, kk-Arab-CN: day.month.year, weekday name first (read first, right to left).
      const dm = `${f.day}.${f.month}`
      switch (style) {
        case 'date':
          return ltr(`${dm}.${f.year}`)
        case 'monthDay':
          return ltr(dm)
        case 'weekdayMonthDay':
          return `${wd} ${ltr(dm)}`
        case 'dateTime':
          return ltr(`${dm}.${f.year} ${time}`)
        case 'monthDayTime':
          return ltr(`${dm} ${time}`)
        case 'time':
          return ltr(time)
      }
    }
  }
  throw new RangeError(`unknown date style ${style}`)
}

/** An instant (Date, epoch ms or ISO string) in Beijing time, as `locale` writes it. */
export function formatDate(at: Date | number | string, locale: Locale, style: DateStyle): string {
  return render(beijingParts(at), locale, style)
}

/** A calendar day (YYYY-MM-DD, already a Beijing day) as `locale` writes it; time styles are not meaningful here. */
export function formatDay(day: string, locale: Locale, style: Extract<DateStyle, 'date' | 'monthDay' | 'weekdayMonthDay'>): string {
  if (!isDay(day)) throw new RangeError(`not a day: ${day}`)
  return render({ year: Number(day.slice(0, 4)), month: Number(day.slice(5, 7)), day: Number(day.slice(8, 10)), weekday: weekdayOf(day) }, locale, style)
}

/** A span of the clock, "9:00–11:30" style (HH:MM–HH:MM), isolated in right-to-left text. */
export function formatTimeRange(start: string, end: string, locale: Locale): string {
  const s = `${start.slice(0, 5)}–${end.slice(0, 5)}`
  return RTL.has(locale) ? ltr(s) : s
}

/** The weekday name alone (0 = Sunday), for rule descriptions such as "每周二". */
export function weekdayName(weekday: number, locale: Locale): string {
  return WEEKDAYS[locale][weekday]!
}

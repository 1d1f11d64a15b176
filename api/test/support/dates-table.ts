import type { Locale } from '@mashangjian/shared'

/**
 * Issue 15's acceptance table: one instant, written by hand as every surface must show it in every locale it
 * supports. 06:05 in Beijing is 22:05 UTC the day before, so a surface that forgets Beijing time shows 3 December;
 * Uyghur and Kazakh write day.month.year (ICU's Uyghur pattern gave year-day-month, "2026-4-12").
 * Rows are per surface, columns per locale: a surface that gains a locale (the member app's ug/kk) gets a column.
 */
export const AT = '2026-12-04T06:05:00+08:00'
/** A day (activities, 履职档案) that is the same calendar day. */
export const DAY = '2026-12-04'

/** What each date style reads as, per locale, for AT. */
export const STYLE_TEXT = {
  date: { 'zh-CN': '2026年12月4日', en: 'Dec 4, 2026', ug: '4.12.2026', 'kk-Arab-CN': '4.12.2026' },
  dateTime: { 'zh-CN': '2026年12月4日 06:05', en: 'Dec 4, 2026, 06:05', ug: '4.12.2026 06:05', 'kk-Arab-CN': '4.12.2026 06:05' },
  monthDayTime: { 'zh-CN': '12月4日 06:05', en: 'Dec 4, 06:05', ug: '4.12 06:05', 'kk-Arab-CN': '4.12 06:05' },
} as const satisfies Record<string, Record<Locale, string>>

type Row = Partial<Record<Locale, string>>

/** Every surface and the locales it is shown in. */
export const SURFACES = {
  /** Scan page, the duplicate hint ("… reported on {date}"). */
  scanDuplicate: STYLE_TEXT.date,
  /** Tracking page, a timeline entry and the expected answer. */
  trackingTimeline: STYLE_TEXT.dateTime,
  trackingExpected: STYLE_TEXT.dateTime,
  /** Department (交办) page: Chinese only. */
  departmentDue: { 'zh-CN': STYLE_TEXT.dateTime['zh-CN'] },
  /** 社情民意 report PDF (pdftotext): Chinese only. */
  reportPdf: { 'zh-CN': STYLE_TEXT.date['zh-CN'] },
  /** 履职档案 printable page: Chinese only. */
  ledgerPage: { 'zh-CN': STYLE_TEXT.date['zh-CN'] },
  /** Console (web/src/admin/desk-format.ts fullDateTime): zh-CN and en. */
  consoleDateTime: { 'zh-CN': STYLE_TEXT.dateTime['zh-CN'], en: STYLE_TEXT.dateTime.en },
  /** Member app (web/src/i18n dateTime, deadlineText): all four locales. */
  memberDateTime: STYLE_TEXT.monthDayTime,
  memberDeadline: STYLE_TEXT.monthDayTime,
} as const satisfies Record<string, Row>

export type Surface = keyof typeof SURFACES

/** Rows as [surface, locale, expected] for it.each. */
export const rowsOf = (surface: Surface) => Object.entries(SURFACES[surface] as Row).map(([locale, text]) => [locale as Locale, text] as const)

/** Bidi isolates (U+2068 … U+2069) wrap dates in right-to-left text; the table compares what is read. */
export const stripIsolates = (s: string) => s.replace(/[\u2066-\u2069]/g, '')

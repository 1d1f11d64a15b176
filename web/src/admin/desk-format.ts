import type { CaseSummary } from '@mashangjian/shared'
import { currentLocale } from '../i18n'

/** The case's category in the admin's language (zh-CN names are always there). */
export const categoryName = (names: CaseSummary['categoryNames']): string | null =>
  names ? (names[currentLocale()] ?? names['zh-CN'] ?? Object.values(names)[0] ?? null) : null

/** A moment with its year, in China Standard Time (deadlines and timelines are read against Beijing time). */
export function fullDateTime(iso: string | number): string {
  return new Intl.DateTimeFormat(currentLocale(), {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Asia/Shanghai',
  }).format(new Date(iso))
}

/** The Beijing day after `day` (YYYY-MM-DD): the list's `to` is exclusive, the form's "到（含）" is inclusive. */
export function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

/** A `datetime-local` value for now in China Standard Time, and back to an ISO instant. */
export function beijingLocalNow(now = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 16)
}
/** The ISO instant of a `datetime-local` value read as Beijing time; null when the browser gave something else. */
export function fromBeijingLocal(value: string): string | null {
  const t = new Date(`${value}:00+08:00`)
  return Number.isNaN(t.getTime()) ? null : t.toISOString()
}

/** Lists and the console's badge listen for this after a desk action, so counts follow at once. */
export const DESK_CHANGED = 'msj-desk-changed'
export const announceDeskChange = () => window.dispatchEvent(new Event(DESK_CHANGED))

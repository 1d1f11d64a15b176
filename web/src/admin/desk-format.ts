import { addDays, beijingDay, beijingInstant, beijingTimeOfDay, formatDate, isDay, isTimeOfDay, type CaseSummary } from '@mashangjian/shared'
import { currentLocale } from '../i18n'

/** The case's category in the admin's language (zh-CN names are always there). */
export const categoryName = (names: CaseSummary['categoryNames']): string | null =>
  names ? (names[currentLocale()] ?? names['zh-CN'] ?? Object.values(names)[0] ?? null) : null

/** A moment with its year, in China Standard Time (deadlines and timelines are read against Beijing time). */
export function fullDateTime(iso: string | number): string {
  return formatDate(iso, currentLocale(), 'dateTime')
}

/** The Beijing day after `day` (YYYY-MM-DD): the list's `to` is exclusive, the form's "到（含）" is inclusive. */
export const nextDay = (day: string): string => addDays(day, 1)

/** A `datetime-local` value for now in China Standard Time, and back to an ISO instant. */
export function beijingLocalNow(now = Date.now()): string {
  return `${beijingDay(now)}T${beijingTimeOfDay(now)}`
}
/** The ISO instant of a `datetime-local` value read as Beijing time; null when the browser gave something else. */
export function fromBeijingLocal(value: string): string | null {
  const [day = '', time = ''] = value.split('T')
  return isDay(day) && isTimeOfDay(time) ? beijingInstant(day, time).toISOString() : null
}

/** Lists and the console's badge listen for this after a desk action, so counts follow at once. */
export const DESK_CHANGED = 'msj-desk-changed'
export const announceDeskChange = () => window.dispatchEvent(new Event(DESK_CHANGED))

/**
 * GeoReport v2 date/times: "a common subset of ISO 8601 as per the w3 note", with the timezone always given.
 * We answer in Beijing time (+08:00, no daylight saving) like every date the committee sees, and read any offset.
 */
import { beijingIso } from '@mashangjian/shared'
export const w3cBeijing = (date: Date): string => beijingIso(date)

const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/

/** A W3C date-time with its zone, or undefined when it is not one (a date without zone is ambiguous: refused). */
export function parseW3c(text: string): Date | undefined {
  if (!W3C.test(text.trim())) return undefined
  const d = new Date(text.trim())
  return Number.isNaN(d.getTime()) ? undefined : d
}

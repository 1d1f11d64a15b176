import type { MessageKey } from '@mashangjian/shared'

/** What a resident sent, as text, whatever the encoding (plain form post, JS multipart or JSON). */
export interface RawSubmission {
  code?: string
  description?: string
  location?: string
  phone?: string
  consent?: string | boolean
  categoryId?: string
  memberId?: string
  /** Honeypot: a field people never see; bots fill it. */
  website?: string
  /** The resident saw the duplicate hint and says it is a different problem. */
  confirmNew?: string | boolean
  /** The resident saw the duplicate hint and adds their report to this case (public number). */
  joinCase?: string
  lang?: string
  /** "使用我的位置" (JavaScript only): what the browser's geolocation gave, as text. */
  lat?: string
  lng?: string
  accuracy?: string
  /** Photos kept from a form shown again (pending-photos.ts references). */
  keptPhoto1?: string
  keptPhoto2?: string
  keptPhoto3?: string
  /** The public number of the similar case whose prompt the resident has seen: a plain submit then creates. */
  seenDuplicate?: string
  /** A language switch on a form shown again: render it in this language, validate and store nothing. */
  relang?: string
}

export interface Coordinates {
  lat: number
  lng: number
  accuracy: number | null
}

export interface ValidSubmission {
  description: string
  location: string | null
  phone: string | null
  categoryId: string | null
  memberId: string | null
  confirmNew: boolean
  joinCase: string | null
  coords: Coordinates | null
  keptPhotos: string[]
  seenDuplicate: string | null
}

/** A field problem, as a message key so each page shows it in the resident's language. */
export interface SubmissionIssue {
  field: 'description' | 'location' | 'phone' | 'consent' | 'categoryId' | 'memberId' | 'photos' | `photo${number}` | 'form' | 'lat' | 'lng' | 'accuracy'
  key: MessageKey
  values?: Record<string, string | number>
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const truthy = (v: string | boolean | undefined) => v === true || v === 'on' || v === 'true' || v === '1' || v === 'yes'

/** Mainland mobile numbers: 11 digits starting 13–19; spaces, dashes and a +86/0086 prefix are tolerated. */
export function normalizeMainlandMobile(input: string): string | null {
  const digits = input.replace(/[\s\-()]/g, '').replace(/^(\+86|0086|86)(?=1\d{10}$)/, '')
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null
}

/** The references of photos kept from a form shown again, as sent (checked when claimed). */
export const keptPhotoRefs = (raw: RawSubmission): string[] =>
  [raw.keptPhoto1, raw.keptPhoto2, raw.keptPhoto3].map((r) => r?.trim() ?? '').filter((r) => r !== '')

/** A number as a form sends it; blank is absent, anything else unreadable is NaN. */
const numberOf = (v: string | undefined): number | undefined => {
  const text = (v ?? '').trim()
  return text === '' ? undefined : /^[-+]?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN
}

/**
 * Coordinates from "使用我的位置": latitude −90…90, longitude −180…180, accuracy in metres ≥ 0 (optional);
 * both or neither of lat/lng.
 */
function checkCoords(raw: RawSubmission, issues: SubmissionIssue[]): Coordinates | null {
  const lat = numberOf(raw.lat)
  const lng = numberOf(raw.lng)
  const accuracy = numberOf(raw.accuracy)
  if (lat === undefined && lng === undefined) return null
  const before = issues.length
  if (lat === undefined || Number.isNaN(lat) || lat < -90 || lat > 90) issues.push({ field: 'lat', key: 'error.geo.invalid' })
  if (lng === undefined || Number.isNaN(lng) || lng < -180 || lng > 180) issues.push({ field: 'lng', key: 'error.geo.invalid' })
  if (accuracy !== undefined && (Number.isNaN(accuracy) || accuracy < 0 || accuracy > 1e7)) issues.push({ field: 'accuracy', key: 'error.geo.invalid' })
  return issues.length > before ? null : { lat: lat!, lng: lng!, accuracy: accuracy ?? null }
}

/** Counts characters as people do (一 emoji = 1), not UTF-16 units. */
const length = (s: string) => [...s].length

export function validateSubmission(raw: RawSubmission): { ok: ValidSubmission } | { issues: SubmissionIssue[] } {
  const issues: SubmissionIssue[] = []
  if (raw.website?.trim()) return { issues: [{ field: 'form', key: 'error.rejected' }] }

  const description = (raw.description ?? '').replace(/\r\n/g, '\n').trim()
  if (length(description) < 5) issues.push({ field: 'description', key: 'error.description.short' })
  else if (length(description) > 2000) issues.push({ field: 'description', key: 'error.description.long' })

  const location = (raw.location ?? '').trim()
  if (length(location) > 200) issues.push({ field: 'location', key: 'error.location.long' })

  const phoneText = (raw.phone ?? '').trim()
  const phone = phoneText ? normalizeMainlandMobile(phoneText) : null
  if (phoneText && !phone) issues.push({ field: 'phone', key: 'error.phone.format' })
  if (phoneText && !truthy(raw.consent)) issues.push({ field: 'consent', key: 'error.consent.required' })

  const categoryId = raw.categoryId?.trim() || null
  if (categoryId && !UUID.test(categoryId)) issues.push({ field: 'categoryId', key: 'error.category.unknown' })
  const memberId = raw.memberId?.trim() || null
  if (memberId && !UUID.test(memberId)) issues.push({ field: 'memberId', key: 'error.member.unknown' })

  const coords = checkCoords(raw, issues)
  const keptPhotos = keptPhotoRefs(raw)

  if (issues.length > 0) return { issues }
  return {
    ok: {
      description,
      location: location || null,
      phone,
      categoryId,
      memberId,
      confirmNew: truthy(raw.confirmNew),
      joinCase: raw.joinCase?.trim() || null,
      coords,
      keptPhotos,
      seenDuplicate: raw.seenDuplicate?.trim().toUpperCase() || null,
    },
  }
}

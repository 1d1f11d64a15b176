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
}

export interface ValidSubmission {
  description: string
  location: string | null
  phone: string | null
  categoryId: string | null
  memberId: string | null
  confirmNew: boolean
  joinCase: string | null
}

/** A field problem, as a message key so each page shows it in the resident's language. */
export interface SubmissionIssue {
  field: 'description' | 'location' | 'phone' | 'consent' | 'categoryId' | 'memberId' | 'photos' | `photo${number}` | 'form'
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

  if (issues.length > 0) return { issues }
  return {
    ok: {
      description, location: location || null, phone, categoryId, memberId,
      confirmNew: truthy(raw.confirmNew), joinCase: raw.joinCase?.trim() || null,
    },
  }
}

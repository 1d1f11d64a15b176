import type { ChannelProvider } from './notifications'

/**
 * 职能部门: the government bodies a member hands a matter to (issue 14). 局/委/办 | 街道办事处、乡镇政府 |
 * 公用事业单位（水、电、气、暖）| 其他.
 */
export const DEPARTMENT_KINDS = ['bureau', 'street_office', 'public_service', 'other'] as const
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number]

/** Where a department's hand-offs may be posted: a group robot or a signed webhook of its committee, never SMS. */
export const DEPARTMENT_CHANNEL_PROVIDERS = ['wecom_robot', 'dingtalk_robot', 'webhook'] as const satisfies readonly ChannelProvider[]

/**
 * A department contact's phone: a mainland mobile (`13812345678`) or a landline with its area code and an optional
 * extension (`0931-1234567`, `010-12345678-801`). Spaces, brackets and a +86 prefix are tolerated; short service
 * numbers (95598, 12345) are not a contact person's line. Answers the normalised form, or null.
 */
export function normalizeDepartmentPhone(input: string): string | null {
  const compact = input
    .trim()
    .replace(/[\s()（）]/g, '')
    .replace(/^(\+86|0086)-?/, '')
  const mobile = compact.replace(/-/g, '').replace(/^86(?=1\d{10}$)/, '')
  if (/^1[3-9]\d{9}$/.test(mobile)) return mobile
  const m = compact.match(/^(0\d{2,3})-?(\d{7,8})(?:(?:-|转|#|ext\.?)(\d{1,6}))?$/i)
  if (!m) return null
  // 010 and 02x are three-digit area codes; the rest have four (0931, 0571 …).
  const digits = m[1]! + m[2]!
  const areaLength = /^0(10|2\d)/.test(digits) ? 3 : 4
  const area = digits.slice(0, areaLength)
  const local = digits.slice(areaLength)
  if (local.length < 7 || local.length > 8 || local.startsWith('0')) return null
  return `${area}-${local}${m[3] ? `-${m[3]}` : ''}`
}

/** What admins see of a normalised department phone: `138****5678`, `0931-****4567` (an extension is left out). */
export function maskDepartmentPhone(normalised: string): string {
  if (!normalised.startsWith('0')) return `${normalised.slice(0, 3)}****${normalised.slice(-4)}`
  const [area, local = ''] = normalised.split('-')
  return `${area}-****${local.slice(-4)}`
}

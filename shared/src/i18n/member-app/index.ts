import { IntlMessageFormat } from 'intl-messageformat'
import type { Locale } from '../index'
import { memberZhCN, type MemberCatalogue, type MemberKey } from './zh-CN'
import { memberEn } from './en'
import { memberUg } from './ug'
import { memberKkArabCN } from './kk-Arab-CN'

export { MEMBER_ARGS } from './args'
export type { MemberCatalogue, MemberKey }

/** The member app's catalogues (web/src); REVIEW_STATUS in ../index.ts says which are drafts. */
export const MEMBER_CATALOGUES: Record<Locale, MemberCatalogue> = { 'zh-CN': memberZhCN, en: memberEn, ug: memberUg, 'kk-Arab-CN': memberKkArabCN }

/**
 * Compiles one locale's member-app catalogue: every message parsed once, up front, so a syntax error shows at
 * start-up rather than on the screen that uses it. `intlLocale` is LOCALE_INFO[locale].intl.
 */
export function compileMemberCatalogue(locale: Locale, intlLocale: string): Record<MemberKey, IntlMessageFormat> {
  const catalogue = MEMBER_CATALOGUES[locale]
  return Object.fromEntries(Object.entries(catalogue).map(([key, message]) => [key, new IntlMessageFormat(message, intlLocale)])) as Record<
    MemberKey,
    IntlMessageFormat
  >
}

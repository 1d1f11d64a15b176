import type {} from '@fastify/cookie'
import { negotiate } from '@fastify/accept-negotiator'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { DEFAULT_LOCALE, isLocale, type Locale } from '@mashangjian/shared'

/**
 * Language tags browsers send, mapped to our locales. Kazakh speakers here write the Arabic script, so any
 * Kazakh tag gets kk-Arab-CN; any Chinese tag gets zh-CN (the only Chinese catalogue).
 */
const TAGS: Record<string, Locale> = {
  zh: 'zh-CN',
  'zh-cn': 'zh-CN',
  'zh-hans': 'zh-CN',
  'zh-hans-cn': 'zh-CN',
  'zh-sg': 'zh-CN',
  'zh-tw': 'zh-CN',
  'zh-hk': 'zh-CN',
  'zh-hant': 'zh-CN',
  ug: 'ug',
  'ug-cn': 'ug',
  'ug-arab': 'ug',
  'ug-arab-cn': 'ug',
  kk: 'kk-Arab-CN',
  'kk-cn': 'kk-Arab-CN',
  'kk-arab': 'kk-Arab-CN',
  'kk-arab-cn': 'kk-Arab-CN',
  'kk-kz': 'kk-Arab-CN',
  en: 'en',
  'en-us': 'en',
  'en-gb': 'en',
  'en-au': 'en',
  'en-ca': 'en',
  'en-in': 'en',
  'en-sg': 'en',
}
const SUPPORTED = Object.keys(TAGS)
export const LANG_COOKIE = 'lang'

export function localeFromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined
  const match = negotiate(header.toLowerCase(), SUPPORTED)
  return match ? TAGS[match] : undefined
}

/**
 * `?lang=` wins and is remembered in a cookie for a year; then the cookie; then Accept-Language; then zh-CN.
 * The cookie is set only when `?lang=` changes the choice.
 */
export function pickLocale(request: FastifyRequest, reply: FastifyReply): Locale {
  const asked = (request.query as { lang?: unknown } | undefined)?.lang
  const fromCookie = request.cookies?.[LANG_COOKIE]
  if (isLocale(asked)) {
    if (asked !== fromCookie) reply.setCookie(LANG_COOKIE, asked, { path: '/', maxAge: 365 * 86_400, sameSite: 'lax', httpOnly: true })
    return asked
  }
  if (isLocale(fromCookie)) return fromCookie
  return localeFromAcceptLanguage(request.headers['accept-language']) ?? DEFAULT_LOCALE
}

import type { Locale } from './index'

/**
 * A category's name in `locale`, or, when the committee has not named it in that language, its Chinese name
 * with `fallback` set so the page can mark it (lang="zh-CN" and a "(中文)" note) instead of passing it off as a
 * translation. Categories are always named in Chinese (the console requires it).
 */
export function categoryLabel(names: Record<string, string> | null | undefined, locale: Locale): { text: string; fallback: boolean } | null {
  if (!names) return null
  const own = names[locale]?.trim()
  if (own) return { text: own, fallback: false }
  const zh = names['zh-CN']?.trim() || Object.values(names).find((n) => n.trim())
  if (!zh) return null
  return { text: zh, fallback: locale !== 'zh-CN' }
}

/** The locales a category has no name in (zh-CN is required, so never listed): what a console admin should translate. */
export function missingCategoryLocales(names: Record<string, string>, locales: readonly Locale[]): Locale[] {
  return locales.filter((l) => l !== 'zh-CN' && !names[l]?.trim())
}

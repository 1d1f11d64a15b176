import { categoryLabel } from '@mashangjian/shared'
import { LOCALE_INFO, currentLocale, t } from '../i18n'

/**
 * A case's category in the member's language. When the committee has not named it in that language, the Chinese
 * name is shown as Chinese (lang="zh-CN", isolated) with a small "(中文)" note and a title saying why, so nobody
 * takes it for a translation; the console lists the categories still missing a language.
 */
export function CategoryName({ names, class: className = 'cat' }: { names: Record<string, string> | null | undefined; class?: string }) {
  const locale = currentLocale()
  const label = categoryLabel(names, locale)
  if (!label) return null
  if (!label.fallback) return <span class={className}>{label.text}</span>
  return (
    <span class={`${className} cat-fallback`} title={t.categoryFallbackTitle(LOCALE_INFO[locale].name)} data-testid="category-fallback">
      <bdi lang="zh-CN">{label.text}</bdi> <small class="fallback-mark">{t.categoryFallback}</small>
    </span>
  )
}

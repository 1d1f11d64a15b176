import { LOCALES, missingCategoryLocales, type CategoryView } from '@mashangjian/shared'
import { at } from '../admin-text'

/**
 * The committee's categories that lack a name in English, Uyghur or Kazakh: there residents (scan page) and
 * members (member app) see the Chinese name, marked as Chinese. Listed so an admin sees what to translate.
 */
export function CategoryMissingNames({ items }: { items: CategoryView[] }) {
  const missing = items
    .filter((c) => c.active)
    .map((c) => ({ c, langs: missingCategoryLocales(c.names, LOCALES) }))
    .filter((m) => m.langs.length > 0)
  if (missing.length === 0)
    return (
      <p class="hint" data-testid="categories-all-named">
        {at.categoriesAllNamed}
      </p>
    )
  return (
    <section class="boxed" aria-labelledby="categories-missing-title" data-testid="categories-missing">
      <h4 id="categories-missing-title">{at.categoriesMissing}</h4>
      <p class="hint">{at.categoriesMissingHint}</p>
      <ul>
        {missing.map(({ c, langs }) => (
          <li key={c.id} data-testid="category-missing" data-missing={langs.join(' ')}>
            <strong>{c.names['zh-CN']}</strong> · {at.missingIn(langs.map((l) => at.categoryLocaleNames[l] ?? l).join(at.listSeparator))}
          </li>
        ))}
      </ul>
    </section>
  )
}

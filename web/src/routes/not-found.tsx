import { t } from '../i18n'

export function NotFound() {
  return (
    <section class="empty">
      <p>{t.notFound}</p>
      <a class="button" href={import.meta.env.BASE_URL}>
        {t.home}
      </a>
    </section>
  )
}

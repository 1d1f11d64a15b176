/** @jsxRuntime automatic @jsxImportSource preact */
import type { ComponentChildren } from 'preact'
import { renderToString } from 'preact-render-to-string'
import { LOCALES, LOCALE_INFO, type Locale, type Translate } from '@mashangjian/shared'
import { PAGE_CSS } from './page-styles'

export interface PageContext {
  locale: Locale
  t: Translate
  /** Path of this page without query, for the language links. */
  path: string
}

/**
 * A language switch that re-posts a form instead of following a link: on a page that is a form shown again
 * (after an error or the duplicate prompt) a plain link cannot carry what was typed, so each language is a
 * submit button of that form (`formId`), posting to `action(locale)` with `relang=<locale>` and no validation.
 */
export interface LangRepost {
  formId: string
  action: (l: Locale) => string
}

export function Layout({
  ctx,
  title,
  footer,
  children,
  repost,
  script,
  fullTitle,
  head,
  css,
}: {
  ctx: PageContext
  title: string
  footer?: string
  children: ComponentChildren
  repost?: LangRepost
  /** One inline script, allowed by its hash in the CSP (see pages/scan-script.ts); pages work without it. */
  script?: string
  /** The whole <title> as given (a share card's), instead of "title · 码上见". */
  fullTitle?: boolean
  /** Further <head> elements (the transparency page's og: tags). */
  head?: ComponentChildren
  /** Rules this page adds to the shared stylesheet. */
  css?: string
}) {
  const { locale, t, path } = ctx
  return (
    <html lang={locale} dir={LOCALE_INFO[locale].dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{fullTitle ? title : `${title} · ${t('app.name')}`}</title>
        <link rel="icon" href="/favicon.ico" sizes="32x32" />
        {head}
        <style dangerouslySetInnerHTML={{ __html: css ? `${PAGE_CSS}\n${css}` : PAGE_CSS }} />
      </head>
      <body>
        <header>
          <b>{t('app.name')}</b>
          <nav aria-label={t('lang.label')}>
            {LOCALES.filter((l) => l !== locale).map((l) =>
              repost ? (
                <button
                  type="submit"
                  form={repost.formId}
                  formAction={repost.action(l)}
                  formNoValidate
                  name="relang"
                  value={l}
                  lang={l}
                  dir={LOCALE_INFO[l].dir}
                >
                  {LOCALE_INFO[l].name}
                </button>
              ) : (
                <a href={`${path}?lang=${l}`} lang={l} hreflang={l} dir={LOCALE_INFO[l].dir}>
                  {LOCALE_INFO[l].name}
                </a>
              ),
            )}
          </nav>
        </header>
        <main>{children}</main>
        <footer>
          {footer ? `${footer} · ` : ''}
          {t('app.tagline')}
        </footer>
        {script && <script dangerouslySetInnerHTML={{ __html: script }} />}
      </body>
    </html>
  )
}

/** Preact escapes every text and attribute value; only PAGE_CSS and page scripts (ours) are inserted raw. */
export const renderPage = (page: preact.VNode) => `<!doctype html>${renderToString(page)}`

export function MessagePage({ ctx, title, body, link }: { ctx: PageContext; title: string; body: string; link?: { href: string; text: string } }) {
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{body}</p>
      {link && (
        <p>
          <a href={link.href}>{link.text}</a>
        </p>
      )}
    </Layout>
  )
}

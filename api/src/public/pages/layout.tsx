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

export function Layout({ ctx, title, footer, children }: { ctx: PageContext; title: string; footer?: string; children: ComponentChildren }) {
  const { locale, t, path } = ctx
  return (
    <html lang={locale} dir={LOCALE_INFO[locale].dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} · ${t('app.name')}`}</title>
        <style dangerouslySetInnerHTML={{ __html: PAGE_CSS }} />
      </head>
      <body>
        <header>
          <b>{t('app.name')}</b>
          <nav aria-label={t('lang.label')}>
            {LOCALES.filter((l) => l !== locale).map((l) => (
              <a href={`${path}?lang=${l}`} lang={l} hreflang={l} dir={LOCALE_INFO[l].dir}>{LOCALE_INFO[l].name}</a>
            ))}
          </nav>
        </header>
        <main>{children}</main>
        <footer>{footer ? `${footer} · ` : ''}{t('app.tagline')}</footer>
      </body>
    </html>
  )
}

/** Preact escapes every text and attribute value; only PAGE_CSS (ours) is inserted raw. */
export const renderPage = (page: preact.VNode) => `<!doctype html>${renderToString(page)}`

export function MessagePage({ ctx, title, body, link }: { ctx: PageContext; title: string; body: string; link?: { href: string; text: string } }) {
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>{body}</p>
      {link && <p><a href={link.href}>{link.text}</a></p>}
    </Layout>
  )
}

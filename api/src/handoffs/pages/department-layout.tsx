/** @jsxRuntime automatic @jsxImportSource preact */
import { formatDate } from '@mashangjian/shared'
import type { ComponentChildren } from 'preact'
import { PAGE_CSS } from '../../public/pages/page-styles'

/** A few rules of the department page on top of the resident pages' stylesheet (same look, same phone sizes). */
const DEPARTMENT_CSS = `${PAGE_CSS}
.overdue{color:#b00020;font-weight:700}
dl.facts{margin:.5rem 0}
dl.facts dt{font-weight:600;margin-top:.5rem}
dl.facts dd{margin:0;overflow-wrap:anywhere;white-space:pre-wrap}
.quote{white-space:pre-wrap;overflow-wrap:anywhere}
.thumbs{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0;margin:.5rem 0}
.thumbs img{display:block;width:96px;height:96px;object-fit:cover;border-radius:.25rem;background:#eee}
.thumbs a{display:block;min-height:48px}
form.box{margin:1.5rem 0}`

/**
 * The frame of the department's pages: Chinese only (government staff of the county), no language switcher,
 * no script, no external resource; the secret stays out of Referer headers.
 */
export function DepartmentLayout({ title, footer, children }: { title: string; footer?: string; children: ComponentChildren }) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex" />
        <title>{`${title} · 码上见`}</title>
        <style dangerouslySetInnerHTML={{ __html: DEPARTMENT_CSS }} />
      </head>
      <body>
        <header>
          <b>码上见 · 交办答复</b>
        </header>
        <main>{children}</main>
        <footer>{footer ? `${footer} · ` : ''}政协委员履职服务平台</footer>
      </body>
    </html>
  )
}

/** A deadline as the page shows it: 2026年12月9日 18:00, Beijing time. */
export const beijingTime = (d: Date) => formatDate(d, 'zh-CN', 'dateTime')

/** @jsxRuntime automatic @jsxImportSource preact */
import { renderToString } from 'preact-render-to-string'
import { LOCALE_INFO, PLACARD_LAYOUTS, translator, type PlacardLayout } from '@mashangjian/shared'
import { qrSvg } from '../../qr/qr-image'
import { faceItems, INK, textStyle, type FaceItem } from '../placard-faces'
import { DESIGN_OF, PT_PER_MM, pageSpecs, type Panel } from '../placard-layouts'
import { placardTexts, type PlacardBatch, type PlacardTexts } from '../placard-model'
import type { PhotoSize } from '../placard-photos'

export interface PageLinks {
  pdf: string
  layouts: Record<PlacardLayout, string>
}

/**
 * Print styles: sheets are sized in millimetres like the PDF, the toolbar disappears on paper, and every page
 * break falls between sheets. System fonts only (no web fonts, no other host); the PDF is the exact version.
 */
const css = (paper: 'A4' | 'A5') => `*{box-sizing:border-box}
body{margin:0;background:#e8e8e8;color:${INK};font-family:"Noto Sans SC","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif}
.toolbar{max-width:210mm;margin:1rem auto;padding:1rem 1.25rem;background:#fff;border-radius:.5rem;font-size:16px;line-height:1.6}
.toolbar h1{font-size:1.3rem;margin:0 0 .25rem}
.toolbar a{color:#0b57d0}
.toolbar nav a{margin-inline-end:1rem}
.toolbar .here{font-weight:700;color:${INK};text-decoration:none}
.warn{color:#b00020}
.muted{color:#555}
.sheet{position:relative;overflow:hidden;background:#fff;margin:0 auto 1rem;box-shadow:0 1px 4px rgba(0,0,0,.25);break-after:page;page-break-after:always}
.A4{width:210mm;height:297mm}.A5{width:148mm;height:210mm}
.panel{position:absolute;overflow:hidden}
.rotated{transform:rotate(180deg)}
.panel>*{position:absolute;margin:0}
.t{line-height:1.45;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.t.wrap{white-space:normal;display:-webkit-box;-webkit-box-orient:vertical}
.t[dir=rtl]{font-family:"Noto Naskh Arabic","UKIJ Tuz Tom","Microsoft Uighur",serif;line-height:1.8}
.b{font-weight:700}
.c{text-align:center}
.qr svg{display:block;width:100%;height:100%}
.photo{object-fit:cover}
.mark{position:absolute;background:#000}
.fold{position:absolute;border-top:.5pt dashed #999}
@page{size:${paper};margin:0}
@media print{body{background:#fff}.toolbar{display:none}.sheet{margin:0;box-shadow:none}}`

const mmStyle = (b: { x: number; y: number; w: number; h?: number }) =>
  `left:${b.x}mm;top:${b.y}mm;width:${b.w}mm${b.h === undefined ? '' : `;height:${b.h}mm`}`
const ptToMm = (pt: number) => +(pt / PT_PER_MM).toFixed(2)

function Item({ item, svg, photo }: { item: FaceItem; svg: string; photo: string | undefined }) {
  switch (item.kind) {
    case 'band':
      return <div style={`${mmStyle(item.box)};background:${item.color}`} />
    case 'qr':
      // Our own generator's markup for our own URL: nothing from a user goes in unescaped.
      return <div class="qr" style={mmStyle(item.box)} dangerouslySetInnerHTML={{ __html: svg }} />
    case 'photo':
      return photo ? <img class="photo" style={mmStyle(item.box)} src={photo} alt="" /> : null
    case 'text': {
      if (!item.text) return null
      const lines = item.lines ?? 1
      const rtl = Boolean(textStyle(item.text).features)
      const cls = ['t', lines > 1 && 'wrap', item.bold && 'b', item.align === 'center' && 'c'].filter(Boolean).join(' ')
      const style = `${mmStyle(item)};font-size:${item.size}pt;color:${item.color ?? INK}${lines > 1 ? `;-webkit-line-clamp:${lines};max-height:${lines * 1.9}em` : ''}`
      return (
        <p class={cls} style={style} dir={rtl ? 'rtl' : undefined}>
          {item.text}
        </p>
      )
    }
  }
}

function PanelView({
  panel,
  batch,
  texts,
  svgs,
  photos,
}: {
  panel: Panel
  batch: PlacardBatch
  texts: PlacardTexts
  svgs: Map<number, string>
  photos: Map<number, string | undefined>
}) {
  const p = batch.placards[panel.item]!
  const photo = photos.get(panel.item)
  const box = { x: ptToMm(panel.box.x), y: ptToMm(panel.box.y), w: ptToMm(panel.box.w), h: ptToMm(panel.box.h) }
  return (
    <div class={panel.rotated ? 'panel rotated' : 'panel'} style={mmStyle(box)}>
      {faceItems(panel.design, p, Boolean(photo), texts).map((item) => (
        <Item item={item} svg={svgs.get(panel.item)!} photo={photo} />
      ))}
    </div>
  )
}

/**
 * The printable HTML of a batch: the same faces as the PDF (placard-faces.ts) placed on the same sheets, QR codes
 * as inline SVG, portraits as data: URLs (the page must work when opened with a bearer token, where an <img> could
 * not authenticate), and a toolbar with the count, members skipped, the PDF link and the other layouts.
 */
export async function placardsPage(
  batch: PlacardBatch,
  links: PageLinks,
  deps: { photo(key: string, size: PhotoSize): Promise<Buffer | undefined> },
): Promise<string> {
  const t = translator(batch.locale)
  const texts = placardTexts(batch.locale)
  const pages = pageSpecs(batch.layout, batch.placards.length)
  const svgs = new Map(await Promise.all(batch.placards.map(async (p, i) => [i, await qrSvg(p.url)] as const)))
  const photos = new Map(
    await Promise.all(
      batch.placards.map(async (p, i) => {
        const bytes = p.photoKey ? await deps.photo(p.photoKey, DESIGN_OF[batch.layout]).catch(() => undefined) : undefined
        return [i, bytes && `data:image/jpeg;base64,${bytes.toString('base64')}`] as const
      }),
    ),
  )
  const paper = batch.layout === 'tent' ? 'A5' : 'A4'
  const title = `${t('placard.preview.title')} · ${batch.subject}`
  const html = (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{title}</title>
        <style dangerouslySetInnerHTML={{ __html: css(paper) }} />
      </head>
      <body>
        <header class="toolbar" lang={batch.locale} dir={LOCALE_INFO[batch.locale].dir}>
          <h1>{title}</h1>
          <p>
            {t('placard.preview.count', { count: batch.placards.length })} · <a href={links.pdf}>{t('placard.preview.pdf')}</a>
          </p>
          {batch.skipped.length > 0 && <p class="warn">{t('placard.preview.skipped', { names: batch.skipped.map((s) => s.name).join('、') })}</p>}
          <nav>
            {PLACARD_LAYOUTS.map((l) =>
              l === batch.layout ? (
                <a class="here" aria-current="page">
                  {t(`placard.layout.${l}`)}
                </a>
              ) : (
                <a href={links.layouts[l]}>{t(`placard.layout.${l}`)}</a>
              ),
            )}
          </nav>
          <p class="muted">{t('placard.preview.printHint')}</p>
        </header>
        {pages.map((page) => (
          <section class={`sheet ${paper}`}>
            {page.panels.map((panel) => (
              <PanelView panel={panel} batch={batch} texts={texts} svgs={svgs} photos={photos} />
            ))}
            {page.cutMarks.map((m) => (
              <div
                class="mark"
                style={`left:${ptToMm(Math.min(m.x1, m.x2))}mm;top:${ptToMm(Math.min(m.y1, m.y2))}mm;width:${m.x1 === m.x2 ? '0.5pt' : `${ptToMm(Math.abs(m.x2 - m.x1))}mm`};height:${m.y1 === m.y2 ? '0.5pt' : `${ptToMm(Math.abs(m.y2 - m.y1))}mm`}`}
              />
            ))}
            {page.foldLine && <div class="fold" style={`left:0;top:${ptToMm(page.foldLine.y1)}mm;width:100%`} />}
          </section>
        ))}
      </body>
    </html>
  )
  return `<!doctype html>${renderToString(html)}`
}

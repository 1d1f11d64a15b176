import { readFileSync } from 'node:fs'
import { loadPdfKit } from '../lazy-libraries'
import { fontPath } from './fonts/font-files'
import { faceItems, INK, textStyle, type FaceItem } from './placard-faces'
import { DESIGN_OF, mm, pageSpecs, type PageSpec, type Panel, type PanelDesign } from './placard-layouts'
import { placardTexts, type Placard, type PlacardBatch, type PlacardTexts } from './placard-model'
import { drawQr, qrShape } from './qr-vector'
import type { PhotoSize } from './placard-photos'

/** Read once per process; pdfkit parses them per document and embeds only the glyphs that document uses. */
let fontBytes: { cjk: Buffer; arabic: Buffer } | undefined
const fonts = () => (fontBytes ??= { cjk: readFileSync(fontPath('cjk')), arabic: readFileSync(fontPath('arabic')) })

type Doc = PDFKit.PDFDocument
type TextItem = Extract<FaceItem, { kind: 'text' }>

/** Sets a text item, never past its `lines` lines; a single line first shrinks towards `minSize`. */
function drawText(doc: Doc, item: TextItem): void {
  if (!item.text) return
  const style = textStyle(item.text)
  const lines = item.lines ?? 1
  const color = item.color ?? INK
  let size = item.size
  doc.font(style.font)
  if (item.minSize && lines === 1) {
    while (size > item.minSize && doc.fontSize(size).widthOfString(item.text, { features: style.features }) > mm(item.w)) size -= 0.5
  }
  doc.fontSize(size).fillColor(color)
  // Names and headings are drawn filled and outlined: a bolder face without shipping a second weight.
  if (item.bold) doc.lineWidth(size * 0.035).strokeColor(color)
  // The Naskh font draws letters as shared skeletons plus dot marks, and pdfkit maps each glyph back to the first
  // letter it drew, so copying or searching Arabic-script text would give wrong letters: ActualText carries the
  // real string for text extraction (pdftotext, screen readers, search).
  if (style.features) doc.markContent('Span', { actual: item.text })
  doc.text(item.text, mm(item.x), mm(item.y), {
    width: mm(item.w),
    // pdfkit drops a line that would cross `height`; the Naskh font's lines are taller than the CJK font's.
    height: lines * doc.currentLineHeight(true) + 1,
    ellipsis: true,
    align: item.align ?? (style.features ? 'right' : 'left'),
    lineGap: 0,
    ...(style.features && { features: style.features }),
    ...(item.bold && { fill: true, stroke: true }),
  })
  if (style.features) doc.endMarkedContent()
}

/** Draws one face of a placard in its panel's frame (origin at the panel's top-left corner). */
function drawPanel(doc: Doc, design: PanelDesign, p: Placard, photo: Buffer | undefined, t: PlacardTexts): void {
  for (const item of faceItems(design, p, Boolean(photo), t)) {
    switch (item.kind) {
      case 'band':
        doc.rect(mm(item.box.x), mm(item.box.y), mm(item.box.w), mm(item.box.h)).fill(item.color)
        break
      case 'qr':
        drawQr(doc, qrShape(item.url), mm(item.box.x), mm(item.box.y), mm(item.box.w))
        break
      case 'photo':
        doc.image(photo!, mm(item.box.x), mm(item.box.y), { width: mm(item.box.w), height: mm(item.box.h) })
        break
      case 'text':
        drawText(doc, item)
        break
    }
  }
}

function drawPage(doc: Doc, page: PageSpec, batch: PlacardBatch, photos: Map<number, Buffer | undefined>, t: PlacardTexts): void {
  doc.addPage({ size: page.size, margin: 0 })
  for (const panel of page.panels) drawInFrame(doc, panel, () => drawPanel(doc, panel.design, batch.placards[panel.item]!, photos.get(panel.item), t))
  if (page.cutMarks.length > 0) {
    doc.save().lineWidth(0.5).strokeColor('#000000')
    for (const m of page.cutMarks) doc.moveTo(m.x1, m.y1).lineTo(m.x2, m.y2)
    doc.stroke().restore()
  }
  if (page.foldLine) {
    const f = page.foldLine
    doc.save().lineWidth(0.5).strokeColor('#999999').dash(4, { space: 3 }).moveTo(f.x1, f.y1).lineTo(f.x2, f.y2).stroke().undash().restore()
  }
}

function drawInFrame(doc: Doc, panel: Panel, draw: () => void): void {
  doc.save()
  if (panel.rotated) doc.translate(panel.box.x + panel.box.w, panel.box.y + panel.box.h).rotate(180)
  else doc.translate(panel.box.x, panel.box.y)
  draw()
  doc.restore()
}

export interface PdfDeps {
  /** A member's portrait sized for print, or undefined to leave it out (missing file, unreadable image). */
  photo(photoKey: string, size: PhotoSize): Promise<Buffer | undefined>
}

/**
 * The batch as a vector PDF, returned at once as a readable stream that fills page by page: pdfkit writes each
 * page's objects when the next page starts, so the first bytes leave before the last page is drawn and a
 * 500-placard file never has to exist whole in memory. Photos for the next page load while this one is drawn.
 * Everything that can fail with a useful answer (scope, codes) was checked before; past this point a failure can
 * only end the stream.
 */
export async function placardsPdf(batch: PlacardBatch, deps: PdfDeps): Promise<PDFKit.PDFDocument> {
  const PDFDocument = await loadPdfKit()
  const doc = new PDFDocument({
    autoFirstPage: false,
    margin: 0,
    compress: true,
    pdfVersion: '1.7',
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: `码牌 · ${batch.subject}`, Author: '码上见 Mashangjian', Creator: '码上见 Mashangjian', Producer: 'pdfkit' },
  })
  doc.registerFont('cjk', fonts().cjk)
  doc.registerFont('arabic', fonts().arabic)
  const t = placardTexts(batch.locale)
  const pages = pageSpecs(batch.layout, batch.placards.length)
  const size: PhotoSize = DESIGN_OF[batch.layout]
  const photosOf = async (page: PageSpec) =>
    new Map(
      await Promise.all(
        [...new Set(page.panels.map((p) => p.item))].map(async (item) => {
          const key = batch.placards[item]!.photoKey
          return [item, key ? await deps.photo(key, size).catch(() => undefined) : undefined] as const
        }),
      ),
    )

  void (async () => {
    try {
      let next = pages[0] && photosOf(pages[0])
      for (let i = 0; i < pages.length; i++) {
        const photos = await next!
        next = pages[i + 1] && photosOf(pages[i + 1]!)
        // The client went away: stop drawing for nobody.
        if (doc.destroyed) return
        drawPage(doc, pages[i]!, batch, photos, t)
        // Let the reply write what is ready and other requests run between pages.
        await new Promise((resolve) => setImmediate(resolve))
      }
      doc.end()
    } catch (err) {
      doc.destroy(err as Error)
    }
  })()
  return doc
}

/** The whole PDF in memory (tests, the benchmark). */
export async function pdfBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of doc) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

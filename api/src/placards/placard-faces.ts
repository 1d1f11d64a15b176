import { DESIGNS, type Box, type PanelDesign } from './placard-layouts'
import { shortUrl, type Placard, type PlacardTexts, type StationFacts } from './placard-model'

export const RED = '#a31515'
export const INK = '#1a1a1a'
export const GREY = '#555555'
export const WHITE = '#ffffff'

/** One thing drawn on a placard face, in millimetres from the panel's top-left corner; sizes in points. */
export type FaceItem =
  | { kind: 'band'; box: Box; color: string }
  | { kind: 'qr'; box: Box; url: string }
  | { kind: 'photo'; box: Box }
  | {
      kind: 'text'
      text: string
      x: number
      y: number
      w: number
      size: number
      /** A single line shrinks down to this size before it is cut with an ellipsis (PDF). */
      minSize?: number
      lines?: number
      color?: string
      bold?: boolean
      /** Default: the start of the line for its script (left, or right for Arabic script). */
      align?: 'center'
    }

/** Arabic-script letters (Uyghur and Kazakh use the Arabic block and its presentation forms). */
const ARABIC = /[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]/

/**
 * How a string must be set. Arabic script gets the Naskh font and `features`, which makes pdfkit shape the whole
 * line in one fontkit run: fontkit then picks the joining forms (isol/init/medi/fina, rlig) and, the script being
 * right to left, returns the glyphs in visual order. Without `features` pdfkit lays out each space-separated word
 * on its own and puts the words left to right, which reverses the word order of an RTL line. There is no bidi
 * algorithm: a line mixing Arabic with digits or Latin letters would show those runs reversed, so the Arabic lines
 * printed here come only from the catalogues, and a test keeps them free of digits and Latin letters.
 */
export function textStyle(text: string): { font: 'cjk' | 'arabic'; features?: ['rlig'] } {
  return ARABIC.test(text) ? { font: 'arabic', features: ['rlig'] } : { font: 'cjk' }
}

type TextItem = Extract<FaceItem, { kind: 'text' }>
const line = (text: string, x: number, y: number, w: number, size: number, more: Partial<TextItem> = {}): FaceItem => ({
  kind: 'text',
  text,
  x,
  y,
  w,
  size,
  ...more,
})

/**
 * What a face of each design shows, where: the one description the PDF and the HTML preview both draw from.
 * `hasPhoto` moves the name beside the portrait; without one the text takes the portrait's place.
 */
export function faceItems(design: PanelDesign, p: Placard, hasPhoto: boolean, t: PlacardTexts): FaceItem[] {
  if (p.station) return stationFaceItems(design, p, p.station, t)
  const d = DESIGNS[design]
  const tx = hasPhoto ? d.text.xWithPhoto : d.text.x
  const tw = d.text.right - tx
  const cx = d.text.x
  const cw = d.text.right - d.text.x
  const sector = p.sectorName ? t.sector(p.sectorName) : ''
  const local = t.local?.text ?? ''
  const common: FaceItem[] = [{ kind: 'qr', box: d.qr, url: p.url }, ...(hasPhoto ? [{ kind: 'photo' as const, box: d.photo }] : [])]
  switch (design) {
    case 'poster':
      return [
        { kind: 'band', box: { x: 0, y: 0, w: 210, h: 26 }, color: RED },
        line(p.committeeName, 10, 5, 190, 22, { minSize: 14, color: WHITE, bold: true, align: 'center' }),
        line(t.tagline, 10, 16, 190, 11, { color: WHITE, align: 'center' }),
        ...common,
        line(p.name, tx, 37, tw, 40, { minSize: 22, bold: true }),
        line(p.title, tx, 55, tw, 13, { color: GREY }),
        line(sector, tx, 64, tw, 16),
        line(p.stationName ?? '', tx, 73, tw, 16, { lines: 2 }),
        line(t.scan, 10, 227, 190, 26, { minSize: 16, color: RED, bold: true, align: 'center' }),
        line(local, 15, 242, 180, 20, { lines: 2, align: 'center' }),
        line(`${t.code(p.code)} · ${shortUrl(p.url)}`, 10, 268, 190, 10, { minSize: 7, color: GREY, align: 'center' }),
        { kind: 'band', box: { x: 0, y: 287, w: 210, h: 10 }, color: RED },
        line(t.appName, 10, 289, 190, 10, { color: WHITE, align: 'center' }),
      ]
    case 'card':
      return [
        ...common,
        line(p.name, tx, 5, tw, 15, { minSize: 9, bold: true }),
        line(p.title, tx, 12, tw, 6.5, { lines: 2, color: GREY }),
        line(sector, cx, 23, cw, 7.5),
        line(p.stationName ?? '', cx, 27.5, cw, 7.5, { lines: 2 }),
        line(t.scan, cx, 37, cw, 9, { lines: 2, color: RED, bold: true }),
        line(local, cx, 47, cw, 8, { lines: 2 }),
        line(t.code(p.code), d.qr.x, 49.5, d.qr.w, 6.5, { minSize: 5, color: GREY, align: 'center' }),
        line(p.committeeName, d.qr.x, 54.5, d.qr.w, 7, { minSize: 5, color: GREY, align: 'center' }),
      ]
    case 'tent':
      return [
        { kind: 'band', box: { x: 0, y: 0, w: 148, h: 9 }, color: RED },
        line(p.committeeName, 6, 1.8, 136, 11, { minSize: 8, color: WHITE, bold: true, align: 'center' }),
        ...common,
        line(p.name, tx, 14, tw, 24, { minSize: 12, bold: true }),
        line(p.title, tx, 25, tw, 8, { lines: 2, color: GREY }),
        line(sector, cx, 43, cw, 11),
        line(p.stationName ?? '', cx, 49, cw, 11, { lines: 2 }),
        line(t.scan, cx, 62, cw, 14, { lines: 2, color: RED, bold: true }),
        line(local, cx, 77, cw, 12, { lines: 2 }),
        line(t.code(p.code), d.qr.x, 89, d.qr.w, 7.5, { minSize: 5, color: GREY, align: 'center' }),
      ]
  }
}

/**
 * A station's own placard: the station's name where a member's would be, what kind of station it is, where and
 * when it is open, what it handles (受理：…) and who receives residents there (接待委员：…); the symbol, the
 * instructions and the code where a member's placard has them. Long lists are cut with an ellipsis by the
 * drawing (`lines`). No portrait. A card (90 × 65 mm) leaves out the address.
 */
export function stationFaceItems(design: PanelDesign, p: Placard, s: StationFacts, t: PlacardTexts): FaceItem[] {
  const d = DESIGNS[design]
  const x = d.text.x
  const w = d.text.right - d.text.x
  const local = t.local?.text ?? ''
  const qr: FaceItem = { kind: 'qr', box: d.qr, url: p.url }
  switch (design) {
    case 'poster':
      return [
        { kind: 'band', box: { x: 0, y: 0, w: 210, h: 26 }, color: RED },
        line(p.committeeName, 10, 5, 190, 22, { minSize: 14, color: WHITE, bold: true, align: 'center' }),
        line(t.tagline, 10, 16, 190, 11, { color: WHITE, align: 'center' }),
        qr,
        line(p.name, x, 31, w, 30, { minSize: 16, bold: true, align: 'center' }),
        line(`${s.kindName}${s.place ? ` · ${s.place}` : ''}`, x, 44, w, 11, { lines: 2, color: GREY, align: 'center' }),
        line(s.receivers, x, 56, w, 13, { lines: 3 }),
        line(s.handles, x, 79, w, 11, { lines: 2, color: GREY }),
        line(t.scan, 10, 227, 190, 26, { minSize: 16, color: RED, bold: true, align: 'center' }),
        line(local, 15, 242, 180, 20, { lines: 2, align: 'center' }),
        line(`${t.code(p.code)} · ${shortUrl(p.url)}`, 10, 268, 190, 10, { minSize: 7, color: GREY, align: 'center' }),
        { kind: 'band', box: { x: 0, y: 287, w: 210, h: 10 }, color: RED },
        line(t.appName, 10, 289, 190, 10, { color: WHITE, align: 'center' }),
      ]
    case 'card':
      return [
        qr,
        line(p.name, x, 5, w, 11, { lines: 2, bold: true }),
        line(s.receiverNames, x, 17, w, 6.5, { lines: 3 }),
        line(s.handles, x, 28.5, w, 6, { lines: 2, color: GREY }),
        line(t.scan, x, 37, w, 9, { lines: 2, color: RED, bold: true }),
        line(local, x, 47, w, 8, { lines: 2 }),
        line(t.code(p.code), d.qr.x, 49.5, d.qr.w, 6.5, { minSize: 5, color: GREY, align: 'center' }),
        line(p.committeeName, d.qr.x, 54.5, d.qr.w, 7, { minSize: 5, color: GREY, align: 'center' }),
      ]
    case 'tent':
      return [
        { kind: 'band', box: { x: 0, y: 0, w: 148, h: 9 }, color: RED },
        line(p.committeeName, 6, 1.8, 136, 11, { minSize: 8, color: WHITE, bold: true, align: 'center' }),
        qr,
        line(p.name, x, 12, w, 15, { lines: 2, bold: true }),
        line(s.receivers, x, 25.5, w, 8.5, { lines: 3 }),
        line(s.handles, x, 40, w, 7.5, { lines: 2, color: GREY }),
        line(s.place, x, 48, w, 7.5, { lines: 2, color: GREY }),
        line(t.scan, x, 62, w, 14, { lines: 2, color: RED, bold: true }),
        line(local, x, 77, w, 12, { lines: 2 }),
        line(t.code(p.code), d.qr.x, 89, d.qr.w, 7.5, { minSize: 5, color: GREY, align: 'center' }),
      ]
  }
}

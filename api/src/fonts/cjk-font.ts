import { readFileSync } from 'node:fs'
import { fontPath } from '../placards/fonts/font-files'

/**
 * The one place PDFs get their Chinese font from: the Noto Sans SC subset committed with the placards
 * (api/src/placards/fonts: GB2312 levels 1 and 2, ASCII, Latin-1, CJK punctuation; SIL Open Font License;
 * `npm run fonts:placards` regenerates it). pdfkit embeds only the glyphs a document uses. One weight: headings
 * are set apart by size. A character outside GB2312 prints as an empty box; extend the subset if a county needs it.
 */
let loaded: Buffer | undefined

export function cjkFont(): Buffer {
  loaded ??= readFileSync(fontPath('cjk'))
  return loaded
}

/** Font names to use with pdfkit's doc.font() after registerCjkFonts(doc). */
export const CJK = { regular: 'cjk', bold: 'cjk-bold' } as const

export function registerCjkFonts(doc: { registerFont(name: string, src: Buffer): unknown }): void {
  doc.registerFont(CJK.regular, cjkFont())
  doc.registerFont(CJK.bold, cjkFont())
}

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

/**
 * The one place PDFs get their Chinese font from. Noto Sans SC (SIL Open Font License) comes from the npm
 * package @expo-google-fonts/noto-sans-sc; pdfkit embeds only the glyphs a document uses (a page of text is a
 * few kilobytes). Placards (another branch) will bundle a subset of their own: when both land, both should read
 * from here. Read once, on first use (≈10 MB per weight), and kept.
 */
export interface CjkFonts { regular: Buffer; bold: Buffer }

const require = createRequire(import.meta.url)
const FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const

let loaded: CjkFonts | undefined

export function cjkFonts(): CjkFonts {
  loaded ??= { regular: readFileSync(require.resolve(FILES.regular)), bold: readFileSync(require.resolve(FILES.bold)) }
  return loaded
}

/** Font names to use with pdfkit's doc.font() after registerCjkFonts(doc). */
export const CJK = { regular: 'cjk', bold: 'cjk-bold' } as const

export function registerCjkFonts(doc: { registerFont(name: string, src: Buffer): unknown }): void {
  const fonts = cjkFonts()
  doc.registerFont(CJK.regular, fonts.regular)
  doc.registerFont(CJK.bold, fonts.bold)
}

/**
 * `npm run fonts:placards`: regenerates the two font subsets the placard PDF embeds (committed next to this file).
 *
 * Sources are the OFL-1.1 Google Noto fonts as published in npm packages (fetched with `npm pack` into a temp
 * folder, never installed): Noto Sans SC Regular for Chinese and Latin, Noto Naskh Arabic Regular for Uyghur and
 * Kazakh in the Arabic script. Each is cut down with harfbuzz's hb-subset (the `subset-font` package) to the
 * characters listed below; hb-subset keeps the glyphs that OpenType layout can reach from them (Arabic joining
 * forms, ligatures), so shaping still works. pdfkit then embeds only the glyphs a document actually uses.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import subsetFont from 'subset-font'
import { CATALOGUES } from '@mashangjian/shared'
import { DEMO_CATEGORIES, DEMO_MEMBERS, DEMO_SECTORS, DEMO_STATIONS, DEMO_CITY, DEMO_COUNTY } from '../../seed/demo-data'
import { FONT_FILES } from './font-files'
import { gb2312Hanzi } from './gb2312'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const SOURCES = {
  cjk: { pkg: '@expo-google-fonts/noto-sans-sc@0.4.3', file: 'package/400Regular/NotoSansSC_400Regular.ttf' },
  arabic: { pkg: '@expo-google-fonts/noto-naskh-arabic@0.4.5', file: 'package/400Regular/NotoNaskhArabic_400Regular.ttf' },
} as const

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i)).join('')

function cjkText(): string {
  const catalogueText = [CATALOGUES['zh-CN'], CATALOGUES.en].flatMap((c) => Object.values(c)).join('')
  const demoText = JSON.stringify([DEMO_CATEGORIES, DEMO_MEMBERS, DEMO_SECTORS, DEMO_STATIONS, DEMO_CITY, DEMO_COUNTY])
  return [
    range(0x20, 0x7e), // ASCII
    range(0xa0, 0xff), // Latin-1: ·, ×, é …
    range(0x2010, 0x2027), // dashes, quotes, bullet, ellipsis
    '№℃※→←↑↓○●□■△▲◆★☆',
    range(0x3000, 0x3011), // ideographic space, 、。〈〉《》「」『』【】
    range(0x3014, 0x301f),
    range(0xff01, 0xff5e), // full-width forms
    '￥',
    gb2312Hanzi(),
    catalogueText,
    demoText,
  ].join('')
}

function arabicText(): string {
  const catalogueText = [CATALOGUES.ug, CATALOGUES['kk-Arab-CN']].flatMap((c) => Object.values(c)).join('')
  return [' .,:!?()-«»0123456789', range(0x0600, 0x06ff), '\u200c\u200d\u200e\u200f', catalogueText].join('')
}

function fetchSource(dir: string, source: { pkg: string; file: string }): Buffer {
  const tarball = execFileSync('npm', ['pack', source.pkg, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').at(-1)!
  execFileSync('tar', ['xzf', path.join(dir, tarball), '-C', dir, source.file, 'package/LICENSE_FONT'])
  return readFileSync(path.join(dir, source.file))
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'msj-fonts-'))
  try {
    for (const [kind, text] of [['cjk', cjkText()], ['arabic', arabicText()]] as const) {
      const original = fetchSource(dir, SOURCES[kind])
      const unique = [...new Set(text)].join('')
      const subset = await subsetFont(original, unique, { targetFormat: 'truetype' })
      writeFileSync(path.join(HERE, FONT_FILES[kind]), subset)
      // The SIL Open Font License 1.1 with each font's copyright line must travel with the (modified) font.
      copyFileSync(path.join(dir, 'package/LICENSE_FONT'), path.join(HERE, FONT_FILES[kind].replace(/-Regular\.subset\.ttf$/, '-OFL.txt')))
      console.log(`${FONT_FILES[kind]}: ${[...unique].length} characters, ${(original.length / 1024).toFixed(0)} KB → ${(subset.length / 1024).toFixed(0)} KB`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()

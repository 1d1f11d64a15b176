import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import jsQR from 'jsqr'
import { PNG } from 'pngjs'
import type { Box } from '../../src/placards/placard-layouts'

/**
 * PDF checks with Debian's poppler-utils (`apt-get install -y poppler-utils`; .ci/run installs it). Outside CI a
 * machine without it skips those tests with this reason; in CI a missing tool fails the run.
 */
export const popplerMissing = !existsSync('/usr/bin/pdftoppm') && process.env.CI !== 'true'

const DPI = 150

/** Runs `fn` with the PDF written to a temporary folder, which is removed afterwards. */
export function withPdfFile<T>(pdf: Buffer, fn: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'msj-pdf-'))
  try {
    const file = path.join(dir, 'doc.pdf')
    writeFileSync(file, pdf)
    return fn(file, dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Every page as a PNG at 150 dpi, as `pdftoppm -png -r 150` makes it. */
export function rasterise(pdf: Buffer): PNG[] {
  return withPdfFile(pdf, (file, dir) => {
    execFileSync('pdftoppm', ['-png', '-r', String(DPI), file, path.join(dir, 'page')])
    return readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort()
      .map((f) => PNG.sync.read(readFileSync(path.join(dir, f))))
  })
}

/** Decodes the QR code inside `box` (points) of a page rendered at 150 dpi. */
export function decodeQrIn(page: PNG, box: Box): string | undefined {
  const k = DPI / 72
  const x0 = Math.max(0, Math.floor(box.x * k))
  const y0 = Math.max(0, Math.floor(box.y * k))
  const w = Math.min(page.width - x0, Math.ceil(box.w * k))
  const h = Math.min(page.height - y0, Math.ceil(box.h * k))
  const out = new Uint8ClampedArray(w * h * 4)
  for (let row = 0; row < h; row++) {
    const from = ((y0 + row) * page.width + x0) * 4
    out.set(page.data.subarray(from, from + w * 4), row * w * 4)
  }
  return jsQR(out, w, h)?.data
}

export const pdfText = (pdf: Buffer, args: string[] = []) => withPdfFile(pdf, (file) => execFileSync('pdftotext', [...args, file, '-'], { encoding: 'utf8' }))

export interface PdfFont {
  name: string
  type: string
  embedded: boolean
  subset: boolean
  unicode: boolean
}

/** `pdffonts`, parsed: one entry per font, name with its subset tag. */
export function pdfFonts(pdf: Buffer): PdfFont[] {
  const out = withPdfFile(pdf, (file) => execFileSync('pdffonts', [file], { encoding: 'utf8' }))
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const cols = l.trim().split(/\s+/)
      // name, then type (may contain spaces), encoding, then emb sub uni, object, generation
      const [emb, sub, uni] = cols.slice(-5, -2)
      return { name: cols[0]!, type: cols.slice(1, -6).join(' '), embedded: emb === 'yes', subset: sub === 'yes', unicode: uni === 'yes' }
    })
}

/** `pdfimages -list`: how many raster images each page carries. */
export function imagesPerPage(pdf: Buffer): Map<number, number> {
  const out = withPdfFile(pdf, (file) => execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }))
  const counts = new Map<number, number>()
  for (const l of out
    .split('\n')
    .slice(2)
    .filter((x) => x.trim())) {
    const page = Number(l.trim().split(/\s+/)[0])
    counts.set(page, (counts.get(page) ?? 0) + 1)
  }
  return counts
}

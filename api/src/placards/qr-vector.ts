import QRCode from 'qrcode'

/** Modules of white border scanners expect around a symbol (ISO/IEC 18004). */
export const QUIET_ZONE = 4

/** One horizontal stretch of dark modules: `len` modules from (`row`, `col`). */
export interface DarkRun {
  row: number
  col: number
  len: number
}

export interface QrShape {
  /** Modules per side, without the quiet zone. */
  size: number
  runs: DarkRun[]
}

/**
 * The symbol a placard prints, as the same library and error correction level (M) as the SVG and PNG images
 * (qr-image.ts) make it, reduced to horizontal runs of dark modules: one rectangle per run instead of one per
 * module keeps a 500-placard PDF small, and the runs of a row never overlap, so they fill as one path.
 */
export function qrShape(text: string): QrShape {
  const { size, data } = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules
  const runs: DarkRun[] = []
  for (let row = 0; row < size; row++) {
    let col = 0
    while (col < size) {
      if (!data[row * size + col]) {
        col++
        continue
      }
      const start = col
      while (col < size && data[row * size + col]) col++
      runs.push({ row, col: start, len: col - start })
    }
  }
  return { size, runs }
}

/** The part of a PDF document (pdfkit) that drawing a symbol needs. */
export interface VectorCanvas {
  save(): this
  restore(): this
  translate(x: number, y: number): this
  scale(factor: number): this
  rect(x: number, y: number, w: number, h: number): this
  fill(color?: string): this
}

/**
 * Draws the symbol as vector rectangles filling the square (`x`, `y`, `side`), quiet zone included. Coordinates
 * are whole modules under one scale, so the content stream holds short integers; one fill per symbol.
 */
export function drawQr(canvas: VectorCanvas, shape: QrShape, x: number, y: number, side: number): void {
  const unit = side / (shape.size + 2 * QUIET_ZONE)
  canvas
    .save()
    .translate(x + QUIET_ZONE * unit, y + QUIET_ZONE * unit)
    .scale(unit)
  for (const r of shape.runs) canvas.rect(r.col, r.row, r.len, 1)
  canvas.fill('#000000').restore()
}

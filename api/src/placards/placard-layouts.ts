import type { PlacardLayout } from '@mashangjian/shared'

/**
 * Where everything sits on the printed sheets, in one place, so the PDF, the HTML preview and the tests (which
 * cut each QR code out of a rasterised page) agree. Designs are in millimetres, panel-relative; pages in points.
 */
export const PT_PER_MM = 72 / 25.4
export const mm = (n: number) => n * PT_PER_MM

export interface Box {
  x: number
  y: number
  w: number
  h: number
}

/** A panel: one placard's face. Its contents are drawn in the panel's own frame, turned 180° when `rotated`. */
export interface Panel {
  design: PanelDesign
  /** Index of the placard (member) in the batch. */
  item: number
  /** Where the panel sits on the page, in points. */
  box: Box
  rotated: boolean
}

export interface PageSpec {
  /** [width, height] in points. */
  size: [number, number]
  panels: Panel[]
  /** Short lines outside the card grid showing where to cut (cards layout). */
  cutMarks: { x1: number; y1: number; x2: number; y2: number }[]
  /** The line to fold along (tent layout). */
  foldLine?: { x1: number; y1: number; x2: number; y2: number }
}

export type PanelDesign = 'poster' | 'card' | 'tent'

/** The face design each layout prints. */
export const DESIGN_OF: Record<PlacardLayout, PanelDesign> = { poster: 'poster', cards: 'card', tent: 'tent' }

/** A design's parts, millimetres from the panel's top-left corner. `photo` is 4:5; text columns start at `text.x`. */
export interface Design {
  w: number
  h: number
  qr: Box
  photo: Box
  /** Text column beside or below the photo: where it starts with and without a photo, and its right edge. */
  text: { x: number; xWithPhoto: number; right: number }
}

export const DESIGNS: Record<PanelDesign, Design> = {
  // A4 portrait, one member: red band, photo and name, a 124 mm symbol, the instructions.
  poster: { w: 210, h: 297, qr: { x: 43, y: 100, w: 124, h: 124 }, photo: { x: 20, y: 36, w: 46, h: 57.5 }, text: { x: 20, xWithPhoto: 74, right: 190 } },
  // 90 × 65 mm, like a large business card: symbol on the left (46 mm with its quiet zone), text on the right.
  card: { w: 90, h: 65, qr: { x: 1.5, y: 3, w: 46, h: 46 }, photo: { x: 49, y: 4, w: 14, h: 17.5 }, text: { x: 49, xWithPhoto: 65, right: 87 } },
  // One face of an A5 table tent: 148 × 105 mm, the fold along the top edge.
  tent: { w: 148, h: 105, qr: { x: 6, y: 16, w: 72, h: 72 }, photo: { x: 82, y: 13, w: 22, h: 27.5 }, text: { x: 82, xWithPhoto: 108, right: 142 } },
}

export const PAGE_SIZES = { A4: [mm(210), mm(297)], A5: [mm(148), mm(210)] } as const satisfies Record<string, [number, number]>

/** Cards: 2 × 4 on A4, edge to edge (one cut between neighbours), the grid centred. */
export const CARDS_PER_PAGE = 8
const CARD_COLUMNS = 2
const CARD_GRID = { x: (210 - 2 * 90) / 2, y: (297 - 4 * 65) / 2 }
/** Cut marks stop this far from the grid so they never show on a trimmed card, and are this long. */
const MARK_GAP = 2
const MARK_LENGTH = 6

export function placardsPerPage(layout: PlacardLayout): number {
  return layout === 'cards' ? CARDS_PER_PAGE : 1
}

export function pageCount(layout: PlacardLayout, placards: number): number {
  return Math.ceil(placards / placardsPerPage(layout))
}

const box = (x: number, y: number, w: number, h: number): Box => ({ x: mm(x), y: mm(y), w: mm(w), h: mm(h) })

function cardMarks(): PageSpec['cutMarks'] {
  const { x: gx, y: gy } = CARD_GRID
  const right = gx + CARD_COLUMNS * 90
  const bottom = gy + 4 * 65
  const marks: PageSpec['cutMarks'] = []
  for (let c = 0; c <= CARD_COLUMNS; c++) {
    const x = gx + c * 90
    marks.push({ x1: x, y1: gy - MARK_GAP - MARK_LENGTH, x2: x, y2: gy - MARK_GAP })
    marks.push({ x1: x, y1: bottom + MARK_GAP, x2: x, y2: bottom + MARK_GAP + MARK_LENGTH })
  }
  for (let r = 0; r <= 4; r++) {
    const y = gy + r * 65
    marks.push({ x1: gx - MARK_GAP - MARK_LENGTH, y1: y, x2: gx - MARK_GAP, y2: y })
    marks.push({ x1: right + MARK_GAP, y1: y, x2: right + MARK_GAP + MARK_LENGTH, y2: y })
  }
  return marks.map((m) => ({ x1: mm(m.x1), y1: mm(m.y1), x2: mm(m.x2), y2: mm(m.y2) }))
}

/** The page of a layout that holds placards `first` … `first + count - 1`. */
export function pageSpec(layout: PlacardLayout, first: number, count: number): PageSpec {
  switch (layout) {
    case 'poster':
      return { size: [...PAGE_SIZES.A4], panels: [{ design: 'poster', item: first, box: box(0, 0, 210, 297), rotated: false }], cutMarks: [] }
    case 'cards':
      return {
        size: [...PAGE_SIZES.A4],
        panels: Array.from({ length: count }, (_, i) => ({
          design: 'card' as const,
          item: first + i,
          rotated: false,
          box: box(CARD_GRID.x + (i % CARD_COLUMNS) * 90, CARD_GRID.y + Math.floor(i / CARD_COLUMNS) * 65, 90, 65),
        })),
        cutMarks: cardMarks(),
      }
    case 'tent':
      // A5 portrait folded across the middle: the lower half faces one side upright; the upper half is turned
      // 180° so that, once folded into a tent, it reads upright from the other side.
      return {
        size: [...PAGE_SIZES.A5],
        panels: [
          { design: 'tent', item: first, box: box(0, 0, 148, 105), rotated: true },
          { design: 'tent', item: first, box: box(0, 105, 148, 105), rotated: false },
        ],
        cutMarks: [],
        foldLine: { x1: 0, y1: mm(105), x2: mm(148), y2: mm(105) },
      }
  }
}

/** Every page of a batch of `count` placards. */
export function pageSpecs(layout: PlacardLayout, count: number): PageSpec[] {
  const per = placardsPerPage(layout)
  return Array.from({ length: pageCount(layout, count) }, (_, p) => pageSpec(layout, p * per, Math.min(per, count - p * per)))
}

/** A panel-relative box (mm) on the page (pt), after the panel's 180° turn if it has one. */
export function onPage(panel: Panel, part: Box): Box {
  const b = box(part.x, part.y, part.w, part.h)
  if (!panel.rotated) return { ...b, x: panel.box.x + b.x, y: panel.box.y + b.y }
  return { x: panel.box.x + panel.box.w - b.x - b.w, y: panel.box.y + panel.box.h - b.y - b.h, w: b.w, h: b.h }
}

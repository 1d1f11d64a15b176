import { readFileSync } from 'node:fs'
import PDFDocument from 'pdfkit'
import QRCode from 'qrcode'
import { describe, expect, it } from 'vitest'
import { CATALOGUES, LOCALES, type MessageKey } from '@mashangjian/shared'
import { fontPath } from '../../src/placards/fonts/font-files'
import { gb2312Hanzi } from '../../src/placards/fonts/gb2312'
import { faceItems, textStyle } from '../../src/placards/placard-faces'
import { DESIGNS, mm, onPage, pageSpecs } from '../../src/placards/placard-layouts'
import { contentDisposition, placardTexts, type Placard, type PlacardBatch } from '../../src/placards/placard-model'
import { mayPrintFor } from '../../src/placards/placards-service'
import { drawQr, qrShape, QUIET_ZONE, type VectorCanvas } from '../../src/placards/qr-vector'
import { DEMO_MEMBERS, DEMO_SECTORS, DEMO_STATIONS, DEMO_COUNTY } from '../../src/seed/demo-data'
import type { Actor } from '../../src/auth/actor'

interface FontkitGlyph {
  id: number
  codePoints: number[]
}
interface FontkitFont {
  glyphForCodePoint(cp: number): FontkitGlyph
  hasGlyphForCodePoint(cp: number): boolean
  layout(text: string, features?: string[]): { glyphs: FontkitGlyph[]; direction: string }
}
/** pdfkit's own embedded font for `kind` (its fontkit font and its word-by-word layout), as a document uses it. */
function pdfkitFont(kind: 'cjk' | 'arabic') {
  const doc = new PDFDocument({ autoFirstPage: false })
  doc.registerFont(kind, readFileSync(fontPath(kind)))
  doc.font(kind)
  return (doc as unknown as { _font: { font: FontkitFont; layout(text: string, features?: string[]): { glyphs: FontkitGlyph[] } } })._font
}

describe('vector QR', () => {
  it('runs of dark modules rebuild exactly the matrix of the qrcode library at level M', () => {
    const url = 'http://msj.test/q/ABCDEFGHJK'
    const { size, data } = QRCode.create(url, { errorCorrectionLevel: 'M' }).modules
    const shape = qrShape(url)
    expect(shape.size).toBe(size)
    const rebuilt = new Uint8Array(size * size)
    for (const r of shape.runs) for (let c = r.col; c < r.col + r.len; c++) rebuilt[r.row * size + c] = 1
    expect([...rebuilt]).toEqual([...data].map((v) => (v ? 1 : 0)))
    // Far fewer rectangles than dark modules.
    expect(shape.runs.length).toBeLessThan(data.filter(Boolean).length / 1.5)
  })

  it('draws one rectangle per run in module units, inside the quiet zone, and fills once', () => {
    const calls: string[] = []
    const canvas: VectorCanvas = {
      save() {
        calls.push('save')
        return this
      },
      restore() {
        calls.push('restore')
        return this
      },
      translate(x, y) {
        calls.push(`translate ${x} ${y}`)
        return this
      },
      scale(f) {
        calls.push(`scale ${f}`)
        return this
      },
      rect(x, y, w, h) {
        calls.push(`rect ${x} ${y} ${w} ${h}`)
        return this
      },
      fill(c) {
        calls.push(`fill ${c}`)
        return this
      },
    }
    const shape = qrShape('x')
    const side = (shape.size + 2 * QUIET_ZONE) * 3
    drawQr(canvas, shape, 10, 20, side)
    expect(calls.slice(0, 3)).toEqual(['save', `translate ${10 + 12} ${20 + 12}`, 'scale 3'])
    expect(calls.filter((c) => c.startsWith('rect'))).toHaveLength(shape.runs.length)
    expect(
      calls
        .filter((c) => c.startsWith('rect'))
        .every((c) =>
          c
            .split(' ')
            .slice(1)
            .every((n) => Number.isInteger(Number(n))),
        ),
    ).toBe(true)
    expect(calls.slice(-2)).toEqual(['fill #000000', 'restore'])
  })
})

describe('sheet layouts', () => {
  it('cards: 8 to an A4 sheet in a 2 × 4 grid of 90 × 65 mm, cut marks outside the grid', () => {
    const pages = pageSpecs('cards', 9)
    expect(pages.map((p) => p.panels.length)).toEqual([8, 1])
    const [first] = pages
    expect(first!.panels[7]!.box.x - first!.panels[0]!.box.x).toBeCloseTo(mm(90))
    expect(first!.panels[7]!.box.y - first!.panels[0]!.box.y).toBeCloseTo(mm(3 * 65))
    expect(first!.cutMarks).toHaveLength(3 * 2 + 5 * 2)
    const grid = { x0: mm(15), x1: mm(195), y0: mm(18.5), y1: mm(278.5) }
    for (const m of first!.cutMarks) {
      const inside =
        Math.min(m.x1, m.x2) > grid.x0 + 0.01 &&
        Math.max(m.x1, m.x2) < grid.x1 - 0.01 &&
        Math.min(m.y1, m.y2) > grid.y0 + 0.01 &&
        Math.max(m.y1, m.y2) < grid.y1 - 0.01
      expect(inside).toBe(false)
    }
  })

  it('tent: one A5 page per member, two faces, the upper one turned 180° about its centre', () => {
    const [page] = pageSpecs('tent', 1)
    expect(page!.size.map((n) => Math.round(n / mm(1)))).toEqual([148, 210])
    const [top, bottom] = page!.panels
    expect(top).toMatchObject({ rotated: true, item: 0 })
    expect(bottom).toMatchObject({ rotated: false, item: 0 })
    const qr = DESIGNS.tent.qr
    const upright = onPage(bottom!, qr)
    const turned = onPage(top!, qr)
    // Mirror images through the fold: same size, opposite corner.
    expect(turned.w).toBeCloseTo(upright.w)
    expect(turned.x).toBeCloseTo(mm(148) - upright.x - upright.w)
    expect(turned.y + turned.h).toBeCloseTo(mm(105) - (upright.y - mm(105)))
    expect(page!.foldLine!.y1).toBeCloseTo(mm(105))
  })

  it('every face keeps its text and symbol inside the panel', () => {
    const p: Placard = {
      memberId: 'm',
      name: '王建国',
      title: '县工商联副主席',
      sectorName: '经济界',
      stationName: '东城街道委员工作站',
      committeeName: '示范县政协',
      code: 'ABCDEFGHJK',
      url: 'http://msj.test/q/ABCDEFGHJK',
      photoKey: 'x.jpg',
    }
    for (const design of ['poster', 'card', 'tent'] as const) {
      const d = DESIGNS[design]
      for (const hasPhoto of [true, false]) {
        for (const item of faceItems(design, p, hasPhoto, placardTexts('ug'))) {
          const b = item.kind === 'text' ? { x: item.x, y: item.y, w: item.w, h: 0 } : item.box
          expect(b.x, `${design} ${item.kind}`).toBeGreaterThanOrEqual(0)
          expect(b.x + b.w, `${design} ${item.kind}`).toBeLessThanOrEqual(d.w)
          expect(b.y + b.h, `${design} ${item.kind}`).toBeLessThanOrEqual(d.h)
        }
      }
    }
  })
})

describe('Arabic-script text (Uyghur, Kazakh)', () => {
  const arabic = pdfkitFont('arabic')
  const cp = (ch: string) => ch.codePointAt(0)!

  it('is shaped: letters take their joining forms, not the isolated ones', () => {
    const word = 'سىز'
    const shaped = arabic.font.layout(word, ['rlig']).glyphs.filter((g) => g.codePoints.length > 0)
    const isolated = [...word].map((ch) => arabic.font.glyphForCodePoint(cp(ch)).id)
    const shapedOf = (ch: string) => shaped.find((g) => g.codePoints.includes(cp(ch)))!.id
    expect(shapedOf('س')).not.toBe(isolated[0]) // initial form
    expect(shapedOf('ى')).not.toBe(isolated[1]) // medial form
  })

  it('a whole line run comes back right to left (first word rightmost); word-by-word layout would not', () => {
    const line = 'ئەزا بىلەن'
    const visual = arabic.font.layout(line, ['rlig'])
    expect(visual.direction).toBe('rtl')
    const at = (glyphs: FontkitGlyph[], ch: string) => glyphs.findIndex((g) => g.codePoints.includes(cp(ch)))
    // ئ begins the first word, ن ends the second: in visual (left-to-right drawing) order ن comes first.
    expect(at(visual.glyphs, 'ن')).toBeLessThan(at(visual.glyphs, 'ئ'))
    // pdfkit without `features` lays out word by word and concatenates left to right: the word order flips.
    // That is why textStyle() passes features for Arabic script.
    const wordByWord = arabic.layout(line)
    expect(at(wordByWord.glyphs, 'ن')).toBeGreaterThan(at(wordByWord.glyphs, 'ئ'))
    expect(textStyle(line)).toEqual({ font: 'arabic', features: ['rlig'] })
    expect(textStyle('王建国 Wang')).toEqual({ font: 'cjk' })
  })

  it('printed Arabic-script lines hold no digits or Latin letters (there is no bidi reordering of mixed runs)', () => {
    for (const locale of ['ug', 'kk-Arab-CN'] as const) {
      const local = placardTexts(locale).local!
      expect(local.rtl).toBe(true)
      expect(local.text).not.toMatch(/[0-9A-Za-z]/)
      expect(local.text).toMatch(/^[\u0600-\u06ff ،]+$/)
    }
  })
})

describe('bundled fonts', () => {
  const cjk = pdfkitFont('cjk').font
  const arabic = pdfkitFont('arabic').font
  const missing = (font: FontkitFont, text: string) => [...new Set(text)].filter((ch) => ch.trim() && !font.hasGlyphForCodePoint(cp(ch)))
  const cp = (ch: string) => ch.codePointAt(0)!
  const placardKeys = Object.keys(CATALOGUES['zh-CN']).filter((k) => k.startsWith('placard.') || k.startsWith('app.')) as MessageKey[]

  it('cover every placard message (Chinese and English in the CJK font, Uyghur and Kazakh in the Arabic one)', () => {
    for (const locale of LOCALES) {
      const font = locale === 'ug' || locale === 'kk-Arab-CN' ? arabic : cjk
      // Page-only messages (preview toolbar) are shown by the browser; what the PDF prints must be in the font.
      const text = placardKeys
        .filter((k) => !k.startsWith('placard.preview') && !k.startsWith('placard.layout'))
        .map((k) => CATALOGUES[locale][k].replace(/\{[^}]*\}/g, ''))
        .join('')
      expect(missing(font, text), locale).toEqual([])
    }
  })

  it('cover GB2312 (levels 1 and 2), the demo county, and common name punctuation', () => {
    const hanzi = gb2312Hanzi()
    expect([...hanzi]).toHaveLength(3755 + 3008)
    expect(missing(cjk, hanzi)).toEqual([])
    expect(missing(cjk, JSON.stringify([DEMO_MEMBERS, DEMO_SECTORS, DEMO_STATIONS, DEMO_COUNTY]) + '·—0123456789')).toEqual([])
  })

  it('stay small enough to commit', () => {
    expect(readFileSync(fontPath('cjk')).length).toBeLessThan(2.5 * 1024 * 1024)
    expect(readFileSync(fontPath('arabic')).length).toBeLessThan(200 * 1024)
  })
})

describe('rules and names', () => {
  const actor = (a: Partial<Actor>): Actor => ({ userId: 'u', role: 'committee_admin', committeeId: null, memberId: null, stationIds: [], ...a })

  it.each([
    [{ role: 'station_admin', committeeId: 'A', stationIds: ['s1'] }, { committeePath: 'C/A', stationIds: ['s1', 's2'] }, true],
    [{ role: 'station_admin', committeeId: 'A', stationIds: ['s1'] }, { committeePath: 'C/A', stationIds: ['s2'] }, false],
    [{ role: 'committee_admin', committeeId: 'C' }, { committeePath: 'C/A', stationIds: [] }, true],
    [{ role: 'committee_admin', committeeId: 'B' }, { committeePath: 'C/A', stationIds: [] }, false],
    [{ role: 'system_admin' }, { committeePath: 'X/Y', stationIds: [] }, true],
    [{ role: 'member', committeeId: 'A', memberId: 'm' }, { committeePath: 'C/A', stationIds: ['s1'] }, false],
  ] as const)('mayPrintFor(%j, %j) = %s', (a, m, ok) => {
    expect(mayPrintFor(actor(a as Partial<Actor>), { ...m, stationIds: [...m.stationIds] })).toBe(ok)
  })

  it('names the download in ASCII and in Chinese (RFC 6266)', () => {
    const batch = { layout: 'tent', subject: '东城/街道"站', date: '2026-05-01' } as PlacardBatch
    const value = contentDisposition(batch, 'pdf')
    expect(value).toMatch(/^attachment; filename="placards-tent-2026-05-01\.pdf"; filename\*=UTF-8''[A-Za-z0-9%._-]+$/)
    expect(decodeURIComponent(value.split("''")[1]!)).toBe('码牌-东城_街道_站-桌牌-2026-05-01.pdf')
  })
})

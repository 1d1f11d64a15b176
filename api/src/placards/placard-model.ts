import { translator, type Locale, type PlacardLayout } from '@mashangjian/shared'

/** What one placard shows: a member, the code that reaches them, and where they receive residents. */
export interface Placard {
  memberId: string
  name: string
  title: string
  sectorName: string | null
  stationName: string | null
  committeeName: string
  code: string
  /** What the QR symbol encodes: PUBLIC_BASE_URL/q/{code}. */
  url: string
  photoKey: string | null
}

/** A print job, checked and loaded: everything the PDF and the preview need, nothing they must still ask for. */
export interface PlacardBatch {
  layout: PlacardLayout
  locale: Locale
  placards: Placard[]
  /** Members asked for who have no active code: nothing to print for them. */
  skipped: { memberId: string; name: string }[]
  /** The station's name, or how many members were picked: for titles and file names. */
  subject: string
  /** Used in the file name, yyyy-mm-dd in China time. */
  date: string
}

/** A line of text in a second script, written right to left. */
export interface LocalLine { text: string; rtl: boolean }

/** The fixed texts of a placard: Chinese always, the chosen language as a second line when it is another. */
export interface PlacardTexts {
  scan: string
  local: LocalLine | null
  tagline: string
  appName: string
  sector(sector: string): string
  code(code: string): string
}

export function placardTexts(locale: Locale): PlacardTexts {
  const zh = translator('zh-CN')
  return {
    scan: zh('placard.scan'),
    local: locale === 'zh-CN' ? null : { text: translator(locale)('placard.scan'), rtl: locale === 'ug' || locale === 'kk-Arab-CN' },
    tagline: zh('app.tagline'),
    appName: zh('app.name'),
    sector: (sector) => zh('placard.sector', { sector }),
    code: (code) => zh('placard.code', { code }),
  }
}

/** `http://host/q/CODE` → `host/q/CODE`: what a resident could type if the symbol is damaged. */
export const shortUrl = (url: string) => url.replace(/^https?:\/\//, '')

const LAYOUT_FILE_NAMES: Record<PlacardLayout, string> = { poster: '海报', cards: '卡片', tent: '桌牌' }

/**
 * `Content-Disposition` for a download: a plain ASCII name for old clients and the Chinese one (RFC 6266
 * `filename*`) for everyone else, e.g. 码牌-东城街道委员工作站-卡片-2026-05-01.pdf.
 */
export function contentDisposition(batch: PlacardBatch, ext: 'pdf' | 'html'): string {
  const ascii = `placards-${batch.layout}-${batch.date}.${ext}`
  const subject = batch.subject.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').slice(0, 60)
  const full = `码牌-${subject}-${LAYOUT_FILE_NAMES[batch.layout]}-${batch.date}.${ext}`
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(full)}`
}

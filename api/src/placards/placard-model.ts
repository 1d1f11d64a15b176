import { translator, type Locale, type PlacardLayout, type PlacardSubject, type StationKind } from '@mashangjian/shared'

/** What a station's own placard adds: what the station is, what it handles and who receives residents there. */
export interface StationFacts {
  stationId: string
  /** e.g. 委员工作站 */
  kindName: string
  /** Address and open hours, one line. */
  place: string
  /** "受理：…" with the committee's active categories, or '' when there are none. */
  handles: string
  /** "接待委员：王建国（经济界）、…", or '' when nobody is on the station's list. */
  receivers: string
  /** The same without sectors, for the small card. */
  receiverNames: string
}

/**
 * What one placard shows: a member, the code that reaches them, and where they receive residents; or, for a
 * station's own placard (`station` set, `memberId` null), the station's name in `name` and its code.
 */
export interface Placard {
  memberId: string | null
  station?: StationFacts
  name: string
  title: string
  sectorName: string | null
  stationName: string | null
  committeeName: string
  code: string
  /** What the QR symbol encodes: PUBLIC_BASE_URL/q/{code}, with ?lang= for a Uyghur or Kazakh placard (placardUrl). */
  url: string
  photoKey: string | null
}

/** A print job, checked and loaded: everything the PDF and the preview need, nothing they must still ask for. */
export interface PlacardBatch {
  /** Members' placards, or a station's own. */
  kind: PlacardSubject
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
export interface LocalLine {
  text: string
  rtl: boolean
}

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
  // Characters no file system takes, control characters included (a name pasted from a spreadsheet).
  // eslint-disable-next-line no-control-regex
  const subject = batch.subject.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').slice(0, 60)
  const full = `码牌-${subject}-${LAYOUT_FILE_NAMES[batch.layout]}-${batch.date}.${ext}`
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(full)}`
}

export const STATION_KIND_NAMES: Record<StationKind, string> = {
  workstation: '委员工作站',
  studio: '委员工作室',
  liaison_office: '委员联络室',
  post: '委员驿站',
  council_room: '议事室',
}

/**
 * Lines that would not fit are cut by the layout (with an ellipsis); lists are cut here too, so a station of 60
 * members or a committee of 40 categories does not build a string nobody prints.
 */
const MAX_LISTED = 24

export function stationHandles(categoryNames: string[]): string {
  return categoryNames.length === 0 ? '' : `受理：${categoryNames.slice(0, MAX_LISTED).join('、')}${categoryNames.length > MAX_LISTED ? '等' : ''}`
}

export function stationReceivers(members: { name: string; sectorName: string | null }[], { sectors = true } = {}): string {
  if (members.length === 0) return ''
  const names = members.slice(0, MAX_LISTED).map((m) => (sectors && m.sectorName ? `${m.name}（${m.sectorName}）` : m.name))
  return `接待委员：${names.join('、')}${members.length > MAX_LISTED ? `等 ${members.length} 位` : ''}`
}

export const stationPlace = (address: string, openHours: string) => [address, openHours].filter(Boolean).join(' · ')

/**
 * The URL a placard's symbol encodes. A Uyghur or Kazakh placard opens the scan page in that language
 * (`?lang=`, the values public/locale.ts accepts); Chinese and English placards print the bare URL, which the
 * scan page shows in the phone's language (an English line on a placard is for visitors: most people scanning it
 * still read Chinese).
 */
export function placardUrl(scan: string, locale: Locale): string {
  return locale === 'ug' || locale === 'kk-Arab-CN' ? `${scan}?lang=${locale}` : scan
}

import {
  ROSTER_COLUMNS,
  ROSTER_LEVEL_WORDS,
  ROSTER_STATION_SEPARATORS,
  ROSTER_STATUS_WORDS,
  type CommitteeLevel,
  type FieldError,
  type ImportRowError,
  type MemberStatus,
  type RosterColumnKey,
} from '@mashangjian/shared'
import type { StoredRosterRow } from '../db/schema'
import type { PhoneLookup } from '../privacy/phone-lookup'
import { normalizeMainlandMobile } from '../public/submission-rules'
import { MAX_ROSTER_ROWS, RosterFileError, type RosterSheet } from './roster-file'

const MAX_LENGTH: Partial<Record<RosterColumnKey, number>> = { name: 64, sector: 64, stations: 500, title: 100 }
const HEADER = new Map(ROSTER_COLUMNS.flatMap((c) => [c.header, ...c.aliases].map((h) => [headerKey(h), c.key] as const)))
const headerOf = (key: RosterColumnKey) => ROSTER_COLUMNS.find((c) => c.key === key)!.header

/** `手机号*`, ` 手机号（必填） `, `Phone` → one spelling. */
function headerKey(text: string): string {
  return text
    .replace(/[\s*＊]/g, '')
    .replace(/[（(][^)）]*[)）]$/, '')
    .toLowerCase()
}

/** Normalises what people type: full-width spaces and letters, stray spaces. */
export const cleanCell = (text: string) => text.normalize('NFKC').replace(/\s+/g, ' ').trim()

export const levelOf = (word: string): CommitteeLevel | undefined =>
  ROSTER_LEVEL_WORDS[
    cleanCell(word)
      .replace(/政协委员$|委员$/, '')
      .toLowerCase()
  ]
export const statusOf = (word: string): MemberStatus | undefined => ROSTER_STATUS_WORDS[cleanCell(word).toLowerCase()]
export const stationNames = (cell: string) => [...new Set(cell.split(ROSTER_STATION_SEPARATORS).map(cleanCell).filter(Boolean))]

/**
 * Finds the header row (a title row such as 「示范县政协委员名单」 may stand above it) and which column holds what.
 * A file without a required column cannot be imported: that is a problem of the file, not of a row.
 */
export function locateColumns(sheet: RosterSheet): { headerRow: number; columns: Partial<Record<RosterColumnKey, number>> } {
  const candidates = sheet.rows.slice(0, 10)
  let best = { headerRow: candidates[0]!.row, columns: {} as Partial<Record<RosterColumnKey, number>> }
  for (const r of candidates) {
    const columns: Partial<Record<RosterColumnKey, number>> = {}
    r.cells.forEach((cell, i) => {
      const key = HEADER.get(headerKey(cell))
      if (key && columns[key] === undefined) columns[key] = i
    })
    if (Object.keys(columns).length > Object.keys(best.columns).length) best = { headerRow: r.row, columns }
  }
  const missing = ROSTER_COLUMNS.filter((c) => c.required && best.columns[c.key] === undefined)
  if (missing.length > 0) {
    throw new RosterFileError(
      missing.map((c) => ({ field: `file.columns.${c.header}`, message: `missing column ${c.header}`, keyword: 'required' }) satisfies FieldError),
    )
  }
  return best
}

/**
 * The member rows of a sheet, each with the problems it has whatever the database holds: empty required cells,
 * overlong values, a phone that is not a mainland mobile, a level or status nobody uses, a phone given twice.
 * Phones leave this function only protected (encrypted, keyed hash, masked).
 */
export function rosterRows(sheet: RosterSheet, phones: PhoneLookup): StoredRosterRow[] {
  const { headerRow, columns } = locateColumns(sheet)
  const data = sheet.rows.filter((r) => r.row > headerRow)
  if (data.length > MAX_ROSTER_ROWS)
    throw new RosterFileError([{ field: 'file', message: `more than ${MAX_ROSTER_ROWS} rows; split the file`, keyword: 'maxRows' }])
  const cell = (cells: string[], key: RosterColumnKey) => (columns[key] === undefined ? '' : cleanCell(cells[columns[key]!] ?? ''))

  const rows: StoredRosterRow[] = data.map(({ row, cells }) => {
    const errors: ImportRowError[] = []
    const out: StoredRosterRow = { row, cells: {}, fileErrors: errors }
    for (const key of ['name', 'level', 'sector', 'stations', 'title', 'status'] as const) {
      const value = cell(cells, key)
      const max = MAX_LENGTH[key]
      if (max && [...value].length > max) errors.push({ code: 'too_long', column: headerOf(key), message: `${headerOf(key)} is longer than ${max} characters` })
      if (value) out.cells[key] = value
    }
    for (const key of ['name', 'phone', 'level'] as const) {
      if (!cell(cells, key)) errors.push({ code: 'missing_value', column: headerOf(key), message: `${headerOf(key)} is empty` })
    }
    const phoneText = cell(cells, 'phone')
    if (phoneText) {
      const phone = normalizeMainlandMobile(phoneText.replace(/\.0$/, ''))
      if (phone) out.phone = phones.protect(phone)
      else errors.push({ code: 'bad_phone', column: headerOf('phone'), message: 'not an 11-digit mainland mobile number' })
    }
    if (out.cells.level && !levelOf(out.cells.level)) {
      errors.push({ code: 'bad_level', column: headerOf('level'), value: out.cells.level, message: 'level must be 省, 市 or 县' })
    }
    if (out.cells.status && !statusOf(out.cells.status)) {
      errors.push({ code: 'bad_status', column: headerOf('status'), value: out.cells.status, message: 'status must be 在职, 请假 or 停用' })
    }
    return out
  })

  // The same phone twice in one file: neither row can say which member it is.
  const byHash = new Map<string, StoredRosterRow[]>()
  for (const r of rows) if (r.phone) byHash.set(r.phone.hash, [...(byHash.get(r.phone.hash) ?? []), r])
  for (const same of byHash.values()) {
    if (same.length < 2) continue
    for (const r of same) {
      r.fileErrors.push({
        code: 'duplicate_phone',
        column: headerOf('phone'),
        otherRows: same.filter((o) => o !== r).map((o) => o.row),
        message: `the same phone is also in row ${same
          .filter((o) => o !== r)
          .map((o) => o.row)
          .join(', ')}`,
      })
    }
  }
  return rows
}

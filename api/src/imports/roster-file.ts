import type ExcelJS from 'exceljs'
import { loadExcelJs } from '../lazy-libraries'
import { parse } from 'csv-parse/sync'
import iconv from 'iconv-lite'
import type { FieldError } from '@mashangjian/shared'

/** A roster larger than this is split by the admin (a county roster is a few hundred rows). */
export const MAX_ROSTER_ROWS = 5000
export const MAX_ROSTER_BYTES = 5 * 1024 * 1024

export interface RosterSheet {
  kind: 'csv' | 'xlsx'
  /** How a CSV was decoded; null for XLSX (always UTF-8 inside). */
  encoding: string | null
  /** Rows with their spreadsheet row numbers, as Excel shows them; fully empty rows are left out. */
  rows: { row: number; cells: string[] }[]
}

/** A file that cannot be read as a roster at all: answered as a 400 naming `file`, nothing is kept. */
export class RosterFileError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '))
  }
}
const fileError = (message: string, keyword = 'format') => new RosterFileError([{ field: 'file', message, keyword }])

const startsWith = (buf: Buffer, bytes: number[]) => bytes.every((b, i) => buf[i] === b)
const ZIP = [0x50, 0x4b, 0x03, 0x04]
const OLE = [0xd0, 0xcf, 0x11, 0xe0]

/**
 * Text of a CSV in the encodings Excel writes in China: UTF-8 with a BOM ("CSV UTF-8"), UTF-16 with a BOM
 * ("Unicode text"), or the ANSI code page, GBK, which has no marker. Bytes that are valid UTF-8 are read as
 * UTF-8 (GBK Chinese practically never is); anything else is decoded as GB18030, the superset of GBK.
 */
export function decodeCsvText(buf: Buffer): { text: string; encoding: string } {
  if (startsWith(buf, [0xef, 0xbb, 0xbf])) return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8' }
  if (startsWith(buf, [0xff, 0xfe])) return { text: iconv.decode(buf.subarray(2), 'utf-16le'), encoding: 'utf-16le' }
  if (startsWith(buf, [0xfe, 0xff])) return { text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'utf-16be' }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' }
  } catch {
    return { text: iconv.decode(buf, 'gb18030'), encoding: 'gb18030' }
  }
}

/** Comma, tab (Excel's "Unicode text") or semicolon: whichever the header line has most of. */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/))
  const counts = [',', '\t', ';'].map((d) => [d, firstLine.split(d).length - 1] as const)
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0]
}

function readCsv(buf: Buffer): RosterSheet {
  const { text, encoding } = decodeCsvText(buf)
  if (text.includes('\u0000')) throw fileError('not a CSV or XLSX file')
  let records: string[][]
  try {
    records = parse(text, { delimiter: delimiterOf(text), relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: false })
  } catch (err) {
    throw fileError(`the CSV cannot be read: ${(err as Error).message}`)
  }
  return sheetOf(
    'csv',
    encoding,
    records.map((cells, i) => ({ row: i + 1, cells })),
  )
}

/** A cell as the person sees it: numbers without exponent, formulas by their result, rich text joined. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value)
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if ('richText' in value) return value.richText.map((r) => r.text).join('')
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue)
  if ('text' in value) return String(value.text)
  if ('error' in value) return ''
  return String(value)
}

async function readXlsx(buf: Buffer): Promise<RosterSheet> {
  const { Workbook } = await loadExcelJs()
  const workbook = new Workbook()
  try {
    await workbook.xlsx.load(buf as unknown as ArrayBuffer)
  } catch {
    throw fileError('the XLSX file is damaged or not a workbook')
  }
  const sheet = workbook.worksheets[0]
  if (!sheet) throw fileError('the workbook has no sheet')
  if (sheet.actualRowCount > MAX_ROSTER_ROWS + 10) throw fileError(`more than ${MAX_ROSTER_ROWS} rows; split the file`, 'maxRows')
  const rows: { row: number; cells: string[] }[] = []
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = []
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value)
    })
    rows.push({ row: rowNumber, cells: Array.from(cells, (c) => c ?? '') })
  })
  return sheetOf('xlsx', null, rows)
}

function sheetOf(kind: RosterSheet['kind'], encoding: string | null, all: { row: number; cells: string[] }[]): RosterSheet {
  const rows = all.filter((r) => r.cells.some((c) => c.trim() !== ''))
  if (rows.length === 0) throw fileError('the file is empty', 'required')
  if (rows.length > MAX_ROSTER_ROWS + 10) throw fileError(`more than ${MAX_ROSTER_ROWS} rows; split the file`, 'maxRows')
  return { kind, encoding, rows }
}

/** Reads an uploaded roster by its content (not its name): XLSX is a ZIP; anything else textual is CSV. */
export async function readRosterFile(buf: Buffer): Promise<RosterSheet> {
  if (buf.length === 0) throw fileError('the file is empty', 'required')
  if (buf.length > MAX_ROSTER_BYTES) throw fileError(`larger than ${MAX_ROSTER_BYTES / 1024 / 1024} MB`, 'maxSize')
  if (startsWith(buf, OLE)) throw fileError('old Excel .xls format: save it as .xlsx or CSV')
  return startsWith(buf, ZIP) ? readXlsx(buf) : readCsv(buf)
}

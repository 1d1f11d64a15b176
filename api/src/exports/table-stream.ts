import { PassThrough, type Writable } from 'node:stream'
import { once } from 'node:events'
import type { FastifyReply } from 'fastify'
import { stringify } from 'csv-stringify'
import { loadExcelJs } from '../lazy-libraries'
import { beijingDateTime, beijingDay, beijingWallClock, type ExportFormat } from '@mashangjian/shared'

/** One column of an export: its header and how a row gives its value (a Date is a Beijing date-time). */
export interface ExportColumn<T> {
  header: string
  width?: number
  value(row: T): string | number | Date | null
}

export interface TableExport<T> {
  format: ExportFormat
  /** ASCII file name without extension. */
  filename: string
  sheetName: string
  columns: ExportColumn<T>[]
  rows: AsyncIterable<T>
  /** Called once when the stream ended (completed) or failed / was abandoned by the client. */
  onDone(rowCount: number, completed: boolean): Promise<void>
}

/**
 * A cell that starts like a formula (=, +, −, @, tab, CR) is run by Excel when the CSV is opened: residents'
 * texts are untrusted, so such cells get a leading apostrophe (OWASP "CSV injection").
 */
export const csvSafe = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v)

const MIME: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

/** Writes with backpressure; a download the client abandoned (signal) stops the wait instead of hanging. */
async function write(out: Writable, chunk: unknown, signal: AbortSignal): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain', { signal })
}

async function pumpCsv<T>(t: TableExport<T>, out: PassThrough, signal: AbortSignal): Promise<number> {
  // bom: Excel on Windows reads a CSV without a BOM as the local code page and garbles Chinese.
  const csv = stringify({ bom: true, header: true, columns: t.columns.map((c) => c.header) })
  csv.pipe(out)
  let n = 0
  for await (const row of t.rows) {
    await write(
      csv,
      t.columns.map((c) => {
        const v = c.value(row)
        return v === null ? '' : v instanceof Date ? beijingDateTime(v) : typeof v === 'string' ? csvSafe(v) : v
      }),
      signal,
    )
    n++
  }
  csv.end()
  await once(csv, 'end', { signal })
  return n
}

async function pumpXlsx<T>(t: TableExport<T>, out: PassThrough, signal: AbortSignal): Promise<number> {
  // Streaming writer: rows are committed (zipped and flushed) as they come; inline strings, no shared-string table in memory.
  const ExcelJS = await loadExcelJs()
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  const sheet = book.addWorksheet(t.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = t.columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width ?? 14 }))
  sheet.getRow(1).font = { bold: true }
  sheet.getRow(1).commit()
  let n = 0
  for await (const row of t.rows) {
    const r = sheet.addRow(
      t.columns.map((c) => {
        const v = c.value(row)
        // Beijing wall-clock time: what staff expect to read in a spreadsheet (Excel cells have no time zone).
        return v instanceof Date ? beijingWallClock(v) : v
      }),
    )
    t.columns.forEach((c, i) => {
      if (r.getCell(i + 1).value instanceof Date) r.getCell(i + 1).numFmt = 'yyyy-mm-dd hh:mm'
    })
    r.commit()
    n++
    // Let the zip stream drain before the next row when the client reads slowly.
    if (out.writableNeedDrain) await once(out, 'drain', { signal })
  }
  sheet.commit()
  await book.commit()
  return n
}

/**
 * Streams a table to the reply as CSV (UTF-8 with BOM) or XLSX: rows are read a page at a time and written as
 * they come, so an export of a committee-year never sits in memory whole. Headers go out before the first row,
 * so a failure later can only cut the download short; it is logged and reported to onDone as incomplete.
 */
export function sendTable<T>(reply: FastifyReply, t: TableExport<T>): FastifyReply {
  const out = new PassThrough()
  const abandoned = new AbortController()
  let rows = 0
  let finished = false
  const done = (completed: boolean) => {
    if (finished) return
    finished = true
    t.onDone(rows, completed).catch((err) => reply.log.error({ err }, 'recording an export failed'))
  }
  const counting: AsyncIterable<T> = {
    async *[Symbol.asyncIterator]() {
      for await (const row of t.rows) {
        if (abandoned.signal.aborted) return
        rows++
        yield row
      }
    },
  }
  const table = { ...t, rows: counting }
  // Closed before everything was written: the client went away (or the stream failed) mid-download.
  out.on('close', () => {
    if (!out.writableFinished) abandoned.abort()
    setImmediate(() => done(false))
  })
  void (t.format === 'csv' ? pumpCsv(table, out, abandoned.signal) : pumpXlsx(table, out, abandoned.signal)).then(
    () => {
      done(!abandoned.signal.aborted)
      if (!out.writableEnded) out.end()
    },
    (err: unknown) => {
      if (!abandoned.signal.aborted) reply.log.error({ err }, 'export stream failed')
      done(false)
      out.destroy()
    },
  )
  const stamp = beijingDay(Date.now())
  return reply
    .header('content-type', MIME[t.format])
    .header('content-disposition', `attachment; filename="${t.filename}-${stamp}.${t.format}"`)
    .header('cache-control', 'private, no-store')
    .send(out)
}

import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { stringify } from 'csv-stringify/sync'
import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import type { MemberImportView } from '@mashangjian/shared'

export const HEADER = ['姓名', '手机号', '层级', '界别', '工作站', '职务', '状态']
export type Sheet = string[][]

/** A CSV as Excel in China saves it: `utf8bom` ("CSV UTF-8"), `gbk` (plain "CSV"), `utf16` ("Unicode text", tabs). */
export function csvFile(rows: Sheet, encoding: 'utf8bom' | 'utf8' | 'gbk' | 'utf16' = 'utf8bom'): Buffer {
  if (encoding === 'utf16') {
    const text = stringify(rows, { delimiter: '\t', record_delimiter: 'windows' })
    return Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])
  }
  const text = stringify(rows, { record_delimiter: 'windows' })
  if (encoding === 'gbk') return iconv.encode(text, 'gbk')
  const body = Buffer.from(text, 'utf8')
  return encoding === 'utf8bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body
}

/** An XLSX workbook whose first sheet holds `rows`; phones as numbers, as Excel keeps them when typed in. */
export async function xlsxFile(rows: Sheet, { phonesAsNumbers = true, titleRow }: { phonesAsNumbers?: boolean; titleRow?: string } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('名单')
  if (titleRow) ws.addRow([titleRow])
  const phoneCol = rows[0]!.indexOf('手机号')
  rows.forEach((r, i) => ws.addRow(r.map((v, c) => (phonesAsNumbers && i > 0 && c === phoneCol && /^\d+$/.test(v) ? Number(v) : v))))
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** Reads a workbook back (for the template test). */
export async function readXlsx(buf: Buffer): Promise<{ sheets: string[]; rows: string[][] }> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(buf as unknown as ArrayBuffer)
  const rows: string[][] = []
  wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))))
  return { sheets: wb.worksheets.map((w) => w.name), rows }
}

/** `count` distinct valid mobiles from a seed, e.g. 139 0000 0001… */
export const phones = (count: number, prefix = '1390000') => Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}`)

export function uploadRoster(
  app: FastifyInstance,
  headers: Record<string, string>,
  file: Buffer,
  { filename = 'roster.csv', committeeId }: { filename?: string; committeeId?: string } = {},
) {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(file)]), filename)
  return app.inject({ method: 'POST', url: `/api/v1/imports/members${committeeId ? `?committeeId=${committeeId}` : ''}`, payload: form, headers })
}

/** Uploads and expects the dry run to be checked within the request. */
export async function dryRun(
  app: FastifyInstance,
  headers: Record<string, string>,
  file: Buffer,
  opts: Parameters<typeof uploadRoster>[3] = {},
): Promise<MemberImportView> {
  const res = await uploadRoster(app, headers, file, opts)
  expect(res.statusCode, res.body).toBe(201)
  return res.json<MemberImportView>()
}

export function confirm(app: FastifyInstance, headers: Record<string, string>, id: string, mode: 'all' | 'valid_rows' = 'all') {
  return app.inject({ method: 'POST', url: `/api/v1/imports/${id}/confirm`, headers, payload: { mode } })
}

/** Polls an import until it leaves `validating`/`applying`; answers every state seen on the way. */
export async function pollImport(app: FastifyInstance, headers: Record<string, string>, id: string, timeoutMs = 60_000): Promise<MemberImportView[]> {
  const seen: MemberImportView[] = []
  const until = Date.now() + timeoutMs
  for (;;) {
    const res = await app.inject({ url: `/api/v1/imports/${id}`, headers })
    expect(res.statusCode, res.body).toBe(200)
    const v = res.json<MemberImportView>()
    seen.push(v)
    if (v.status !== 'validating' && v.status !== 'applying') return seen
    if (Date.now() > until) throw new Error(`import ${id} still ${v.status} after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

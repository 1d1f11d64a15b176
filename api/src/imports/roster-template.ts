import { loadExcelJs } from '../lazy-libraries'
import { stringify } from 'csv-stringify/sync'
import { ROSTER_COLUMNS, ROSTER_EXAMPLE } from '@mashangjian/shared'

export interface TemplateHints {
  stations: string[]
  sectors: string[]
}

const HEADERS = ROSTER_COLUMNS.map((c) => c.header)
const EXAMPLE = ROSTER_COLUMNS.map((c) => ROSTER_EXAMPLE[c.key])
const NOTES: Record<string, string> = {
  姓名: '必填',
  手机号: '必填，11 位手机号；按手机号认人，再次导入同一文件不会重复添加',
  层级: '必填：省、市 或 县（区）',
  界别: '填本政协已有的界别名称；留空则不改',
  工作站: '填本政协已有的工作站名称，多个用顿号“、”分隔；留空则不改',
  职务: '选填；留空则不改',
  状态: '选填：在职、请假 或 停用；新委员留空为在职',
}

/**
 * The roster template as XLSX: a 委员名单 sheet with the headers and an example row (the phone column is text,
 * so Excel keeps all 11 digits), drop-downs for 层级 and 状态, and a 填写说明 sheet listing the committee's own
 * stations and sectors. The importer reads the first sheet only.
 */
export async function rosterTemplateXlsx(hints: TemplateHints): Promise<Buffer> {
  const { Workbook } = await loadExcelJs()
  const workbook = new Workbook()
  workbook.creator = '码上见'
  const sheet = workbook.addWorksheet('委员名单', { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = ROSTER_COLUMNS.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.key === 'stations' || c.key === 'title' ? 28 : 14,
    style: c.key === 'phone' ? { numFmt: '@' } : {},
  }))
  sheet.getRow(1).font = { bold: true }
  sheet.addRow(EXAMPLE)
  const col = (key: string) => String.fromCharCode(65 + ROSTER_COLUMNS.findIndex((c) => c.key === key))
  const list = (values: string[]) => ({ type: 'list' as const, allowBlank: true, formulae: [`"${values.join(',')}"`] })
  for (let row = 2; row <= 1000; row++) {
    sheet.getCell(`${col('level')}${row}`).dataValidation = list(['省', '市', '县'])
    sheet.getCell(`${col('status')}${row}`).dataValidation = list(['在职', '请假', '停用'])
  }

  const notes = workbook.addWorksheet('填写说明')
  notes.columns = [
    { header: '列', width: 10 },
    { header: '说明', width: 70 },
  ]
  notes.getRow(1).font = { bold: true }
  for (const h of HEADERS) notes.addRow([h, NOTES[h] ?? ''])
  notes.addRow([])
  notes.addRow(['工作站', hints.stations.join('、') || '（尚未设置）'])
  notes.addRow(['界别', hints.sectors.join('、') || '（尚未设置）'])
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

/** The same as CSV: UTF-8 with a BOM (so Excel opens the Chinese right), CRLF line ends, header and example. */
export function rosterTemplateCsv(): Buffer {
  const text = stringify([HEADERS, EXAMPLE], { record_delimiter: 'windows' })
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])
}

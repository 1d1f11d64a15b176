import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import { auditLog, cases } from '../../src/db/schema'
import { maskPiiInText } from '../../src/privacy/mask-text'
import { csvSafe } from '../../src/exports/table-stream'
import { aggregateAll } from '../support/metrics'
import { adminApp, at, insertCase, type AdminApp } from './admin-fixtures'

let t: AdminApp
beforeAll(async () => {
  t = await adminApp()
  const { org, db } = t
  const A = org.countyA.id
  await insertCase(db, {
    committeeId: A,
    stationId: org.stationA1.id,
    memberId: org.memberA.id,
    categoryId: org.noise.id,
    status: 'accepted',
    publicNo: 'EX-1',
    description: '楼下烧烤店噪音很大，请回电 13912345678，我的身份证 110101199003071234',
    residentPhoneMasked: '139****5678',
    residentPhoneEnc: 'not-for-export',
    createdAt: at('2026-03-01T02:00'),
    acceptDueAt: at('2026-03-02T02:00'),
    acceptedAt: at('2026-03-01T04:30'),
    resolveDueAt: at('2026-03-08T02:00'),
  })
  await insertCase(db, {
    committeeId: A,
    stationId: org.stationA2.id,
    memberId: org.memberB.id,
    status: 'closed',
    publicNo: 'EX-2',
    rating: 'satisfied',
    description: '=HYPERLINK("http://example.invalid","点我")',
    createdAt: at('2026-04-01T02:00'),
    resolvedAt: at('2026-04-03T02:00'),
  })
  await insertCase(db, {
    committeeId: A,
    stationId: org.stationA1.id,
    status: 'assigned',
    publicNo: 'EX-3',
    description: '去年的诉求',
    createdAt: at('2025-06-01T02:00'),
    acceptDueAt: at('2025-06-02T02:00'),
  })
  await insertCase(db, {
    committeeId: org.countyB.id,
    stationId: org.stationB1.id,
    status: 'assigned',
    publicNo: 'EX-4',
    description: '另一个县',
    createdAt: at('2026-03-05T02:00'),
  })
  await aggregateAll(db, t.app.services.metricsAggregator)
})
afterAll(() => t?.close())

type Who = Parameters<AdminApp['as']>[0]
const csvRows = (body: Buffer) => parse(body, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[]

/** The audit row of an export is written when the stream ends, just after the response: wait for it briefly. */
async function exportAudits(action: string, userId: string, count: number) {
  for (let i = 0; i < 50; i++) {
    const rows = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.actorUserId, userId)))
    if (rows.length >= count) return rows
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`no ${action} audit row`)
}

describe('case exports', () => {
  it('streams CSV with a BOM, Chinese headers, masked phones and formula-safe cells, and audits it', async () => {
    const res = await (await t.as('adminA')).get('/api/v1/exports/cases.csv')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="cases-\d{4}-\d{2}-\d{2}\.csv"$/)
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = csvRows(res.rawPayload)
    expect(rows.map((r) => r['编号'])).toEqual(['EX-2', 'EX-1', 'EX-3'])
    const ex1 = rows.find((r) => r['编号'] === 'EX-1')!
    expect(ex1).toMatchObject({
      状态: '已接单',
      工作站: 'A1',
      委员: t.org.memberA.name,
      类别: '噪音扰民',
      群众电话: '139****5678',
      诉求内容: '楼下烧烤店噪音很大，请回电 139****5678，我的身份证 110101********1234',
      受理时间: '2026-03-01 10:00',
      接单时间: '2026-03-01 12:30',
      超期: '是',
    })
    expect(res.body).not.toContain('13912345678')
    expect(res.body).not.toContain('not-for-export')
    expect(rows.find((r) => r['编号'] === 'EX-2')!['诉求内容']).toBe(`'=HYPERLINK("http://example.invalid","点我")`)
    const [audit] = await exportAudits('export.cases', t.org.users.adminA.id, 1)
    expect(audit!.detail).toMatchObject({ format: 'csv', filters: {}, rows: 3, completed: true })
  })

  it('applies the list filters and the caller’s scope', async () => {
    const { org } = t
    const codes = async (who: Who, query: string) => {
      const res = await (await t.as(who)).get(`/api/v1/exports/cases.csv?${query}`)
      expect(res.statusCode, res.body).toBe(200)
      return csvRows(res.rawPayload).map((r) => r['编号'])
    }
    expect(await codes('adminA', `stationId=${org.stationA1.id}`)).toEqual(['EX-1', 'EX-3'])
    expect(await codes('adminA', 'from=2026-01-01&to=2026-04-01')).toEqual(['EX-1'])
    expect(await codes('adminA', 'filter=closed')).toEqual(['EX-2'])
    expect(await codes('adminA', `memberId=${org.memberB.id}`)).toEqual(['EX-2'])
    expect(await codes('adminA', `categoryId=${org.noise.id}&filter=open`)).toEqual(['EX-1'])
    expect(await codes('stationAdminA1', '')).toEqual(['EX-1', 'EX-3'])
    expect(await codes('stationAdminA1', `stationId=${org.stationA2.id}`)).toEqual([])
    expect(await codes('adminB', '')).toEqual(['EX-4'])
    // A subtree comes committee by committee (tree order), newest first within each.
    expect((await codes('cityAdmin', 'from=2026-03-01&to=2026-03-31')).sort()).toEqual(['EX-1', 'EX-4'])
    const [audit] = await exportAudits('export.cases', org.users.stationAdminA1.id, 2)
    expect(audit!.detail).toMatchObject({ format: 'csv', rows: 2, completed: true })
    // The inbox takes the same filters.
    const inbox = await (await t.as('adminA')).get(`/api/v1/me/cases?stationId=${org.stationA1.id}&from=2026-01-01`)
    expect(inbox.json().items.map((c: { publicNo: string }) => c.publicNo)).toEqual(['EX-1'])
    expect(inbox.json().counts.all).toBe(1)
  })

  it('streams XLSX that opens with real date cells in Beijing time and masked phones', async () => {
    const res = await (await t.as('adminA')).get(`/api/v1/exports/cases.xlsx?stationId=${t.org.stationA1.id}`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const sheet = book.worksheets[0]!
    expect(sheet.name).toBe('诉求')
    const header = (sheet.getRow(1).values as unknown[]).slice(1)
    expect(header.slice(0, 3)).toEqual(['编号', '状态', '渠道'])
    const rows = [2, 3].map((n) => Object.fromEntries(header.map((h, i) => [h, sheet.getRow(n).getCell(i + 1).value])))
    expect(rows.map((r) => r['编号'])).toEqual(['EX-1', 'EX-3'])
    expect(rows[0]).toMatchObject({ 群众电话: '139****5678', 诉求内容: expect.stringContaining('139****5678') })
    expect(JSON.stringify(rows)).not.toContain('13912345678')
    // 10:00 in Beijing is written as the wall-clock time Excel shows.
    expect((rows[0]!['受理时间'] as Date).toISOString()).toBe('2026-03-01T10:00:00.000Z')
    const audits = await exportAudits('export.cases', t.org.users.adminA.id, 1)
    expect(audits.some((a) => (a.detail as { format?: string }).format === 'xlsx')).toBe(true)
  })

  it('is for admins only', async () => {
    const res = await (await t.as('memberA')).get('/api/v1/exports/cases.csv')
    expect(res.statusCode).toBe(403)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  })
})

describe('download links', () => {
  it('take the token as ?access_token= (a link cannot send a header), and never record it', async () => {
    const { token } = await t.as('stationAdminA1')
    const res = await t.app.inject({ url: `/api/v1/exports/cases.csv?stationId=${t.org.stationA1.id}&access_token=${token}` })
    expect(res.statusCode, res.body).toBe(200)
    expect(csvRows(res.rawPayload).map((r) => r['编号'])).toEqual(['EX-1', 'EX-3'])
    const audits = await exportAudits('export.cases', t.org.users.stationAdminA1.id, 1)
    expect(JSON.stringify(audits.map((a) => a.detail))).not.toContain(token)
    const ledger = await t.app.inject({ url: `/api/v1/exports/ledgers.xlsx?scope=station&id=${t.org.stationA1.id}&access_token=${token}` })
    expect(ledger.statusCode).toBe(200)
  })

  it.each([
    ['no token', '', 401, 'UNAUTHENTICATED'],
    ['a bad token', '&access_token=not-a-jwt', 401, 'UNAUTHENTICATED'],
  ])('answer %s with %i problem+json', async (_name, extra, status, code) => {
    const res = await t.app.inject({ url: `/api/v1/exports/cases.csv?filter=all${extra}` })
    expect(res.statusCode).toBe(status)
    expect(res.json()).toMatchObject({ code })
  })

  it('refuse a member’s token (403)', async () => {
    const { token } = await t.as('memberA')
    expect((await t.app.inject({ url: `/api/v1/exports/cases.csv?access_token=${token}` })).statusCode).toBe(403)
  })
})

describe('ledger exports', () => {
  it('streams a committee’s ledgers as CSV and XLSX, one line per member, audited', async () => {
    const { org } = t
    const csv = await (await t.as('adminA')).get(`/api/v1/exports/ledgers.csv?scope=committee&id=${org.countyA.id}&year=2026`)
    expect(csv.statusCode, csv.body).toBe(200)
    const rows = csvRows(csv.rawPayload)
    expect(rows.map((r) => r['姓名']).sort()).toEqual([org.memberA.name, org.memberB.name].sort())
    expect(rows.find((r) => r['姓名'] === org.memberA.name)).toMatchObject({
      界别: org.economy.name,
      工作站: 'A1',
      年度: '2026',
      收到诉求: '1',
      接单: '1',
      目标完成: '0/1',
    })
    const xlsx = await (await t.as('stationAdminA2')).get(`/api/v1/exports/ledgers.xlsx?scope=station&id=${org.stationA2.id}&year=2026`)
    expect(xlsx.statusCode, xlsx.body).toBe(200)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    const sheet = book.worksheets[0]!
    expect(sheet.rowCount).toBe(2)
    expect(sheet.getRow(2).getCell(1).value).toBe(org.memberB.name)
    const [audit] = await exportAudits('export.ledgers', org.users.adminA.id, 1)
    expect(audit!.detail).toMatchObject({ format: 'csv', rows: 2, completed: true, filters: { scope: 'committee', id: org.countyA.id, year: 2026 } })
  })

  it.each([
    ['stationAdminA1', 'committee', 'countyA', 403],
    ['stationAdminA1', 'station', 'stationA2', 404],
    ['adminB', 'committee', 'countyA', 404],
  ] as const)('%s exporting %s %s → %i problem+json, before any row', async (who, scope, target, status) => {
    const res = await (await t.as(who)).get(`/api/v1/exports/ledgers.csv?scope=${scope}&id=${t.org[target].id}`)
    expect(res.statusCode).toBe(status)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  })
})

describe('a long export', () => {
  it('reads page after page (keyset) and writes every row once', async () => {
    const { org } = t
    const base = at('2026-05-01T00:00').getTime()
    const rows = Array.from({ length: 1_234 }, (_, i) => ({
      committeeId: org.countyB.id,
      stationId: org.stationB1.id,
      status: 'assigned' as const,
      channel: 'qr' as const,
      publicNo: `BULK-${i}`,
      trackingSecretHash: `bulk-${i}-${org.countyB.id}`,
      description: `批量 ${i}`,
      // Several cases share each instant: the keyset must order them by id as well.
      createdAt: new Date(base + Math.floor(i / 3) * 60_000),
    }))
    for (let i = 0; i < rows.length; i += 500) await t.db.insert(cases).values(rows.slice(i, i + 500))
    const res = await (await t.as('adminB')).get('/api/v1/exports/cases.csv?from=2026-05-01')
    const codes = csvRows(res.rawPayload).map((r) => r['编号'])
    expect(codes).toHaveLength(1_234)
    expect(new Set(codes).size).toBe(1_234)
  })
})

describe('masking helpers', () => {
  it.each([
    ['电话13812345678', '电话138****5678'],
    ['+86 138-1234-5678 找我', '138****5678 找我'],
    ['订单号 201381234567890 不是电话', '订单号 201381234567890 不是电话'],
    ['身份证 11010119900307123X', '身份证 110101********123X'],
    ['没有号码', '没有号码'],
  ])('%s → %s', (input, expected) => {
    expect(maskPiiInText(input)).toBe(expected)
  })

  it.each([
    ['=1+1', "'=1+1"],
    ['+86', "'+86"],
    ['-2', "'-2"],
    ['@SUM', "'@SUM"],
    ['正常文字', '正常文字'],
  ])('csvSafe(%s) → %s', (input, expected) => {
    expect(csvSafe(input)).toBe(expected)
  })
})

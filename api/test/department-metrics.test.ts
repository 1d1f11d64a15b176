import { randomBytes, randomUUID } from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import type { DepartmentFigures, LedgerPage, MemberLedgerReport } from '@mashangjian/shared'
import { department, handoff } from '../src/db/schema'
import { adminApp, at, insertCase, type AdminApp } from './admin-data/admin-fixtures'

/**
 * The dashboard's department figures, the department export, the case export's 交办数 and the ledger's hand-off
 * count, read through the HTTP API from hand-off rows written straight into the database (the hand-off flows
 * are another part of issue 14). Every expected figure below is worked out by hand from the rows in the
 * comments; the test clock starts at 2026-11-23 10:00 Beijing (02:00Z) and the period is November 2026.
 */
let t: AdminApp
const ids: Record<string, string> = {}
const PERIOD = 'from=2026-11-01&to=2026-12-01'

beforeAll(async () => {
  t = await adminApp()
  const { org, db } = t
  const A = org.countyA.id
  const k1 = await insertCase(db, {
    committeeId: A,
    stationId: org.stationA1.id,
    memberId: org.memberA.id,
    status: 'in_progress',
    publicNo: 'DM-1',
    createdAt: at('2025-12-20T02:00'),
  })
  const k2 = await insertCase(db, {
    committeeId: A,
    stationId: org.stationA2.id,
    memberId: org.memberB.id,
    status: 'in_progress',
    publicNo: 'DM-2',
    createdAt: at('2026-10-20T02:00'),
  })
  const kB = await insertCase(db, {
    committeeId: org.countyB.id,
    stationId: org.stationB1.id,
    memberId: org.memberC.id,
    status: 'in_progress',
    publicNo: 'DM-B',
    createdAt: at('2026-10-20T02:00'),
  })
  const departments = await db
    .insert(department)
    .values([
      { committeeId: A, name: '住建局', kind: 'bureau' },
      { committeeId: A, name: '水务局', kind: 'public_service' },
      { committeeId: A, name: '人社局', kind: 'bureau' },
      { committeeId: A, name: '民政局', kind: 'bureau' },
      { committeeId: A, name: '撤并的办公室', kind: 'other', active: false },
      { committeeId: org.countyB.id, name: 'B县城管局', kind: 'bureau' },
    ])
    .returning()
  for (const d of departments) ids[d.name] = d.id
  const cases = { k1: k1.id, k2: k2.id, kB: kB.id }
  const committees = { k1: A, k2: A, kB: org.countyB.id }
  type Row = {
    dept: string
    c: keyof typeof cases
    by?: string
    status: (typeof handoff.$inferInsert)['status']
    sent: string
    due: string
    ack?: string
    answered?: string
    returned?: string
    closed?: string
  }
  const rows: Row[] = [
    // 住建局: h1 acknowledged after 120 min, answered on time (4320 min); h2 answered without 签收, a day late (11520 min);
    // h3 open, due on 27 November (not due yet at the start); h4 withdrawn by the desk.
    {
      dept: '住建局',
      c: 'k1',
      by: org.memberA.id,
      status: 'answered',
      sent: '2026-11-02T02:00',
      due: '2026-11-09T10:00',
      ack: '2026-11-02T04:00',
      answered: '2026-11-05T02:00',
    },
    { dept: '住建局', c: 'k1', by: org.memberA.id, status: 'answered', sent: '2026-11-10T02:00', due: '2026-11-17T10:00', answered: '2026-11-18T02:00' },
    { dept: '住建局', c: 'k2', by: org.memberB.id, status: 'sent', sent: '2026-11-20T02:00', due: '2026-11-27T10:00' },
    { dept: '住建局', c: 'k2', status: 'withdrawn', sent: '2026-11-03T02:00', due: '2026-11-10T10:00', closed: '2026-11-04T02:00' },
    // 水务局: h5 signed for after 60 min, then returned; h6 signed for after 30 min and still open past its deadline;
    // h7 answered within the hour without 签收; h8 expired before its deadline (not due); h9 expired after it (overdue).
    {
      dept: '水务局',
      c: 'k1',
      by: org.memberA.id,
      status: 'returned',
      sent: '2026-11-04T02:00',
      due: '2026-11-11T10:00',
      ack: '2026-11-04T03:00',
      returned: '2026-11-05T02:00',
    },
    { dept: '水务局', c: 'k2', by: org.memberB.id, status: 'acknowledged', sent: '2026-11-05T02:00', due: '2026-11-12T10:00', ack: '2026-11-05T02:30' },
    { dept: '水务局', c: 'k1', by: org.memberA.id, status: 'answered', sent: '2026-11-06T02:00', due: '2026-11-13T10:00', answered: '2026-11-06T03:00' },
    { dept: '水务局', c: 'k2', by: org.memberB.id, status: 'expired', sent: '2026-11-07T02:00', due: '2026-11-14T10:00', closed: '2026-11-10T02:00' },
    { dept: '水务局', c: 'k1', by: org.memberA.id, status: 'expired', sent: '2026-11-08T02:00', due: '2026-11-09T10:00', closed: '2026-11-12T02:00' },
    // 人社局: h10 sent at 23:59 on 31 October Beijing time (outside the period, and overdue: must not count);
    // h11 at 00:00 on 1 November Beijing time (inside), answered after 1920 min without 签收, on time.
    { dept: '人社局', c: 'k2', status: 'sent', sent: '2026-10-31T15:59', due: '2026-11-06T10:00' },
    { dept: '人社局', c: 'k1', by: org.memberA.id, status: 'answered', sent: '2026-10-31T16:00', due: '2026-11-06T10:00', answered: '2026-11-02T00:00' },
    // Member A's hand-off of the last evening of 2025 (Beijing) counts in their 2025 ledger.
    { dept: '人社局', c: 'k1', by: org.memberA.id, status: 'answered', sent: '2025-12-31T15:00', due: '2026-01-07T10:00', answered: '2026-01-02T02:00' },
    // County B: not county A's figures.
    { dept: 'B县城管局', c: 'kB', by: org.memberC.id, status: 'answered', sent: '2026-11-05T02:00', due: '2026-11-12T10:00', answered: '2026-11-06T02:00' },
  ]
  const when = (s?: string) => (s ? at(s) : null)
  await db.insert(handoff).values(
    rows.map((r) => ({
      caseId: cases[r.c],
      committeeId: committees[r.c],
      departmentId: ids[r.dept]!,
      question: '请协助核实',
      status: r.status,
      opId: randomUUID(),
      createdByMemberId: r.by ?? null,
      sentAt: at(r.sent),
      dueAt: at(r.due),
      acknowledgedAt: when(r.ack),
      answeredAt: when(r.answered),
      returnedAt: when(r.returned),
      closedAt: when(r.closed),
      secretHash: randomBytes(16).toString('hex'),
      secretEnc: 'not-read-here',
    })),
  )
})
afterAll(() => t?.close())

type Who = Parameters<AdminApp['as']>[0]
const figures = async (who: Who, query: string) => (await t.as(who)).get(`/api/v1/dashboard/departments?${query}`)
const csvRows = (body: Buffer) => parse(body, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[]
function problem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  expect(res.json()).toMatchObject({ code })
}
const zero = { handoffs: 0, withdrawn: 0, answered: 0, answeredOnTime: 0, returned: 0, overdueUnanswered: 0 }

describe('department figures on the dashboard', () => {
  it('counts, rates, medians and ranks a committee’s departments over the period', async () => {
    const res = await figures('adminA', `scope=committee&id=${t.org.countyA.id}&${PERIOD}`)
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json<DepartmentFigures>()
    expect(body).toMatchObject({
      scope: { kind: 'committee', id: t.org.countyA.id },
      from: '2026-11-01',
      to: '2026-12-01',
      generatedAt: '2026-11-23T02:00:00.000Z',
    })
    // 人社局 1/1 on time, 住建局 1 of 2 due, 水务局 1 of 4 due (answered, returned, two overdue); 民政局 nothing due;
    // the inactive office without hand-offs is not listed, county B's department neither.
    expect(body.items.map((d) => [d.rank, d.name])).toEqual([
      [1, '人社局'],
      [2, '住建局'],
      [3, '水务局'],
      [null, '民政局'],
    ])
    const [hr, zj, sw, mz] = body.items
    expect(hr).toMatchObject({
      departmentId: ids['人社局'],
      kind: 'bureau',
      active: true,
      counts: { ...zero, handoffs: 1, answered: 1, answeredOnTime: 1 },
      rates: { onTimeRate: 1, returnedShare: 0, answerRate: 1 },
      medianAckMinutes: 1920,
      medianReplyMinutes: 1920,
    })
    expect(zj).toMatchObject({
      counts: { handoffs: 4, withdrawn: 1, answered: 2, answeredOnTime: 1, returned: 0, overdueUnanswered: 0 },
      rates: { onTimeRate: 0.5, returnedShare: 0, answerRate: 0.6667 },
      // 签收 [120, 11520 (the late answer stands for it)], replies [4320, 11520]
      medianAckMinutes: 5820,
      medianReplyMinutes: 7920,
    })
    expect(sw).toMatchObject({
      kind: 'public_service',
      counts: { handoffs: 5, withdrawn: 0, answered: 1, answeredOnTime: 1, returned: 1, overdueUnanswered: 2 },
      rates: { onTimeRate: 0.25, returnedShare: 0.5, answerRate: 0.2 },
      // 签收 [60, 30, 60 (answered without 签收)]; the one reply took 60
      medianAckMinutes: 60,
      medianReplyMinutes: 60,
    })
    expect(mz).toMatchObject({
      counts: zero,
      rates: { onTimeRate: null, returnedShare: null, answerRate: null },
      medianAckMinutes: null,
      medianReplyMinutes: null,
    })
    // All together: 3 on time of 7 due, 1 returned of 5 ended, 4 answered of 9 not withdrawn;
    // 签收 [30, 60, 60, 120, 1920, 11520] → 90, replies [60, 1920, 4320, 11520] → 3120.
    expect(body.totals).toEqual({
      counts: { handoffs: 10, withdrawn: 1, answered: 4, answeredOnTime: 3, returned: 1, overdueUnanswered: 2 },
      rates: { onTimeRate: 0.4286, returnedShare: 0.2, answerRate: 0.4444 },
      medianAckMinutes: 90,
      medianReplyMinutes: 3120,
    })
  })

  it('turns an open hand-off overdue when the clock passes its deadline (live figures)', async () => {
    const url = `scope=committee&id=${t.org.countyA.id}&${PERIOD}`
    t.clock.advance(5 * 86_400_000) // 28 November 10:00: h3 (due 27 November 18:00) is now late
    try {
      const body = (await figures('adminA', url)).json<DepartmentFigures>()
      const zj = body.items.find((d) => d.name === '住建局')!
      expect(zj.counts.overdueUnanswered).toBe(1)
      expect(zj.rates.onTimeRate).toBe(0.3333)
      expect(body.items.map((d) => d.name)).toEqual(['人社局', '住建局', '水务局', '民政局'])
    } finally {
      t.clock.advance(-5 * 86_400_000)
    }
  })

  it('gives a station admin their station’s cases only, and refuses other scopes as the dashboard does', async () => {
    const res = await figures('stationAdminA1', `scope=station&id=${t.org.stationA1.id}&${PERIOD}`)
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json<DepartmentFigures>()
    // Case DM-1 only: 住建局 h1, h2; 水务局 h5 (returned), h7 (on time), h9 (expired late); 人社局 h11. No department
    // without hand-offs is listed for a station.
    expect(body.items.map((d) => [d.rank, d.name, d.counts.handoffs])).toEqual([
      [1, '人社局', 1],
      [2, '住建局', 2],
      [3, '水务局', 3],
    ])
    expect(body.items[2]).toMatchObject({
      counts: { answered: 1, answeredOnTime: 1, returned: 1, overdueUnanswered: 1 },
      rates: { onTimeRate: 0.3333, returnedShare: 0.5 },
    })
    expect(body.totals.counts).toMatchObject({ handoffs: 6, withdrawn: 0, overdueUnanswered: 1 })

    // A period without hand-offs: nothing listed, no rate (null, not 0 %).
    const empty = (await figures('stationAdminA2', `scope=station&id=${t.org.stationA2.id}&from=2025-01-01&to=2026-01-01`)).json<DepartmentFigures>()
    expect(empty).toMatchObject({
      items: [],
      totals: { counts: zero, rates: { onTimeRate: null, returnedShare: null, answerRate: null }, medianAckMinutes: null },
    })

    problem(await figures('stationAdminA1', `scope=committee&id=${t.org.countyA.id}`), 403, 'FORBIDDEN')
    problem(await figures('stationAdminA1', `scope=station&id=${t.org.stationA2.id}`), 404, 'NOT_FOUND')
    problem(await figures('adminA', `scope=committee&id=${t.org.countyB.id}`), 404, 'NOT_FOUND')
    problem(await figures('memberA', `scope=station&id=${t.org.stationA1.id}`), 403, 'FORBIDDEN')
  })

  it('lets the city see its counties’ departments together', async () => {
    const body = (await figures('cityAdmin', `scope=committee&id=${t.org.city.id}&${PERIOD}`)).json<DepartmentFigures>()
    expect(body.items.find((d) => d.name === 'B县城管局')).toMatchObject({ counts: { handoffs: 1, answeredOnTime: 1 }, medianReplyMinutes: 1440 })
    expect(body.totals.counts.handoffs).toBe(11)
  })

  it('answers bad periods and unknown parameters with problem+json', async () => {
    problem(await figures('adminA', `scope=committee&id=${t.org.countyA.id}&from=2026-12-01&to=2026-11-01`), 400, 'VALIDATION_FAILED')
    problem(await figures('adminA', `scope=committee&id=${t.org.countyA.id}&compare=year`), 400, 'VALIDATION_FAILED')
    problem(await figures('adminA', 'scope=department&id=00000000-0000-0000-0000-000000000000'), 400, 'VALIDATION_FAILED')
  })
})

describe('department exports', () => {
  it('streams the ranking with a 合计 line as CSV, in the caller’s scope', async () => {
    const res = await (await t.as('adminA')).get(`/api/v1/exports/departments.csv?scope=committee&id=${t.org.countyA.id}&${PERIOD}`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="departments-\d{4}-\d{2}-\d{2}\.csv"$/)
    const rows = csvRows(res.rawPayload)
    expect(rows.map((r) => [r['名次'], r['职能部门']])).toEqual([
      ['1', '人社局'],
      ['2', '住建局'],
      ['3', '水务局'],
      ['', '民政局'],
      ['', '合计'],
    ])
    expect(rows[2]).toMatchObject({
      类别: '公用事业单位',
      交办数: '5',
      撤回: '0',
      已答复: '1',
      按时答复: '1',
      退回: '1',
      超期未答复: '2',
      '签收用时中位数（小时）': '1',
      '答复用时中位数（小时）': '1',
      '按时答复率（%）': '25',
      '退回率（%）': '50',
      '答复率（%）': '20',
    })
    expect(rows[1]).toMatchObject({ '签收用时中位数（小时）': '97', '答复用时中位数（小时）': '132', '答复率（%）': '66.67' })
    expect(rows[4]).toMatchObject({ 交办数: '10', '签收用时中位数（小时）': '1.5', '答复用时中位数（小时）': '52', '按时答复率（%）': '42.86' })
  })

  it('takes the token in the query for XLSX, and refuses a station admin the committee', async () => {
    const admin = await t.as('stationAdminA1')
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/exports/departments.xlsx?scope=station&id=${t.org.stationA1.id}&${PERIOD}&access_token=${admin.token}`,
    })
    expect(res.statusCode, res.body).toBe(200)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    const sheet = book.getWorksheet('职能部门')!
    expect((sheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['名次', '职能部门', '类别'])
    expect([2, 3, 4, 5].map((n) => sheet.getRow(n).getCell(2).value)).toEqual(['人社局', '住建局', '水务局', '合计'])
    expect(sheet.getRow(5).getCell(4).value).toBe(6)
    problem(await admin.get(`/api/v1/exports/departments.csv?scope=committee&id=${t.org.countyA.id}`), 403, 'FORBIDDEN')
  })

  it('gives each exported case its number of hand-offs', async () => {
    const rows = csvRows((await (await t.as('adminA')).get('/api/v1/exports/cases.csv')).rawPayload)
    const byNo = Object.fromEntries(rows.map((r) => [r['编号'], r['交办数']]))
    expect(byNo).toEqual({ 'DM-1': '7', 'DM-2': '5' })
  })
})

describe('the 履职 ledger counts the hand-offs a member made', () => {
  it('in the member’s ledger, by the Beijing year they were sent', async () => {
    const admin = await t.as('adminA')
    const ledger = async (id: string, year: number) => (await admin.get(`/api/v1/members/${id}/ledger?year=${year}`)).json<MemberLedgerReport>().counts.handoffs
    // Member A: h1, h2, h5, h7, h9, h11 in 2026 (h11 on 1 November 00:00 Beijing); the 31 December 23:00 one in 2025.
    expect(await ledger(t.org.memberA.id, 2026)).toBe(6)
    expect(await ledger(t.org.memberA.id, 2025)).toBe(1)
    // Member B: h3, h6, h8 (the desk's withdrawn h4 and the unsigned h10 are nobody's).
    expect(await ledger(t.org.memberB.id, 2026)).toBe(3)
  })

  it('in the list, the export and the printable 履职档案', async () => {
    const admin = await t.as('adminA')
    const list = (await admin.get(`/api/v1/ledgers?scope=committee&id=${t.org.countyA.id}&year=2026`)).json<LedgerPage>()
    expect(Object.fromEntries(list.items.map((l) => [l.member.id, l.counts.handoffs]))).toMatchObject({ [t.org.memberA.id]: 6, [t.org.memberB.id]: 3 })
    const rows = csvRows((await admin.get(`/api/v1/exports/ledgers.csv?scope=committee&id=${t.org.countyA.id}&year=2026`)).rawPayload)
    expect(Object.fromEntries(rows.map((r) => [r['姓名'], r['交办部门']]))).toMatchObject({ [t.org.memberA.name]: '6', [t.org.memberB.name]: '3' })
    const page = await admin.get(`/api/v1/members/${t.org.memberA.id}/ledger.html?year=2026`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toMatch(/<th>交办部门<\/th><td class="n">6<\/td>/)
  })
})

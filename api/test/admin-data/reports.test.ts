import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { eq, like, and } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReportDetail, ReportPage } from '@mashangjian/shared'
import { decideReport, nextReportStatuses } from '@mashangjian/shared'
import { auditLog } from '../../src/db/schema'
import { pdfFonts, pdfText, popplerMissing } from '../support/pdf-tools'
import { adminApp, at, insertCase, type AdminApp } from './admin-fixtures'

let t: AdminApp
const ids: Record<string, string> = {}
const TITLE = '关于东城片区夜间烧烤噪音扰民问题的建议'

beforeAll(async () => {
  t = await adminApp()
  const { org, db } = t
  ids.r1 = (
    await insertCase(db, {
      committeeId: org.countyA.id,
      stationId: org.stationA1.id,
      memberId: org.memberA.id,
      categoryId: org.noise.id,
      status: 'resolved',
      description: '夜间烧烤噪音，电话 13812345678',
      createdAt: at('2026-06-01T12:00'),
    })
  ).id
  ids.r2 = (
    await insertCase(db, {
      committeeId: org.countyA.id,
      stationId: org.stationA2.id,
      memberId: org.memberB.id,
      status: 'closed',
      description: '广场舞音响太响',
      createdAt: at('2026-06-03T12:00'),
    })
  ).id
  ids.rB = (
    await insertCase(db, {
      committeeId: org.countyB.id,
      stationId: org.stationB1.id,
      status: 'assigned',
      description: '另一个县的诉求',
      createdAt: at('2026-06-05T12:00'),
    })
  ).id
})
afterAll(() => t?.close())

type Who = Parameters<AdminApp['as']>[0]
const create = async (who: Who, body: Record<string, unknown>) => (await t.as(who)).post('/api/v1/opinion-reports', body)
const move = async (who: Who, id: string, body: Record<string, unknown>) => (await t.as(who)).post(`/api/v1/opinion-reports/${id}/transition`, body)
const expectProblem = (res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, code: string) => {
  expect(res.statusCode).toBe(status)
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  expect(res.json()).toMatchObject({ status, code })
}

describe('drafting', () => {
  it('a member drafts from their own case; the report is credited to them and shows the case with phones masked', async () => {
    const res = await create('memberA', {
      title: TITLE,
      summary: '东城片区多家烧烤店营业至凌晨。\n居民多次反映。',
      suggestion: '建议市场监管部门联合社区划定营业时段。',
      caseIds: [ids.r1],
    })
    expect(res.statusCode, res.body).toBe(201)
    const r = res.json<ReportDetail>()
    ids.mine = r.id
    expect(r).toMatchObject({
      status: 'draft',
      memberId: t.org.memberA.id,
      authorUserId: t.org.users.memberA.id,
      caseCount: 1,
      hiddenCases: 0,
      nextStatuses: ['submitted'],
      cases: [{ id: ids.r1, description: '夜间烧烤噪音，电话 138****5678', stationName: 'A1' }],
    })
  })

  it('an admin drafts from several cases in scope and credits a member in scope', async () => {
    const res = await create('adminA', { title: '关于城区噪音治理的综合建议', caseIds: [ids.r1, ids.r2], memberId: t.org.memberB.id })
    expect(res.statusCode, res.body).toBe(201)
    ids.admin = res.json<ReportDetail>().id
    expect(res.json<ReportDetail>()).toMatchObject({ memberId: t.org.memberB.id, memberName: t.org.memberB.name, caseCount: 2 })
  })

  it.each([
    ['memberA', () => ({ caseIds: [ids.r2] }), 404, 'NOT_FOUND'],
    ['adminA', () => ({ caseIds: [ids.r1, ids.rB] }), 404, 'NOT_FOUND'],
    ['stationAdminA1', () => ({ caseIds: [ids.r2] }), 404, 'NOT_FOUND'],
    ['memberA', () => ({ caseIds: [ids.r1], memberId: t.org.memberB.id }), 400, 'VALIDATION_FAILED'],
    ['adminB', () => ({ caseIds: [ids.rB], memberId: t.org.memberA.id }), 404, 'NOT_FOUND'],
    ['adminA', () => ({ caseIds: [] }), 400, 'VALIDATION_FAILED'],
  ] as const)('%s drafting from cases or for a member out of reach → %i %s', async (who, body, status, code) => {
    expectProblem(await create(who, { title: '越权的报告', ...body() }), status, code)
  })

  it('shows each report to those it concerns, and only the cases they can see', async () => {
    const get = async (who: Who, id: string) => (await t.as(who)).get(`/api/v1/opinion-reports/${id}`)
    expect((await get('stationAdminA1', ids.admin!)).json<ReportDetail>()).toMatchObject({ caseCount: 2, hiddenCases: 1, cases: [{ id: ids.r1 }] })
    expect((await get('stationAdminA2', ids.admin!)).json<ReportDetail>()).toMatchObject({ hiddenCases: 1, cases: [{ id: ids.r2 }] })
    expect((await get('stationAdminA2', ids.mine!)).statusCode).toBe(404)
    expect((await get('memberB', ids.admin!)).statusCode).toBe(200)
    expect((await get('memberB', ids.mine!)).statusCode).toBe(404)
    expect((await get('adminB', ids.mine!)).statusCode).toBe(404)
    expect((await get('cityAdmin', ids.mine!)).statusCode).toBe(200)
  })
})

describe('lifecycle draft → submitted → adopted | rejected', () => {
  it('edits a draft, submits it, and records who adopted it; every step audit-logged', async () => {
    const member = await t.as('memberA')
    const edited = await member.patch(`/api/v1/opinion-reports/${ids.mine}`, { suggestion: '建议划定夜间经营区域并加强巡查。' })
    expect(edited.statusCode, edited.body).toBe(200)
    expect(edited.json<ReportDetail>().suggestion).toBe('建议划定夜间经营区域并加强巡查。')
    const submitted = await move('memberA', ids.mine!, { to: 'submitted' })
    expect(submitted.statusCode, submitted.body).toBe(200)
    expect(submitted.json<ReportDetail>()).toMatchObject({ status: 'submitted', submittedAt: '2026-11-23T02:00:00.000Z', nextStatuses: [] })
    expect((await (await t.as('adminA')).get(`/api/v1/opinion-reports/${ids.mine}`)).json<ReportDetail>().nextStatuses).toEqual(['adopted', 'rejected'])

    t.clock.advanceMinutes(60 * 24 * 3)
    const adopted = await move('adminA', ids.mine!, { to: 'adopted', decidedBy: '县委办公室' })
    expect(adopted.statusCode, adopted.body).toBe(200)
    expect(adopted.json<ReportDetail>()).toMatchObject({ status: 'adopted', decidedBy: '县委办公室', decidedAt: '2026-11-26T02:00:00.000Z' })
    const audited = await t.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.targetId, ids.mine!), like(auditLog.action, 'opinion_report.%')))
    expect(audited.map((a) => a.action).sort()).toEqual([
      'opinion_report.adopted',
      'opinion_report.created',
      'opinion_report.submitted',
      'opinion_report.updated',
    ])
  })

  it('refuses what the table does not allow, with clear problem+json', async () => {
    // An adopted report is a record: no edits, no second decision, no re-submission.
    const stuck = await (await t.as('memberA')).patch(`/api/v1/opinion-reports/${ids.mine}`, { title: '改个标题' })
    expectProblem(stuck, 409, 'INVALID_REPORT_TRANSITION')
    expect(stuck.json()).toMatchObject({ current: { status: 'adopted', nextStatuses: [] }, detail: expect.stringContaining('Only drafts') })
    expectProblem(await move('adminA', ids.mine!, { to: 'rejected', decidedBy: '县政府办公室' }), 409, 'INVALID_REPORT_TRANSITION')
    expectProblem(await move('adminA', ids.mine!, { to: 'submitted' }), 409, 'INVALID_REPORT_TRANSITION')
    // A draft cannot be decided before it is submitted.
    const early = await move('adminA', ids.admin!, { to: 'adopted', decidedBy: '县委办公室' })
    expectProblem(early, 409, 'INVALID_REPORT_TRANSITION')
    expect(early.json()).toMatchObject({ current: { status: 'draft', nextStatuses: ['submitted'] } })
    expect((await move('adminA', ids.admin!, { to: 'submitted' })).statusCode).toBe(200)
    // Members and station admins do not decide; a decision names the deciding body.
    expectProblem(await move('memberB', ids.admin!, { to: 'adopted', decidedBy: '县委办公室' }), 403, 'FORBIDDEN')
    expectProblem(await move('stationAdminA1', ids.admin!, { to: 'rejected', decidedBy: '县委办公室' }), 403, 'FORBIDDEN')
    expectProblem(await move('adminA', ids.admin!, { to: 'rejected' }), 400, 'VALIDATION_FAILED')
    expectProblem(await move('adminA', ids.admin!, { to: 'submitted', decidedBy: '县委办公室' }), 409, 'INVALID_REPORT_TRANSITION')
    expectProblem(await move('adminA', ids.admin!, { to: 'draft' }), 400, 'VALIDATION_FAILED')
    const rejected = await move('adminA', ids.admin!, { to: 'rejected', decidedBy: '县政府办公室' })
    expect(rejected.json<ReportDetail>()).toMatchObject({ status: 'rejected', decidedBy: '县政府办公室' })
  })

  it('deletes drafts only', async () => {
    const draft = (await create('stationAdminA1', { title: '待删除的草稿', caseIds: [ids.r1] })).json<ReportDetail>()
    expectProblem(await (await t.as('stationAdminA1')).del(`/api/v1/opinion-reports/${ids.mine}`), 409, 'INVALID_REPORT_TRANSITION')
    expect((await (await t.as('stationAdminA2')).del(`/api/v1/opinion-reports/${draft.id}`)).statusCode).toBe(404)
    expect((await (await t.as('stationAdminA1')).del(`/api/v1/opinion-reports/${draft.id}`)).statusCode).toBe(204)
    expect((await (await t.as('stationAdminA1')).get(`/api/v1/opinion-reports/${draft.id}`)).statusCode).toBe(404)
  })

  it('lists reports in scope with counts per status for the dashboard', async () => {
    const admin = (await (await t.as('adminA')).get('/api/v1/opinion-reports')).json<ReportPage>()
    expect(admin.counts).toEqual({ draft: 0, submitted: 0, adopted: 1, rejected: 1 })
    expect(admin.items.map((r) => r.id).sort()).toEqual([ids.mine, ids.admin].sort())
    expect((await (await t.as('adminA')).get('/api/v1/opinion-reports?status=adopted')).json<ReportPage>().items.map((r) => r.title)).toEqual([TITLE])
    const first = (await (await t.as('adminA')).get('/api/v1/opinion-reports?limit=1')).json<ReportPage>()
    const second = (await (await t.as('adminA')).get(`/api/v1/opinion-reports?limit=1&cursor=${first.nextCursor}`)).json<ReportPage>()
    expect([...first.items, ...second.items].map((r) => r.id).sort()).toEqual([ids.mine, ids.admin].sort())
    expect((await (await t.as('memberA')).get('/api/v1/opinion-reports')).json<ReportPage>().counts).toEqual({
      draft: 0,
      submitted: 0,
      adopted: 1,
      rejected: 0,
    })
    expect((await (await t.as('adminB')).get('/api/v1/opinion-reports')).json<ReportPage>().items).toEqual([])
  })
})

describe('documents', () => {
  const hasTool = (tool: string) => {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' })
      return true
    } catch {
      return false
    }
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'msj-report-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('exports a report as a PDF with its Chinese text embedded', async () => {
    const res = await (await t.as('adminA')).get(`/api/v1/opinion-reports/${ids.mine}/document.pdf`)
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(TITLE)}.pdf`)
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')
    // A subset of the font, not all of it (the TTF is ~10 MB).
    expect(res.rawPayload.length).toBeGreaterThan(2_000)
    expect(res.rawPayload.length).toBeLessThan(300_000)
    // poppler-utils: .ci/run installs it; a machine without it skips this part locally (CI fails instead).
    if (!popplerMissing) {
      const text = pdfText(res.rawPayload, ['-enc', 'UTF-8']).replace(/\s+/g, '')
      for (const s of [TITLE, '社情民意信息', '县委办公室', '建议划定夜间经营区域并加强巡查。', '138****5678']) expect(text).toContain(s.replace(/\s+/g, ''))
      expect(text).not.toContain('13812345678')
      // The Chinese font travels with the file, as a subset (one weight: the committed GB2312 subset), mapped back to Unicode.
      expect(
        pdfFonts(res.rawPayload)
          .filter((f) => /NotoSansSC/.test(f.name))
          .map((f) => [f.embedded, f.subset, f.unicode]),
      ).toEqual([[true, true, true]])
    }
  })

  it('exports a report as a DOCX whose document.xml holds the title', async () => {
    const res = await (await t.as('memberA')).get(`/api/v1/opinion-reports/${ids.mine}/document.docx`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK')
    // Debian's unzip; locally optional, required in CI.
    if (hasTool('unzip') || process.env.CI === 'true') {
      const file = path.join(dir, 'report.docx')
      writeFileSync(file, res.rawPayload)
      const xml = execFileSync('unzip', ['-p', file, 'word/document.xml']).toString()
      expect(xml).toContain(TITLE)
      expect(xml).toContain('县委办公室')
    }
  })

  it('downloads by a link with ?access_token=', async () => {
    const { token } = await t.as('memberA')
    const res = await t.app.inject({ url: `/api/v1/opinion-reports/${ids.mine}/document.docx?access_token=${token}` })
    expect(res.statusCode).toBe(200)
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK')
    expect((await t.app.inject({ url: `/api/v1/opinion-reports/${ids.mine}/document.pdf` })).statusCode).toBe(401)
  })

  it('answers 404 for a report out of scope', async () => {
    expect((await (await t.as('adminB')).get(`/api/v1/opinion-reports/${ids.mine}/document.pdf`)).statusCode).toBe(404)
    expect((await (await t.as('memberB')).get(`/api/v1/opinion-reports/${ids.mine}/document.docx`)).statusCode).toBe(404)
  })
})

describe('the report transition table', () => {
  it.each([
    ['draft', 'submitted', 'member', true],
    ['draft', 'submitted', 'station_admin', true],
    ['draft', 'adopted', 'committee_admin', false],
    ['submitted', 'adopted', 'committee_admin', true],
    ['submitted', 'rejected', 'system_admin', true],
    ['submitted', 'adopted', 'station_admin', false],
    ['adopted', 'rejected', 'committee_admin', false],
    ['rejected', 'submitted', 'member', false],
  ] as const)('%s → %s by %s: %s', (from, to, role, ok) => {
    expect(decideReport(from, to, role).ok).toBe(ok)
  })
  it('offers a member only submission of a draft', () => {
    expect(nextReportStatuses('draft', 'member')).toEqual(['submitted'])
    expect(nextReportStatuses('submitted', 'member')).toEqual([])
  })
})

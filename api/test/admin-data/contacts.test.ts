import { randomUUID } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Contact, ContactCreated, ContactToCaseResult, ContactTotals, MemberLedgerReport } from '@mashangjian/shared'
import { auditLog, cases, contact, member, opinionReport, opinionReportCase } from '../../src/db/schema'
import { queryRows } from '../../src/db/database'
import { adminApp, type AdminApp } from './admin-fixtures'

/** 界别群众 contacts (issue 15): idempotent create, phones kept like residents', scope, conversions, the ledger. */
let t: AdminApp
const PHONE = '13812345678'
const body = (over: Record<string, unknown> = {}) => ({
  opId: randomUUID(),
  name: '王大姐',
  phone: PHONE,
  metOn: '2026-11-20',
  place: '东城社区活动室',
  kind: 'visit',
  raised: '小区门口路灯坏了两个月，晚上老人出门不安全',
  ...over,
})
const audits = (action: string, targetId: string) =>
  t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.targetId, targetId)))

beforeAll(async () => {
  t = await adminApp()
})
afterAll(async () => t.close())

describe('recording a contact', () => {
  it('is exactly once by opId: the same body again answers the first, another body with it is OP_ID_REUSED', async () => {
    const a = await t.as('memberA')
    const first = body()
    const created = await a.post('/api/v1/contacts', first)
    expect(created.statusCode, created.body).toBe(201)
    const c = created.json<ContactCreated>()
    expect(c).toMatchObject({ replayed: false, contact: { name: '王大姐', metOn: '2026-11-20', kind: 'visit', phoneMasked: '138****5678', caseId: null } })
    const again = await a.post('/api/v1/contacts', first)
    expect(again.statusCode).toBe(200)
    expect(again.json<ContactCreated>()).toMatchObject({ replayed: true, contact: { id: c.contact.id } })
    const changed = await a.post('/api/v1/contacts', { ...first, raised: '别的事' })
    expect(changed.statusCode).toBe(409)
    expect(changed.json()).toMatchObject({ code: 'OP_ID_REUSED' })
    // Another member's request with that opId is not a replay either (and learns nothing of the first).
    const other = await (await t.as('memberB')).post('/api/v1/contacts', first)
    expect(other.statusCode).toBe(409)
    expect(other.json()).toMatchObject({ code: 'OP_ID_REUSED' })
    expect(other.body).not.toContain('王大姐')
    const rows = await t.db.select().from(contact).where(eq(contact.opId, first.opId))
    expect(rows).toHaveLength(1)
    expect((await audits('contact.created', c.contact.id)).length).toBe(1)
  })

  it('keeps the phone encrypted, hashed and masked: no plain number in the database, shown in full only to its member (audited)', async () => {
    const a = await t.as('memberA')
    const c = (await a.post('/api/v1/contacts', body({ name: '李师傅', phone: '+86 139-0000-1234' }))).json<ContactCreated>().contact
    const [row] = await queryRows<Record<string, unknown>>(t.db, sql`select * from contact where id = ${c.id}`)
    expect(JSON.stringify(row)).not.toContain('13900001234')
    expect(row).toMatchObject({ phone_masked: '139****1234' })
    expect(String(row!.phone_enc)).toMatch(/^v1\./)
    expect(String(row!.phone_hash)).toMatch(/^[\w-]{43}$/)
    expect((await a.get(`/api/v1/contacts/${c.id}`)).json<Contact>()).not.toHaveProperty('phone')
    const revealed = await a.post(`/api/v1/contacts/${c.id}/phone`)
    expect(revealed.statusCode, revealed.body).toBe(200)
    expect(revealed.json()).toEqual({ phone: '13900001234' })
    const [audit] = await audits('contact.phone_revealed', c.id)
    expect(audit).toMatchObject({ actorUserId: t.org.users.memberA.id, detail: { phone: '139****1234' } })
    // Nobody else reads it: another member (404, as if it did not exist), admins (members-only routes).
    expect((await (await t.as('memberB')).post(`/api/v1/contacts/${c.id}/phone`)).statusCode).toBe(404)
    expect((await (await t.as('memberB')).get(`/api/v1/contacts/${c.id}`)).statusCode).toBe(404)
    expect((await (await t.as('adminA')).get(`/api/v1/contacts/${c.id}`)).statusCode).toBe(403)
    expect((await (await t.as('adminA')).post(`/api/v1/contacts/${c.id}/phone`)).statusCode).toBe(403)
  })

  it('refuses a bad phone, a day after today (Beijing) and another committee’s sector as client errors', async () => {
    const a = await t.as('memberA')
    const bad = await a.post('/api/v1/contacts', body({ phone: '12345' }))
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' })
    // 2026-11-23 10:00 in Beijing: the 24th has not come yet.
    expect((await a.post('/api/v1/contacts', body({ metOn: '2026-11-24' }))).statusCode).toBe(400)
    expect((await a.post('/api/v1/contacts', body({ metOn: '2026-11-23', phone: null }))).statusCode).toBe(201)
    expect((await a.post('/api/v1/contacts', body({ sectorId: randomUUID() }))).statusCode).toBe(404)
    expect((await a.post('/api/v1/contacts', body({ kind: 'party' }))).statusCode).toBe(400)
  })

  it('lets the member list and correct their own, not another member', async () => {
    const a = await t.as('memberA')
    const c = (await a.post('/api/v1/contacts', body({ name: '赵老师', metOn: '2026-11-21', sectorId: t.org.education.id }))).json<ContactCreated>().contact
    expect(c.sectorName).toBe(t.org.education.name)
    const fixed = await a.patch(`/api/v1/contacts/${c.id}`, { place: '县一中', phone: null })
    expect(fixed.statusCode, fixed.body).toBe(200)
    expect(fixed.json<Contact>()).toMatchObject({ place: '县一中', phoneMasked: null })
    expect((await (await t.as('memberB')).patch(`/api/v1/contacts/${c.id}`, { place: 'x' })).statusCode).toBe(404)
    const [audit] = await audits('contact.updated', c.id)
    expect(audit!.detail).toEqual({ fields: ['phone', 'place'] })
    const list = (await a.get('/api/v1/contacts?year=2026')).json<{ items: Contact[] }>().items
    expect(list.map((x) => x.metOn)).toEqual([...list.map((x) => x.metOn)].sort().reverse())
    expect(list.some((x) => x.id === c.id)).toBe(true)
    expect((await (await t.as('memberB')).get('/api/v1/contacts')).json<{ items: Contact[] }>().items).toEqual([])
  })
})

describe('turning a contact into a case or a report draft', () => {
  it('files a case assigned to the member, as a visit, with the contact’s phone; a resend replays it', async () => {
    const a = await t.as('memberA')
    const c = (await a.post('/api/v1/contacts', body({ name: '马大爷', phone: '13700001111' }))).json<ContactCreated>().contact
    const opId = randomUUID()
    const res = await a.post(`/api/v1/contacts/${c.id}/case`, { opId, consent: true })
    expect(res.statusCode, res.body).toBe(200)
    const r = res.json<ContactToCaseResult>()
    expect(r).toMatchObject({ channel: 'visit', contact: { caseId: r.caseId, casePublicNo: r.casePublicNo } })
    expect(r.trackingUrl).toMatch(/^http/)
    const [k] = await t.db.select().from(cases).where(eq(cases.id, r.caseId))
    expect(k).toMatchObject({
      memberId: t.org.memberA.id,
      stationId: t.org.stationA1.id,
      channel: 'visit',
      status: 'assigned',
      residentPhoneMasked: '137****1111',
    })
    expect(k!.description).toBe(c.raised)
    const again = await a.post(`/api/v1/contacts/${c.id}/case`, { opId, consent: true })
    expect(again.statusCode, again.body).toBe(200)
    expect(again.json<ContactToCaseResult>()).toMatchObject({ caseId: r.caseId, trackingUrl: null })
    expect(await t.db.select({ id: cases.id }).from(cases).where(eq(cases.description, c.raised))).toHaveLength(1)
    // Once a case, always that case: another intake for it is refused.
    const second = await a.post(`/api/v1/contacts/${c.id}/case`, { opId: randomUUID(), consent: true })
    expect(second.statusCode).toBe(409)
    expect(await audits('contact.converted_to_case', c.id)).toHaveLength(1)
    // Someone else's contact: not found.
    expect((await (await t.as('memberB')).post(`/api/v1/contacts/${c.id}/case`, { opId: randomUUID(), consent: true })).statusCode).toBe(404)
  })

  it('a phone contact becomes a 来电 case; without consent for the phone it is refused', async () => {
    const a = await t.as('memberA')
    const c = (await a.post('/api/v1/contacts', body({ kind: 'phone', phone: '13700002222' }))).json<ContactCreated>().contact
    expect((await a.post(`/api/v1/contacts/${c.id}/case`, { opId: randomUUID(), consent: false })).statusCode).toBe(400)
    const ok = await a.post(`/api/v1/contacts/${c.id}/case`, { opId: randomUUID(), consent: true })
    expect(ok.json<ContactToCaseResult>().channel).toBe('phone')
  })

  it('makes a 社情民意 draft from what was raised, credited to the member, once', async () => {
    const a = await t.as('memberA')
    const c = (await a.post('/api/v1/contacts', body({ raised: '农贸市场周边占道经营严重\n早高峰堵车' }))).json<ContactCreated>().contact
    const done = (await a.post(`/api/v1/contacts/${c.id}/case`, { opId: randomUUID(), consent: true })).json<ContactToCaseResult>()
    const res = await a.post(`/api/v1/contacts/${c.id}/report`, {})
    expect(res.statusCode, res.body).toBe(200)
    const { reportId } = res.json<{ reportId: string }>()
    const [r] = await t.db.select().from(opinionReport).where(eq(opinionReport.id, reportId))
    expect(r).toMatchObject({
      status: 'draft',
      memberId: t.org.memberA.id,
      title: '农贸市场周边占道经营严重',
      summary: c.raised,
      committeeId: t.org.countyA.id,
    })
    expect(await t.db.select().from(opinionReportCase).where(eq(opinionReportCase.reportId, reportId))).toEqual([{ reportId, caseId: done.caseId }])
    // The member edits it like any draft they wrote.
    expect((await a.get(`/api/v1/opinion-reports/${reportId}`)).statusCode).toBe(200)
    expect((await a.post(`/api/v1/contacts/${c.id}/report`, {})).json()).toMatchObject({ reportId })
    expect(await audits('contact.converted_to_report', c.id)).toHaveLength(1)
  })
})

describe('counts for admins and the ledger', () => {
  it('counts a member’s contacts of the year against their own target, in the ledger, its list, export and the printed record', async () => {
    const { org } = t
    await t.db.update(member).set({ contactTargetPerYear: 3 }).where(eq(member.id, org.memberB.id))
    const b = await t.as('memberB')
    // Two in 2026 (by the Beijing day met), one on the last day of 2025: 2 of 3.
    for (const metOn of ['2026-01-01', '2026-11-23', '2025-12-31'])
      expect((await b.post('/api/v1/contacts', body({ metOn, phone: null }))).statusCode).toBe(201)
    const ledger = (await (await t.as('adminA')).get(`/api/v1/members/${org.memberB.id}/ledger?year=2026`)).json<MemberLedgerReport>()
    expect(ledger.counts.sectorContacts).toBe(2)
    // The case contact logs stay a measure of their own (none here).
    expect(ledger.counts.contacts).toBe(0)
    expect(ledger.contactTarget).toEqual({ min: 3, actual: 2, met: false })
    expect((await (await t.as('adminA')).get(`/api/v1/members/${org.memberB.id}/ledger?year=2025`)).json<MemberLedgerReport>().counts.sectorContacts).toBe(1)
    await b.post('/api/v1/contacts', body({ metOn: '2026-06-30', phone: null }))
    const mine = (await b.get(`/api/v1/members/${org.memberB.id}/ledger?year=2026`)).json<MemberLedgerReport>()
    expect(mine.contactTarget).toEqual({ min: 3, actual: 3, met: true })

    const list = (await (await t.as('adminA')).get(`/api/v1/ledgers?scope=committee&id=${org.countyA.id}&year=2026`)).json<{ items: MemberLedgerReport[] }>()
    expect(list.items.find((l) => l.member.id === org.memberB.id)?.contactTarget).toEqual({ min: 3, actual: 3, met: true })
    const csv = await (await t.as('adminA')).get(`/api/v1/exports/ledgers.csv?scope=committee&id=${org.countyA.id}&year=2026`)
    const rows = parse(csv.rawPayload, { bom: true, columns: true }) as Record<string, string>[]
    expect(rows.find((r) => r['姓名'] === org.memberB.name)).toMatchObject({ 联系界别群众: '3', 联系界别群众目标: '3/3' })
    const page = await (await t.as('adminA')).get(`/api/v1/members/${org.memberB.id}/ledger.html?year=2026`)
    expect(page.statusCode, page.body).toBe(200)
    expect(page.body).toContain('联系界别群众：3 次（年度目标 ≥ 3 次，已完成）')
  })

  it('shows committee admins totals and per-member counts without names or phones; other scopes 403/404', async () => {
    const { org } = t
    const a = (await (await t.as('memberA')).get('/api/v1/contacts?year=2026')).json<{ items: Contact[] }>().items.length
    const res = await (await t.as('adminA')).get(`/api/v1/contacts/totals?scope=committee&id=${org.countyA.id}&year=2026`)
    expect(res.statusCode, res.body).toBe(200)
    const totals = res.json<ContactTotals>()
    expect(totals.members.map((m) => [m.memberId, m.count, m.target, m.met]).sort()).toEqual(
      [
        [org.memberA.id, a, 10, a >= 10],
        [org.memberB.id, 3, 3, true],
      ].sort(),
    )
    expect(totals.total).toBe(a + 3)
    expect(res.body).not.toMatch(/王大姐|李师傅|138\*|1381234/)
    // Station admins: their station's members only, never the committee list.
    const station = (await (await t.as('stationAdminA2')).get(`/api/v1/contacts/totals?scope=station&id=${org.stationA2.id}&year=2026`)).json<ContactTotals>()
    expect(station.members.map((m) => m.memberId)).toEqual([org.memberB.id])
    expect((await (await t.as('stationAdminA2')).get(`/api/v1/contacts/totals?scope=station&id=${org.stationA1.id}`)).statusCode).toBe(404)
    expect((await (await t.as('stationAdminA2')).get(`/api/v1/contacts/totals?scope=committee&id=${org.countyA.id}`)).statusCode).toBe(403)
    // Another committee's admin does not learn it exists; members cannot ask.
    expect((await (await t.as('adminB')).get(`/api/v1/contacts/totals?scope=committee&id=${org.countyA.id}`)).statusCode).toBe(404)
    expect((await (await t.as('memberA')).get(`/api/v1/contacts/totals?scope=committee&id=${org.countyA.id}`)).statusCode).toBe(403)
  })
})

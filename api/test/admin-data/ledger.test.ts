import { and, eq, like } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Activity, LedgerPage, LedgerTargetsView, MemberLedgerReport } from '@mashangjian/shared'
import { auditLog, caseEvent, cases } from '../../src/db/schema'
import { aggregateAll } from '../support/metrics'
import { adminApp, at, insertCase, type AdminApp } from './admin-fixtures'

let t: AdminApp
const ledgerOf = async (who: Parameters<AdminApp['as']>[0], memberId: string, year = 2026) => {
  const res = await (await t.as(who)).get(`/api/v1/members/${memberId}/ledger?year=${year}`)
  return res
}

beforeAll(async () => {
  t = await adminApp()
  const { org, db } = t
  const mine = { committeeId: org.countyA.id, stationId: org.stationA1.id, memberId: org.memberA.id }
  const k1 = await insertCase(db, {
    ...mine,
    status: 'closed',
    createdAt: at('2026-02-01T02:00'),
    acceptDueAt: at('2026-02-02T02:00'),
    acceptedAt: at('2026-02-01T03:00'),
    resolveDueAt: at('2026-02-08T02:00'),
    resolvedAt: at('2026-02-05T02:00'),
    rating: 'satisfied',
    ratedAt: at('2026-02-06T02:00'),
    description: 'k1',
  })
  const k2 = await insertCase(db, {
    ...mine,
    status: 'in_progress',
    createdAt: at('2026-03-01T02:00'),
    acceptDueAt: at('2026-03-02T02:00'),
    acceptedAt: at('2026-03-03T02:00'),
    resolveDueAt: at('2026-03-08T02:00'),
    description: 'k2',
  })
  const k3 = await insertCase(db, {
    ...mine,
    status: 'resolved',
    createdAt: at('2025-12-20T02:00'),
    acceptDueAt: at('2025-12-21T02:00'),
    acceptedAt: at('2025-12-20T05:00'),
    resolveDueAt: at('2025-12-27T02:00'),
    resolvedAt: at('2026-01-03T02:00'),
    description: 'k3',
  })
  await insertCase(db, { ...mine, status: 'assigned', createdAt: at('2026-04-01T02:00'), acceptDueAt: at('2026-04-02T02:00'), description: 'k4' })
  const log = (caseId: string, userId: string, when: string) => ({
    caseId,
    type: 'contact_logged' as const,
    actorKind: 'member' as const,
    actorUserId: userId,
    visibility: 'internal' as const,
    body: '电话联系',
    occurredAt: at(when),
  })
  await db.insert(caseEvent).values([
    log(k1.id, org.users.memberA.id, '2026-02-02T02:00'),
    log(k2.id, org.users.memberA.id, '2026-03-02T02:00'),
    log(k3.id, org.users.memberA.id, '2025-12-21T02:00'),
    // Written by someone else: not the member's contact.
    { ...log(k1.id, org.users.adminA.id, '2026-02-03T02:00'), actorKind: 'admin' as const },
  ])
  await aggregateAll(db, t.app.services.metricsAggregator)
})
afterAll(() => t?.close())

const activity = async (who: Parameters<AdminApp['as']>[0], body: Record<string, unknown>) => (await t.as(who)).post('/api/v1/activities', body)

describe('activities (履职 records)', () => {
  it('members record their own; station and committee admins record for members in their scope', async () => {
    const { org } = t
    const own = await activity('memberA', { memberId: org.memberA.id, kind: 'proposal', title: '关于老旧小区加装电梯的提案', occurredOn: '2026-03-10' })
    expect(own.statusCode, own.body).toBe(201)
    expect(own.json<Activity>()).toMatchObject({ memberId: org.memberA.id, committeeId: org.countyA.id, kind: 'proposal', createdBy: org.users.memberA.id })
    const research = await activity('memberA', { memberId: org.memberA.id, kind: 'research', title: '农村饮水安全视察', occurredOn: '2026-05-01' })
    expect(research.statusCode).toBe(201)
    // A member's own entries wait for review (issue 15); the office's are confirmed at once.
    expect(own.json<Activity>().status).toBe('pending')
    for (const id of [own.json<Activity>().id, research.json<Activity>().id]) {
      expect((await (await t.as('stationAdminA1')).post(`/api/v1/activities/${id}/review`, { decision: 'confirm' })).statusCode).toBe(200)
    }
    const station = await activity('stationAdminA1', {
      memberId: org.memberA.id,
      kind: 'reception_day',
      title: '委员接待日 <b>东城</b>',
      occurredOn: '2026-06-11',
      stationId: org.stationA1.id,
    })
    expect(station.statusCode, station.body).toBe(201)
    expect(station.json<Activity>()).toMatchObject({ stationId: org.stationA1.id, stationName: 'A1', status: 'confirmed', source: 'staff' })
    expect(
      (await activity('adminA', { memberId: org.memberA.id, kind: 'opinion_report', title: '关于菜市场排水的社情民意', occurredOn: '2026-06-01' })).statusCode,
    ).toBe(201)
    expect((await activity('adminA', { memberId: org.memberA.id, kind: 'meeting', title: '2025年全会', occurredOn: '2025-12-01' })).statusCode).toBe(201)
  })

  it.each([
    ['memberB', 'memberA', {}, 404],
    ['stationAdminA1', 'memberB', {}, 404],
    ['adminB', 'memberA', {}, 404],
    ['stationAdminA1', 'memberA', { stationId: 'stationA2' }, 400],
    ['adminA', 'memberA', { stationId: 'stationB1' }, 400],
    ['adminA', 'memberA', { kind: 'party' }, 400],
  ] as const)('%s recording for %s %j → %i', async (who, target, extra, status) => {
    const { org } = t
    const body: Record<string, unknown> = { memberId: org[target].id, kind: 'visit', title: '走访', occurredOn: '2026-07-01', ...extra }
    if ('stationId' in extra) body.stationId = org[extra.stationId].id
    expect((await activity(who, body)).statusCode).toBe(status)
  })

  it('lists what the caller may see; edits and deletes are scope-checked and audit-logged', async () => {
    const { org } = t
    const mine = (await (await t.as('memberA')).get('/api/v1/activities?year=2026')).json<{ items: Activity[] }>()
    expect(mine.items.map((a) => a.kind).sort()).toEqual(['opinion_report', 'proposal', 'reception_day', 'research'])
    expect((await (await t.as('memberB')).get('/api/v1/activities')).json().items).toEqual([])
    expect((await (await t.as('adminB')).get(`/api/v1/activities?memberId=${org.memberA.id}`)).json().items).toEqual([])
    const paged = await (await t.as('adminA')).get(`/api/v1/activities?memberId=${org.memberA.id}&limit=2`)
    expect(paged.json().items).toHaveLength(2)
    const rest = await (await t.as('adminA')).get(`/api/v1/activities?memberId=${org.memberA.id}&limit=10&cursor=${paged.json().nextCursor}`)
    expect(rest.json().items).toHaveLength(3)

    const extra = (await activity('memberA', { memberId: org.memberA.id, kind: 'visit', title: '走访群众', occurredOn: '2026-08-08' })).json<Activity>()
    expect((await (await t.as('memberA')).patch(`/api/v1/activities/${extra.id}`, { title: '走访界别群众', notes: '了解就业情况' })).json()).toMatchObject({
      title: '走访界别群众',
      notes: '了解就业情况',
    })
    expect((await (await t.as('memberB')).patch(`/api/v1/activities/${extra.id}`, { title: 'x' })).statusCode).toBe(404)
    expect((await (await t.as('adminB')).del(`/api/v1/activities/${extra.id}`)).statusCode).toBe(404)
    expect((await (await t.as('adminA')).del(`/api/v1/activities/${extra.id}`)).statusCode).toBe(204)
    expect((await (await t.as('adminA')).get(`/api/v1/activities/${extra.id}`)).statusCode).toBe(404)
    const audited = await t.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.targetId, extra.id), like(auditLog.action, 'activity.%')))
    expect(audited.map((a) => a.action).sort()).toEqual(['activity.created', 'activity.deleted', 'activity.updated'])
  })
})

describe('the ledger', () => {
  it('counts a member’s year: cases from the aggregates, own contact logs, activities and submitted reports', async () => {
    const { org } = t
    const draft = await (await t.as('memberA')).post('/api/v1/opinion-reports', { title: '关于东城片区停车难的建议', caseIds: [await caseId('k1')] })
    expect(draft.statusCode, draft.body).toBe(201)
    expect((await (await t.as('memberA')).post(`/api/v1/opinion-reports/${draft.json().id}/transition`, { to: 'submitted' })).statusCode).toBe(200)
    const res = await ledgerOf('memberA', org.memberA.id)
    expect(res.statusCode, res.body).toBe(200)
    const ledger = res.json<MemberLedgerReport>()
    expect(ledger.counts).toEqual({
      casesReceived: 3,
      casesAccepted: 2,
      casesResolved: 2,
      satisfiedRatings: 1,
      contacts: 2,
      sectorContacts: 0,
      handoffs: 0,
      meetings: 0,
      receptionDays: 1,
      visits: 0,
      proposals: 1,
      opinionReports: 2,
      research: 1,
      training: 0,
      otherActivities: 0,
    })
    expect(ledger.member).toMatchObject({ id: org.memberA.id, sectorName: org.economy.name, stations: [{ id: org.stationA1.id, name: 'A1' }] })
    // No committee chose targets yet: the built-in "≥ 10 contacts".
    expect(ledger).toMatchObject({ preset: 'contacts_10', targetsMet: 0, targetsTotal: 1, targets: [{ measure: 'contacts', min: 10, actual: 2, met: false }] })
    const last = (await ledgerOf('memberA', org.memberA.id, 2025)).json<MemberLedgerReport>()
    expect(last.counts).toMatchObject({ casesReceived: 1, casesAccepted: 1, casesResolved: 0, contacts: 1, meetings: 1 })
  })

  it('measures against the committee’s chosen preset; a city’s choice is inherited by counties without their own', async () => {
    const { org } = t
    const set = await (await t.as('adminA')).put(`/api/v1/committees/${org.countyA.id}/ledger-targets`, { preset: 'akesai_six_ones' })
    expect(set.statusCode, set.body).toBe(200)
    expect(set.json<LedgerTargetsView>()).toMatchObject({ preset: 'akesai_six_ones', inheritedFrom: org.countyA.id })
    expect(set.json<LedgerTargetsView>().presets.map((p) => p.id)).toEqual(['akesai_six_ones', 'gulang_22111', 'contacts_10'])
    const ledger = (await ledgerOf('adminA', org.memberA.id)).json<MemberLedgerReport>()
    expect(ledger.preset).toBe('akesai_six_ones')
    expect(ledger.targets.map((x) => [x.measure, x.met])).toEqual([
      ['proposals', true],
      ['opinionReports', true],
      ['research', true],
      ['receptionDays', true],
      ['visits', false],
      ['casesResolved', true],
    ])
    expect([ledger.targetsMet, ledger.targetsTotal]).toEqual([5, 6])
    // The deadline settings are saved by their own endpoint; saving them keeps the chosen targets.
    const sla = await (await t.as('adminA')).put(`/api/v1/committees/${org.countyA.id}/settings`, { autoCloseDays: 10 })
    expect(sla.statusCode, sla.body).toBe(200)
    expect((await ledgerOf('adminA', org.memberA.id)).json<MemberLedgerReport>().preset).toBe('akesai_six_ones')

    expect((await (await t.as('cityAdmin')).put(`/api/v1/committees/${org.city.id}/ledger-targets`, { preset: 'gulang_22111' })).statusCode).toBe(200)
    const b = (await (await t.as('adminB')).get(`/api/v1/committees/${org.countyB.id}/ledger-targets`)).json<LedgerTargetsView>()
    expect(b).toMatchObject({ preset: 'gulang_22111', inheritedFrom: org.city.id })
    expect(b.targets.map((x) => x.min)).toEqual([2, 2, 1, 1, 1])
    expect((await (await t.as('adminA')).get(`/api/v1/committees/${org.countyA.id}/ledger-targets`)).json()).toMatchObject({ preset: 'akesai_six_ones' })
    const audited = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, org.city.id), eq(auditLog.action, 'committee.ledger_targets_set')))
    expect(audited).toHaveLength(1)
  })

  it('takes a custom list and refuses a bad one', async () => {
    const { org } = t
    const admin = await t.as('adminB')
    const url = `/api/v1/committees/${org.countyB.id}/ledger-targets`
    for (const body of [
      { preset: 'custom' },
      {
        preset: 'custom',
        targets: [
          { measure: 'contacts', min: 5, label: 'a' },
          { measure: 'contacts', min: 6, label: 'b' },
        ],
      },
      { preset: 'gulang_22111', targets: [{ measure: 'contacts', min: 5, label: 'a' }] },
      { preset: 'custom', targets: [{ measure: 'phoneCalls', min: 5, label: 'a' }] },
      { preset: 'custom', targets: [{ measure: 'contacts', min: 0, label: 'a' }] },
    ]) {
      const res = await admin.put(url, body)
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
      expect(res.json().code).toBe('VALIDATION_FAILED')
    }
    const ok = await admin.put(url, {
      preset: 'custom',
      targets: [
        { measure: 'contacts', min: 20, label: '联系界别群众不少于20次' },
        { measure: 'casesResolved', min: 3, label: '办结3件' },
      ],
    })
    expect(ok.json()).toMatchObject({
      preset: 'custom',
      inheritedFrom: org.countyB.id,
      targets: [
        { measure: 'contacts', min: 20 },
        { measure: 'casesResolved', min: 3 },
      ],
    })
    expect((await (await t.as('stationAdminA1')).put(`/api/v1/committees/${org.countyA.id}/ledger-targets`, { preset: 'contacts_10' })).statusCode).toBe(403)
    expect((await admin.put(`/api/v1/committees/${org.countyA.id}/ledger-targets`, { preset: 'contacts_10' })).statusCode).toBe(404)
  })

  it.each([
    ['memberA', 'memberA', 200],
    ['memberA', 'memberB', 404],
    ['memberB', 'memberB', 200],
    ['stationAdminA1', 'memberA', 200],
    ['stationAdminA1', 'memberB', 404],
    ['stationAdminA2', 'memberB', 200],
    ['adminA', 'memberB', 200],
    ['adminB', 'memberA', 404],
    ['cityAdmin', 'memberA', 200],
    ['system', 'memberC', 200],
  ] as const)('%s reading the ledger of %s → %i', async (who, target, status) => {
    expect((await ledgerOf(who, t.org[target].id)).statusCode).toBe(status)
  })

  it('lists a committee’s or a station’s members, a page at a time', async () => {
    const { org } = t
    const first = (await (await t.as('adminA')).get(`/api/v1/ledgers?scope=committee&id=${org.countyA.id}&year=2026&limit=1`)).json<LedgerPage>()
    expect(first.items).toHaveLength(1)
    const second = (
      await (await t.as('adminA')).get(`/api/v1/ledgers?scope=committee&id=${org.countyA.id}&year=2026&limit=1&cursor=${first.nextCursor}`)
    ).json<LedgerPage>()
    expect(second.nextCursor).toBeNull()
    expect([...first.items, ...second.items].map((l) => l.member.id).sort()).toEqual([org.memberA.id, org.memberB.id].sort())
    const a = [...first.items, ...second.items].find((l) => l.member.id === org.memberA.id)!
    expect(a).toMatchObject({ preset: 'akesai_six_ones', targetsMet: 5, counts: { contacts: 2 } })

    const station = (await (await t.as('stationAdminA1')).get(`/api/v1/ledgers?scope=station&id=${org.stationA1.id}`)).json<LedgerPage>()
    expect(station.items.map((l) => l.member.id)).toEqual([org.memberA.id])
    expect((await (await t.as('stationAdminA1')).get(`/api/v1/ledgers?scope=station&id=${org.stationA2.id}`)).statusCode).toBe(404)
    expect((await (await t.as('stationAdminA1')).get(`/api/v1/ledgers?scope=committee&id=${org.countyA.id}`)).statusCode).toBe(403)
    expect((await (await t.as('memberA')).get(`/api/v1/ledgers?scope=station&id=${org.stationA1.id}`)).statusCode).toBe(403)
    const city = (await (await t.as('cityAdmin')).get(`/api/v1/ledgers?scope=committee&id=${org.city.id}`)).json<LedgerPage>()
    // county B's member C is measured against county B's own (custom) targets.
    expect(city.items.find((l) => l.member.id === org.memberC.id)).toMatchObject({ preset: 'custom', targetsTotal: 2 })
  })

  it('prints a 履职档案 page: the member, the targets, the year’s records, text escaped', async () => {
    const res = await (await t.as('adminA')).get(`/api/v1/members/${t.org.memberA.id}/ledger.html?year=2026`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.headers['cache-control']).toBe('private, no-store')
    const html = res.body
    for (const text of [
      '2026年度履职档案',
      t.org.memberA.name,
      '每年至少提交1件提案',
      '关于老旧小区加装电梯的提案',
      '关于东城片区停车难的建议',
      '完成 5 / 6 项',
      '@media print',
    ]) {
      expect(html).toContain(text)
    }
    expect(html).toContain('委员接待日 &lt;b>东城&lt;/b>')
    expect(html).not.toContain('<b>东城</b>')
    expect((await (await t.as('adminB')).get(`/api/v1/members/${t.org.memberA.id}/ledger.html`)).statusCode).toBe(404)
    // Opened in a new tab, with the token in the query; without one, 401.
    const { token } = await t.as('memberA')
    const tab = await t.app.inject({ url: `/api/v1/members/${t.org.memberA.id}/ledger.html?year=2026&access_token=${token}` })
    expect(tab.statusCode).toBe(200)
    expect(tab.body).toContain('2026年度履职档案')
    expect((await t.app.inject({ url: `/api/v1/members/${t.org.memberA.id}/ledger.html` })).statusCode).toBe(401)
  })
})

async function caseId(description: string): Promise<string> {
  const [row] = await t.db.select({ id: cases.id }).from(cases).where(eq(cases.description, description))
  return row!.id
}

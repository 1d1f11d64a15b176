import { randomUUID } from 'node:crypto'
import { and, count, eq, like } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Activity, MemberActivityResult, MemberLedgerReport } from '@mashangjian/shared'
import { activity, auditLog } from '../../src/db/schema'
import { jpegWithGps } from '../support/images'
import { adminApp, type AdminApp } from './admin-fixtures'

// The clock is 2026-11-23 10:00 Beijing (admin-fixtures).
let t: AdminApp
beforeAll(async () => {
  t = await adminApp()
})
afterAll(() => t?.close())

type Who = Parameters<AdminApp['as']>[0]
/** What the phone's outbox sends: multipart with `activity` (JSON) and photo1–3, or plain JSON without photos. */
async function log(who: Who, body: Record<string, unknown>, photos: Buffer[] = []) {
  const { token } = await t.as(who)
  const headers = { authorization: `Bearer ${token}` }
  if (photos.length === 0) return t.app.inject({ method: 'POST', url: '/api/v1/me/activities', headers, payload: body })
  const form = new FormData()
  form.append('activity', JSON.stringify(body))
  photos.forEach((p, i) => form.append(`photo${i + 1}`, new Blob([new Uint8Array(p)], { type: 'image/jpeg' }), `p${i + 1}.jpg`))
  return t.app.inject({ method: 'POST', url: '/api/v1/me/activities', headers, payload: form })
}
const ledger = async (who: Who = 'adminA') => (await (await t.as(who)).get(`/api/v1/members/${t.org.memberA.id}/ledger?year=2026`)).json<MemberLedgerReport>()
const review = async (who: Who, id: string, body: object) => (await t.as(who)).post(`/api/v1/activities/${id}/review`, body)
const rowsWithOp = async (opId: string) => (await t.db.select({ n: count() }).from(activity).where(eq(activity.opId, opId)))[0]!.n

const visit = { kind: 'visit', occurredOn: '2026-11-20', place: '东城社区', notes: '走访独居老人' }
let visitId = ''
let researchId = ''
let trainingId = ''

describe('a member logs their own activity', () => {
  it('records it once per opId, pending, with its photo; a resend answers the first result', async () => {
    const opId = randomUUID()
    const first = await log('memberA', { ...visit, opId }, [await jpegWithGps(1200, 900)])
    expect(first.statusCode, first.body).toBe(201)
    const a = first.json<MemberActivityResult>()
    expect(a).toMatchObject({
      replayed: false,
      activity: { memberId: t.org.memberA.id, status: 'pending', source: 'member', place: '东城社区', title: '走访' },
    })
    expect(a.activity.photos).toHaveLength(1)
    visitId = a.activity.id
    const again = await log('memberA', { ...visit, opId }, [await jpegWithGps(1200, 900)])
    expect(again.statusCode, again.body).toBe(200)
    expect(again.json<MemberActivityResult>()).toMatchObject({ replayed: true, activity: { id: visitId } })
    expect(await rowsWithOp(opId)).toBe(1)
    // The same opId for something else, or by another member, is refused and changes nothing.
    const other = await log('memberA', { ...visit, opId, place: '西城' }, [await jpegWithGps(1200, 900)])
    expect([other.statusCode, other.json().code]).toEqual([409, 'OP_ID_REUSED'])
    expect((await log('memberB', { ...visit, opId })).json().code).toBe('OP_ID_REUSED')
    expect(await rowsWithOp(opId)).toBe(1)
  })

  it('refuses a day after today (Beijing), a member id, and callers who are not members', async () => {
    expect((await log('memberA', { ...visit, opId: randomUUID(), occurredOn: '2026-11-24' })).statusCode).toBe(400)
    expect((await log('memberA', { ...visit, opId: randomUUID(), memberId: t.org.memberB.id })).statusCode).toBe(400)
    expect((await log('stationAdminA1', { ...visit, opId: randomUUID() })).statusCode).toBe(403)
    // Nor through the records API: another member is out of a member's scope.
    const forB = await (
      await t.as('memberA')
    ).post('/api/v1/activities', { memberId: t.org.memberB.id, kind: 'visit', title: '走访', occurredOn: '2026-11-01' })
    expect(forB.statusCode).toBe(404)
    const today = await log('memberA', { kind: 'meeting', occurredOn: '2026-11-23', place: '县政协', opId: randomUUID() })
    expect(today.statusCode, today.body).toBe(201)
    researchId = today.json<MemberActivityResult>().activity.id
    const third = await log('memberA', { kind: 'training', occurredOn: '2026-10-02', place: '党校', opId: randomUUID() })
    trainingId = third.json<MemberActivityResult>().activity.id
  })

  it('shows the photo to the member and admins in scope only', async () => {
    const a = (await (await t.as('memberA')).get(`/api/v1/activities/${visitId}`)).json<Activity>()
    const url = a.photos[0]!.url
    const mine = await (await t.as('memberA')).get(url)
    expect([mine.statusCode, mine.headers['content-type']]).toEqual([200, 'image/jpeg'])
    expect((await (await t.as('stationAdminA1')).get(url)).statusCode).toBe(200)
    for (const who of ['memberB', 'stationAdminA2', 'adminB'] as const) expect((await (await t.as(who)).get(url)).statusCode, who).toBe(404)
    // A photo id under another activity opens nothing.
    expect((await (await t.as('memberA')).get(`/api/v1/activities/${researchId}/photos/${a.photos[0]!.id}`)).statusCode).toBe(404)
  })
})

describe('review', () => {
  it('lists pending ones to admins in scope; others cannot review them', async () => {
    const pending = (await (await t.as('stationAdminA1')).get('/api/v1/activities?status=pending')).json<{ items: Activity[] }>()
    expect(pending.items.map((a) => a.id).sort()).toEqual([visitId, researchId, trainingId].sort())
    expect((await (await t.as('stationAdminA2')).get('/api/v1/activities?status=pending')).json().items).toEqual([])
    expect((await review('stationAdminA2', visitId, { decision: 'confirm' })).statusCode).toBe(404)
    expect((await review('adminB', visitId, { decision: 'confirm' })).statusCode).toBe(404)
    expect((await review('memberA', visitId, { decision: 'confirm' })).statusCode).toBe(403)
    expect((await review('memberB', visitId, { decision: 'confirm' })).statusCode).toBe(403)
  })

  it('the ledger counts confirmed ones only; correction and rejection are audit-logged', async () => {
    const before = await ledger()
    expect([before.counts.visits, before.counts.meetings, before.counts.research, before.counts.training]).toEqual([0, 0, 0, 0])
    const page = await (await t.as('adminA')).get(`/api/v1/members/${t.org.memberA.id}/ledger.html?year=2026`)
    expect(page.body).toContain('待确认 3 项')

    const ok = await review('stationAdminA1', visitId, { decision: 'confirm' })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json<Activity>()).toMatchObject({ status: 'confirmed' })
    // Corrected: it was research at the committee, not a meeting.
    const fixed = await review('adminA', researchId, { decision: 'confirm', changes: { kind: 'research', place: '县政协三楼' } })
    expect(fixed.json<Activity>()).toMatchObject({ status: 'confirmed', kind: 'research', place: '县政协三楼' })
    expect((await review('stationAdminA1', trainingId, { decision: 'reject' })).statusCode).toBe(400)
    const no = await review('stationAdminA1', trainingId, { decision: 'reject', reason: '未参加该培训' })
    expect(no.json<Activity>()).toMatchObject({ status: 'rejected', rejectReason: '未参加该培训' })
    expect((await review('adminA', trainingId, { decision: 'confirm' })).statusCode).toBe(409)

    // Hand-computed: one visit, one research; the rejected training and nothing else.
    const after = await ledger()
    expect([after.counts.visits, after.counts.meetings, after.counts.research, after.counts.training]).toEqual([1, 0, 1, 0])
    expect((await (await t.as('adminA')).get(`/api/v1/members/${t.org.memberA.id}/ledger.html?year=2026`)).body).toContain('待确认 0 项')

    const audited = await t.db
      .select({ action: auditLog.action, targetId: auditLog.targetId, detail: auditLog.detail })
      .from(auditLog)
      .where(and(like(auditLog.action, 'activity.%'), eq(auditLog.targetKind, 'activity')))
    const of = (id: string) => audited.filter((a) => a.targetId === id).map((a) => a.action)
    expect(of(visitId)).toEqual(['activity.logged', 'activity.confirmed'])
    expect(of(trainingId)).toEqual(['activity.logged', 'activity.rejected'])
    expect(audited.find((a) => a.action === 'activity.corrected')?.detail).toMatchObject({
      before: { kind: 'meeting', place: '县政协' },
      after: { kind: 'research', place: '县政协三楼' },
    })
  })

  it('a member cannot change a reviewed activity', async () => {
    expect((await (await t.as('memberA')).patch(`/api/v1/activities/${visitId}`, { notes: '改' })).statusCode).toBe(403)
    expect((await (await t.as('memberA')).del(`/api/v1/activities/${visitId}`)).statusCode).toBe(403)
    const mine = (await (await t.as('memberA')).get('/api/v1/activities')).json<{ items: Activity[] }>()
    expect(mine.items.map((a) => a.status).sort()).toEqual(['confirmed', 'confirmed', 'rejected'])
  })
})

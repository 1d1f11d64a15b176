import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CaseActionResult, CaseDetail, CaseSummary, SyncPage } from '@mashangjian/shared'
import { station } from '../../src/db/schema'
import { maskPiiInText } from '../../src/privacy/mask-text'
import { withDemoApp } from '../support/demo-app'
import { signIn, submitCase, type SignedIn } from '../support/case-actions'
import { postCase } from '../support/submit'

/**
 * Issue 18: a phone or ID number a resident types into the description (or adds later) reaches the case's
 * assignee in full (they call back) and everyone else masked, through the one masking function
 * (privacy/mask-text.ts), in every view that shows a case's free text: the inbox and admin list, the case
 * detail with its timeline, the sync feed, the desk's phone search, an action's answer, the dashboard's overdue
 * list, the desk intake's answer, the exports, the public duplicate hint and the public tracking page.
 */
const ctx = withDemoApp()
const PHONE = '13500135000'
const ID_NUMBER = '110101199003071234'
const SECRET_TEXT = `联系人张女士${PHONE}，身份证${ID_NUMBER}`
const DESCRIPTION = `${SECRET_TEXT}，小区门口的路灯坏了好几天，晚上回家很黑`
const ADDED = `${SECRET_TEXT}，小区门口的路灯坏了好几天，晚上回家特别黑，请尽快`
const LOCATION = `东城小区3号楼，电话+86 135-0013-5000`
const RESIDENT_PHONE = '13912340000'

/** Neither number appears in full, and both appear masked (so the text was there, not left out). */
function expectMasked(text: string | null | undefined, what: string) {
  expect(text, what).toBeTruthy()
  expect(text, what).not.toContain(PHONE)
  expect(text, what).not.toContain(ID_NUMBER)
  expect(text, what).not.toContain('0013')
  expect(text, what).toContain('135****5000')
}
function expectFull(text: string | null | undefined, what: string) {
  expect(text, what).toContain(PHONE)
  expect(text, what).toContain(ID_NUMBER)
}

const users: Record<string, SignedIn> = {}
/** Readers who are not the case's assignee. */
const NON_ASSIGNEES = ['station', 'committee', 'admin'] as const
let kase: { id: string; publicNo: string; trackingSecret: string }
let committeeId: string

beforeAll(async () => {
  for (const who of [...NON_ASSIGNEES, 'wangjianguo']) users[who] = await signIn(ctx.t.app, who)
  const [st] = await ctx.t.database.db.select().from(station).where(eq(station.id, ctx.refs.stationId))
  committeeId = st!.committeeId
  // Through 王建国's code: he is the assignee. Then another resident adds the same matter (resident_added_info).
  kase = await submitCase(ctx.t, ctx.refs.memberCode, DESCRIPTION, { location: LOCATION, phone: RESIDENT_PHONE, consent: 'on' })
  const joined = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: ADDED, joinCase: kase.publicNo })
  expect(joined.statusCode, joined.body).toBeLessThan(300)
})

describe('the masking function', () => {
  it('masks mobiles (plain, +86, spaced, dashed, full-width) and ID numbers (with X), and leaves other numbers', () => {
    expect(maskPiiInText(SECRET_TEXT)).toBe('联系人某女士135****5000，身份证110101********1234')
    for (const written of ['+8613500135000', '+86 135 0013 5000', '86-135-0013-5000', '135 0013 5000', '1350 0135 000', '１３５００１３５０００']) {
      expect(maskPiiInText(`电话${written}。`), written).toBe('电话135****5000。')
    }
    expect(maskPiiInText('身份证11010119900307123X号')).toBe('身份证110101********123X号')
    expect(maskPiiInText('座机0371-62345678或010 87654321')).toBe('座机0371-****5678或010-****4321')
    // Longer digit runs, amounts, dates and case numbers are not phone numbers.
    for (const plain of ['订单号202401011350013500099', '共花了1350元', '2024-05-06 13:50', '第3号楼2单元', '编号135001350001']) {
      expect(maskPiiInText(plain), plain).toBe(plain)
    }
  })
})

describe('free text of a case, per view', () => {
  const listItem = async (u: SignedIn) => {
    const res = await u.get('/api/v1/me/cases?filter=all&limit=50')
    expect(res.statusCode, res.body).toBe(200)
    const item = res.json<{ items: CaseSummary[] }>().items.find((c) => c.id === kase.id)
    expect(item).toBeDefined()
    return item!
  }
  /**
   * The feed serves changes below the oldest running transaction of the whole server (sync-repo.ts): on a shared
   * PostgreSQL another test file's open transaction can hold our case back for a moment, so wait for it.
   */
  const syncItem = async (u: SignedIn) => {
    for (const started = Date.now(); ; await new Promise((r) => setTimeout(r, 100))) {
      const res = await u.get('/api/v1/sync?since=0&limit=1000')
      expect(res.statusCode, res.body).toBe(200)
      const item = res.json<SyncPage>().cases.find((c) => c.id === kase.id)
      if (item || Date.now() - started > 20_000) {
        expect(item, 'the case in the sync feed').toBeDefined()
        return item!
      }
    }
  }
  const addedInfo = (d: CaseDetail) => d.events.find((e) => e.type === 'resident_added_info')?.body

  it.each(NON_ASSIGNEES)('%s (not the assignee): inbox/list, detail and timeline, sync, action answer: masked', async (who) => {
    const u = users[who]!
    const item = await listItem(u)
    expectMasked(item.description, 'list description')
    expectMasked(item.locationText, 'list location')
    const d = await u.detail(kase.id)
    expectMasked(d.description, 'detail description')
    expectMasked(d.locationText, 'detail location')
    expectMasked(addedInfo(d), 'resident_added_info in the timeline')
    expect(JSON.stringify(d)).not.toContain(PHONE)
    const s = await syncItem(u)
    expectMasked(s.description, 'sync description')
    const answer: CaseActionResult = await u.ok(kase.id, { type: 'note', body: `跟进：${who}` })
    expectMasked(answer.case.description, 'action answer')
    expect(JSON.stringify(answer)).not.toContain(PHONE)
  })

  it('the assignee: inbox, detail and timeline, sync, action answer: in full', async () => {
    const u = users.wangjianguo!
    const item = await listItem(u)
    expectFull(item.description, 'list description')
    expect(item.locationText).toBe(LOCATION)
    const d = await u.detail(kase.id)
    expectFull(d.description, 'detail description')
    expectFull(addedInfo(d), 'resident_added_info in the timeline')
    expectFull((await syncItem(u)).description, 'sync description')
    expectFull((await u.ok(kase.id, { type: 'note', body: '已电话联系' })).case.description, 'action answer')
  })

  it.each(NON_ASSIGNEES)('%s: the desk phone search, masked', async (who) => {
    const res = await ctx.t.app.inject({ method: 'POST', url: '/api/v1/cases/search', headers: users[who]!.headers, payload: { phone: RESIDENT_PHONE } })
    expect(res.statusCode, res.body).toBe(200)
    const item = res.json<{ items: CaseSummary[] }>().items.find((c) => c.id === kase.id)
    expectMasked(item?.description, 'search description')
    expect(res.body).not.toContain(PHONE)
  })

  it('a version conflict answer (the current case) is masked for an admin', async () => {
    const res = await users.station!.act(kase.id, { type: 'accept', baseVersion: 1 })
    expect(res.statusCode, res.body).toBe(409)
    expectMasked(res.json<{ current: CaseSummary }>().current.description, 'conflict current')
  })

  it('the dashboard overdue list (station and committee scope), masked', async () => {
    ctx.t.clock.advanceMinutes(60 * 24 * 10)
    for (const [who, scope, id] of [
      ['station', 'station', ctx.refs.stationId],
      ['committee', 'committee', committeeId],
      ['admin', 'committee', committeeId],
    ] as const) {
      const res = await users[who]!.get(`/api/v1/dashboard/overdue?scope=${scope}&id=${id}&limit=100`)
      expect(res.statusCode, res.body).toBe(200)
      const item = res.json<{ items: { case: CaseSummary }[] }>().items.find((i) => i.case.id === kase.id)
      expectMasked(item?.case.description, `${who} overdue`)
      expect(res.body).not.toContain(PHONE)
    }
  })

  it('exports (CSV) for admins, masked', async () => {
    for (const who of NON_ASSIGNEES) {
      const res = await users[who]!.get('/api/v1/exports/cases.csv')
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200)
      expect(res.body).toContain('135****5000')
      expect(res.body).not.toContain(PHONE)
      expect(res.body).not.toContain(ID_NUMBER)
    }
  })

  it('the desk intake answer: the station admin typed it, the answer shows it masked', async () => {
    const res = await ctx.t.app.inject({
      method: 'POST',
      url: '/api/v1/cases/intake',
      headers: users.station!.headers,
      payload: { opId: randomUUID(), channel: 'phone', stationId: ctx.refs.stationId, description: `来电：${DESCRIPTION}`, consent: false },
    })
    expect(res.statusCode, res.body).toBeLessThan(300)
    expectMasked(res.json<{ case: CaseSummary }>().case.description, 'intake answer')
  })

  it('the public duplicate hint shows another resident’s text masked', async () => {
    const res = await postCase(ctx.t.app, { code: ctx.refs.memberCode, description: `${SECRET_TEXT}，小区门口的路灯坏了好几天，晚上回家很黑啊` })
    expect(res.statusCode, res.body).toBe(200)
    const hint = res.json<{ status: string; excerpt: string }>()
    expect(hint.status).toBe('duplicate')
    expect(hint.excerpt).not.toContain(PHONE)
    expect(hint.excerpt).toContain('135****5000')
  })

  it('the public tracking page shows public replies masked', async () => {
    const u = users.wangjianguo!
    const d = await u.detail(kase.id)
    if (d.status === 'assigned') await u.ok(kase.id, { type: 'accept' })
    await u.ok(kase.id, { type: 'resolve', reply: `已修好，张女士${PHONE}确认过` })
    const res = await ctx.t.app.inject({ method: 'GET', url: `/api/v1/public/tracking/${kase.trackingSecret}` })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.body).toContain('135****5000')
    expect(res.body).not.toContain(PHONE)
  })
})

import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLog, dutyShift, memberStation } from '../../src/db/schema'
import { beijingInstant } from '@mashangjian/shared'
import { createTestApp, type TestApp } from '../support/test-app'
import { bearer, createOrg, login, type Org } from '../support/fixtures'

describe('duty roster API: rules, exceptions, generated shifts, scope and validation', () => {
  let t: TestApp
  let org: Org
  const tokens: Record<string, string> = {}
  // Saturday 5 December 2026, 10:00 Beijing.
  const START = beijingInstant('2026-12-05', '10:00')

  beforeAll(async () => {
    t = await createTestApp()
    t.clock.advance(START.getTime() - t.clock.now().getTime())
    org = await createOrg(t.database.db)
    await t.database.db.insert(memberStation).values({ memberId: org.memberA.id, stationId: org.stationA1.id })
    for (const [k, u] of Object.entries(org.users)) tokens[k] = (await login(t.app, u.username)).accessToken
  })
  afterAll(() => t?.close())

  const call = (who: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: bearer(tokens[who]!), ...(payload && { payload }) })
  const base = () => `/api/v1/stations/${org.stationA1.id}`
  const thursdays = () => ({ kind: 'monthly', weekdays: [4], ordinals: [1, 3], startsAt: '09:00', endsAt: '11:30', memberIds: [org.memberA.id] })
  const shiftDays = async () =>
    (await t.database.db.select({ day: dutyShift.day }).from(dutyShift).where(eq(dutyShift.stationId, org.stationA1.id)).orderBy(dutyShift.day)).map(
      (r) => r.day,
    )

  it('a station admin creates a rule; shifts are generated for 120 days from today and listed', async () => {
    const res = await call('stationAdminA1', 'POST', `${base()}/duty-rules`, thursdays())
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({
      kind: 'monthly',
      weekdays: [4],
      ordinals: [1, 3],
      startsAt: '09:00',
      endsAt: '11:30',
      members: [{ id: org.memberA.id }],
    })
    // 5 Dec 2026 + 119 days = 3 Apr 2027; 1st/3rd Thursdays by hand.
    expect(await shiftDays()).toEqual(['2026-12-17', '2027-01-07', '2027-01-21', '2027-02-04', '2027-02-18', '2027-03-04', '2027-03-18', '2027-04-01'])
    const upcoming = await call('stationAdminA1', 'GET', `${base()}/duty-shifts?limit=2`)
    expect(upcoming.json()).toEqual({
      items: [
        { day: '2026-12-17', startsAt: '09:00', endsAt: '11:30', members: [{ id: org.memberA.id, name: org.memberA.name }] },
        { day: '2027-01-07', startsAt: '09:00', endsAt: '11:30', members: [{ id: org.memberA.id, name: org.memberA.name }] },
      ],
    })
    const [audit] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'duty_rule.created'), eq(auditLog.targetId, org.stationA1.id)))
    expect(audit).toBeDefined()
  })

  it('changing the rule and cancelling days regenerate the shifts in the same request', async () => {
    const [rule] = (await call('adminA', 'GET', `${base()}/duty-roster`)).json<{ rules: { id: string }[] }>().rules
    const put = await call('adminA', 'PUT', `${base()}/duty-rules/${rule!.id}`, { ...thursdays(), ordinals: [-1], validUntil: '2027-02-28' })
    expect(put.statusCode, put.body).toBe(200)
    expect(await shiftDays()).toEqual(['2026-12-31', '2027-01-28', '2027-02-25'])
    const holiday = await call('stationAdminA1', 'POST', `${base()}/duty-exceptions`, { day: '2027-01-28', note: '春节前' })
    expect(holiday.statusCode, holiday.body).toBe(201)
    const skip = await call('stationAdminA1', 'POST', `${base()}/duty-exceptions`, { day: '2026-12-31', ruleId: rule!.id })
    expect(skip.statusCode, skip.body).toBe(201)
    expect(await shiftDays()).toEqual(['2027-02-25'])
    expect((await call('stationAdminA1', 'DELETE', `${base()}/duty-exceptions/${holiday.json<{ id: string }>().id}`)).statusCode).toBe(204)
    expect(await shiftDays()).toEqual(['2027-01-28', '2027-02-25'])
    const roster = (await call('stationAdminA1', 'GET', `${base()}/duty-roster`)).json<{ exceptions: { day: string; ruleId: string | null }[] }>()
    expect(roster.exceptions).toEqual([expect.objectContaining({ day: '2026-12-31', ruleId: rule!.id })])
  })

  it('a past shift stays as history when the rule is deleted; future ones go', async () => {
    const [rule] = (await call('adminA', 'GET', `${base()}/duty-roster`)).json<{ rules: { id: string }[] }>().rules
    await t.database.db
      .insert(dutyShift)
      .values({ stationId: org.stationA1.id, memberId: org.memberA.id, day: '2026-11-19', startsAt: '09:00', endsAt: '11:30' })
    expect((await call('stationAdminA1', 'DELETE', `${base()}/duty-rules/${rule!.id}`)).statusCode).toBe(204)
    expect(await shiftDays()).toEqual(['2026-11-19'])
  })

  it.each([
    ['endsAt', { endsAt: '08:00' }, 'body.endsAt', 'endBeforeStart'],
    ['weekday out of range', { weekdays: [7] }, 'body.weekdays.0', 'maximum'],
    ['ordinal out of range', { ordinals: [6] }, 'body.ordinals.0', 'maximum'],
    ['no weekdays', { weekdays: [] }, 'body.weekdays', 'required'],
    ['until before from', { validFrom: '2027-01-01', validUntil: '2026-12-01' }, 'body.validUntil', 'untilBeforeFrom'],
    ['not a calendar day', { kind: 'dates', dates: ['2027-02-30'] }, 'body.dates.0', 'day'],
  ])('refuses a rule with a bad %s as problem+json 400', async (_name, patch, field, keyword) => {
    const res = await call('stationAdminA1', 'POST', `${base()}/duty-rules`, { ...thursdays(), ...patch })
    expect(res.statusCode, res.body).toBe(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    const body = res.json<{ code: string; errors: { field: string; keyword?: string }[] }>()
    expect(body.code).toBe('VALIDATION_FAILED')
    const hit = body.errors.find((e) => e.field.startsWith(field))
    expect(hit, JSON.stringify(body.errors)).toBeDefined()
    if (keyword) expect(hit!.keyword).toBe(keyword)
  })

  it('refuses a member who is not of this station, naming the code', async () => {
    // memberA is of A1 only; A2 has no members.
    const res = await call('adminA', 'POST', `/api/v1/stations/${org.stationA2.id}/duty-rules`, thursdays())
    expect(res.statusCode).toBe(400)
    expect(res.json<{ errors: { field: string; keyword: string }[] }>().errors).toEqual([
      expect.objectContaining({ field: 'body.memberIds', keyword: 'notStationMember' }),
    ])
  })

  it('scope: another station admin or committee gets 404, a member 403; the city admin above may', async () => {
    expect((await call('stationAdminA1', 'GET', `/api/v1/stations/${org.stationA2.id}/duty-roster`)).statusCode).toBe(404)
    expect((await call('adminB', 'POST', `${base()}/duty-rules`, thursdays())).statusCode).toBe(404)
    expect((await call('adminB', 'GET', `${base()}/duty-shifts`)).statusCode).toBe(404)
    expect((await call('memberA', 'GET', `${base()}/duty-roster`)).statusCode).toBe(403)
    expect((await t.app.inject({ url: `${base()}/duty-roster` })).statusCode).toBe(401)
    expect((await call('cityAdmin', 'POST', `${base()}/duty-rules`, thursdays())).statusCode).toBe(201)
  })

  it('the daily job moves the generated window on by the days that passed', async () => {
    const before = await shiftDays()
    expect(before.at(-1)).toBe('2027-04-01')
    t.clock.advance(14 * 86_400_000)
    await t.app.services.dutyRoster.extendAll()
    const after = await shiftDays()
    expect(after.at(-1)).toBe('2027-04-15')
  })
})

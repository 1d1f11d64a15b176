import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CaseDestinations } from '@mashangjian/shared'
import { appUser, dutyShift, member, memberStation, station, userStation } from '../../src/db/schema'
import { hashPassword } from '../../src/auth/passwords'
import { withDemoApp } from '../support/demo-app'
import { bearer, createOrg, login, PASSWORD } from '../support/fixtures'
import { signIn, submitCase, uniqueText, type SignedIn } from '../support/case-actions'

/**
 * 派单/改派/转办 destinations: what each caller may hand a case to, scoped like the case itself, and everything
 * listed is accepted by the action endpoint (the list and destinationOf() must never disagree).
 */
const ctx = withDemoApp()
const db = () => ctx.t.database.db
const users = {} as Record<'station' | 'committee' | 'admin' | 'wangjianguo' | 'lixiulan', SignedIn>
const tokens: Record<string, string> = {}
const destinations = async (token: string, id: string) => ctx.t.app.inject({ url: `/api/v1/cases/${id}/destinations`, headers: bearer(token) })
const listed = async (who: keyof typeof users, id: string) => {
  const res = await destinations(users[who].token, id)
  expect(res.statusCode, res.body).toBe(200)
  return res.json<CaseDestinations>()
}

let stationIds: Record<string, string>
let activeMembers: { id: string; name: string }[]
/** A station of another county (the system admin's reach, never a case's destination here). */
let elsewhereStationId: string

beforeAll(async () => {
  for (const who of ['station', 'committee', 'admin', 'wangjianguo', 'lixiulan'] as const) users[who] = await signIn(ctx.t.app, who)
  stationIds = Object.fromEntries((await db().select({ id: station.id, name: station.name }).from(station)).map((s) => [s.name, s.id]))
  activeMembers = await db().select({ id: member.id, name: member.name }).from(member).where(eq(member.status, 'active'))
  const nanguan = stationIds['南关社区委员工作室']!
  const [row] = await db().select({ committeeId: station.committeeId }).from(station).where(eq(station.id, nanguan))
  const [other] = await db()
    .insert(appUser)
    .values({
      username: 'nanguan-dest',
      displayName: '南关值班',
      role: 'station_admin',
      committeeId: row!.committeeId,
      passwordHash: await hashPassword(PASSWORD),
    })
    .returning()
  await db().insert(userStation).values({ userId: other!.id, stationId: nanguan })
  tokens.otherStation = (await login(ctx.t.app, 'nanguan-dest')).accessToken
  const org = await createOrg(db())
  elsewhereStationId = org.stationA1.id
  tokens.otherCounty = (await login(ctx.t.app, org.users.adminA.username)).accessToken
  tokens.otherStationAdminElsewhere = (await login(ctx.t.app, org.users.stationAdminA1.username)).accessToken
})

/** Names of the members of a station (from the roster, not from the endpoint). */
const membersOf = async (stationName: string) =>
  (
    await db()
      .select({ id: member.id })
      .from(memberStation)
      .innerJoin(member, eq(member.id, memberStation.memberId))
      .where(eq(memberStation.stationId, stationIds[stationName]!))
  ).map((m) => m.id)

describe('GET /api/v1/cases/:id/destinations', () => {
  it('a station admin gets the active members of their stations and the committee stations; each is accepted by assign and transfer', async () => {
    const c = await submitCase(ctx.t, ctx.refs.stationCode, uniqueText('东城街道的公共厕所晚上不开门，很不方便'))
    const d = await listed('station', c.id)
    const dongcheng = await membersOf('东城街道委员工作站')
    expect(d.stations).toHaveLength(3)
    expect(d.stations).toContainEqual({ id: stationIds['东城街道委员工作站'], name: '东城街道委员工作站' })
    expect(d.members.map((m) => m.id).sort()).toEqual(
      activeMembers
        .filter((m) => dongcheng.includes(m.id))
        .map((m) => m.id)
        .sort(),
    )
    for (const m of d.members) {
      expect(m.stations.map((s) => s.name)).toContain('东城街道委员工作站')
      const res = await users.station.act(c.id, { type: 'assign', memberId: m.id })
      expect(res.statusCode, `${m.name}: ${res.body}`).toBe(200)
      expect(res.json().case.memberId).toBe(m.id)
    }
    // One case per station: a transfer to another station takes the case out of this desk's sight.
    for (const s of d.stations) {
      const one = await submitCase(ctx.t, ctx.refs.stationCode, uniqueText('东城街道的公共厕所晚上不开门，很不方便'))
      const res = await users.station.act(one.id, { type: 'transfer', toStationId: s.id, reason: '请对口工作站办理' })
      expect(res.statusCode, res.body).toBe(200)
      expect(res.json().case.stationId).toBe(s.id)
    }
  })

  it('a committee admin gets every active member and every station of the case committee; each is accepted', async () => {
    const c = await submitCase(ctx.t, ctx.refs.stationCode, uniqueText('县城南门外的公交站牌被撞坏了，一直没人修'))
    const d = await listed('committee', c.id)
    expect(d.members.map((m) => m.id).sort()).toEqual(activeMembers.map((m) => m.id).sort())
    expect(d.members.map((m) => m.name)).not.toContain('马德海') // on leave
    expect(d.stations.map((s) => s.name).sort()).toEqual(['东城街道委员工作站', '南关社区委员工作室', '首阳镇委员联络室'].sort())
    for (const m of d.members) {
      const res = await users.committee.act(c.id, { type: 'assign', memberId: m.id })
      expect(res.statusCode, `${m.name}: ${res.body}`).toBe(200)
    }
    for (const s of d.stations)
      expect((await users.committee.act(c.id, { type: 'transfer', toStationId: s.id, reason: '转到对口工作站' })).statusCode).toBe(200)
    // A system admin sees the case committee's members and stations too.
    const sys = await listed('admin', c.id)
    expect(sys.members.map((m) => m.id).sort()).toEqual(d.members.map((m) => m.id).sort())
    expect(sys.stations).toEqual(d.stations)
    // A station of another committee would never see the case (it keeps its committee): not a destination.
    const away = await users.admin.act(c.id, { type: 'transfer', toStationId: elsewhereStationId, reason: '转到别的县' })
    expect(away.statusCode, away.body).toBe(404)
  })

  it('the assignee (转办) gets the committee stations and the other active members; each is accepted by transfer', async () => {
    const d0 = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('楼道里堆满了杂物，消防通道被堵住了'))
    const d = await listed('wangjianguo', d0.id)
    const [me] = await db().select({ id: member.id }).from(member).where(eq(member.name, '王建国'))
    expect(d.members.map((m) => m.id)).not.toContain(me!.id)
    expect(d.members.map((m) => m.id).sort()).toEqual(
      activeMembers
        .filter((m) => m.id !== me!.id)
        .map((m) => m.id)
        .sort(),
    )
    expect(d.stations).toHaveLength(3)
    // Every listed member accepts a transfer from the assignee (one case per try: a transfer hands it away).
    for (const m of d.members) {
      const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText('楼下的共享单车乱停乱放，挡住了盲道'))
      const res = await users.wangjianguo.act(c.id, { type: 'transfer', toMemberId: m.id, reason: '更对口' })
      expect(res.statusCode, `${m.name}: ${res.body}`).toBe(200)
    }
    const res = await users.wangjianguo.act(d0.id, { type: 'transfer', toStationId: d.stations[2]!.id, reason: '请工作站安排' })
    expect(res.statusCode, res.body).toBe(200)
  })

  it('orders on duty first, then the lightest load, with each open load and sector', async () => {
    const c = await submitCase(ctx.t, ctx.refs.stationCode, uniqueText('东城广场的健身器材坏了两件，老人锻炼不安全'))
    const [zhou] = await db().select({ id: member.id }).from(member).where(eq(member.name, '周文斌'))
    // 接待日 shift covering now (the test clock, Beijing time) at 东城.
    const beijing = new Date(ctx.t.clock.now().getTime() + 8 * 3600_000)
    const day = beijing.toISOString().slice(0, 10)
    const hour = beijing.getUTCHours()
    await db()
      .insert(dutyShift)
      .values({
        stationId: stationIds['东城街道委员工作站']!,
        memberId: zhou!.id,
        day,
        startsAt: `${String(hour).padStart(2, '0')}:00`,
        endsAt: `${String(hour + 1).padStart(2, '0')}:00`,
      })
    const d = await listed('station', c.id)
    expect(d.members[0]).toMatchObject({ id: zhou!.id, name: '周文斌', onDutyNow: true, sectorName: '经济界' })
    const rest = d.members.slice(1)
    expect(rest.every((m) => !m.onDutyNow)).toBe(true)
    for (let i = 1; i < rest.length; i++) expect(rest[i]!.openCases).toBeGreaterThanOrEqual(rest[i - 1]!.openCases)
    // The load counts what is assigned and not yet resolved.
    const before = d.members.find((m) => m.name === '陈明')!.openCases
    const [chen] = await db().select({ id: member.id }).from(member).where(eq(member.name, '陈明'))
    await users.station.ok(c.id, { type: 'assign', memberId: chen!.id })
    expect((await listed('station', c.id)).members.find((m) => m.name === '陈明')!.openCases).toBe(before + 1)
  })

  it('is scoped like the case: other stations, other counties and other members get 404', async () => {
    const c = await submitCase(ctx.t, ctx.refs.stationCode, uniqueText('东城小学门口的斑马线已经看不清了'))
    for (const token of [tokens.otherStation!, tokens.otherCounty!, tokens.otherStationAdminElsewhere!, users.lixiulan.token]) {
      const res = await destinations(token, c.id)
      expect(res.statusCode, res.body).toBe(404)
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND' })
    }
    expect((await destinations(users.station.token, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404)
    expect((await destinations(users.station.token, 'not-a-uuid')).statusCode).toBe(400)
  })
})

describe('OpenAPI', () => {
  it('describes the desk endpoints, bearer-protected with problem responses', async () => {
    const doc = (await ctx.t.app.inject({ url: '/docs/json' })).json()
    for (const [path, method] of [
      ['/api/v1/cases/search', 'post'],
      ['/api/v1/cases/{id}/destinations', 'get'],
    ] as const) {
      const op = doc.paths[path]?.[method]
      expect(op, `${method} ${path}`).toBeDefined()
      expect(op.security).toEqual([{ bearerAuth: [] }])
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']))
    }
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DashboardSummary, OverduePage, RankingPage } from '@mashangjian/shared'
import { comparisonPeriod, rankEntries } from '../../src/dashboard/dashboard-service'
import { aggregateAll } from '../support/metrics'
import { adminApp, at, insertCase, type AdminApp, type NewCase } from './admin-fixtures'

/**
 * A seeded set of cases in county A (stations A1, A2; member A with a sector, member B without) and county B,
 * in Q1 2026 and Q4 2025. The dashboard's figures must equal the DESIGN.md §1 definitions applied to the raw
 * rows by `reference` below, which knows nothing of the aggregates.
 */
type Seed = Omit<Partial<NewCase>, 'committeeId'> & Pick<NewCase, 'status' | 'createdAt'> & { county?: 'A' | 'B' }
let t: AdminApp
const seeds: (NewCase & { id: string })[] = []

const start = (day: string) => new Date(`${day}T00:00:00+08:00`)
const r4 = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000)

/** 三率 straight from the definitions: 响应率, 解决率, 满意率 over [from, to) Beijing days. */
function reference(rows: NewCase[], from: string, to: string) {
  const inP = (d: Date | null | undefined) => !!d && d >= start(from) && d < start(to)
  const valid = rows.filter((c) => c.status !== 'invalid' && c.status !== 'merged')
  const assigned = valid.filter((c) => c.status !== 'submitted' && inP(c.createdAt as Date))
  const onTime = assigned.filter((c) => c.acceptedAt && (!c.acceptDueAt || c.acceptedAt <= c.acceptDueAt))
  const due = valid.filter((c) => inP(c.resolveDueAt))
  const rated = valid.filter((c) => c.rating && inP(c.ratedAt))
  const happy = rated.filter((c) => c.rating === 'satisfied' || c.rating === 'basically_satisfied')
  return {
    counts: {
      assigned: assigned.length,
      acceptedOnTime: onTime.length,
      dueInPeriod: due.length,
      resolvedOfDue: due.filter((c) => c.resolvedAt).length,
      rated: rated.length,
    },
    rates: {
      responseRate: r4(onTime.length, assigned.length),
      resolutionRate: r4(due.filter((c) => c.resolvedAt).length, due.length),
      satisfactionRate: r4(happy.length, rated.length),
    },
  }
}

beforeAll(async () => {
  t = await adminApp()
  const { org } = t
  const A1 = { stationId: org.stationA1.id }
  const A2 = { stationId: org.stationA2.id }
  const list: Record<string, Seed> = {
    c1: {
      ...A1,
      memberId: org.memberA.id,
      categoryId: org.noise.id,
      status: 'closed',
      createdAt: at('2026-01-05T02:00'),
      acceptDueAt: at('2026-01-06T02:00'),
      acceptedAt: at('2026-01-05T05:00'),
      resolveDueAt: at('2026-01-12T02:00'),
      resolvedAt: at('2026-01-10T02:00'),
      rating: 'satisfied',
      ratedAt: at('2026-01-11T02:00'),
    },
    c2: {
      ...A1,
      memberId: org.memberA.id,
      categoryId: org.noise.id,
      status: 'resolved',
      createdAt: at('2026-01-20T02:00'),
      acceptDueAt: at('2026-01-21T02:00'),
      acceptedAt: at('2026-01-22T02:00'),
      resolveDueAt: at('2026-01-27T02:00'),
      resolvedAt: at('2026-02-03T02:00'),
    },
    c3: {
      ...A1,
      categoryId: org.roads.id,
      status: 'assigned',
      createdAt: at('2026-02-02T02:00'),
      acceptDueAt: at('2026-02-03T02:00'),
      resolveDueAt: at('2026-02-09T02:00'),
    },
    c4: {
      ...A2,
      memberId: org.memberB.id,
      categoryId: org.roads.id,
      status: 'in_progress',
      createdAt: at('2026-02-10T02:00'),
      acceptDueAt: at('2026-02-11T02:00'),
      acceptedAt: at('2026-02-10T03:00'),
      resolveDueAt: at('2026-02-17T02:00'),
    },
    c5: {
      ...A2,
      memberId: org.memberB.id,
      categoryId: org.noise.id,
      status: 'closed',
      createdAt: at('2026-03-03T02:00'),
      acceptDueAt: at('2026-03-04T02:00'),
      acceptedAt: at('2026-03-03T04:00'),
      resolveDueAt: at('2026-03-10T02:00'),
      resolvedAt: at('2026-03-05T02:00'),
      rating: 'unsatisfied',
      ratedAt: at('2026-03-06T02:00'),
      reopenCount: 1,
    },
    c6: {
      ...A2,
      memberId: org.memberB.id,
      categoryId: org.noise.id,
      status: 'invalid',
      createdAt: at('2026-03-15T02:00'),
      acceptDueAt: at('2026-03-16T02:00'),
    },
    c7: {
      ...A1,
      memberId: org.memberA.id,
      categoryId: org.roads.id,
      status: 'closed',
      createdAt: at('2026-03-20T02:00'),
      acceptDueAt: at('2026-03-21T02:00'),
      acceptedAt: at('2026-03-20T06:00'),
      resolveDueAt: at('2026-03-27T02:00'),
      resolvedAt: at('2026-03-24T02:00'),
      rating: 'basically_satisfied',
      ratedAt: at('2026-03-25T02:00'),
    },
    c8: { ...A1, status: 'submitted', createdAt: at('2026-03-28T02:00') },
    c9: {
      ...A1,
      memberId: org.memberA.id,
      categoryId: org.roads.id,
      status: 'accepted',
      createdAt: at('2026-03-30T02:00'),
      acceptDueAt: at('2026-03-31T02:00'),
      acceptedAt: at('2026-03-30T03:00'),
      resolveDueAt: at('2026-04-06T02:00'),
    },
    p1: {
      ...A1,
      memberId: org.memberA.id,
      categoryId: org.noise.id,
      status: 'closed',
      createdAt: at('2025-11-03T02:00'),
      acceptDueAt: at('2025-11-04T02:00'),
      acceptedAt: at('2025-11-03T03:00'),
      resolveDueAt: at('2025-11-10T02:00'),
      resolvedAt: at('2025-11-08T02:00'),
      rating: 'satisfied',
      ratedAt: at('2025-11-09T02:00'),
    },
    p2: {
      ...A2,
      memberId: org.memberB.id,
      categoryId: org.roads.id,
      status: 'accepted',
      createdAt: at('2025-12-01T02:00'),
      acceptDueAt: at('2025-12-02T02:00'),
      acceptedAt: at('2025-12-03T02:00'),
      resolveDueAt: at('2025-12-08T02:00'),
    },
    b1: { county: 'B', stationId: org.stationB1.id, status: 'assigned', createdAt: at('2026-02-01T02:00'), acceptDueAt: at('2026-02-02T02:00') },
  }
  for (const [key, { county, ...s }] of Object.entries(list)) {
    const row = await insertCase(t.db, { ...s, committeeId: county === 'B' ? org.countyB.id : org.countyA.id, description: key })
    seeds.push({ ...row, id: row.id })
  }
  await aggregateAll(t.db, t.app.services.metricsAggregator)
})
afterAll(() => t?.close())

const countyA = () => seeds.filter((c) => c.committeeId === t.org.countyA.id)
const idOf = (key: string) => seeds.find((c) => c.description === key)!.id

describe('dashboard summary', () => {
  it('matches the 三率 computed from the raw cases, for the period and the previous one (环比)', async () => {
    const res = await (await t.as('adminA')).get(`/api/v1/dashboard/summary?scope=committee&id=${t.org.countyA.id}&from=2026-01-01&to=2026-04-01`)
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json<DashboardSummary>()
    expect(body.comparison).toEqual({ mode: 'previous', from: '2025-10-01', to: '2026-01-01' })
    const now = reference(countyA(), '2026-01-01', '2026-04-01')
    const before = reference(countyA(), '2025-10-01', '2026-01-01')
    expect(body.current.counts).toMatchObject(now.counts)
    expect(body.current.rates).toMatchObject(now.rates)
    expect(body.previous.counts).toMatchObject(before.counts)
    expect(body.previous.rates).toMatchObject(before.rates)
    // Spelled out once, so a wrong reference cannot hide a wrong API: 5 of 7 dispatched accepted on time, 4 of 6 due resolved, 2 of 3 ratings happy.
    expect(body.current.rates).toMatchObject({ responseRate: 0.7143, resolutionRate: 0.6667, satisfactionRate: 0.6667 })
    expect(body.change.responseRate).toBeCloseTo(0.7143 - 0.5, 4)
    expect(body.change.satisfactionRate).toBeCloseTo(0.6667 - 1, 4)
  })

  it('gives a monthly trend that adds up to the period, and category heat against the comparison period', async () => {
    const body = (
      await (await t.as('adminA')).get(`/api/v1/dashboard/summary?scope=committee&id=${t.org.countyA.id}&from=2026-01-01&to=2026-04-01`)
    ).json<DashboardSummary>()
    expect(body.trend.map((b) => b.month)).toEqual(['2026-01', '2026-02', '2026-03'])
    expect(body.trend.map((b) => b.counts.assigned)).toEqual([2, 2, 3])
    expect(body.trend.reduce((n, b) => n + b.counts.resolvedOfDue, 0)).toBe(body.current.counts.resolvedOfDue)
    for (const b of body.trend) {
      const month = reference(countyA(), `${b.month}-01`, b.month === '2026-03' ? '2026-04-01' : `2026-0${Number(b.month.slice(5)) + 1}-01`)
      expect(b.rates).toMatchObject(month.rates)
    }
    const heat = Object.fromEntries(body.categories.map((c) => [c.names?.['zh-CN'] ?? 'none', [c.cases, c.previousCases]]))
    expect(heat).toEqual({ 道路交通: [4, 1], 噪音扰民: [3, 1], none: [1, 0] })
    expect(body.categories[0]!.names?.['zh-CN']).toBe('道路交通')
  })

  it('compares with the same days a year earlier (同比) on request', async () => {
    const body = (
      await (await t.as('adminA')).get(`/api/v1/dashboard/summary?scope=committee&id=${t.org.countyA.id}&from=2026-01-01&to=2026-04-01&compare=year`)
    ).json<DashboardSummary>()
    expect(body.comparison).toEqual({ mode: 'year', from: '2025-01-01', to: '2025-04-01' })
    expect(body.previous.counts.assigned).toBe(0)
    expect(body.change.responseRate).toBeNull()
  })

  it('counts a station for its admin, live overdue included', async () => {
    const res = await (await t.as('stationAdminA1')).get(`/api/v1/dashboard/summary?scope=station&id=${t.org.stationA1.id}&from=2026-01-01&to=2026-04-01`)
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json<DashboardSummary>()
    const a1 = seeds.filter((c) => c.stationId === t.org.stationA1.id)
    expect(body.current.rates).toMatchObject(reference(a1, '2026-01-01', '2026-04-01').rates)
    expect(body.overdue).toEqual({ accept: 1, resolve: 1, total: 2 })
  })

  it.each([
    ['stationAdminA1', 'committee', 'countyA', 403],
    ['stationAdminA1', 'station', 'stationA2', 404],
    ['adminA', 'committee', 'countyB', 404],
    ['adminA', 'station', 'stationB1', 404],
    ['adminB', 'committee', 'countyA', 404],
    ['cityAdmin', 'committee', 'countyA', 200],
    ['memberA', 'station', 'stationA1', 403],
  ] as const)('%s asking for %s %s → %i', async (who, scope, target, status) => {
    const res = await (await t.as(who)).get(`/api/v1/dashboard/summary?scope=${scope}&id=${t.org[target].id}`)
    expect(res.statusCode, res.body).toBe(status)
  })
})

describe('dashboard rankings', () => {
  const rank = async (query: string, who: 'adminA' | 'stationAdminA1' = 'adminA') => {
    const res = await (await t.as(who)).get(`/api/v1/dashboard/rankings?from=2026-01-01&to=2026-04-01&${query}`)
    expect(res.statusCode, res.body).toBe(200)
    return res.json<RankingPage>()
  }

  it('ranks stations by resolution rate from the aggregates, each matching its raw cases', async () => {
    const page = await rank(`scope=committee&id=${t.org.countyA.id}&dimension=station`)
    expect(page).toMatchObject({ source: 'aggregates', total: 2, dimension: 'station' })
    for (const e of page.items) {
      const own = seeds.filter((c) => c.stationId === e.id)
      expect(e.rates).toMatchObject(reference(own, '2026-01-01', '2026-04-01').rates)
    }
    // A1: 3 of 4 due resolved; A2: 1 of 2.
    expect(page.items.map((e) => [e.name, e.rates.resolutionRate])).toEqual([
      ['A1', 0.75],
      ['A2', 0.5],
    ])
    const asc = await rank(`scope=committee&id=${t.org.countyA.id}&dimension=station&order=asc`)
    expect(asc.items.map((e) => e.name)).toEqual(['A2', 'A1'])
  })

  it('ranks members and sectors; a sector without cases comes last with no rate, members without a sector as one entry', async () => {
    const members = await rank(`scope=committee&id=${t.org.countyA.id}&dimension=member&sort=assigned`)
    expect(members.items.map((e) => [e.id, e.counts.assigned])).toEqual([
      [t.org.memberA.id, 4],
      [t.org.memberB.id, 2],
    ])
    const sectors = await rank(`scope=committee&id=${t.org.countyA.id}&dimension=sector&sort=satisfactionRate`)
    expect(sectors.items.map((e) => [e.name, e.counts.assigned, e.rates.satisfactionRate])).toEqual([
      [t.org.economy.name, 4, 1],
      [null, 2, 0],
      [t.org.education.name, 0, null],
    ])
    expect((await rank(`scope=committee&id=${t.org.countyA.id}&dimension=sector&minAssigned=1`)).total).toBe(2)
  })

  it('ranks a station’s members from its cases, agreeing with the aggregates for a member who serves only there', async () => {
    const live = await rank(`scope=station&id=${t.org.stationA1.id}&dimension=member`, 'stationAdminA1')
    expect(live.source).toBe('cases')
    const fromAggregates = await rank(`scope=committee&id=${t.org.countyA.id}&dimension=member`)
    const a = (p: RankingPage) => p.items.find((e) => e.id === t.org.memberA.id)!
    expect(a(live).counts).toEqual(a(fromAggregates).counts)
    expect(a(live).rates).toEqual(a(fromAggregates).rates)
    // The station's queue and unrouted cases (no member) are one entry of their own.
    expect(live.items.find((e) => e.id === null)?.counts.assigned).toBe(1)
  })

  it('breaks ties by case count, then name, and keeps null rates last in both orders', () => {
    const e = (id: string, assigned: number, rate: number | null) => ({
      id,
      name: id,
      counts: {
        assigned,
        acceptedOnTime: 0,
        returned: 0,
        dueInPeriod: 0,
        resolvedOfDue: 0,
        rated: 0,
        satisfied: 0,
        basicallySatisfied: 0,
        resolved: 0,
        reopened: 0,
      },
      rates: { responseRate: rate, resolutionRate: rate, satisfactionRate: rate, returnRate: null, reopenRate: null },
    })
    const entries = [e('a', 1, 0.5), e('b', 3, 0.5), e('c', 2, null), e('d', 2, 0.9)]
    expect(rankEntries(entries, { sort: 'responseRate' }).items.map((x) => x.id)).toEqual(['d', 'b', 'a', 'c'])
    expect(rankEntries(entries, { sort: 'responseRate', order: 'asc' }).items.map((x) => x.id)).toEqual(['b', 'a', 'd', 'c'])
    expect(rankEntries(entries, { sort: 'responseRate', limit: 2, minAssigned: 2 })).toMatchObject({
      total: 3,
      items: [
        { id: 'd', rank: 1 },
        { id: 'b', rank: 2 },
      ],
    })
  })
})

describe('overdue list', () => {
  const page = async (who: 'adminA' | 'stationAdminA1' | 'adminB' | 'cityAdmin', query: string) => {
    const res = await (await t.as(who)).get(`/api/v1/dashboard/overdue?${query}`)
    expect(res.statusCode, res.body).toBe(200)
    return res.json<OverduePage>()
  }

  it('lists a committee’s open cases past their deadline, most overdue first, a page at a time', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const p: OverduePage = await page('adminA', `scope=committee&id=${t.org.countyA.id}&limit=1${cursor ? `&cursor=${cursor}` : ''}`)
      expect(p.items.length).toBeLessThanOrEqual(1)
      seen.push(...p.items.map((i) => i.case.description))
      cursor = p.nextCursor
    } while (cursor)
    expect(seen).toEqual(['p2', 'c3', 'c4', 'c9'])
    const first = (await page('adminA', `scope=committee&id=${t.org.countyA.id}`)).items[0]!
    expect(first).toMatchObject({ kind: 'resolve', dueAt: '2025-12-08T02:00:00.000Z', case: { id: idOf('p2'), overdue: true } })
    expect(first.overdueMinutes).toBe(Math.floor((at('2026-11-23T02:00').getTime() - at('2025-12-08T02:00').getTime()) / 60_000))
  })

  it('keeps to the caller’s scope: a station admin sees their station, another county sees its own', async () => {
    expect((await page('stationAdminA1', `scope=station&id=${t.org.stationA1.id}`)).items.map((i) => i.case.description)).toEqual(['c3', 'c9'])
    expect((await page('adminB', `scope=committee&id=${t.org.countyB.id}`)).items.map((i) => i.case.description)).toEqual(['b1'])
    expect((await page('cityAdmin', `scope=committee&id=${t.org.city.id}&kind=accept`)).items.map((i) => i.case.description)).toEqual(['b1', 'c3'])
    for (const [who, query, status] of [
      ['stationAdminA1', `scope=station&id=${t.org.stationA2.id}`, 404],
      ['stationAdminA1', `scope=committee&id=${t.org.countyA.id}`, 403],
      ['adminB', `scope=committee&id=${t.org.countyA.id}`, 404],
      ['adminA', `scope=committee&id=${t.org.countyA.id}&cursor=bm9wZQ`, 400],
    ] as const) {
      const res = await (await t.as(who)).get(`/api/v1/dashboard/overdue?${query}`)
      expect(res.statusCode, `${who} ${query}`).toBe(status)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    }
  })
})

describe('comparison periods', () => {
  it.each([
    [{ from: '2026-03-01', to: '2026-04-01' }, 'previous', { from: '2026-02-01', to: '2026-03-01' }],
    [{ from: '2026-01-01', to: '2027-01-01' }, 'previous', { from: '2025-01-01', to: '2026-01-01' }],
    [{ from: '2026-01-01', to: '2026-04-01' }, 'previous', { from: '2025-10-01', to: '2026-01-01' }],
    [{ from: '2026-03-10', to: '2026-03-17' }, 'previous', { from: '2026-03-03', to: '2026-03-10' }],
    [{ from: '2024-02-29', to: '2024-03-10' }, 'year', { from: '2023-02-28', to: '2023-03-10' }],
    [{ from: '2026-01-01', to: '2026-04-01' }, 'year', { from: '2025-01-01', to: '2025-04-01' }],
  ] as const)('%j %s → %j', (period, mode, expected) => {
    expect(comparisonPeriod(period, mode)).toEqual(expected)
  })
})

describe('OpenAPI', () => {
  it('describes the admin data endpoints, each bearer-protected with problem responses', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json()
    const ops: [string, string][] = [
      ['/api/v1/dashboard/summary', 'get'],
      ['/api/v1/dashboard/rankings', 'get'],
      ['/api/v1/dashboard/overdue', 'get'],
      ['/api/v1/members/{id}/ledger', 'get'],
      ['/api/v1/members/{id}/ledger.html', 'get'],
      ['/api/v1/ledgers', 'get'],
      ['/api/v1/committees/{id}/ledger-targets', 'put'],
      ['/api/v1/activities', 'post'],
      ['/api/v1/activities/{id}', 'delete'],
      ['/api/v1/exports/cases.csv', 'get'],
      ['/api/v1/exports/ledgers.xlsx', 'get'],
      ['/api/v1/opinion-reports', 'post'],
      ['/api/v1/opinion-reports/{id}/transition', 'post'],
      ['/api/v1/opinion-reports/{id}/document.pdf', 'get'],
    ]
    for (const [path, method] of ops) {
      const op = doc.paths[path]?.[method]
      expect(op, `${method} ${path}`).toBeDefined()
      expect(op.security).toEqual([{ bearerAuth: [] }])
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403']))
    }
  })
})

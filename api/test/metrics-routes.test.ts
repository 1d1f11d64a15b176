import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MetricsReport } from '@mashangjian/shared'
import { buildApp } from '../src/app'
import { cases, category } from '../src/db/schema'
import { ManualClock } from './support/manual-clock'
import { bearer, createOrg, login, type Org } from './support/fixtures'
import { createTestDatabase, type TestDatabase } from './support/test-db'
import { testConfig } from './support/test-app'
import { aggregateAll } from './support/metrics'

describe('GET /api/v1/metrics', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let org: Org
  const tokens: Record<string, string> = {}
  beforeAll(async () => {
    database = await createTestDatabase()
    app = await buildApp({ config: testConfig(), database, clock: new ManualClock('2026-11-23T02:00:00Z') })
    await app.ready()
    org = await createOrg(database.db)
    const [noise] = await database.db
      .insert(category)
      .values({ committeeId: org.countyA.id, names: { 'zh-CN': '噪音扰民', en: 'Noise' } })
      .returning()
    await database.db.insert(cases).values({
      publicNo: `R-${randomBytes(4).toString('hex')}`,
      trackingSecretHash: randomBytes(16).toString('hex'),
      committeeId: org.countyA.id,
      stationId: org.stationA1.id,
      memberId: org.memberA.id,
      categoryId: noise!.id,
      channel: 'qr',
      status: 'accepted',
      description: 'x',
      createdAt: new Date('2026-02-03T02:00:00Z'),
      acceptDueAt: new Date('2026-02-04T02:00:00Z'),
      acceptedAt: new Date('2026-02-03T03:00:00Z'),
      resolveDueAt: new Date('2026-02-10T02:00:00Z'),
    })
    await aggregateAll(database.db, app.services.metricsAggregator)
    for (const who of ['adminA', 'memberA', 'stationAdminA1'] as const) tokens[who] = (await login(app, org.users[who].username)).accessToken
  })
  afterAll(async () => {
    await app.close()
    await database.close()
  })

  const get = (query: string, who?: string) => app.inject({ url: `/api/v1/metrics?${query}`, headers: who ? bearer(tokens[who]!) : {} })

  it('answers a committee admin with totals, months, overdue and breakdowns', async () => {
    const res = await get(`scope=committee&id=${org.countyA.id}&from=2026-01-01&to=2026-04-01&groupBy=month`, 'adminA')
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json<MetricsReport>()
    expect(body).toMatchObject({
      scope: { kind: 'committee', id: org.countyA.id, name: org.countyA.name },
      from: '2026-01-01',
      to: '2026-04-01',
      groupBy: 'month',
      generatedAt: '2026-11-23T02:00:00.000Z',
      asOf: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      totals: {
        counts: { assigned: 1, acceptedOnTime: 1, dueInPeriod: 1, resolvedOfDue: 0 },
        rates: { responseRate: 1, resolutionRate: 0, satisfactionRate: null, returnRate: 0, reopenRate: null },
        // Accepted after 60 minutes: bucket [57.7, 86.5) minutes, and the median of one value is that bucket's middle.
        medians: { acceptMinutes: 72.1, resolveMinutes: null },
      },
      overdue: { accept: 0, resolve: 1, total: 1 },
      byCategory: [{ names: { 'zh-CN': '噪音扰民', en: 'Noise' }, cases: 1 }],
      bySector: [{ sectorId: null, name: null, cases: 1 }],
    })
    expect(body.buckets.map((b) => [b.month, b.counts.assigned])).toEqual([
      ['2026-01', 0],
      ['2026-02', 1],
      ['2026-03', 0],
    ])
  })

  it('lets a member read their own figures', async () => {
    const res = await get(`scope=member&id=${org.memberA.id}&from=2026-02-01&to=2026-03-01`, 'memberA')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ buckets: [], totals: { counts: { assigned: 1 } } })
  })

  // name, scope, target, extra query, who, status, code
  it.each([
    ['no token', 'committee', 'countyA', '', undefined, 401, 'UNAUTHENTICATED'],
    ['a member asking for a committee', 'committee', 'countyA', '', 'memberA', 403, 'FORBIDDEN'],
    ['a station admin asking for a committee', 'committee', 'countyA', '', 'stationAdminA1', 403, 'FORBIDDEN'],
    ['another county', 'committee', 'countyB', '', 'adminA', 404, 'NOT_FOUND'],
    ['another county’s station', 'station', 'stationB1', '', 'adminA', 404, 'NOT_FOUND'],
    ['a station not one’s own', 'station', 'stationA2', '', 'stationAdminA1', 404, 'NOT_FOUND'],
    ['an impossible day', 'committee', 'countyA', '&from=2026-02-30', 'adminA', 400, 'VALIDATION_FAILED'],
    ['a date-time instead of a day', 'committee', 'countyA', '&from=2026-02-01T00:00:00Z', 'adminA', 400, 'VALIDATION_FAILED'],
    ['to before from', 'committee', 'countyA', '&from=2026-03-01&to=2026-02-01', 'adminA', 400, 'VALIDATION_FAILED'],
    ['more than 5 years', 'committee', 'countyA', '&from=2020-01-01&to=2026-01-01', 'adminA', 400, 'VALIDATION_FAILED'],
    ['an unknown scope', 'sector', 'countyA', '', 'adminA', 400, 'VALIDATION_FAILED'],
    ['groupBy other than month', 'committee', 'countyA', '&groupBy=week', 'adminA', 400, 'VALIDATION_FAILED'],
    ['an unknown parameter', 'committee', 'countyA', '&foo=1', 'adminA', 400, 'VALIDATION_FAILED'],
    ['an id that is no uuid', 'committee', null, '', 'adminA', 400, 'VALIDATION_FAILED'],
  ] as const)('answers %s with problem+json', async (_name, scope, target, extra, who, status, code) => {
    const res = await get(`scope=${scope}&id=${target ? org[target].id : '42'}${extra}`, who)
    expect(res.statusCode, res.body).toBe(status)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json()).toMatchObject({ status, code })
  })

  it('names the offending field of a bad period', async () => {
    const res = await get(`scope=committee&id=${org.countyA.id}&from=2026-03-01&to=2026-03-01`, 'adminA')
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'querystring.to' })])
  })

  it('is described in the OpenAPI document', async () => {
    const res = await app.inject({ url: '/docs/json' })
    expect(res.statusCode).toBe(200)
    const op = res.json().paths['/api/v1/metrics'].get
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']))
  })
})

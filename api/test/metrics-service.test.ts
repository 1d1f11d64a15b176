import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MetricsScopeKind } from '@mashangjian/shared'
import type { Actor } from '../src/auth/actor'
import { member, memberStation } from '../src/db/schema'
import { AppError } from '../src/errors/app-error'
import { createMetricsService, monthsOf, resolvePeriod, type MetricsService } from '../src/metrics/metrics-service'
import { createMetricsAggregator } from '../src/metrics/metrics-aggregator'
import { ManualClock } from './support/manual-clock'
import { createOrg, type Org } from './support/fixtures'
import { createTestDatabase, type TestDatabase } from './support/test-db'

describe('metrics scope and period rules', () => {
  let database: TestDatabase
  let org: Org
  let metrics: MetricsService
  let memberB: string
  beforeAll(async () => {
    database = await createTestDatabase()
    org = await createOrg(database.db)
    // Member A belongs to station A1; member B (same county) to no station of station admin A1.
    await database.db.insert(memberStation).values({ memberId: org.memberA.id, stationId: org.stationA1.id })
    const [b] = await database.db.insert(member).values({ committeeId: org.countyA.id, level: 'county', name: 'Member B' }).returning()
    memberB = b!.id
    metrics = createMetricsService({ db: database.db, clock: new ManualClock('2026-11-23T02:00:00Z'), aggregator: createMetricsAggregator(database.db) })
  })
  afterAll(() => database.close())

  const actor = (who: keyof Org['users']): Actor => {
    const u = org.users[who]
    return {
      userId: u.id,
      role: u.role,
      committeeId: u.committeeId,
      memberId: u.memberId,
      stationIds: who === 'stationAdminA1' ? [org.stationA1.id] : [],
    }
  }
  const ids = () => ({
    countyA: org.countyA.id,
    countyB: org.countyB.id,
    city: org.city.id,
    stationA1: org.stationA1.id,
    stationA2: org.stationA2.id,
    stationB1: org.stationB1.id,
    memberA: org.memberA.id,
    memberB,
    missing: '00000000-0000-4000-8000-000000000000',
  })
  const outcome = async (who: keyof Org['users'], scope: MetricsScopeKind, target: keyof ReturnType<typeof ids>) => {
    try {
      await metrics.report(actor(who), { scope, id: ids()[target] })
      return 'ok'
    } catch (err) {
      if (err instanceof AppError) return err.code
      throw err
    }
  }

  // who × scope × target → outcome. Not theirs (or not there) is NOT_FOUND; a scope kind the role may never read is FORBIDDEN.
  it.each([
    ['system', 'committee', 'countyB', 'ok'],
    ['system', 'member', 'memberB', 'ok'],
    ['cityAdmin', 'committee', 'countyA', 'ok'],
    ['cityAdmin', 'station', 'stationB1', 'ok'],
    ['adminA', 'committee', 'countyA', 'ok'],
    ['adminA', 'committee', 'city', 'NOT_FOUND'],
    ['adminA', 'committee', 'countyB', 'NOT_FOUND'],
    ['adminA', 'committee', 'missing', 'NOT_FOUND'],
    ['adminA', 'station', 'stationA2', 'ok'],
    ['adminA', 'station', 'stationB1', 'NOT_FOUND'],
    ['adminB', 'station', 'stationA1', 'NOT_FOUND'],
    ['adminA', 'member', 'memberB', 'ok'],
    ['adminB', 'member', 'memberA', 'NOT_FOUND'],
    ['stationAdminA1', 'station', 'stationA1', 'ok'],
    ['stationAdminA1', 'station', 'stationA2', 'NOT_FOUND'],
    ['stationAdminA1', 'station', 'stationB1', 'NOT_FOUND'],
    ['stationAdminA1', 'member', 'memberA', 'ok'],
    ['stationAdminA1', 'member', 'memberB', 'NOT_FOUND'],
    ['stationAdminA1', 'committee', 'countyA', 'FORBIDDEN'],
    ['memberA', 'member', 'memberA', 'ok'],
    ['memberA', 'member', 'memberB', 'NOT_FOUND'],
    ['memberA', 'member', 'missing', 'NOT_FOUND'],
    ['memberA', 'station', 'stationA1', 'FORBIDDEN'],
    ['memberA', 'committee', 'countyA', 'FORBIDDEN'],
  ] as const)('%s reading %s %s → %s', async (who, scope, target, expected) => {
    expect(await outcome(who, scope, target)).toBe(expected)
  })

  const now = new Date('2026-11-23T02:00:00Z')
  it.each([
    [{}, { from: '2026-01-01', to: '2027-01-01' }],
    [{ from: '2026-03-01' }, { from: '2026-03-01', to: '2027-01-01' }],
    [{ to: '2026-02-01' }, { from: '2026-01-01', to: '2026-02-01' }],
    [
      { from: '2021-01-01', to: '2026-01-01' },
      { from: '2021-01-01', to: '2026-01-01' },
    ],
    [
      { from: '2024-02-29', to: '2029-03-01' },
      { from: '2024-02-29', to: '2029-03-01' },
    ],
  ])('period %j → %j', (query, expected) => {
    expect(resolvePeriod(query, now)).toEqual(expected)
  })

  it('takes "this year" in Beijing: 31 December 17:00 UTC is already next year there', () => {
    expect(resolvePeriod({}, new Date('2026-12-31T17:00:00Z'))).toEqual({ from: '2027-01-01', to: '2028-01-01' })
  })

  it.each([
    [{ from: '2026-03-01', to: '2026-03-01' }, 'must be after from'],
    [{ from: '2026-03-01', to: '2026-02-01' }, 'must be after from'],
    [{ to: '2025-06-01' }, 'must be after from'],
    [{ from: '2021-01-01', to: '2026-01-02' }, 'at most 5 years'],
    [{ from: '2019-01-01' }, 'at most 5 years'],
  ])('rejects the period %j as VALIDATION_FAILED', async (query, message) => {
    const err = await metrics.report(actor('system'), { scope: 'committee', id: org.countyA.id, ...query }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, extra: { errors: [{ field: 'querystring.to' }] } })
    expect((err as AppError).detail).toContain(message)
  })

  it.each([
    ['2026-01-01', '2027-01-01', 12, '2026-01', '2026-12'],
    ['2026-01-15', '2026-01-16', 1, '2026-01', '2026-01'],
    ['2025-11-30', '2026-02-01', 3, '2025-11', '2026-01'],
    ['2021-01-01', '2026-01-01', 60, '2021-01', '2025-12'],
  ])('months of [%s, %s): %i from %s to %s', (from, to, count, first, last) => {
    const months = monthsOf(from, to)
    expect([months.length, months[0], months.at(-1)]).toEqual([count, first, last])
  })
})

import { eq } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import type { Role, TokenPair } from '@mashangjian/shared'
import type { Db } from '../../src/db/database'
import { appUser, committee, member, station, userStation } from '../../src/db/schema'
import { hashPassword } from '../../src/auth/passwords'

export const PASSWORD = 'correct-horse-battery'

/**
 * A small organisation for auth and scope tests: city C with counties A and B; stations A1, A2 in A and
 * B1 in B; one member in A; an account of every role. Short codes are unique per call.
 */
export async function createOrg(db: Db, tag = Math.random().toString(36).slice(2, 7).toUpperCase()) {
  const insertCommittee = async (values: { name: string; level: 'city' | 'county'; shortCode: string }, parent?: { id: string; path: string }) => {
    const [row] = await db
      .insert(committee)
      .values({ ...values, parentId: parent?.id ?? null, path: 'pending' })
      .returning()
    const path = parent ? `${parent.path}/${row!.id}` : row!.id
    await db.update(committee).set({ path }).where(eq(committee.id, row!.id))
    return { ...row!, path }
  }
  const city = await insertCommittee({ name: `City ${tag}`, level: 'city', shortCode: `C${tag}` })
  const countyA = await insertCommittee({ name: `County A ${tag}`, level: 'county', shortCode: `A${tag}` }, city)
  const countyB = await insertCommittee({ name: `County B ${tag}`, level: 'county', shortCode: `B${tag}` }, city)
  const [stationA1, stationA2, stationB1] = await db
    .insert(station)
    .values([
      { committeeId: countyA.id, kind: 'workstation', name: 'A1' },
      { committeeId: countyA.id, kind: 'studio', name: 'A2' },
      { committeeId: countyB.id, kind: 'liaison_office', name: 'B1' },
    ])
    .returning()
  const [memberA] = await db
    .insert(member)
    .values({ committeeId: countyA.id, level: 'county', name: `Member ${tag}` })
    .returning()
  const passwordHash = await hashPassword(PASSWORD)
  const user = async (username: string, role: Role, committeeId: string | null, extra: { memberId?: string; stationIds?: string[] } = {}) => {
    const [row] = await db
      .insert(appUser)
      .values({
        username: `${username}-${tag}`.toLowerCase(),
        displayName: username,
        role,
        committeeId,
        memberId: extra.memberId ?? null,
        passwordHash,
      })
      .returning()
    for (const stationId of extra.stationIds ?? []) await db.insert(userStation).values({ userId: row!.id, stationId })
    return row!
  }
  return {
    city,
    countyA,
    countyB,
    stationA1: stationA1!,
    stationA2: stationA2!,
    stationB1: stationB1!,
    memberA: memberA!,
    users: {
      system: await user('system', 'system_admin', null),
      cityAdmin: await user('city-admin', 'committee_admin', city.id),
      adminA: await user('admin-a', 'committee_admin', countyA.id),
      adminB: await user('admin-b', 'committee_admin', countyB.id),
      stationAdminA1: await user('station-a1', 'station_admin', countyA.id, { stationIds: [stationA1!.id] }),
      memberA: await user('member-a', 'member', countyA.id, { memberId: memberA!.id }),
    },
  }
}
export type Org = Awaited<ReturnType<typeof createOrg>>

export async function login(app: FastifyInstance, username: string, password = PASSWORD): Promise<TokenPair> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<TokenPair>()
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

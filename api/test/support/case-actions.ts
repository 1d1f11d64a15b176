import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import type { CaseActionResult, CaseDetail } from '@mashangjian/shared'
import { DEMO_PASSWORD } from '../../src/seed/demo-data'
import { bearer, login } from './fixtures'
import { postCase } from './submit'
import { eq } from 'drizzle-orm'
import { cases } from '../../src/db/schema'
import type { TestApp } from './test-app'

let n = 0
/** Descriptions differ enough that the duplicate hint never fires between tests. */
export const uniqueText = (text: string) => `${text}（第${++n}号，${randomUUID().slice(0, 8)}）`

/** A signed-in demo user: their token and small helpers for the case API. */
export async function signIn(app: FastifyInstance, username: string) {
  const { accessToken } = await login(app, username, DEMO_PASSWORD)
  const headers = bearer(accessToken)
  return {
    token: accessToken,
    headers,
    get: (url: string) => app.inject({ method: 'GET', url, headers }),
    detail: async (id: string) => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/cases/${id}`, headers })
      expect(res.statusCode, res.body).toBe(200)
      return res.json<CaseDetail>()
    },
    /** Posts an action; `baseVersion` defaults to the case's current version. */
    act: async (id: string, body: Record<string, unknown>) => {
      const baseVersion = body.baseVersion ?? (await app.inject({ method: 'GET', url: `/api/v1/cases/${id}`, headers })).json().version
      return app.inject({ method: 'POST', url: `/api/v1/cases/${id}/actions`, headers, payload: { opId: randomUUID(), baseVersion, ...body } })
    },
    ok: async (id: string, body: Record<string, unknown>) => {
      const baseVersion = body.baseVersion ?? (await app.inject({ method: 'GET', url: `/api/v1/cases/${id}`, headers })).json().version
      const res = await app.inject({ method: 'POST', url: `/api/v1/cases/${id}/actions`, headers, payload: { opId: randomUUID(), baseVersion, ...body } })
      expect(res.statusCode, res.body).toBe(200)
      return res.json<CaseActionResult>()
    },
  }
}
export type SignedIn = Awaited<ReturnType<typeof signIn>>

/** Submits through the public endpoint like a resident; answers the new case's id and tracking secret. */
export async function submitCase(t: TestApp, code: string, description: string, fields: Record<string, string> = {}) {
  // Tests file many similar texts; `confirmNew` says "file it anyway" past the duplicate hint.
  const res = await postCase(t.app, { code, description, confirmNew: 'on', ...fields })
  expect(res.statusCode, res.body).toBe(201)
  const { publicNo, trackingSecret } = res.json<{ publicNo: string; trackingSecret: string }>()
  const [row] = await t.database.db.select({ id: cases.id }).from(cases).where(eq(cases.publicNo, publicNo))
  return { id: row!.id, publicNo, trackingSecret }
}

/** The resident rates through the public JSON API. */
export function rate(t: TestApp, trackingSecret: string, rating: string, comment?: string) {
  return t.app.inject({ method: 'POST', url: `/api/v1/public/tracking/${trackingSecret}/rating`, payload: { rating, ...(comment ? { comment } : {}) } })
}

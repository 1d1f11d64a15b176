import { randomUUID } from 'node:crypto'
import { and, asc, eq } from 'drizzle-orm'
import { expect } from 'vitest'
import type { CaseActionResult, DepartmentView } from '@mashangjian/shared'
import { caseEvent, cases, committee, department, handoff, notificationChannel, station } from '../../src/db/schema'
import type { Db } from '../../src/db/database'
import { signIn, submitCase, uniqueText, type SignedIn } from '../support/case-actions'
import type { DemoRefs } from '../support/demo-app'
import type { TestApp } from '../support/test-app'

/** Hand-off helpers over the demo county (王建国 at 东城, the 'committee' admin, the 'station' desk of 东城). */
export function handoffFixtures(ctx: { t: TestApp; refs: DemoRefs }) {
  const db = (): Db => ctx.t.database.db
  const committeeId = async () => (await db().select({ id: station.committeeId }).from(station).where(eq(station.id, ctx.refs.stationId)))[0]!.id

  /** A department of the demo county through the admin API: with a group robot, a contact mobile, or neither (log). */
  async function addDepartment(name: string, reach: 'robot' | 'sms' | 'log' = 'log'): Promise<DepartmentView> {
    const admin = await signIn(ctx.t.app, 'committee')
    const robotChannelId =
      reach === 'robot'
        ? (
            await db()
              .insert(notificationChannel)
              .values({ committeeId: await committeeId(), provider: 'wecom_robot', name: `${name}群`, settings: { provider: 'wecom_robot' } })
              .returning()
          )[0]!.id
        : undefined
    const res = await ctx.t.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: admin.headers,
      payload: { name, kind: 'bureau', ...(reach === 'sms' && { contactPhone: '13900001111' }), ...(robotChannelId && { robotChannelId }) },
    })
    expect(res.statusCode, res.body).toBe(201)
    return res.json<DepartmentView>()
  }

  /** A department of a committee outside the demo county. */
  async function foreignDepartment(): Promise<string> {
    const tag = randomUUID().slice(0, 6).toUpperCase()
    const [k] = await db()
      .insert(committee)
      .values({ name: `外县${tag}`, level: 'county', shortCode: `X${tag}`, path: 'pending' })
      .returning()
    await db().update(committee).set({ path: k!.id }).where(eq(committee.id, k!.id))
    return (await db().insert(department).values({ committeeId: k!.id, name: '外县住建局', kind: 'bureau' }).returning())[0]!.id
  }

  /** A case 王建国 accepted. */
  async function acceptedCase(text = '小区门口的路面塌了一个大坑，车辆绕行很危险') {
    const c = await submitCase(ctx.t, ctx.refs.memberCode, uniqueText(text))
    const wang = await signIn(ctx.t.app, 'wangjianguo')
    await wang.ok(c.id, { type: 'accept' })
    return { ...c, wang }
  }

  async function handOff(user: SignedIn, caseId: string, departmentId: string, extra: Record<string, unknown> = {}): Promise<CaseActionResult> {
    return user.ok(caseId, { type: 'handoff', departmentId, question: '请核实该路段的维修责任单位并答复处理时限', ...extra })
  }

  const handoffsOf = (caseId: string) => db().select().from(handoff).where(eq(handoff.caseId, caseId)).orderBy(asc(handoff.sentAt), asc(handoff.createdAt))
  const caseRow = async (id: string) => (await db().select().from(cases).where(eq(cases.id, id)))[0]!
  const eventsOf = (caseId: string, type?: (typeof caseEvent.$inferSelect)['type']) =>
    db()
      .select()
      .from(caseEvent)
      .where(and(eq(caseEvent.caseId, caseId), type ? eq(caseEvent.type, type) : undefined))
      .orderBy(asc(caseEvent.id))

  return { db, committeeId, addDepartment, foreignDepartment, acceptedCase, handOff, handoffsOf, caseRow, eventsOf }
}

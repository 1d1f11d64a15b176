import { randomUUID } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PhoneDataExport, PhoneErasureResult, PhoneLookupResult } from '@mashangjian/shared'
import { auditLog, caseEvent, caseFollower, cases, contact } from '../../src/db/schema'
import { queryRows } from '../../src/db/database'
import { createPiiCipher } from '../../src/privacy/pii-cipher'
import { createResidentPhoneLookup } from '../../src/privacy/phone-lookup'
import { adminApp, insertCase, type AdminApp } from '../admin-data/admin-fixtures'

/**
 * Requests from people (issue 19): a committee admin looks a phone number up within their scope, exports what is
 * stored about it for the person, and erases it — the number gone from cases, follower rows, contacts and free text.
 */
const PHONE = '13912345678'
/** How people typed it into free text: grouped, full-width, with +86. */
const WRITTEN = ['139 1234 5678', '１３９１２３４５６７８', '+86 13912345678']
const OTHER = '13800001111'
const REASON = '本人来电申请（工单 PIPL-2026-001）'

let t: AdminApp
let hash: string
const ids = {} as Record<'case1' | 'case2' | 'case3' | 'caseB' | 'follower' | 'contact', string>

beforeAll(async () => {
  t = await adminApp()
  const cipher = createPiiCipher(t.config.secrets.piiKey)
  const residents = createResidentPhoneLookup(t.config.secrets.piiKey, cipher)
  hash = residents.hash(PHONE)
  const phone = (p: string) => {
    const { enc, hash: h, masked } = residents.protect(p)
    return { residentPhoneEnc: enc, residentPhoneHash: h, residentPhoneMasked: masked }
  }
  const { countyA, countyB } = t.org
  const now = t.clock.now()
  const case1 = await insertCase(t.db, {
    committeeId: countyA.id,
    status: 'assigned',
    createdAt: now,
    description: `东门路灯坏了，有事打我电话 ${WRITTEN[0]}`,
    ...phone(PHONE),
  })
  const case2 = await insertCase(t.db, {
    committeeId: countyA.id,
    status: 'closed',
    createdAt: now,
    closedAt: now,
    description: '垃圾站夏天很臭',
    ...phone(PHONE),
  })
  await t.db.insert(caseEvent).values({
    caseId: case2.id,
    type: 'resolved',
    actorKind: 'member',
    visibility: 'public',
    body: `已联系居民（${WRITTEN[1]}），垃圾站每天清运两次`,
    data: { reason: `回电${WRITTEN[2]}` },
    occurredAt: now,
  })
  const case3 = await insertCase(t.db, { committeeId: countyA.id, status: 'accepted', createdAt: now, description: '小区门口积水', ...phone(OTHER) })
  const [f] = await t.db
    .insert(caseFollower)
    .values({ caseId: case3.id, trackingSecretHash: randomUUID(), ...phone(PHONE) })
    .returning()
  const caseB = await insertCase(t.db, { committeeId: countyB.id, status: 'assigned', createdAt: now, description: '另一个县的诉求', ...phone(PHONE) })
  const p = residents.protect(PHONE)
  const [k] = await t.db
    .insert(contact)
    .values({
      committeeId: countyA.id,
      memberId: t.org.memberA.id,
      name: '孙大姐',
      phoneEnc: p.enc,
      phoneHash: p.hash,
      phoneMasked: p.masked,
      metOn: '2026-11-20',
      kind: 'visit',
      raised: `她的电话${PHONE}，她邻居的${OTHER}`,
      opId: randomUUID(),
      requestHash: 'x',
    })
    .returning()
  Object.assign(ids, { case1: case1.id, case2: case2.id, case3: case3.id, caseB: caseB.id, follower: f!.id, contact: k!.id })
})
afterAll(async () => t?.close())

const audits = (action: string) =>
  t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.targetId, hash)))

/** Every text and jsonb column of every table: where a plain number could hide. */
async function textColumnsContaining(needle: string): Promise<string[]> {
  const columns = await queryRows<{ table_name: string; column_name: string }>(
    t.db,
    sql`select table_name, column_name from information_schema.columns
        where table_schema = 'public' and data_type in ('text', 'jsonb', 'character varying')`,
  )
  const found: string[] = []
  for (const c of columns) {
    const [row] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from ${sql.identifier(c.table_name)} where ${sql.identifier(c.column_name)}::text like ${`%${needle}%`}`,
    )
    if (row!.n > 0) found.push(`${c.table_name}.${c.column_name}`)
  }
  return found
}

describe('looking a phone number up', () => {
  it('finds its cases, follower entry and contact in the admin’s scope only, audit-logged with the reason and the hash', async () => {
    const a = await t.as('adminA')
    const res = await a.post('/api/v1/privacy/phone-lookup', { phone: '+86 139-1234-5678', reason: REASON })
    expect(res.statusCode, res.body).toBe(200)
    const r = res.json<PhoneLookupResult>()
    expect(r.phoneMasked).toBe('139****5678')
    expect(r.cases.map((c) => c.id).sort()).toEqual([ids.case1, ids.case2].sort())
    expect(r.followers).toEqual([expect.objectContaining({ id: ids.follower, caseId: ids.case3 })])
    expect(r.contacts).toEqual([expect.objectContaining({ id: ids.contact, name: '孙大姐', metOn: '2026-11-20' })])
    expect(r.textMentions).toEqual({ cases: 2, contacts: 1 })
    expect(res.body).not.toContain(ids.caseB)
    const [audit] = await audits('privacy.phone_lookup')
    expect(audit).toMatchObject({
      actorUserId: t.org.users.adminA.id,
      targetKind: 'phone',
      detail: { reason: REASON, phoneHash: hash, cases: 2, followers: 1, contacts: 1 },
    })
    // The other county's admin sees only theirs; the city's admin both counties.
    const b = (await (await t.as('adminB')).post('/api/v1/privacy/phone-lookup', { phone: PHONE, reason: REASON })).json<PhoneLookupResult>()
    expect(b.cases.map((c) => c.id)).toEqual([ids.caseB])
    expect(b.followers).toEqual([])
    expect(b.contacts).toEqual([])
    const city = (await (await t.as('cityAdmin')).post('/api/v1/privacy/phone-lookup', { phone: PHONE, reason: REASON })).json<PhoneLookupResult>()
    expect(city.cases).toHaveLength(3)
  })

  it('refuses station admins and members (403), a missing reason and a bad number (400)', async () => {
    for (const who of ['stationAdminA1', 'stationAdminA2', 'memberA'] as const) {
      const s = await t.as(who)
      for (const url of ['/api/v1/privacy/phone-lookup', '/api/v1/privacy/phone-export', '/api/v1/privacy/phone-erasure'])
        expect((await s.post(url, { phone: PHONE, reason: REASON, confirm: true })).statusCode).toBe(403)
    }
    const a = await t.as('adminA')
    const noReason = await a.post('/api/v1/privacy/phone-lookup', { phone: PHONE })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.headers['content-type']).toContain('application/problem+json')
    const bad = await a.post('/api/v1/privacy/phone-lookup', { phone: '12345', reason: REASON })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' })
  })
})

describe('exporting and erasing it', () => {
  it('exports what is stored about the person as a file, the number in full, nothing of another committee', async () => {
    const res = await (await t.as('adminA')).post('/api/v1/privacy/phone-export', { phone: '139 1234 5678', reason: REASON })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="personal-data-2026-11-23\.json"$/)
    const file = res.json<PhoneDataExport>()
    expect(file).toMatchObject({ format: 'mashangjian-personal-data-v1', phone: PHONE })
    expect(file.cases.map((c) => c.description).sort()).toEqual([`东门路灯坏了，有事打我电话 ${WRITTEN[0]}`, '垃圾站夏天很臭'].sort())
    const closed = file.cases.find((c) => c.status === 'closed')!
    expect(closed.closedAt).not.toBeNull()
    expect(closed.events).toEqual([expect.objectContaining({ type: 'resolved', body: expect.stringContaining('垃圾站每天清运两次') })])
    expect(file.followedCases).toHaveLength(1)
    expect(file.contacts).toEqual([expect.objectContaining({ name: '孙大姐', raised: `她的电话${PHONE}，她邻居的${OTHER}`, kind: 'visit' })])
    expect(res.body).not.toContain('另一个县的诉求')
    const [audit] = await audits('privacy.phone_exported')
    expect(audit!.detail).toMatchObject({ reason: REASON, cases: 2, followers: 1, contacts: 1 })
    // A number with nothing in scope: not found.
    expect((await (await t.as('adminA')).post('/api/v1/privacy/phone-export', { phone: '13600000000', reason: REASON })).statusCode).toBe(404)
  })

  it('erases the number from cases, follower rows, contacts and free text in scope; audit rows keep the reason, no plain number anywhere', async () => {
    const a = await t.as('adminA')
    expect((await a.post('/api/v1/privacy/phone-erasure', { phone: PHONE, reason: REASON })).statusCode).toBe(400) // no confirm
    const res = await a.post('/api/v1/privacy/phone-erasure', { phone: PHONE, reason: REASON, confirm: true })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json<PhoneErasureResult>()).toEqual({ cases: 2, followers: 1, contacts: 1, textReplacements: 4 })

    const after = (await a.post('/api/v1/privacy/phone-lookup', { phone: PHONE, reason: REASON })).json<PhoneLookupResult>()
    expect(after).toMatchObject({ cases: [], followers: [], contacts: [], textMentions: { cases: 0, contacts: 0 } })
    const [c1] = await t.db.select().from(cases).where(eq(cases.id, ids.case1))
    expect(c1).toMatchObject({
      description: '东门路灯坏了，有事打我电话 [号码已删除]',
      residentPhoneEnc: null,
      residentPhoneHash: null,
      residentPhoneMasked: null,
    })
    const [e] = await t.db.select().from(caseEvent).where(eq(caseEvent.caseId, ids.case2))
    expect(e).toMatchObject({ body: '已联系居民（[号码已删除]），垃圾站每天清运两次', data: { reason: '回电[号码已删除]' } })
    const [k] = await t.db.select().from(contact).where(eq(contact.id, ids.contact))
    expect(k).toMatchObject({ raised: `她的电话[号码已删除]，她邻居的${OTHER}`, phoneEnc: null, phoneHash: null, phoneMasked: null })
    // The case the person followed keeps its own resident; the other county's case is not touched.
    const [c3] = await t.db.select().from(cases).where(eq(cases.id, ids.case3))
    expect(c3!.residentPhoneMasked).toBe('138****1111')
    const [cB] = await t.db.select().from(cases).where(eq(cases.id, ids.caseB))
    expect(cB!.residentPhoneHash).toBe(hash)

    const [audit] = await audits('privacy.phone_erased')
    expect(audit).toMatchObject({
      actorUserId: t.org.users.adminA.id,
      detail: { reason: REASON, phoneHash: hash, cases: 2, followers: 1, contacts: 1, textReplacements: 4 },
    })
    // Nowhere in the database as written, in any text or jsonb column (the audit log included).
    for (const needle of [PHONE, ...WRITTEN]) expect(await textColumnsContaining(needle)).toEqual([])
    // The hash is left only where it names the request (audit rows) and on the other county's case.
    expect((await textColumnsContaining(hash)).sort()).toEqual(['audit_log.detail', 'audit_log.target_id', 'cases.resident_phone_hash'])
    // Erasing again: nothing left in scope.
    expect((await a.post('/api/v1/privacy/phone-erasure', { phone: PHONE, reason: REASON, confirm: true })).statusCode).toBe(404)
  })
})

import { randomBytes } from 'node:crypto'
import { count, getTableName, is, sql } from 'drizzle-orm'
import { PgTable } from 'drizzle-orm/pg-core'
import * as schema from '../db/schema'
import type { Db } from '../db/database'
import type { Clock } from '../clock'
import type { PiiCipher } from '../privacy/pii-cipher'
import { maskPhone } from '../privacy/pii-cipher'
import { seedDemoContacts } from './demo-contacts'
import { hashPassword } from '../auth/passwords'
import { sha256 } from '../auth/tokens'
import { newQrCode } from '../qr/qr-codes'
import { deadlinesFor } from '../cases/sla'
import { assignPublicNo, pendingPublicNo, yearInChina } from '../cases/case-numbers'
import { DEMO_CASES, DEMO_CATEGORIES, DEMO_CITY, DEMO_COUNTY, DEMO_DEPARTMENTS, DEMO_MEMBERS, DEMO_PASSWORD, DEMO_SECTORS, DEMO_STATIONS } from './demo-data'
import { demoTimeline } from './demo-timeline'
import { addDays, beijingDay } from '@mashangjian/shared'
import { expandRules } from '../duty-roster/duty-expand'
import { DUTY_HORIZON_DAYS } from '../duty-roster/duty-roster-service'

const { committee, sector, station, member, memberStation, appUser, userStation, qrCode, category, cases, caseEvent, dutyRule, dutyRuleMember, dutyShift } =
  schema

export interface SeedSummary {
  logins: { role: string; username: string; password: string; who: string }[]
  /** Scan code of the first demo member's placard. */
  sampleScanCode: string
  sampleMember: string
}

export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(committee)
  return (row?.n ?? 0) === 0
}

/** Every table of the schema, emptied in one statement (for `npm run seed -- --reset`). */
export async function truncateAll(db: Db): Promise<void> {
  const names = (Object.values(schema) as unknown[]).filter((v): v is PgTable => is(v, PgTable)).map((t) => `"${getTableName(t)}"`)
  await db.execute(sql.raw(`truncate table ${names.join(', ')} restart identity cascade`))
}

/** Seeds the demo county (DESIGN.md §3 domain) in one transaction: all of it or nothing. Returns the number of cases. */
export async function seedDemo(db: Db, { cipher, clock }: { cipher: PiiCipher; clock: Clock }): Promise<number> {
  const now = clock.now()
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  return db.transaction(async (tx) => {
    const [city] = await tx
      .insert(committee)
      .values({ level: 'city', ...DEMO_CITY, path: 'pending' })
      .returning()
    await tx
      .update(committee)
      .set({ path: city!.id })
      .where(sql`${committee.id} = ${city!.id}`)
    const [county] = await tx
      .insert(committee)
      .values({ level: 'county', parentId: city!.id, ...DEMO_COUNTY, path: 'pending' })
      .returning()
    await tx
      .update(committee)
      .set({ path: `${city!.id}/${county!.id}` })
      .where(sql`${committee.id} = ${county!.id}`)
    const committeeId = county!.id

    const sectors = await tx
      .insert(sector)
      .values(DEMO_SECTORS.map((name, i) => ({ committeeId, name, sortOrder: i })))
      .returning()
    const sectorId = new Map(sectors.map((s) => [s.name, s.id]))
    await tx.insert(schema.department).values(DEMO_DEPARTMENTS.map((d) => ({ committeeId, ...d })))
    const stations = await tx
      .insert(station)
      .values(DEMO_STATIONS.map(({ key: _key, ...s }) => ({ committeeId, ...s })))
      .returning()
    const stationByKey = new Map(DEMO_STATIONS.map((s, i) => [s.key, stations[i]!]))

    const members = await tx
      .insert(member)
      .values(
        DEMO_MEMBERS.map((m) => ({
          committeeId,
          sectorId: sectorId.get(m.sector)!,
          level: m.level,
          name: m.name,
          title: m.title,
          status: m.status ?? 'active',
          bio: `${m.sector}委员，${m.title}。`,
        })),
      )
      .returning()
    const memberByKey = new Map(DEMO_MEMBERS.map((m, i) => [m.key, members[i]!]))
    await tx
      .insert(memberStation)
      .values(DEMO_MEMBERS.flatMap((m) => m.stations.map((s) => ({ memberId: memberByKey.get(m.key)!.id, stationId: stationByKey.get(s)!.id }))))

    // 接待日 at 东城: every Tuesday morning, and the 1st and 3rd Thursday afternoon; shifts generated as a change would.
    const dongcheng = stationByKey.get('dongcheng')!.id
    const demoRules = [
      { kind: 'weekly' as const, weekdays: [2], ordinals: [], startsAt: '09:00', endsAt: '11:30', keys: ['wang', 'li'] },
      { kind: 'monthly' as const, weekdays: [4], ordinals: [1, 3], startsAt: '15:00', endsAt: '17:30', keys: ['chen', 'zhou'] },
    ]
    const expandable = []
    for (const r of demoRules) {
      const memberIds = r.keys.map((k) => memberByKey.get(k)!.id)
      const [rule] = await tx
        .insert(dutyRule)
        .values({ stationId: dongcheng, kind: r.kind, weekdays: r.weekdays, ordinals: r.ordinals, startsAt: r.startsAt, endsAt: r.endsAt })
        .returning()
      await tx.insert(dutyRuleMember).values(memberIds.map((memberId) => ({ ruleId: rule!.id, memberId })))
      expandable.push({ ...r, id: rule!.id, dates: [], validFrom: null, validUntil: null, memberIds })
    }
    const today = beijingDay(now)
    const shifts = expandRules(expandable, [], today, addDays(today, DUTY_HORIZON_DAYS - 1))
    if (shifts.length > 0) await tx.insert(dutyShift).values(shifts.map(({ ruleId: _rule, ...s }) => ({ ...s, stationId: dongcheng })))

    const users = await tx
      .insert(appUser)
      .values([
        { username: 'admin', displayName: '系统管理员', role: 'system_admin' as const, committeeId: null, passwordHash },
        { username: 'committee', displayName: '县政协办公室', role: 'committee_admin' as const, committeeId, passwordHash },
        { username: 'station', displayName: '东城工作站管理员', role: 'station_admin' as const, committeeId, passwordHash },
        ...DEMO_MEMBERS.map((m) => ({
          username: m.username,
          displayName: m.name,
          role: 'member' as const,
          committeeId,
          memberId: memberByKey.get(m.key)!.id,
          passwordHash,
        })),
      ])
      .returning()
    const stationAdmin = users[2]!
    await tx.insert(userStation).values({ userId: stationAdmin.id, stationId: stationByKey.get('dongcheng')!.id })
    const userOfMember = new Map(users.filter((u) => u.memberId).map((u) => [u.memberId!, u.id]))

    const codes = await tx
      .insert(qrCode)
      .values([
        ...members.map((m) => ({ code: newQrCode(), committeeId, targetKind: 'member' as const, memberId: m.id })),
        ...stations.map((s) => ({ code: newQrCode(), committeeId, targetKind: 'station' as const, stationId: s.id })),
      ])
      .returning()

    const categories = await tx
      .insert(category)
      .values(
        DEMO_CATEGORIES.map((c, i) => ({
          committeeId,
          names: { 'zh-CN': c.zh, en: c.en, ug: c.ug, 'kk-Arab-CN': c.kk },
          slaClass: c.sla,
          sortOrder: i,
          sectorId: c.sector ? sectorId.get(c.sector)! : null,
        })),
      )
      .returning()
    const categoryByKey = new Map(DEMO_CATEGORIES.map((c, i) => [c.key, categories[i]!]))

    // Oldest first, so public numbers grow with submission time as they would have.
    const ordered = [...DEMO_CASES].sort((a, b) => b.daysAgo - a.daysAgo)
    for (const demo of ordered) {
      const st = stationByKey.get(demo.station)!
      const m = demo.member ? memberByKey.get(demo.member)! : undefined
      const cat = categoryByKey.get(demo.category)!
      const createdAt = new Date(now.getTime() - demo.daysAgo * 86_400_000)
      const due = deadlinesFor(cat.slaClass, createdAt)
      const tl = demoTimeline(demo, createdAt, due, { member: m?.name, station: st.name }, now)
      const qr = codes.find((c) => (m ? c.memberId === m.id : c.stationId === st.id))
      const [row] = await tx
        .insert(cases)
        .values({
          publicNo: pendingPublicNo(),
          committeeId,
          stationId: st.id,
          memberId: m?.id ?? null,
          categoryId: cat.id,
          qrCodeId: qr?.id ?? null,
          channel: 'qr',
          status: tl.status,
          priority: cat.slaClass === 'urgent' ? 'urgent' : 'normal',
          description: demo.description,
          locationText: demo.location ?? null,
          residentPhoneEnc: demo.phone ? cipher.encrypt(demo.phone) : null,
          residentPhoneMasked: demo.phone ? maskPhone(demo.phone) : null,
          trackingSecretHash: sha256(randomBytes(24).toString('base64url')),
          ...due,
          acceptedAt: tl.acceptedAt,
          resolvedAt: tl.resolvedAt,
          closedAt: tl.closedAt,
          escalatedAt: tl.escalatedAt,
          overdueAt: tl.overdueAt,
          rating: tl.rating,
          ratingSource: tl.rating ? 'web' : null,
          ratingComment: tl.ratingComment,
          ratedAt: tl.ratedAt,
          reopenCount: tl.reopenCount,
          closeReason: tl.closeReason,
          version: tl.events.length,
          // As case-effects.ts and the deadline sweep would have set it: the last decline, transfer or escalation.
          returnedAt: tl.events.filter((e) => e.type === 'declined' || e.type === 'transferred' || e.type === 'escalated').at(-1)?.at ?? null,
          createdAt,
          updatedAt: tl.events.at(-1)!.at,
        })
        .returning({ id: cases.id })
      await assignPublicNo(tx, row!.id, county!, yearInChina(createdAt))
      const actorUser = { member: m ? userOfMember.get(m.id)! : null, station_admin: stationAdmin.id, resident: null, system: null }
      await tx.insert(caseEvent).values(
        tl.events.map((e) => ({
          caseId: row!.id,
          type: e.type,
          visibility: e.visibility,
          body: e.body,
          fromStatus: e.fromStatus,
          toStatus: e.toStatus,
          actorKind: e.actor === 'station_admin' ? ('admin' as const) : e.actor,
          actorUserId: actorUser[e.actor],
          occurredAt: e.at,
          receivedAt: e.at,
        })),
      )
    }

    // issue 15: 王建国 logged two activities from the phone; the station confirmed one, the other waits for review.
    const wang = memberByKey.get('wang')!
    const dayAgo = (n: number) => beijingDay(new Date(now.getTime() - n * 86_400_000))
    await tx.insert(schema.activity).values([
      {
        committeeId,
        memberId: wang.id,
        stationId: dongcheng,
        kind: 'visit' as const,
        title: '走访',
        occurredOn: dayAgo(12),
        place: '东城街道幸福里小区',
        notes: '走访小区独居老人，了解加装电梯意愿',
        createdBy: userOfMember.get(wang.id)!,
        source: 'member' as const,
        status: 'confirmed' as const,
        reviewedBy: stationAdmin.id,
        reviewedAt: new Date(now.getTime() - 10 * 86_400_000),
      },
      {
        committeeId,
        memberId: wang.id,
        stationId: dongcheng,
        kind: 'reception_day' as const,
        title: '委员接待日',
        occurredOn: dayAgo(2),
        place: '东城街道委员工作站',
        notes: '接待群众 6 人次，收集停车难、噪音等问题',
        createdBy: userOfMember.get(wang.id)!,
        source: 'member' as const,
        status: 'pending' as const,
      },
    ])

    await seedDemoContacts(tx, { committeeId, memberByKey, userOfMember, now: clock.now() })
    return DEMO_CASES.length
  })
}

import { and, asc, eq, gte, inArray, lte, sql } from 'drizzle-orm'
import { dutyException, dutyRule, dutyRuleMember, dutyShift, member, memberStation, station } from '../db/schema'
import type { Db, DbOrTx } from '../db/database'
import type { ExpandedShift } from './duty-expand'

export type DutyRuleRow = typeof dutyRule.$inferSelect
export type DutyExceptionRow = typeof dutyException.$inferSelect
/** A rule with who receives on its days. */
export type DutyRuleWithMembers = DutyRuleRow & { members: { id: string; name: string }[] }
/** One generated shift with its member's and station's names. */
export interface ShiftRow {
  day: string
  startsAt: string
  endsAt: string
  memberId: string
  memberName: string
  stationId: string
  stationName: string
}

const byName = new Intl.Collator('zh-CN')

/** PostgreSQL answers `time` as HH:MM:SS; the roster speaks HH:MM. */
const hhmm = (t: string) => t.slice(0, 5)

export function createDutyRosterRepo(db: Db) {
  const shiftColumns = {
    day: dutyShift.day,
    startsAt: dutyShift.startsAt,
    endsAt: dutyShift.endsAt,
    memberId: dutyShift.memberId,
    memberName: member.name,
    stationId: dutyShift.stationId,
    stationName: station.name,
  }
  const shifts = async (where: ReturnType<typeof and>): Promise<ShiftRow[]> =>
    (
      await db
        .select(shiftColumns)
        .from(dutyShift)
        .innerJoin(member, eq(member.id, dutyShift.memberId))
        .innerJoin(station, eq(station.id, dutyShift.stationId))
        .where(and(where, eq(member.status, 'active'), eq(station.active, true)))
        .orderBy(asc(dutyShift.day), asc(dutyShift.startsAt), asc(station.name), asc(member.name), asc(member.id))
    ).map((r) => ({ ...r, startsAt: hhmm(r.startsAt), endsAt: hhmm(r.endsAt) }))

  return {
    /** Serialises changes to one station's roster, so two admins' edits regenerate one after the other. */
    async lockStation(tx: DbOrTx, stationId: string): Promise<void> {
      await tx.execute(sql`select id from station where id = ${stationId} for update`)
    },

    async rules(tx: DbOrTx, stationId: string): Promise<DutyRuleWithMembers[]> {
      const rows = await tx
        .select()
        .from(dutyRule)
        .where(eq(dutyRule.stationId, stationId))
        .orderBy(asc(dutyRule.createdAt), asc(dutyRule.startsAt), asc(dutyRule.id))
      if (rows.length === 0) return []
      const members = await tx
        .select({ ruleId: dutyRuleMember.ruleId, id: member.id, name: member.name })
        .from(dutyRuleMember)
        .innerJoin(member, eq(member.id, dutyRuleMember.memberId))
        .where(
          inArray(
            dutyRuleMember.ruleId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(asc(member.name), asc(member.id))
      return rows.map((r) => ({
        ...r,
        startsAt: hhmm(r.startsAt),
        endsAt: hhmm(r.endsAt),
        members: members
          .filter((m) => m.ruleId === r.id)
          .map(({ id, name }) => ({ id, name }))
          // Pinyin order whatever the database's collation.
          .sort((a, b) => byName.compare(a.name, b.name) || a.id.localeCompare(b.id)),
      }))
    },

    async exceptions(tx: DbOrTx, stationId: string): Promise<DutyExceptionRow[]> {
      return tx.select().from(dutyException).where(eq(dutyException.stationId, stationId)).orderBy(asc(dutyException.day), asc(dutyException.id))
    },

    /** Which of these members belong to the station. */
    async stationMemberIds(stationId: string, memberIds: string[]): Promise<Set<string>> {
      if (memberIds.length === 0) return new Set()
      const rows = await db
        .select({ id: memberStation.memberId })
        .from(memberStation)
        .where(and(eq(memberStation.stationId, stationId), inArray(memberStation.memberId, memberIds)))
      return new Set(rows.map((r) => r.id))
    },

    async insertRule(tx: DbOrTx, values: typeof dutyRule.$inferInsert, memberIds: string[]): Promise<DutyRuleRow> {
      const row = (await tx.insert(dutyRule).values(values).returning())[0]!
      await tx.insert(dutyRuleMember).values(memberIds.map((memberId) => ({ ruleId: row.id, memberId })))
      return row
    },

    async updateRule(tx: DbOrTx, id: string, values: Partial<typeof dutyRule.$inferInsert>, memberIds: string[]): Promise<void> {
      await tx
        .update(dutyRule)
        .set({ ...values, updatedAt: sql`now()` })
        .where(eq(dutyRule.id, id))
      await tx.delete(dutyRuleMember).where(eq(dutyRuleMember.ruleId, id))
      await tx.insert(dutyRuleMember).values(memberIds.map((memberId) => ({ ruleId: id, memberId })))
    },

    async deleteRule(tx: DbOrTx, id: string): Promise<void> {
      await tx.delete(dutyRule).where(eq(dutyRule.id, id))
    },

    async insertException(tx: DbOrTx, values: typeof dutyException.$inferInsert): Promise<DutyExceptionRow> {
      return (await tx.insert(dutyException).values(values).returning())[0]!
    },

    async deleteException(tx: DbOrTx, id: string): Promise<void> {
      await tx.delete(dutyException).where(eq(dutyException.id, id))
    },

    /** Replaces the station's shifts from `from` on with these (earlier days stay as they were: history). */
    async replaceShifts(tx: DbOrTx, stationId: string, from: string, rows: ExpandedShift[]): Promise<void> {
      await tx.delete(dutyShift).where(and(eq(dutyShift.stationId, stationId), gte(dutyShift.day, from)))
      for (let i = 0; i < rows.length; i += 500) {
        await tx
          .insert(dutyShift)
          .values(rows.slice(i, i + 500).map((r) => ({ stationId, memberId: r.memberId, day: r.day, startsAt: r.startsAt, endsAt: r.endsAt })))
      }
    },

    /** Stations that have rules: the daily job extends their generated shifts. */
    async stationsWithRules(): Promise<string[]> {
      return (await db.selectDistinct({ id: dutyRule.stationId }).from(dutyRule)).map((r) => r.id)
    },

    stationShifts: (stationId: string, from: string, to: string) =>
      shifts(and(eq(dutyShift.stationId, stationId), gte(dutyShift.day, from), lte(dutyShift.day, to))),
    memberShifts: (memberId: string, from: string, to: string) =>
      shifts(and(eq(dutyShift.memberId, memberId), gte(dutyShift.day, from), lte(dutyShift.day, to))),

    async station(id: string) {
      const [row] = await db.select({ id: station.id, name: station.name, active: station.active }).from(station).where(eq(station.id, id))
      return row
    },
  }
}
export type DutyRosterRepo = ReturnType<typeof createDutyRosterRepo>

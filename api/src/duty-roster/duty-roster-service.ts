import {
  addDays,
  beijingDay,
  isDay,
  type DutyException,
  type DutyExceptionBody,
  type DutyRoster,
  type DutyRule,
  type DutyRuleBody,
  type FieldError,
} from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { stationInScope } from '../auth/scope'
import type { AuditLog } from '../audit/audit-log'
import type { Clock } from '../clock'
import type { Db, DbOrTx } from '../db/database'
import { notFound, validationFailed } from '../errors/app-error'
import type { StationsRepo } from '../stations/stations-repo'
import { expandRules } from './duty-expand'
import type { DutyExceptionRow, DutyRosterRepo, DutyRuleWithMembers, ShiftRow } from './duty-roster-repo'

/**
 * How far ahead shifts are generated. Routing, the desk and the scan page read duty_shift rows, so the rules are
 * materialised for this many days on every change (in the change's transaction) and once a day by a job.
 */
export const DUTY_HORIZON_DAYS = 120

/** One reception slot: a day, hours and who receives, at a station. */
export interface ReceptionSlot {
  day: string
  startsAt: string
  endsAt: string
  stationId: string
  stationName: string
  members: { id: string; name: string }[]
}

const byName = new Intl.Collator('zh-CN')
const slotKey = (r: ShiftRow) => `${r.day}|${r.startsAt}|${r.endsAt}|${r.stationId}`

/** Shifts (one row per member) grouped into slots, in day and time order. */
export function groupShifts(rows: ShiftRow[]): ReceptionSlot[] {
  const slots = new Map<string, ReceptionSlot>()
  for (const r of rows) {
    const key = slotKey(r)
    const slot = slots.get(key) ?? { day: r.day, startsAt: r.startsAt, endsAt: r.endsAt, stationId: r.stationId, stationName: r.stationName, members: [] }
    slot.members.push({ id: r.memberId, name: r.memberName })
    slots.set(key, slot)
  }
  // Names in pinyin order whatever the database's collation (PGlite and PostgreSQL sort Chinese differently).
  for (const slot of slots.values()) slot.members.sort((a, b) => byName.compare(a.name, b.name) || a.id.localeCompare(b.id))
  return [...slots.values()].sort((a, b) => (a.day + a.startsAt).localeCompare(b.day + b.startsAt))
}

const ruleView = (r: DutyRuleWithMembers): DutyRule => ({
  id: r.id,
  stationId: r.stationId,
  kind: r.kind,
  weekdays: r.weekdays,
  ordinals: r.ordinals,
  dates: r.dates,
  startsAt: r.startsAt,
  endsAt: r.endsAt,
  members: r.members,
  validFrom: r.validFrom,
  validUntil: r.validUntil,
  note: r.note,
})
const exceptionView = (e: DutyExceptionRow): DutyException => ({ id: e.id, stationId: e.stationId, ruleId: e.ruleId, day: e.day, note: e.note })

/**
 * The reception-day roster of stations: rules and cancelled days, set by the station's admins and its
 * committee's, and the duty_shift rows generated from them. `onChange` tells the scan page's cache.
 */
export function createDutyRosterService({
  db,
  repo,
  stations,
  clock,
  audit,
  onChange = () => {},
}: {
  db: Db
  repo: DutyRosterRepo
  stations: StationsRepo
  clock: Clock
  audit: AuditLog
  onChange?: () => void
}) {
  async function load(actor: Actor, id: string) {
    const found = await stations.find(id)
    if (!found || !stationInScope(actor, { id, committeePath: found.committeePath })) throw notFound('station')
    return found.station
  }

  /** The rules' shifts from today on, in the caller's transaction. */
  async function regenerate(tx: DbOrTx, stationId: string) {
    const today = beijingDay(clock.now())
    const rules = await repo.rules(tx, stationId)
    const exceptions = await repo.exceptions(tx, stationId)
    const shifts = expandRules(
      rules.map((r) => ({ ...r, memberIds: r.members.map((m) => m.id) })),
      exceptions,
      today,
      addDays(today, DUTY_HORIZON_DAYS - 1),
    )
    await repo.replaceShifts(tx, stationId, today, shifts)
  }

  async function checkRule(stationId: string, body: DutyRuleBody) {
    const errors: FieldError[] = []
    if (body.endsAt <= body.startsAt) errors.push({ field: 'body.endsAt', message: 'must be after startsAt', keyword: 'endBeforeStart' })
    const weekdays = body.weekdays ?? []
    const ordinals = body.ordinals ?? []
    const dates = body.dates ?? []
    if (body.kind !== 'dates' && weekdays.length === 0) errors.push({ field: 'body.weekdays', message: 'name at least one weekday', keyword: 'required' })
    if (body.kind === 'monthly' && ordinals.length === 0)
      errors.push({ field: 'body.ordinals', message: 'name at least one of 1–5 or -1 (last)', keyword: 'required' })
    if (body.kind === 'dates' && dates.length === 0) errors.push({ field: 'body.dates', message: 'name at least one date', keyword: 'required' })
    for (const [i, d] of dates.entries()) if (!isDay(d)) errors.push({ field: `body.dates.${i}`, message: 'not a calendar day', keyword: 'day' })
    for (const f of ['validFrom', 'validUntil'] as const) {
      const v = body[f]
      if (v && !isDay(v)) errors.push({ field: `body.${f}`, message: 'not a calendar day', keyword: 'day' })
    }
    if (body.validFrom && body.validUntil && body.validUntil < body.validFrom)
      errors.push({ field: 'body.validUntil', message: 'must not be before validFrom', keyword: 'untilBeforeFrom' })
    const ofStation = await repo.stationMemberIds(stationId, body.memberIds)
    const strangers = body.memberIds.filter((m) => !ofStation.has(m))
    if (strangers.length > 0)
      errors.push({ field: 'body.memberIds', message: `not members of this station: ${strangers.join(', ')}`, keyword: 'notStationMember' })
    if (errors.length > 0) throw validationFailed(errors)
    return {
      kind: body.kind,
      // Only what the kind uses is kept, so a rule changed from monthly to weekly carries no stale ordinals.
      weekdays: body.kind === 'dates' ? [] : [...weekdays].sort(),
      ordinals: body.kind === 'monthly' ? [...ordinals].sort((a, b) => (a === -1 ? 1 : b === -1 ? -1 : a - b)) : [],
      dates: body.kind === 'dates' ? [...dates].sort() : [],
      startsAt: body.startsAt,
      endsAt: body.endsAt,
      validFrom: body.validFrom ?? null,
      validUntil: body.validUntil ?? null,
      note: body.note?.trim() ?? '',
    }
  }

  /** Runs a change and the regeneration in one transaction, audit-logged, then tells the caches. */
  async function change<T>(
    actor: Actor,
    stationId: string,
    ip: string | undefined,
    action: string,
    work: (tx: DbOrTx) => Promise<{ result: T; targetId: string; detail: Record<string, unknown> }>,
  ) {
    const out = await db.transaction(async (tx) => {
      await repo.lockStation(tx, stationId)
      const { result, targetId, detail } = await work(tx)
      await regenerate(tx, stationId)
      await audit.record(tx, {
        actorUserId: actor.userId,
        actorIp: ip,
        action,
        targetKind: 'station',
        targetId: stationId,
        detail: { ...detail, id: targetId },
      })
      return result
    })
    onChange()
    return out
  }

  async function ruleOf(stationId: string, ruleId: string) {
    const rule = (await repo.rules(db, stationId)).find((r) => r.id === ruleId)
    if (!rule) throw notFound('rule')
    return rule
  }

  async function upcomingSlots(stationId: string, limit: number) {
    const today = beijingDay(clock.now())
    return groupShifts(await repo.stationShifts(stationId, today, addDays(today, DUTY_HORIZON_DAYS))).slice(0, limit)
  }

  return {
    regenerate,
    groupShifts,

    async roster(actor: Actor, stationId: string): Promise<DutyRoster> {
      await load(actor, stationId)
      return { rules: (await repo.rules(db, stationId)).map(ruleView), exceptions: (await repo.exceptions(db, stationId)).map(exceptionView) }
    },

    async createRule(actor: Actor, stationId: string, body: DutyRuleBody, ip?: string): Promise<DutyRule> {
      await load(actor, stationId)
      const values = await checkRule(stationId, body)
      const id = await change(actor, stationId, ip, 'duty_rule.created', async (tx) => {
        const row = await repo.insertRule(tx, { ...values, stationId }, body.memberIds)
        return { result: row.id, targetId: row.id, detail: { ...values, memberIds: body.memberIds } }
      })
      return ruleView(await ruleOf(stationId, id))
    },

    async updateRule(actor: Actor, stationId: string, ruleId: string, body: DutyRuleBody, ip?: string): Promise<DutyRule> {
      await load(actor, stationId)
      const before = await ruleOf(stationId, ruleId)
      const values = await checkRule(stationId, body)
      await change(actor, stationId, ip, 'duty_rule.updated', async (tx) => {
        await repo.updateRule(tx, ruleId, values, body.memberIds)
        return {
          result: null,
          targetId: ruleId,
          detail: { before: { ...ruleView(before), members: before.members.map((m) => m.id) }, after: { ...values, memberIds: body.memberIds } },
        }
      })
      return ruleView(await ruleOf(stationId, ruleId))
    },

    async deleteRule(actor: Actor, stationId: string, ruleId: string, ip?: string): Promise<void> {
      await load(actor, stationId)
      const before = await ruleOf(stationId, ruleId)
      await change(actor, stationId, ip, 'duty_rule.deleted', async (tx) => {
        await repo.deleteRule(tx, ruleId)
        return { result: null, targetId: ruleId, detail: { before: { ...ruleView(before), members: before.members.map((m) => m.id) } } }
      })
    },

    async createException(actor: Actor, stationId: string, body: DutyExceptionBody, ip?: string): Promise<DutyException> {
      await load(actor, stationId)
      const errors: FieldError[] = []
      if (!isDay(body.day)) errors.push({ field: 'body.day', message: 'not a calendar day', keyword: 'day' })
      if (body.ruleId && !(await repo.rules(db, stationId)).some((r) => r.id === body.ruleId))
        errors.push({ field: 'body.ruleId', message: 'not a rule of this station', keyword: 'notStationRule' })
      if (errors.length > 0) throw validationFailed(errors)
      const row = await change(actor, stationId, ip, 'duty_exception.created', async (tx) => {
        const e = await repo.insertException(tx, { stationId, ruleId: body.ruleId ?? null, day: body.day, note: body.note?.trim() ?? '' })
        return { result: e, targetId: e.id, detail: { day: e.day, ruleId: e.ruleId, note: e.note } }
      })
      return exceptionView(row)
    },

    async deleteException(actor: Actor, stationId: string, exceptionId: string, ip?: string): Promise<void> {
      await load(actor, stationId)
      const found = (await repo.exceptions(db, stationId)).find((e) => e.id === exceptionId)
      if (!found) throw notFound('exception')
      await change(actor, stationId, ip, 'duty_exception.deleted', async (tx) => {
        await repo.deleteException(tx, exceptionId)
        return { result: null, targetId: exceptionId, detail: { day: found.day, ruleId: found.ruleId } }
      })
    },

    /** The next `limit` reception slots of a station, today's included, for the console. */
    async upcoming(actor: Actor, stationId: string, limit: number) {
      await load(actor, stationId)
      return { items: (await upcomingSlots(stationId, limit)).map(({ day, startsAt, endsAt, members }) => ({ day, startsAt, endsAt, members })) }
    },

    /** Public: a station's reception slots for its calendar feed (undefined for no such or a closed station). */
    async feed(stationId: string): Promise<{ station: { id: string; name: string }; slots: ReceptionSlot[] } | undefined> {
      const s = await repo.station(stationId)
      if (!s || !s.active) return undefined
      return { station: s, slots: await upcomingSlots(stationId, 1000) }
    },

    /** Public, for the scan page: today's slots, else the next one, of a station or of a member. */
    async receptionFor(holder: { stationId: string } | { memberId: string }): Promise<{ today: ReceptionSlot[]; next: ReceptionSlot | null }> {
      const today = beijingDay(clock.now())
      const to = addDays(today, DUTY_HORIZON_DAYS)
      let rows: ShiftRow[]
      if ('stationId' in holder) rows = await repo.stationShifts(holder.stationId, today, to)
      else {
        // A member's own slots, each with everyone who receives with them.
        const own = await repo.memberShifts(holder.memberId, today, to)
        const keys = new Set(own.map(slotKey))
        const stationIds = [...new Set(own.map((r) => r.stationId))]
        rows = (await Promise.all(stationIds.map((id) => repo.stationShifts(id, today, to)))).flat().filter((r) => keys.has(slotKey(r)))
      }
      const slots = groupShifts(rows)
      const todays = slots.filter((s) => s.day === today)
      return { today: todays, next: todays.length > 0 ? null : (slots[0] ?? null) }
    },

    /** The daily job: moves every station's generated window on by a day. */
    async extendAll(): Promise<number> {
      const ids = await repo.stationsWithRules()
      for (const id of ids) {
        await db.transaction(async (tx) => {
          await repo.lockStation(tx, id)
          await regenerate(tx, id)
        })
      }
      if (ids.length > 0) onChange()
      return ids.length
    },
  }
}
export type DutyRosterService = ReturnType<typeof createDutyRosterService>

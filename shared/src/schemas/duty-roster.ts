import { Type, type Static } from 'typebox'

/** weekly: every given weekday; monthly: the nth (1–5) or last (-1) given weekday of each month; dates: single days. */
export const DUTY_RULE_KINDS = ['weekly', 'monthly', 'dates'] as const
export type DutyRuleKind = (typeof DUTY_RULE_KINDS)[number]

const Uuid = Type.String({ format: 'uuid' })
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A Beijing day, YYYY-MM-DD' })
const TimeOfDay = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'Beijing wall-clock time, HH:MM' })
const Weekday = Type.Integer({ minimum: 0, maximum: 6, description: '0 = Sunday … 6 = Saturday' })
const Ordinal = Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Literal(-1)], { description: '1–5, or -1 for the last of the month' })
const Note = Type.String({ maxLength: 200 })

export const DutyRuleParams = Type.Object({ id: Uuid, ruleId: Uuid })
export const DutyExceptionParams = Type.Object({ id: Uuid, exceptionId: Uuid })

const ruleFields = {
  kind: Type.Enum(DUTY_RULE_KINDS),
  weekdays: Type.Optional(Type.Array(Weekday, { maxItems: 7, uniqueItems: true })),
  ordinals: Type.Optional(Type.Array(Ordinal, { maxItems: 6, uniqueItems: true })),
  dates: Type.Optional(Type.Array(Day, { maxItems: 60, uniqueItems: true })),
  startsAt: TimeOfDay,
  endsAt: TimeOfDay,
  memberIds: Type.Array(Uuid, { minItems: 1, maxItems: 30, uniqueItems: true }),
  validFrom: Type.Optional(Type.Union([Day, Type.Null()])),
  validUntil: Type.Optional(Type.Union([Day, Type.Null()])),
  note: Type.Optional(Note),
}

/** A new rule; a change sends the whole rule again (PUT), which keeps the checks across fields in one place. */
export const DutyRuleBody = Type.Object(ruleFields, { additionalProperties: false })
export type DutyRuleBody = Static<typeof DutyRuleBody>

export const DutyRule = Type.Object({
  id: Uuid,
  stationId: Uuid,
  kind: Type.Enum(DUTY_RULE_KINDS),
  weekdays: Type.Array(Type.Integer()),
  ordinals: Type.Array(Type.Integer()),
  dates: Type.Array(Type.String()),
  startsAt: Type.String(),
  endsAt: Type.String(),
  members: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
  validFrom: Type.Union([Type.String(), Type.Null()]),
  validUntil: Type.Union([Type.String(), Type.Null()]),
  note: Type.String(),
})
export type DutyRule = Static<typeof DutyRule>

export const DutyExceptionBody = Type.Object(
  {
    day: Day,
    /** Cancels only this rule's reception that day; without it the whole station is closed (a holiday). */
    ruleId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
)
export type DutyExceptionBody = Static<typeof DutyExceptionBody>

export const DutyException = Type.Object({ id: Uuid, stationId: Uuid, ruleId: Type.Union([Uuid, Type.Null()]), day: Type.String(), note: Type.String() })
export type DutyException = Static<typeof DutyException>

/** One reception day at a station: who receives, and when (Beijing). */
export const DutyShiftDay = Type.Object({
  day: Type.String(),
  startsAt: Type.String(),
  endsAt: Type.String(),
  members: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
})
export type DutyShiftDay = Static<typeof DutyShiftDay>

export const DutyRoster = Type.Object({
  rules: Type.Array(DutyRule),
  exceptions: Type.Array(DutyException),
})
export type DutyRoster = Static<typeof DutyRoster>

export const UpcomingShiftsQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })) })
export const UpcomingShifts = Type.Object({ items: Type.Array(DutyShiftDay) })
export type UpcomingShifts = Static<typeof UpcomingShifts>

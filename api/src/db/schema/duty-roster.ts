import { pgTable, text, uuid, integer, date, time, index, primaryKey, check } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import { DUTY_RULE_KINDS } from '@mashangjian/shared'
import { id, createdAt, updatedAt, oneOf } from './columns'
import { member, station } from './org'

/**
 * A station's reception-day rule (委员接待日/履职日): every given weekday, the nth (or last, -1) given weekday of
 * each month, or single dates, from `starts_at` to `ends_at` Beijing wall-clock time. The rules are the truth;
 * duty_shift rows are generated from them for the coming days (duty-roster/duty-roster-service.ts) so routing keeps its SQL.
 */
export const dutyRule = pgTable(
  'duty_rule',
  {
    id: id(),
    stationId: uuid('station_id')
      .notNull()
      .references(() => station.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: DUTY_RULE_KINDS }).notNull(),
    /** 0 = Sunday … 6 = Saturday (weekly and monthly rules). */
    weekdays: integer('weekdays')
      .array()
      .notNull()
      .default(sql`'{}'::integer[]`),
    /** Monthly rules: 1–5, or -1 for the last of the month. */
    ordinals: integer('ordinals')
      .array()
      .notNull()
      .default(sql`'{}'::integer[]`),
    /** Single-date rules: the days, YYYY-MM-DD. */
    dates: date('dates')
      .array()
      .notNull()
      .default(sql`'{}'::date[]`),
    startsAt: time('starts_at').notNull(),
    endsAt: time('ends_at').notNull(),
    validFrom: date('valid_from'),
    validUntil: date('valid_until'),
    note: text('note').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    oneOf('duty_rule_kind_check', t.kind, DUTY_RULE_KINDS),
    check('duty_rule_hours_check', sql`${t.endsAt} > ${t.startsAt}`),
    index('duty_rule_station_idx').on(t.stationId),
  ],
)

/** Who receives on a rule's days (members of the rule's station). */
export const dutyRuleMember = pgTable(
  'duty_rule_member',
  {
    ruleId: uuid('rule_id')
      .notNull()
      .references(() => dutyRule.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => member.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.memberId] })],
)

/** A day without reception: for the whole station (a holiday) when `rule_id` is null, else for that rule only. */
export const dutyException = pgTable(
  'duty_exception',
  {
    id: id(),
    stationId: uuid('station_id')
      .notNull()
      .references(() => station.id, { onDelete: 'cascade' }),
    ruleId: uuid('rule_id').references(() => dutyRule.id, { onDelete: 'cascade' }),
    day: date('day').notNull(),
    note: text('note').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [index('duty_exception_station_day_idx').on(t.stationId, t.day)],
)

import {
  pgTable,
  text,
  uuid,
  integer,
  boolean,
  jsonb,
  doublePrecision,
  date,
  time,
  index,
  uniqueIndex,
  primaryKey,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core'
import { COMMITTEE_LEVELS, STATION_KINDS, MEMBER_STATUSES, type LedgerTargetSettings } from '@mashangjian/shared'
import { id, createdAt, updatedAt, oneOf } from './columns'

/** Committee settings a committee admin may change; missing keys fall back to DESIGN.md defaults. */
export type CommitteeSettings = {
  slaHours?: Partial<Record<'urgent' | 'general' | 'complex', { accept: number; resolve: number }>>
  autoCloseDays?: number
  /** Yearly 履职 targets the members are measured against (a preset or a custom list); committees below inherit them. */
  ledger?: LedgerTargetSettings
  /** 交办: default reply time in working days (5), and whether a case's resolve clock stops while a department has it (no). */
  handoff?: { replyDays?: number; pauseResolveClock?: boolean }
  /** Issue 19: years residents' personal data is kept after a case ends (default 3); set through its own endpoint. */
  retentionYears?: number
}

/** 政协 committee tree: province → city → county. `path` lists ancestor ids and self, '/'-joined, for subtree checks. */
export const committee = pgTable(
  'committee',
  {
    id: id(),
    parentId: uuid('parent_id').references((): AnyPgColumn => committee.id),
    level: text('level', { enum: COMMITTEE_LEVELS }).notNull(),
    name: text('name').notNull(),
    /** Prefix of public case numbers, e.g. `LX` in `LX-2026-000123`. */
    shortCode: text('short_code').notNull(),
    path: text('path').notNull(),
    defaultLocale: text('default_locale').notNull().default('zh-CN'),
    settings: jsonb('settings').$type<CommitteeSettings>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    oneOf('committee_level_check', t.level, COMMITTEE_LEVELS),
    uniqueIndex('committee_short_code_key').on(t.shortCode),
    index('committee_path_idx').on(t.path),
  ],
)

/** 界别: the sectors members are elected from, per committee. */
export const sector = pgTable(
  'sector',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committee.id),
    name: text('name').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('sector_committee_name_key').on(t.committeeId, t.name)],
)

/** 委员工作站 / 工作室 / 联络室 / 驿站 / 议事室. */
export const station = pgTable(
  'station',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committee.id),
    kind: text('kind', { enum: STATION_KINDS }).notNull(),
    name: text('name').notNull(),
    address: text('address').notNull().default(''),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    openHours: text('open_hours').notNull().default(''),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [oneOf('station_kind_check', t.kind, STATION_KINDS), index('station_committee_idx').on(t.committeeId)],
)

export const member = pgTable(
  'member',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committee.id),
    sectorId: uuid('sector_id').references(() => sector.id),
    level: text('level', { enum: COMMITTEE_LEVELS }).notNull(),
    name: text('name').notNull(),
    title: text('title').notNull().default(''),
    /** Storage key of the re-encoded portrait, if any. */
    photoKey: text('photo_key'),
    bio: text('bio').notNull().default(''),
    status: text('status', { enum: MEMBER_STATUSES }).notNull().default('active'),
    /** The member's mobile, encrypted like residents' phones (privacy/pii-cipher.ts), and masked for display. */
    phoneEnc: text('phone_enc'),
    phoneMasked: text('phone_masked'),
    /**
     * Keyed hash (HMAC) of the normalised mobile (privacy/phone-lookup.ts): finds a member by phone, e.g. when a
     * roster is imported again, without decrypting every row; unique per committee.
     */
    phoneHash: text('phone_hash'),
    /** Yearly target of 界别群众 contacts (e.g. Akesai asks ≥ 20). */
    contactTargetPerYear: integer('contact_target_per_year').notNull().default(10),
    /** How the member wants new cases, reminders and 督办: SMS (needs a phone) and/or Web Push. */
    notifySms: boolean('notify_sms').notNull().default(true),
    notifyPush: boolean('notify_push').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    oneOf('member_level_check', t.level, COMMITTEE_LEVELS),
    oneOf('member_status_check', t.status, MEMBER_STATUSES),
    index('member_committee_idx').on(t.committeeId),
    uniqueIndex('member_committee_phone_key').on(t.committeeId, t.phoneHash),
  ],
)

export const memberStation = pgTable(
  'member_station',
  {
    memberId: uuid('member_id')
      .notNull()
      .references(() => member.id, { onDelete: 'cascade' }),
    stationId: uuid('station_id')
      .notNull()
      .references(() => station.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.stationId] }), index('member_station_station_idx').on(t.stationId)],
)

/** A station's reception-day / duty roster (Akesai 委员接待日, Zhaosu 履职日). */
export const dutyShift = pgTable(
  'duty_shift',
  {
    id: id(),
    stationId: uuid('station_id')
      .notNull()
      .references(() => station.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => member.id, { onDelete: 'cascade' }),
    day: date('day').notNull(),
    startsAt: time('starts_at').notNull(),
    endsAt: time('ends_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('duty_shift_station_day_idx').on(t.stationId, t.day)],
)

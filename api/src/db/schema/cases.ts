import {
  pgTable,
  text,
  uuid,
  integer,
  boolean,
  jsonb,
  doublePrecision,
  timestamp,
  bigint,
  index,
  uniqueIndex,
  primaryKey,
  customType,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import {
  SLA_CLASSES,
  CASE_STATUSES,
  CASE_CHANNELS,
  CASE_PRIORITIES,
  RATINGS,
  CASE_EVENT_TYPES,
  EVENT_VISIBILITIES,
  ACTOR_KINDS,
  RATING_SOURCES,
} from '@mashangjian/shared'
import { id, createdAt, updatedAt, oneOf } from './columns'
import { committee, member, sector, station } from './org'
import { appUser } from './users'
import { qrCode } from './qr'

/** Case categories with per-locale names, the sector whose members know the subject, and a deadline class. */
export const category = pgTable(
  'category',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committee.id),
    /** `{ "zh-CN": "噪音扰民", "en": "Noise", "ug": "…" }` */
    names: jsonb('names').$type<Record<string, string>>().notNull(),
    sectorId: uuid('sector_id').references(() => sector.id),
    slaClass: text('sla_class', { enum: SLA_CLASSES }).notNull().default('general'),
    sortOrder: integer('sort_order').notNull().default(0),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [oneOf('category_sla_class_check', t.slaClass, SLA_CLASSES), index('category_committee_idx').on(t.committeeId)],
)

/** Last public number handed out per committee and year (`LX-2026-000123`); one row locked per insert. */
export const caseCounter = pgTable(
  'case_counter',
  {
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committee.id),
    year: integer('year').notNull(),
    lastNo: integer('last_no').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.committeeId, t.year] })],
)

/**
 * A resident's request. Named `cases` because `case` is a reserved word in SQL.
 * `member_id` null while `status = 'assigned'` means the case waits in the station admin's queue.
 */
export const cases = pgTable(
  'cases',
  {
    id: id(),
    publicNo: text('public_no').notNull(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committee.id),
    stationId: uuid('station_id').references(() => station.id),
    memberId: uuid('member_id').references(() => member.id),
    categoryId: uuid('category_id').references(() => category.id),
    qrCodeId: uuid('qr_code_id').references(() => qrCode.id),
    channel: text('channel', { enum: CASE_CHANNELS }).notNull(),
    status: text('status', { enum: CASE_STATUSES }).notNull(),
    priority: text('priority', { enum: CASE_PRIORITIES }).notNull().default('normal'),
    description: text('description').notNull(),
    locationText: text('location_text'),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    /** Radius in metres the browser reported for `lat`/`lng` ("use my location", issue 16); null when typed or absent. */
    locationAccuracy: doublePrecision('location_accuracy'),
    /** AES-GCM ciphertext of the resident's phone; readable only by the assignee and in exports. */
    residentPhoneEnc: text('resident_phone_enc'),
    /** `138****1234`, what everyone else sees. */
    residentPhoneMasked: text('resident_phone_masked'),
    /**
     * Keyed hash (HMAC, privacy/phone-lookup.ts) of the normalised phone: the desk finds a caller's cases by it
     * without decrypting anything.
     */
    residentPhoneHash: text('resident_phone_hash'),
    /**
     * When the resident withdrew consent for their phone on the tracking page (PIPL art. 15, issue 19): the phone
     * columns are null from then on, and the member sees why there is no number to call.
     */
    residentPhoneWithdrawnAt: timestamp('resident_phone_withdrawn_at', { withTimezone: true }),
    residentLocale: text('resident_locale').notNull().default('zh-CN'),
    /** SHA-256 of the secret in the resident's tracking link. */
    trackingSecretHash: text('tracking_secret_hash').notNull(),
    /** The tracking secret itself, encrypted like phones: every SMS to the resident carries their link. */
    trackingSecretEnc: text('tracking_secret_enc'),
    acceptDueAt: timestamp('accept_due_at', { withTimezone: true }),
    resolveDueAt: timestamp('resolve_due_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    overdueAt: timestamp('overdue_at', { withTimezone: true }),
    /** Reminders already sent for the current deadlines, so a job run twice reminds once. */
    acceptRemindedAt: timestamp('accept_reminded_at', { withTimezone: true }),
    resolveRemindedAt: timestamp('resolve_reminded_at', { withTimezone: true }),
    /** A member's pending request to move `resolve_due_at` (申请延期), waiting for a station admin. */
    extensionRequestedUntil: timestamp('extension_requested_until', { withTimezone: true }),
    /**
     * Set while the resolve deadline stands still because a department has the case (交办, committee setting
     * `handoff.pauseResolveClock`); when the last open hand-off ends, `resolve_due_at` moves on by the pause.
     */
    resolvePausedAt: timestamp('resolve_paused_at', { withTimezone: true }),
    reopenCount: integer('reopen_count').notNull().default(0),
    /**
     * When the case was last declined (退单), transferred (转办) or escalated (督办): set in the same update as the
     * transition, so the 回退率 needs no scan of the timeline (metrics/case-facts.ts).
     */
    returnedAt: timestamp('returned_at', { withTimezone: true }),
    /** Optimistic concurrency: every state change bumps it; actions name the version they were based on. */
    version: integer('version').notNull().default(1),
    rating: text('rating', { enum: RATINGS }),
    ratingComment: text('rating_comment'),
    /** `web` (tracking page) or `phone` (a 回访 call recorded by an admin); null while unrated. */
    ratingSource: text('rating_source', { enum: RATING_SOURCES }),
    ratedAt: timestamp('rated_at', { withTimezone: true }),
    mergedInto: uuid('merged_into').references((): AnyPgColumn => cases.id),
    closeReason: text('close_reason'),
    /**
     * Staff allow this resolved matter on the committee's transparency page (/p/…, issue 16); default off. What is
     * shown is `public_text` when staff wrote one (moderated), else the resolve reply — both masked when rendered.
     */
    publishable: boolean('publishable').notNull().default(false),
    publicText: text('public_text'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /** The Open311 client whose POST created the case (channel `open311`). */
    open311ClientId: uuid('open311_client_id').references((): AnyPgColumn => open311Client.id),
    /**
     * When the residents' personal data in this case was erased (issue 19: the retention job past the committee's
     * years, or the resident's own request): phones, free text, photos, followers and extra links are gone; the
     * category, dates, states and routing stay, so every count stays.
     */
    personalDataErasedAt: timestamp('personal_data_erased_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('cases_public_no_key').on(t.publicNo),
    // The transparency page: a committee's published matters, newest first.
    index('cases_published_idx')
      .on(t.committeeId, t.resolvedAt)
      .where(sql`publishable`),
    uniqueIndex('cases_tracking_secret_hash_key').on(t.trackingSecretHash),
    index('cases_member_status_idx').on(t.memberId, t.status, t.createdAt),
    index('cases_station_status_idx').on(t.stationId, t.status, t.createdAt),
    index('cases_committee_created_idx').on(t.committeeId, t.createdAt),
    // The deadline sweeps look only at open cases, so partial indexes stay small.
    // Only what the sweep still has to act on: escalated cases (no member) and cases already marked overdue stay
    // out, so the sweep's minute-by-minute reads stay small however large the backlog grows.
    index('cases_accept_due_idx')
      .on(t.acceptDueAt)
      .where(sql`status = 'assigned' and member_id is not null`),
    index('cases_resolve_due_idx')
      .on(t.resolveDueAt)
      .where(sql`status in ('accepted', 'in_progress', 'reopened') and overdue_at is null and resolve_paused_at is null`),
    // A member's whole inbox, newest first (read backwards): the first page stops after 21 entries, no sort.
    index('cases_member_created_idx').on(t.memberId, t.createdAt, t.id),
    index('cases_resolved_at_idx')
      .on(t.resolvedAt)
      .where(sql`status = 'resolved'`),
    // The metrics' live overdue count per committee: an index-only range over the open cases of each committee.
    index('cases_committee_accept_due_idx')
      .on(t.committeeId, t.acceptDueAt)
      .where(sql`status = 'assigned'`),
    index('cases_committee_resolve_due_idx')
      .on(t.committeeId, t.resolveDueAt)
      .where(sql`status in ('accepted', 'in_progress', 'reopened')`),
    oneOf('cases_channel_check', t.channel, CASE_CHANNELS),
    oneOf('cases_status_check', t.status, CASE_STATUSES),
    oneOf('cases_priority_check', t.priority, CASE_PRIORITIES),
    oneOf('cases_rating_check', t.rating, RATINGS),
    oneOf('cases_rating_source_check', t.ratingSource, RATING_SOURCES),
    // Phone search at the desk: always within one committee (or a few), by the exact hash.
    // Phone search (station desk): a hash is all but unique, so the hash alone finds a resident's cases for any scope.
    index('cases_phone_hash_idx')
      .on(t.residentPhoneHash)
      .where(sql`resident_phone_hash is not null`),
    // Phones stored before the hash existed, for the start-up backfill: empty once it ran, so each start reads nothing.
    index('cases_phone_unhashed_idx')
      .on(t.id)
      .where(sql`resident_phone_enc is not null and resident_phone_hash is null`),
    // A case's detail lists the cases merged into it (并单); few cases are ever merged, so the index stays small.
    index('cases_merged_into_idx')
      .on(t.mergedInto)
      .where(sql`merged_into is not null`),
    // The retention job (issue 19): ended cases whose personal data is still kept, oldest end first.
    index('cases_retention_idx')
      .on(t.committeeId, t.closedAt)
      .where(sql`personal_data_erased_at is null and status in ('closed', 'invalid', 'merged')`),
  ],
)

/** Append-only timeline. `op_id` is the client's UUID for the action: unique, so a replay changes nothing. */
export const caseEvent = pgTable(
  'case_event',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    type: text('type', { enum: CASE_EVENT_TYPES }).notNull(),
    actorKind: text('actor_kind', { enum: ACTOR_KINDS }).notNull(),
    actorUserId: uuid('actor_user_id').references(() => appUser.id),
    visibility: text('visibility', { enum: EVENT_VISIBILITIES }).notNull(),
    body: text('body').notNull().default(''),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    fromStatus: text('from_status', { enum: CASE_STATUSES }),
    toStatus: text('to_status', { enum: CASE_STATUSES }),
    opId: uuid('op_id'),
    /** Device time of the action (members act offline); `received_at` is when the server saw it. */
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('case_event_op_id_key').on(t.opId),
    index('case_event_case_idx').on(t.caseId, t.id),
    oneOf('case_event_type_check', t.type, CASE_EVENT_TYPES),
    oneOf('case_event_visibility_check', t.visibility, EVENT_VISIBILITIES),
    oneOf('case_event_actor_kind_check', t.actorKind, ACTOR_KINDS),
  ],
)

/**
 * The first answer to each member action, by the client's `op_id`: the same action sent again (a retry after a
 * lost response, a replayed outbox) gets this answer back and changes nothing. `request_hash` fingerprints the
 * request the answer belongs to (see op-request-hash.ts), so an opId reused for another action, body or case is
 * refused rather than answered with this; rows written before it was kept have none and replay as they did.
 */
export const caseOp = pgTable('case_op', {
  opId: uuid('op_id').primaryKey(),
  caseId: uuid('case_id')
    .notNull()
    .references(() => cases.id),
  actorUserId: uuid('actor_user_id')
    .notNull()
    .references(() => appUser.id),
  response: jsonb('response').$type<Record<string, unknown>>().notNull(),
  requestHash: text('request_hash'),
  createdAt: createdAt(),
})

/** PostgreSQL `xid8`: the id of the transaction that wrote a row, ordered like transaction start. */
export const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' })

/**
 * Commit-ordered change log behind the sync feed, written by a trigger on `cases` (see migrations) so no code
 * path can change a case without it. Each row keeps the case's assignment after and before the change: a
 * member whose case moved away still learns that it did. The feed serves rows in (xid, id) order, only those
 * older than every transaction still running, so a late commit is never skipped.
 */
export const caseChange = pgTable(
  'case_change',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    xid: xid8('xid')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    version: integer('version').notNull(),
    status: text('status', { enum: CASE_STATUSES }).notNull(),
    committeeId: uuid('committee_id').notNull(),
    stationId: uuid('station_id'),
    memberId: uuid('member_id'),
    prevStationId: uuid('prev_station_id'),
    prevMemberId: uuid('prev_member_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('case_change_xid_idx').on(t.xid, t.id),
    index('case_change_member_idx').on(t.memberId, t.xid, t.id),
    index('case_change_prev_member_idx').on(t.prevMemberId, t.xid, t.id),
    index('case_change_station_idx').on(t.stationId, t.xid, t.id),
    index('case_change_committee_idx').on(t.committeeId, t.xid, t.id),
  ],
)

/** Re-encoded images (EXIF stripped) behind one storage interface (disk now, S3-compatible later). */
export const attachment = pgTable(
  'attachment',
  {
    id: id(),
    caseId: uuid('case_id').references(() => cases.id),
    eventId: bigint('event_id', { mode: 'number' }).references(() => caseEvent.id),
    storageKey: text('storage_key').notNull(),
    mime: text('mime').notNull(),
    bytes: integer('bytes').notNull(),
    width: integer('width'),
    height: integer('height'),
    sha256: text('sha256').notNull(),
    /**
     * Shown on the resident's tracking page: residents' own photos always are; a member's only when marked public
     * (issue 16). Internal notes' photos never.
     */
    public: boolean('public').notNull().default(false),
    /** Text alternative for the tracking page (what the uploader said the photo shows). */
    altText: text('alt_text'),
    createdAt: createdAt(),
  },
  (t) => [index('attachment_case_idx').on(t.caseId)],
)

/**
 * Further tracking links to a case, besides the one made at submission: "找回我的诉求" (public number + phone) sends
 * a new one by SMS while the old keeps working. Owner or follower as the phone matched; revocable.
 */
export const trackingLink = pgTable(
  'tracking_link',
  {
    id: id(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    /** Set when the phone matched a follower (并单 joiner) rather than the submitter: the link then reads as theirs. */
    followerId: uuid('follower_id').references(() => caseFollower.id),
    secretHash: text('secret_hash').notNull(),
    secretEnc: text('secret_enc').notNull(),
    reason: text('reason').notNull().default('recovery'),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('tracking_link_secret_hash_key').on(t.secretHash), index('tracking_link_case_idx').on(t.caseId)],
)

/**
 * Fixed-window counters for public actions limited per key across processes (recovery per IP, per number, per
 * phone hash — issue 16), unlike @fastify/rate-limit's per-process memory.
 */
export const publicThrottle = pgTable('public_throttle', {
  key: text('key').primaryKey(),
  count: integer('count').notNull().default(0),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
})

/** A civic tool allowed to POST through Open311 GeoReport v2 (issue 16): one API key per client, issued in the console. */
export const open311Client = pgTable(
  'open311_client',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committee.id),
    name: text('name').notNull(),
    /** SHA-256 of the API key; the key itself is shown once when issued. */
    keyHash: text('key_hash').notNull(),
    /** First characters of the key, so staff can tell keys apart in the list. */
    keyPrefix: text('key_prefix').notNull(),
    /** Where its requests go: this station's queue (like a scan of the station code); null = the committee's first station. */
    stationId: uuid('station_id').references(() => station.id),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('open311_client_key_hash_key').on(t.keyHash), index('open311_client_committee_idx').on(t.committeeId)],
)

/**
 * A resident who reported the same problem as an open case and chose to join it instead of opening another:
 * they get a tracking link of their own to that case (and, with consent, updates to their phone).
 */
export const caseFollower = pgTable(
  'case_follower',
  {
    id: id(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    trackingSecretHash: text('tracking_secret_hash').notNull(),
    /** The tracking secret itself, encrypted like phones: every SMS to the resident carries their link. */
    trackingSecretEnc: text('tracking_secret_enc'),
    residentPhoneEnc: text('resident_phone_enc'),
    residentPhoneMasked: text('resident_phone_masked'),
    /** Same keyed hash as `cases.resident_phone_hash`: a phone search also finds the cases a resident follows. */
    residentPhoneHash: text('resident_phone_hash'),
    /** Consent for the phone withdrawn (issue 19), by this follower or by the same person as the case's submitter. */
    residentPhoneWithdrawnAt: timestamp('resident_phone_withdrawn_at', { withTimezone: true }),
    residentLocale: text('resident_locale').notNull().default('zh-CN'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('case_follower_tracking_secret_hash_key').on(t.trackingSecretHash),
    index('case_follower_case_idx').on(t.caseId),
    index('case_follower_phone_hash_idx')
      .on(t.residentPhoneHash)
      .where(sql`resident_phone_hash is not null`),
    index('case_follower_phone_unhashed_idx')
      .on(t.id)
      .where(sql`resident_phone_enc is not null and resident_phone_hash is null`),
  ],
)

/**
 * Idempotency of public submissions (issue 18): a retried form post or API call whose first answer was lost
 * (a timeout, a crash after commit) finds the case its first try created instead of creating a second. The key
 * is a hash of the browser's submission cookie or the client's Idempotency-Key, bound to what was submitted.
 */
export const submissionKey = pgTable(
  'submission_key',
  {
    keyHash: text('key_hash').primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    /** Set when the submission joined an open case (并单 by the resident) rather than creating one. */
    followerId: uuid('follower_id').references(() => caseFollower.id),
    createdAt: createdAt(),
  },
  (t) => [index('submission_key_created_idx').on(t.createdAt)],
)

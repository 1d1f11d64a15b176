import { pgTable, text, uuid, integer, timestamp, index, uniqueIndex, primaryKey } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import { ROLES } from '@mashangjian/shared'
import { id, createdAt, updatedAt, oneOf } from './columns'
import { committee, member, station } from './org'

/** Signed-in users. Named `app_user` because `user` is a reserved word in SQL (`select * from user` returns current_user). */
export const appUser = pgTable(
  'app_user',
  {
    id: id(),
    /** Lower-cased username or mobile number. */
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    /** Scope: a system admin may have none; everyone else belongs to one committee. */
    committeeId: uuid('committee_id').references(() => committee.id),
    memberId: uuid('member_id').references(() => member.id),
    passwordHash: text('password_hash').notNull(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    locale: text('locale').notNull().default('zh-CN'),
    /**
     * Every access token carries the version it was signed at (claim `sv`); raising it (logout everywhere, disabling,
     * a new password, changed stations) makes all of them fail the access guard at once.
     */
    sessionVersion: integer('session_version').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [oneOf('app_user_role_check', t.role, ROLES), uniqueIndex('app_user_username_key').on(t.username), index('app_user_committee_idx').on(t.committeeId)],
)

/**
 * Failed sign-ins (auth/login-throttle.ts), keyed by the username typed — whether or not such a user exists, so
 * the answers never tell — per address (`pair:`) and for the name as a whole (`account:`). Rows hold counts
 * only: the username is a hash, the address is in the key for the pair rows only.
 */
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
  blockedUntil: timestamp('blocked_until', { withTimezone: true }),
  updatedAt: updatedAt(),
})

/** Stations a station admin manages. */
export const userStation = pgTable(
  'user_station',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    stationId: uuid('station_id')
      .notNull()
      .references(() => station.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.stationId] })],
)

/**
 * Rotating refresh tokens. Every login starts a family; each refresh spends one token and issues its
 * successor in the same family. Presenting a spent token again means it leaked: the family is revoked.
 */
export const refreshToken = pgTable(
  'refresh_token',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    familyId: uuid('family_id').notNull(),
    /** SHA-256 of the token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokeReason: text('revoke_reason'),
    userAgent: text('user_agent'),
  },
  (t) => [
    uniqueIndex('refresh_token_hash_key').on(t.tokenHash),
    index('refresh_token_family_idx').on(t.familyId),
    index('refresh_token_user_idx').on(t.userId),
    // The access guard asks on every request whether the token's family (claim `sid`) was revoked.
    index('refresh_token_revoked_family_idx')
      .on(t.familyId)
      .where(sql`${t.revokedAt} is not null`),
  ],
)

export const pushSubscription = pgTable(
  'push_subscription',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    endpoint: text('endpoint').notNull(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('push_subscription_endpoint_key').on(t.endpoint)],
)

import { sql } from 'drizzle-orm'
import { pgTable, text, uuid, timestamp, index, uniqueIndex, check, type AnyPgColumn } from 'drizzle-orm/pg-core'
import { id, createdAt, oneOf } from './columns'
import { committee, member, station } from './org'
import { appUser } from './users'

export const QR_TARGETS = ['member', 'station'] as const
export const QR_STATUSES = ['active', 'revoked'] as const

/**
 * A placard's code: short random Crockford base32, URL `/q/{code}`. Printed placards live for years, so a
 * code is never deleted: a rotated or revoked code keeps answering with a friendly pointer.
 */
export const qrCode = pgTable(
  'qr_code',
  {
    id: id(),
    code: text('code').notNull(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committee.id),
    targetKind: text('target_kind', { enum: QR_TARGETS }).notNull(),
    memberId: uuid('member_id').references(() => member.id),
    stationId: uuid('station_id').references(() => station.id),
    status: text('status', { enum: QR_STATUSES }).notNull().default('active'),
    /** The code this one replaced when it was rotated. */
    rotatedFrom: uuid('rotated_from').references((): AnyPgColumn => qrCode.id),
    /** Until when a rotated-away code still points residents to its holder's station. */
    redirectUntil: timestamp('redirect_until', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('qr_code_code_key').on(t.code),
    index('qr_code_member_idx').on(t.memberId),
    index('qr_code_station_idx').on(t.stationId),
    oneOf('qr_code_target_check', t.targetKind, QR_TARGETS),
    oneOf('qr_code_status_check', t.status, QR_STATUSES),
    check(
      'qr_code_target_matches',
      sql`(${t.targetKind} = 'member' and ${t.memberId} is not null)
    or (${t.targetKind} = 'station' and ${t.stationId} is not null)`,
    ),
  ],
)

import { pgTable, text, uuid, jsonb, timestamp, bigint, index, uniqueIndex } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'
import { appUser } from './users'
import { xid8 } from './cases'

/**
 * Who saw or changed what, including every view of resident PII. Append-only (a trigger refuses updates and
 * deletes, except sealing). Rows are written without a lock on the hot path; a sealer then chains them in commit
 * order (`xid`, `id`): `seq` is the position in the chain and `hash` covers the row and the previous hash, so
 * editing or removing a sealed row breaks the chain, which `npm run audit:verify` reports.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid('actor_user_id').references(() => appUser.id),
    actorIp: text('actor_ip'),
    action: text('action').notNull(),
    targetKind: text('target_kind').notNull(),
    targetId: text('target_id').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    xid: xid8('xid')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    seq: bigint('seq', { mode: 'number' }),
    prevHash: text('prev_hash'),
    hash: text('hash'),
  },
  (t) => [
    index('audit_log_target_idx').on(t.targetKind, t.targetId),
    uniqueIndex('audit_log_seq_key').on(t.seq),
    index('audit_log_unsealed_idx')
      .on(t.xid, t.id)
      .where(sql`seq is null`),
  ],
)

/**
 * Audit rows older than the kept age (AUDIT_ARCHIVE_AFTER_MONTHS, at least 6: MLPS) moved out of the live table
 * (issue 19), never deleted: the same columns, chain fields included, so `npm run audit:verify` walks archive
 * then live as one chain. Always a prefix of the chain (seq 1..n); append-only by trigger, like the live table,
 * and a live row can only be deleted once its exact copy (seq and hash) is here.
 */
export const auditLogArchive = pgTable(
  'audit_log_archive',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorUserId: uuid('actor_user_id'),
    actorIp: text('actor_ip'),
    action: text('action').notNull(),
    targetKind: text('target_kind').notNull(),
    targetId: text('target_id').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull(),
    xid: xid8('xid').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    archivedAt: timestamp('archived_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('audit_log_archive_seq_key').on(t.seq), index('audit_log_archive_target_idx').on(t.targetKind, t.targetId)],
)

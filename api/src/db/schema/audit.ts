import { pgTable, text, uuid, jsonb, timestamp, bigint, index } from 'drizzle-orm/pg-core'
import { appUser } from './users'

/**
 * Who saw or changed what, including every view of resident PII. Append-only: each row carries the hash of
 * the previous one so tampering breaks the chain (verified by a command).
 */
export const auditLog = pgTable('audit_log', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actorUserId: uuid('actor_user_id').references(() => appUser.id),
  actorIp: text('actor_ip'),
  action: text('action').notNull(),
  targetKind: text('target_kind').notNull(),
  targetId: text('target_id').notNull(),
  detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  prevHash: text('prev_hash'),
  hash: text('hash'),
}, (t) => [index('audit_log_target_idx').on(t.targetKind, t.targetId)])

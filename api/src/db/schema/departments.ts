import { sql } from 'drizzle-orm'
import { pgTable, text, uuid, boolean, timestamp, index, uniqueIndex } from 'drizzle-orm/pg-core'
import { DEPARTMENT_KINDS, HANDOFF_STATUSES } from '@mashangjian/shared'
import { id, createdAt, updatedAt, oneOf } from './columns'
import { committee, member } from './org'
import { cases } from './cases'
import { appUser } from './users'
import { notificationChannel } from './notifications'

/**
 * 职能部门 a committee hands matters to (issue 14): 局/委/办, 街道办/乡镇, 公用事业单位. The contact's phone is personal
 * data, stored like members' phones: encrypted, masked for display, and a keyed hash to find it again.
 */
export const department = pgTable(
  'department',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committee.id),
    name: text('name').notNull(),
    kind: text('kind', { enum: DEPARTMENT_KINDS }).notNull(),
    contactName: text('contact_name').notNull().default(''),
    contactPhoneEnc: text('contact_phone_enc'),
    contactPhoneMasked: text('contact_phone_masked'),
    contactPhoneHash: text('contact_phone_hash'),
    /** The group robot or webhook (a channel of the same committee) this department's hand-offs are posted to. */
    robotChannelId: uuid('robot_channel_id').references(() => notificationChannel.id, { onDelete: 'set null' }),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    oneOf('department_kind_check', t.kind, DEPARTMENT_KINDS),
    uniqueIndex('department_committee_name_key').on(t.committeeId, t.name),
    index('department_robot_channel_idx').on(t.robotChannelId),
  ],
)

/**
 * 交办 (issue 14): one question of a case handed to one department, with its own small machine
 * (shared/src/handoff-machine.ts). The department answers through a secret link (no account): only the SHA-256
 * of the secret is used to find it; the secret itself is kept encrypted (like residents' tracking secrets) so
 * that notices and the desk's "copy the link" can carry it. Revoking or closing the hand-off ends the link.
 */
export const handoff = pgTable(
  'handoff',
  {
    id: id(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committee.id),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => department.id),
    question: text('question').notNull(),
    status: text('status', { enum: HANDOFF_STATUSES }).notNull().default('sent'),
    /** The case action that created it (its opId): the same action replayed creates nothing more. */
    opId: uuid('op_id').notNull(),
    createdByUserId: uuid('created_by_user_id').references(() => appUser.id),
    /** Set when a member handed it off: the 履职 ledger counts hand-offs per member. */
    createdByMemberId: uuid('created_by_member_id').references(() => member.id),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    returnedAt: timestamp('returned_at', { withTimezone: true }),
    /** Withdrawn or expired. */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** The sweep's reminder before the deadline and its overdue mark after it (each once). */
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    overdueAt: timestamp('overdue_at', { withTimezone: true }),
    answer: text('answer'),
    returnReason: text('return_reason'),
    suggestedDepartment: text('suggested_department'),
    responderName: text('responder_name'),
    secretHash: text('secret_hash').notNull(),
    secretEnc: text('secret_enc').notNull(),
    linkRevokedAt: timestamp('link_revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    oneOf('handoff_status_check', t.status, HANDOFF_STATUSES),
    uniqueIndex('handoff_secret_hash_key').on(t.secretHash),
    uniqueIndex('handoff_op_id_key').on(t.opId),
    index('handoff_case_idx').on(t.caseId),
    index('handoff_committee_sent_idx').on(t.committeeId, t.sentAt),
    index('handoff_department_sent_idx').on(t.departmentId, t.sentAt),
    index('handoff_member_sent_idx')
      .on(t.createdByMemberId, t.sentAt)
      .where(sql`created_by_member_id is not null`),
    // The sweep looks only at open hand-offs not yet marked overdue.
    index('handoff_open_due_idx')
      .on(t.dueAt)
      .where(sql`status in ('sent', 'acknowledged') and overdue_at is null`),
  ],
)

import { pgTable, text, uuid, date, timestamp, index, primaryKey, integer, uniqueIndex } from 'drizzle-orm/pg-core'
import { id, createdAt, updatedAt, oneOf } from './columns'
import { committee, member, station } from './org'
import { appUser } from './users'
import { attachment, cases } from './cases'
import { ACTIVITY_KINDS, ACTIVITY_SOURCES, ACTIVITY_STATUSES, REPORT_STATUSES } from '@mashangjian/shared'

// The vocabularies live in shared/ (the API's schemas and the web app use them); re-exported for old imports.
export { ACTIVITY_KINDS, REPORT_STATUSES }

/** 社情民意信息: a report drafted from one or more cases. */
export const opinionReport = pgTable(
  'opinion_report',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committee.id),
    authorUserId: uuid('author_user_id').references(() => appUser.id),
    memberId: uuid('member_id').references(() => member.id),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    suggestion: text('suggestion').notNull().default(''),
    status: text('status', { enum: REPORT_STATUSES }).notNull().default('draft'),
    /** Which body adopted (or rejected) it, e.g. 县委办. */
    decidedBy: text('decided_by'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [oneOf('opinion_report_status_check', t.status, REPORT_STATUSES), index('opinion_report_committee_idx').on(t.committeeId, t.status)],
)

export const opinionReportCase = pgTable(
  'opinion_report_case',
  {
    reportId: uuid('report_id')
      .notNull()
      .references(() => opinionReport.id, { onDelete: 'cascade' }),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.caseId] })],
)

/** 履职 records beyond cases: meetings, reception days, visits, proposals… counted in the ledger. */
export const activity = pgTable(
  'activity',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committee.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => member.id),
    stationId: uuid('station_id').references(() => station.id),
    kind: text('kind', { enum: ACTIVITY_KINDS }).notNull(),
    title: text('title').notNull(),
    occurredOn: date('occurred_on').notNull(),
    notes: text('notes').notNull().default(''),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
    /** issue 15: where it took place (members log it from the phone). */
    place: text('place').notNull().default(''),
    /** Who entered it: staff entries count at once; a member's own waits for a station or committee admin. */
    source: text('source', { enum: ACTIVITY_SOURCES }).notNull().default('staff'),
    /** Only confirmed ones count in the ledger and the 履职档案. */
    status: text('status', { enum: ACTIVITY_STATUSES }).notNull().default('confirmed'),
    reviewedBy: uuid('reviewed_by').references(() => appUser.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    rejectReason: text('reject_reason'),
    /** The phone's outbox id: the same op sent twice records one activity; `opHash` tells a different request. */
    opId: uuid('op_id'),
    opHash: text('op_hash'),
  },
  (t) => [
    oneOf('activity_kind_check', t.kind, ACTIVITY_KINDS),
    oneOf('activity_source_check', t.source, ACTIVITY_SOURCES),
    oneOf('activity_status_check', t.status, ACTIVITY_STATUSES),
    index('activity_member_day_idx').on(t.memberId, t.occurredOn),
    uniqueIndex('activity_op_id_idx').on(t.opId),
    index('activity_pending_idx').on(t.committeeId, t.status),
  ],
)

/** Up to 3 photos of an activity a member logged; the files are ordinary attachments (no case). */
export const activityPhoto = pgTable(
  'activity_photo',
  {
    activityId: uuid('activity_id')
      .notNull()
      .references(() => activity.id, { onDelete: 'cascade' }),
    attachmentId: uuid('attachment_id')
      .notNull()
      .references(() => attachment.id),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.activityId, t.attachmentId] }), uniqueIndex('activity_photo_attachment_idx').on(t.attachmentId)],
)

import { date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { CONTACT_KINDS } from '@mashangjian/shared'
import { createdAt, id, oneOf, updatedAt } from './columns'
import { committee, member, sector } from './org'
import { appUser } from './users'
import { cases } from './cases'
import { opinionReport } from './reports'

/**
 * 界别群众 a member met (issue 15). The phone is kept like residents' phones: encrypted, a keyed hash (the
 * resident-phone key, so a desk search finds the person's cases too) and the masked form; never in plain text.
 * `op_id` is the client's id for the record (the phone's outbox): a resend finds the first row instead of adding one.
 */
export const contact = pgTable(
  'contact',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committee.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => member.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    sectorId: uuid('sector_id').references(() => sector.id),
    community: text('community').notNull().default(''),
    phoneEnc: text('phone_enc'),
    phoneHash: text('phone_hash'),
    phoneMasked: text('phone_masked'),
    /** Beijing calendar day they met. */
    metOn: date('met_on', { mode: 'string' }).notNull(),
    place: text('place').notNull().default(''),
    kind: text('kind', { enum: CONTACT_KINDS }).notNull(),
    /** What they raised. */
    raised: text('raised').notNull().default(''),
    notes: text('notes').notNull().default(''),
    createdBy: uuid('created_by').references(() => appUser.id, { onDelete: 'set null' }),
    opId: uuid('op_id').notNull(),
    /** Fingerprint of the body first sent with op_id: a different body with it is refused (OP_ID_REUSED). */
    requestHash: text('request_hash').notNull(),
    /** 转为诉求 / 转为社情民意: what the contact became. */
    caseId: uuid('case_id').references(() => cases.id, { onDelete: 'set null' }),
    reportId: uuid('report_id').references(() => opinionReport.id, { onDelete: 'set null' }),
    /** Issue 19: name, phone, community, place and what was said erased past the committee's retention years. */
    personalDataErasedAt: timestamp('personal_data_erased_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    oneOf('contact_kind_check', t.kind, CONTACT_KINDS),
    uniqueIndex('contact_op_id_key').on(t.opId),
    index('contact_member_idx').on(t.memberId, t.metOn),
    index('contact_committee_day_idx').on(t.committeeId, t.metOn),
  ],
)

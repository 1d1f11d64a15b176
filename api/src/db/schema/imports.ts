import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { IMPORT_MODES, IMPORT_STATUSES, type ImportDiff, type ImportRowError } from '@mashangjian/shared'
import { id, createdAt, updatedAt, oneOf } from './columns'
import { committee } from './org'
import { appUser } from './users'

/** One row of a roster file after reading, as kept between the dry run and the confirmation. */
export interface StoredRosterRow {
  row: number
  /** Trimmed cell values by column key, all but the phone. */
  cells: Partial<Record<'name' | 'level' | 'sector' | 'stations' | 'title' | 'status', string>>
  /** A valid phone, only encrypted, keyed-hashed and masked: never in clear. */
  phone?: { enc: string; hash: string; masked: string }
  /** What is wrong with the row whatever the database holds (empty cells, bad phone, duplicates in the file…). */
  fileErrors: ImportRowError[]
}

export type ImportCounts = { add: number; update: number; unchanged: number; error: number }

/**
 * A roster import between its dry run and its confirmation. Kept in the database (not in one API process's
 * memory) so any API node can answer the poll and the confirmation, and a restart loses nothing but the work in
 * flight. `rows` (encrypted phones) is dropped once applied or expired; the masked diff stays as a record.
 */
export const memberImport = pgTable(
  'member_import',
  {
    id: id(),
    committeeId: uuid('committee_id')
      .notNull()
      .references(() => committee.id, { onDelete: 'cascade' }),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    status: text('status', { enum: IMPORT_STATUSES }).notNull(),
    fileName: text('file_name').notNull(),
    fileKind: text('file_kind', { enum: ['csv', 'xlsx'] }).notNull(),
    encoding: text('encoding'),
    totalRows: integer('total_rows').notNull().default(0),
    processedRows: integer('processed_rows').notNull().default(0),
    counts: jsonb('counts').$type<ImportCounts>().notNull().default({ add: 0, update: 0, unchanged: 0, error: 0 }),
    rows: jsonb('rows').$type<StoredRosterRow[]>(),
    diff: jsonb('diff').$type<ImportDiff>(),
    /** Fingerprint of the diff shown; confirming recomputes it and refuses if the roster moved meanwhile. */
    diffHash: text('diff_hash'),
    mode: text('mode', { enum: IMPORT_MODES }),
    added: integer('added'),
    updated: integer('updated'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
  },
  (t) => [
    oneOf('member_import_status_check', t.status, IMPORT_STATUSES),
    index('member_import_committee_idx').on(t.committeeId, t.createdAt),
    index('member_import_expires_idx').on(t.expiresAt),
  ],
)

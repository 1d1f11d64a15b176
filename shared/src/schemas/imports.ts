import { Type, type Static } from 'typebox'
import { COMMITTEE_LEVELS, MEMBER_STATUSES } from '../roles'
import { IMPORT_MODES, IMPORT_ROW_ERRORS, IMPORT_STATUSES } from '../roster'
import { Nullable, Page, PageQuery, Uuid } from './common'

const Timestamp = Type.String({ format: 'date-time' })
/** Row numbers are the spreadsheet's: the header is row 1, the first member row 2. */
const Row = Type.Integer({ minimum: 2 })

export const ImportRowError = Type.Object({
  code: Type.Enum([...IMPORT_ROW_ERRORS]),
  /** The column as headed in the template (姓名, 手机号, …). */
  column: Type.Optional(Type.String()),
  value: Type.Optional(Type.String()),
  /** duplicate_phone: the other rows with the same number. */
  otherRows: Type.Optional(Type.Array(Row)),
  message: Type.String(),
})
export type ImportRowError = Static<typeof ImportRowError>

export const ImportFieldChange = Type.Object({
  field: Type.Enum(['name', 'phone', 'level', 'sector', 'stations', 'title', 'status']),
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
})
export type ImportFieldChange = Static<typeof ImportFieldChange>

export const ImportDiff = Type.Object({
  add: Type.Array(
    Type.Object({
      row: Row,
      name: Type.String(),
      phoneMasked: Type.String(),
      level: Type.Enum(COMMITTEE_LEVELS),
      sector: Nullable(Type.String()),
      stations: Type.Array(Type.String()),
      title: Type.String(),
      status: Type.Enum(MEMBER_STATUSES),
    }),
  ),
  update: Type.Array(Type.Object({ row: Row, memberId: Uuid, name: Type.String(), phoneMasked: Type.String(), changes: Type.Array(ImportFieldChange) })),
  unchanged: Type.Array(Type.Object({ row: Row, memberId: Uuid, name: Type.String() })),
  errors: Type.Array(Type.Object({ row: Row, name: Nullable(Type.String()), errors: Type.Array(ImportRowError) })),
})
export type ImportDiff = Static<typeof ImportDiff>

const Counts = Type.Object({ add: Type.Integer(), update: Type.Integer(), unchanged: Type.Integer(), error: Type.Integer() })

/**
 * A roster import. A dry run ends `ready` with its diff; confirming applies it in one transaction and ends
 * `applied` (or `failed` with why). Large files are worked on after the answer: poll until `ready`/`applied`.
 */
export const MemberImportView = Type.Object({
  id: Uuid,
  committeeId: Uuid,
  status: Type.Enum([...IMPORT_STATUSES]),
  fileName: Type.String(),
  fileKind: Type.Enum(['csv', 'xlsx']),
  /** How a CSV was decoded: utf-8, gb18030 (GBK), utf-16le. */
  encoding: Nullable(Type.String()),
  progress: Type.Object({ phase: Nullable(Type.Enum(['validating', 'applying'])), processed: Type.Integer(), total: Type.Integer() }),
  counts: Counts,
  /** Null until validated. */
  diff: Nullable(ImportDiff),
  mode: Nullable(Type.Enum([...IMPORT_MODES])),
  /** What confirming changed. */
  applied: Nullable(Type.Object({ added: Type.Integer(), updated: Type.Integer() })),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  appliedAt: Nullable(Timestamp),
})
export type MemberImportView = Static<typeof MemberImportView>

export const ImportUploadQuery = Type.Object(
  {
    /** The committee whose members the file lists; defaults to the caller's own. */
    committeeId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
)
export type ImportUploadQuery = Static<typeof ImportUploadQuery>

export const ConfirmImportBody = Type.Object(
  {
    /** `all`: only if no row has errors; `valid_rows`: import the good rows and skip the others. */
    mode: Type.Enum([...IMPORT_MODES]),
  },
  { additionalProperties: false },
)
export type ConfirmImportBody = Static<typeof ConfirmImportBody>

/** Recent imports, newest first, without their diffs (open one for that). */
export const ImportListQuery = Type.Object({ committeeId: Type.Optional(Uuid), ...PageQuery }, { additionalProperties: false })
export type ImportListQuery = Static<typeof ImportListQuery>
export const MemberImportPage = Page(MemberImportView)

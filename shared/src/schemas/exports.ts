import { Type, type Static } from 'typebox'
import { CaseFilterProperties } from './cases'
import { LEDGER_SCOPES } from './ledger'
import { AccessTokenParam, Uuid } from './common'

/** The inbox's filters (schemas/cases.ts): a download holds what the list showed, phones masked. */
export const CaseExportQuery = Type.Object({ ...CaseFilterProperties, access_token: AccessTokenParam }, { additionalProperties: false })
export type CaseExportQuery = Static<typeof CaseExportQuery>

/** The ledger list's filters: every member of a committee subtree or a station, for one year. */
export const LedgerExportQuery = Type.Object(
  {
    scope: Type.Enum(LEDGER_SCOPES),
    id: Uuid,
    year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
    access_token: AccessTokenParam,
  },
  { additionalProperties: false },
)
export type LedgerExportQuery = Static<typeof LedgerExportQuery>

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

import { createHash } from 'node:crypto'
import { Value } from 'typebox/value'
import { CaseActionBody, StaffIntakeBody } from '@mashangjian/shared'

/** JSON with object keys sorted at every level and undefined members left out: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/**
 * The fingerprint of the request an opId was first used for (stored with its answer in `case_op`): what it was
 * (`kind`), on which case (null for an intake, which makes its case), and its validated body with the schema's
 * defaults filled in (a default left out is the same request as the default sent), without `opId` and
 * `baseVersion`. The version is left out on purpose: it says what the client had seen, not what it asked for, and
 * a resend of the same action after a lost answer must replay whatever version it carries. Photos are not part of
 * it; a replay keeps the first request's photos.
 */
function opRequestHash(kind: 'action' | 'intake', caseId: string | null, body: { opId: string; baseVersion?: number }): string {
  const { opId: _opId, baseVersion: _baseVersion, ...rest } = body
  return createHash('sha256')
    .update(canonicalJson({ kind, caseId, body: rest }))
    .digest('base64url')
}

export const actionRequestHash = (caseId: string, body: CaseActionBody): string =>
  opRequestHash('action', caseId, Value.Default(CaseActionBody, structuredClone(body)) as CaseActionBody)

export const intakeRequestHash = (body: StaffIntakeBody): string =>
  opRequestHash('intake', null, Value.Default(StaffIntakeBody, structuredClone(body)) as StaffIntakeBody)

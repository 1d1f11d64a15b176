import { createHash } from 'node:crypto'

/** The `prev_hash` of the first row in the chain (seq 1). */
export const GENESIS_HASH = '0'.repeat(64)

/** The fields of one audit row that its hash covers, as read back from the database. */
export interface AuditHashFields {
  seq: number
  id: number
  /** ISO 8601 in UTC with microseconds (a JS Date would drop them, so a tampered µs would go unnoticed). */
  at: string
  actorUserId: string | null
  actorIp: string | null
  action: string
  targetKind: string
  targetId: string
  detail: unknown
}

/**
 * Sorts object keys at every depth. jsonb stores objects with its own key order (shortest key first, then
 * bytewise) and drops duplicates, so the object written is not the object read back; hashing the text as given
 * would make a row's hash depend on who serialised it. A fixed order makes the hash a function of the content.
 */
export function canonicalJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalJson)
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) sorted[key] = canonicalJson((value as Record<string, unknown>)[key])
    return sorted
  }
  return value
}

/**
 * SHA-256 (hex) of the previous row's hash and this row's content. Chaining through `prevHash` means changing,
 * inserting or removing any sealed row changes every hash after it. A JSON array keeps field boundaries
 * unambiguous (no "a|b" + "c" = "a" + "b|c" collisions).
 */
export function auditRowHash(prevHash: string, row: AuditHashFields): string {
  const payload = JSON.stringify([
    prevHash,
    row.seq,
    row.id,
    row.at,
    row.actorUserId,
    row.actorIp ?? null,
    row.action,
    row.targetKind,
    row.targetId,
    canonicalJson(row.detail ?? {}),
  ])
  return createHash('sha256').update(payload, 'utf8').digest('hex')
}

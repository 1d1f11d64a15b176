/** PostgreSQL error of a failed query, whichever driver raised it (drizzle wraps it in `cause`). */
function pgError(err: unknown): { code?: string; constraint?: string } | undefined {
  let e = err as { code?: string; constraint?: string; cause?: unknown } | undefined
  for (let depth = 0; e && depth < 3; depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e
    e = e.cause as typeof e
  }
  return undefined
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = pgError(err)
  return e?.code === '23505' && (!constraint || e.constraint === constraint)
}

/** A row still referred to by another (e.g. deleting a member who has cases). */
export function isForeignKeyViolation(err: unknown): boolean {
  return pgError(err)?.code === '23503'
}

/** The database chose this transaction as a deadlock victim or could not serialise it: running it again is safe. */
export function isRetryableConflict(err: unknown): boolean {
  const code = pgError(err)?.code
  return code === '40P01' || code === '40001'
}

/** The fields that differ between two versions of a row, as `{field: [before, after]}` for an audit entry. */
export function changedFields<T extends object>(before: T, after: T, fields: readonly (keyof T & string)[]): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {}
  for (const f of fields) {
    const a = before[f]
    const b = after[f]
    if (JSON.stringify(a) !== JSON.stringify(b)) out[f] = [a ?? null, b ?? null]
  }
  return out
}

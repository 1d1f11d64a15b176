/** A LIKE pattern matching `q` anywhere, with the user's own % and _ taken literally. */
export const containsPattern = (q: string) => `%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`

/** Tests run on PostgreSQL when TEST_DATABASE_URL (or DATABASE_URL) is set, otherwise on PGlite. */
export const testDatabaseUrl = (): string | undefined => process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined

export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

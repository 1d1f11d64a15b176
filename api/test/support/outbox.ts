import { and, asc, eq, inArray } from 'drizzle-orm'
import type { TemplateKey } from '@mashangjian/shared'
import type { Db } from '../../src/db/database'
import { notification } from '../../src/db/schema'

export type OutboxRow = typeof notification.$inferSelect

/** The outbox rows written for a case (or for any case, by template key), oldest first. */
export function outboxOf(db: Db, q: { caseId?: string; templateKeys?: TemplateKey[] }): Promise<OutboxRow[]> {
  return db
    .select()
    .from(notification)
    .where(and(q.caseId ? eq(notification.caseId, q.caseId) : undefined, q.templateKeys ? inArray(notification.templateKey, q.templateKeys) : undefined))
    .orderBy(asc(notification.createdAt), asc(notification.id))
}

/** One line per notice and recipient (media collapsed): `[templateKey, recipientKind, recipientId]`. */
export function who(rows: OutboxRow[]): [string, string, string][] {
  const seen = new Set<string>()
  const out: [string, string, string][] = []
  for (const r of rows) {
    const k = `${r.templateKey}|${r.recipientKind}|${r.followerId ?? r.recipientId}`
    if (!seen.has(k)) {
      seen.add(k)
      out.push([r.templateKey, r.recipientKind, r.followerId ?? r.recipientId])
    }
  }
  return out
}

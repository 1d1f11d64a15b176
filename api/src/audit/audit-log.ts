import { and, asc, desc, gt, isNotNull, isNull, sql } from 'drizzle-orm'
import { auditLog, auditLogArchive } from '../db/schema'
import type { Db, DbOrTx } from '../db/database'
import { auditRowHash, GENESIS_HASH } from './audit-hash'

export interface AuditEntry {
  actorUserId: string | null
  actorIp?: string | null
  action: string
  targetKind: string
  targetId: string
  detail?: Record<string, unknown>
}

/**
 * What every domain needs of the audit log: writing a row inside the caller's transaction, so the row commits
 * or rolls back with the change it records. Services receive it through services.ts.
 */
export interface AuditWriter {
  record(tx: DbOrTx, entry: AuditEntry): Promise<unknown>
}

export interface AuditVerifyResult {
  ok: boolean
  /** Chained rows, archived ones included (issue 19: they are checked as the start of the chain). */
  sealed: number
  /** Of those, how many are in audit_log_archive. */
  archived?: number
  unsealed: number
  /** The first row where the chain does not hold; for a gap, the row found after the missing seq. */
  firstBroken?: { seq: number; id: number; reason: 'hash' | 'gap' | 'prev_hash' }
}

/** Only sealers take it, so record() never waits. Any constant distinct from the migration lock (0x6d736a). */
export const SEAL_LOCK_KEY = 0x6d736a_0001
const VERIFY_PAGE = 5000

/** What the hash covers, read the same way by seal() and verify(), from the live table or its archive. */
const hashedColumnsOf = (t: typeof auditLog | typeof auditLogArchive) => ({
  id: t.id,
  seq: sql<number | null>`${t.seq}`.mapWith(Number),
  // Text in SQL, not a Date: keeps the microseconds the column stores.
  at: sql<string>`to_char(${t.at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
  actorUserId: t.actorUserId,
  actorIp: t.actorIp,
  action: t.action,
  targetKind: t.targetKind,
  targetId: t.targetId,
  detail: t.detail,
  prevHash: sql<string | null>`${t.prevHash}`,
  hash: sql<string | null>`${t.hash}`,
})
const hashedColumns = hashedColumnsOf(auditLog)

/**
 * The append-only audit log (DESIGN.md §10). Writers insert plain rows inside their own transaction, so an
 * audited action and its audit row commit or roll back together and writers never queue on a lock. A sealer
 * (seal(), run periodically) later chains finished rows into a hash chain that verify() checks.
 */
export function createAuditLog(db: Db) {
  const toRow = (e: AuditEntry) => ({
    actorUserId: e.actorUserId,
    actorIp: e.actorIp ?? null,
    action: e.action,
    targetKind: e.targetKind,
    targetId: e.targetId,
    detail: e.detail ?? {},
  })

  return {
    async record(tx: DbOrTx, entry: AuditEntry): Promise<void> {
      await tx.insert(auditLog).values(toRow(entry))
    },

    async recordMany(tx: DbOrTx, entries: AuditEntry[]): Promise<void> {
      if (entries.length > 0) await tx.insert(auditLog).values(entries.map(toRow))
    },

    /**
     * Chains up to `batch` rows onto the end of the chain; returns how many. Only rows of transactions older
     * than every running one (xid < snapshot xmin) qualify, taken in (xid, id) order: a transaction that
     * started early and commits late is still below xmin's horizon until it ends, so nothing after it is
     * sealed first and its rows are never skipped. The advisory lock makes concurrent sealers take turns.
     */
    async seal(opts: { batch?: number } = {}): Promise<number> {
      const batch = opts.batch ?? 1000
      // PGlite is one connection: inside the callback only `tx` may be used, never `db`.
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${SEAL_LOCK_KEY}::bigint)`)
        const [liveLast] = await tx
          .select({ seq: auditLog.seq, hash: auditLog.hash })
          .from(auditLog)
          .where(isNotNull(auditLog.seq))
          .orderBy(desc(auditLog.seq))
          .limit(1)
        // The archive job leaves the newest chained row live; should the live table hold none, the chain goes on from the archive.
        const [last] = liveLast
          ? [liveLast]
          : await tx.select({ seq: auditLogArchive.seq, hash: auditLogArchive.hash }).from(auditLogArchive).orderBy(desc(auditLogArchive.seq)).limit(1)
        const rows = await tx
          .select(hashedColumns)
          .from(auditLog)
          .where(and(isNull(auditLog.seq), sql`${auditLog.xid} < pg_snapshot_xmin(pg_current_snapshot())`))
          .orderBy(asc(auditLog.xid), asc(auditLog.id))
          .limit(batch)
        if (rows.length === 0) return 0
        let seq = last?.seq ?? 0
        let prevHash = last?.hash ?? GENESIS_HASH
        const sealed = rows.map((row) => {
          seq += 1
          const hash = auditRowHash(prevHash, { ...row, seq })
          const values = { id: row.id, seq, prev_hash: prevHash, hash }
          prevHash = hash
          return values
        })
        // One statement for the whole batch; JSON travels the same way through both drivers.
        await tx.execute(sql`
          update audit_log a set seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
          from jsonb_to_recordset(${JSON.stringify(sealed)}::jsonb) as v(id bigint, seq bigint, prev_hash text, hash text)
          where a.id = v.id`)
        return rows.length
      })
    },

    /**
     * Walks the chain by seq, a page at a time (the table grows for months), recomputing every hash. One
     * read-only snapshot keeps the counts and the pages consistent while sealers keep appending.
     */
    /**
     * Seals until nothing is left, waiting up to `waitMs` for transactions still running to end (their rows cannot
     * be chained before; the watermark is server-wide, so any database's open write transaction counts). Answers
     * how many rows it sealed.
     */
    async sealAll({ waitMs = 0 }: { waitMs?: number } = {}): Promise<number> {
      const deadline = Date.now() + waitMs
      let total = 0
      for (;;) {
        const n = await this.seal()
        total += n
        if (n > 0) continue
        const [left] = await db
          .select({ n: sql<number>`count(*)::int` })
          .from(auditLog)
          .where(isNull(auditLog.seq))
        if (left!.n === 0 || Date.now() >= deadline) return total
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },

    async verify(): Promise<AuditVerifyResult> {
      return db.transaction(
        async (tx) => {
          const [counts] = await tx
            .select({
              sealed: sql<number>`count(${auditLog.seq})::int`,
              unsealed: sql<number>`(count(*) - count(${auditLog.seq}))::int`,
            })
            .from(auditLog)
          const [inArchive] = await tx.select({ n: sql<number>`count(*)::int` }).from(auditLogArchive)
          const archived = inArchive!.n
          const sealed = counts!.sealed + archived
          const { unsealed } = counts!
          let expected = 1
          let prevHash = GENESIS_HASH
          // The archive holds the start of the chain (seq 1..n), the live table the rest: one walk over both.
          for (const table of [auditLogArchive, auditLog] as const) {
            for (;;) {
              const page = await tx
                .select(hashedColumnsOf(table))
                .from(table)
                .where(gt(table.seq, expected - 1))
                .orderBy(asc(table.seq))
                .limit(VERIFY_PAGE)
              for (const row of page) {
                const seq = row.seq!
                const reason =
                  seq !== expected ? 'gap' : row.prevHash !== prevHash ? 'prev_hash' : auditRowHash(prevHash, { ...row, seq }) !== row.hash ? 'hash' : undefined
                if (reason) return { ok: false, sealed, ...(archived > 0 && { archived }), unsealed, firstBroken: { seq, id: row.id, reason } }
                prevHash = row.hash!
                expected += 1
              }
              if (page.length < VERIFY_PAGE) break
            }
          }
          return { ok: true, sealed, ...(archived > 0 && { archived }), unsealed }
        },
        { isolationLevel: 'repeatable read', accessMode: 'read only' },
      )
    },
  }
}

export type AuditLog = ReturnType<typeof createAuditLog>

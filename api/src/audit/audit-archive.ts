import { sql } from 'drizzle-orm'
import { addMonths, beijingDay, daysBetween, DAY_MS } from '@mashangjian/shared'
import { queryRows, type Db } from '../db/database'
import type { Clock } from '../clock'
import type { AuditLog } from './audit-log'
import { SEAL_LOCK_KEY } from './audit-log'

/** MLPS level 2: the audit log is kept (live) at least this long. */
export const MIN_AUDIT_KEEP_MONTHS = 6
const DEFAULT_BATCH = 5000

export interface AuditArchiveReport {
  archived: number
  /** The last seq now in the archive (0: none). */
  upToSeq: number
}

/**
 * Moves audit rows older than `afterMonths` (calendar months in Beijing time, at least 6) out of the live table into
 * audit_log_archive (issue 19), keeping them: archived, never deleted. Only a prefix of the chain moves (seq 1..n,
 * the rows before the first one still young), so archive + live stay one chain that verify() walks in order; the
 * newest chained row always stays live, so sealing goes on from it. Each batch copies then deletes in one
 * transaction under the sealers' lock; the live table's trigger lets a row go only once its exact copy (seq and
 * hash) is in the archive. Each run that moved rows writes an audit row with the count.
 */
export function createAuditArchive({
  db,
  audit,
  clock,
  afterMonths = MIN_AUDIT_KEEP_MONTHS,
  batch = DEFAULT_BATCH,
}: {
  db: Db
  audit: AuditLog
  clock: Clock
  afterMonths?: number
  batch?: number
}) {
  const months = Math.max(MIN_AUDIT_KEEP_MONTHS, afterMonths)
  return {
    async run(): Promise<AuditArchiveReport> {
      const now = clock.now()
      const today = beijingDay(now)
      const cutoff = new Date(now.getTime() - daysBetween(addMonths(today, -months), today) * DAY_MS)
      let archived = 0
      let upToSeq = 0
      for (;;) {
        const moved = await db.transaction(async (tx) => {
          await tx.execute(sql`select pg_advisory_xact_lock(${SEAL_LOCK_KEY}::bigint)`)
          const [bounds] = await queryRows<{ from: number; to: number }>(
            tx,
            sql`with live as (select seq, at from audit_log where seq is not null),
              first_young as (select min(seq) as s from live where at >= ${cutoff.toISOString()}::timestamptz),
              newest as (select max(seq) as s from live)
            select coalesce((select max(seq) from audit_log_archive), 0)::int8::text as "from",
              least(coalesce((select s from first_young), (select s from newest)), (select s from newest)) - 1 as "to"`,
          )
          const from = Number(bounds?.from ?? 0)
          const end = Math.min(Number(bounds?.to ?? 0), from + batch)
          if (!(end > from)) return { n: 0, upTo: from }
          await tx.execute(sql`
            insert into audit_log_archive (id, at, actor_user_id, actor_ip, action, target_kind, target_id, detail, xid, seq, prev_hash, hash)
            select id, at, actor_user_id, actor_ip, action, target_kind, target_id, detail, xid, seq, prev_hash, hash
            from audit_log where seq > ${from} and seq <= ${end} order by seq`)
          const [gone] = await queryRows<{ n: number }>(
            tx,
            sql`with d as (delete from audit_log where seq > ${from} and seq <= ${end} returning 1) select count(*)::int as n from d`,
          )
          return { n: gone?.n ?? 0, upTo: end }
        })
        archived += moved.n
        upToSeq = moved.upTo
        if (moved.n < batch) break
      }
      if (archived > 0) {
        await db.transaction((tx) =>
          audit.record(tx, {
            actorUserId: null,
            action: 'audit.archived',
            targetKind: 'system',
            targetId: 'audit_log',
            detail: { rows: archived, upToSeq, olderThan: cutoff.toISOString(), afterMonths: months },
          }),
        )
      }
      return { archived, upToSeq }
    },
  }
}
export type AuditArchive = ReturnType<typeof createAuditArchive>

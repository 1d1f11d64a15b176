import { and, eq, gt, inArray, isNotNull, isNull, lt, lte, sql } from 'drizzle-orm'
import { cases, committee } from '../db/schema'
import type { Db, DbOrTx } from '../db/database'
import { filterCondition } from '../cases/member-cases-repo'
import { RESOLVE_CLOCK_STATUSES } from '@mashangjian/shared'
import { DEFAULT_AUTO_CLOSE_DAYS } from '@mashangjian/shared'

/** Each sweep handles at most this many cases per kind; the next run (a minute later) takes the rest. */
const BATCH = 500

/** The queries behind the deadline jobs; each reads one partial index on `cases`. */
export function createDeadlinesRepo(db: Db) {
  // What the sweep decides on, and what its notices need (committee, urgency).
  const pick = {
    id: cases.id,
    publicNo: cases.publicNo,
    memberId: cases.memberId,
    stationId: cases.stationId,
    version: cases.version,
    status: cases.status,
    committeeId: cases.committeeId,
    priority: cases.priority,
    residentPhoneEnc: cases.residentPhoneEnc,
  }
  return {
    acceptDueSoon: (now: Date, until: Date) =>
      db
        .select(pick)
        .from(cases)
        .where(
          and(
            eq(cases.status, 'assigned'),
            isNotNull(cases.memberId),
            isNull(cases.acceptRemindedAt),
            gt(cases.acceptDueAt, now),
            lte(cases.acceptDueAt, until),
          ),
        )
        .limit(BATCH),

    acceptTimedOut: (now: Date) =>
      db
        .select(pick)
        .from(cases)
        .where(and(eq(cases.status, 'assigned'), isNotNull(cases.memberId), lt(cases.acceptDueAt, now)))
        .limit(BATCH),

    // A resolve clock paused while a department has the case (交办) neither reminds nor runs out.
    resolveDueSoon: (now: Date, until: Date) =>
      db
        .select(pick)
        .from(cases)
        .where(
          and(
            inArray(cases.status, [...RESOLVE_CLOCK_STATUSES]),
            isNull(cases.overdueAt),
            isNull(cases.resolvePausedAt),
            isNull(cases.resolveRemindedAt),
            gt(cases.resolveDueAt, now),
            lte(cases.resolveDueAt, until),
          ),
        )
        .limit(BATCH),

    newlyOverdue: (now: Date) =>
      db
        .select(pick)
        .from(cases)
        .where(and(inArray(cases.status, [...RESOLVE_CLOCK_STATUSES]), isNull(cases.overdueAt), isNull(cases.resolvePausedAt), lt(cases.resolveDueAt, now)))
        .limit(BATCH),

    /** Resolved cases nobody rated within their committee's `autoCloseDays` (default 7). */
    unratedSince: (now: Date) =>
      db
        .select(pick)
        .from(cases)
        .innerJoin(committee, eq(committee.id, cases.committeeId))
        .where(
          and(
            eq(cases.status, 'resolved'),
            sql`${cases.resolvedAt} < ${now.toISOString()}::timestamptz - make_interval(days => coalesce((${committee.settings}->>'autoCloseDays')::int, ${DEFAULT_AUTO_CLOSE_DAYS}))`,
          ),
        )
        .limit(BATCH),

    /** Reminders are not state changes: they only note that they were sent (no version bump, no event). */
    markReminded: (q: DbOrTx, id: string, which: 'accept' | 'resolve', now: Date) =>
      q
        .update(cases)
        .set(which === 'accept' ? { acceptRemindedAt: now } : { resolveRemindedAt: now })
        .where(eq(cases.id, id)),

    /** Open cases per member, for the morning digest. */
    digest: (now: Date) =>
      db
        .select({
          memberId: cases.memberId,
          waiting: sql<number>`count(*) filter (where ${cases.status} in ('assigned', 'reopened'))::int`,
          working: sql<number>`count(*) filter (where ${cases.status} in ('accepted', 'in_progress'))::int`,
          overdue: sql<number>`count(*) filter (where ${filterCondition('overdue', now)})::int`,
        })
        .from(cases)
        .where(and(isNotNull(cases.memberId), inArray(cases.status, ['assigned', 'accepted', 'in_progress', 'reopened'])))
        .groupBy(cases.memberId),

    /** Open cases per committee (its own cases, not its subtree's), for the committee's group robot. */
    committeeDigest: (now: Date) =>
      db
        .select({
          committeeId: cases.committeeId,
          waiting: sql<number>`count(*) filter (where ${cases.status} in ('assigned', 'reopened') and ${cases.memberId} is not null)::int`,
          working: sql<number>`count(*) filter (where ${cases.status} in ('accepted', 'in_progress'))::int`,
          overdue: sql<number>`count(*) filter (where ${filterCondition('overdue', now)})::int`,
          queued: sql<number>`count(*) filter (where ${cases.memberId} is null)::int`,
        })
        .from(cases)
        .where(inArray(cases.status, ['assigned', 'accepted', 'in_progress', 'reopened']))
        .groupBy(cases.committeeId),
  }
}
export type DeadlinesRepo = ReturnType<typeof createDeadlinesRepo>

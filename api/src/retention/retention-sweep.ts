import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../db/database'
import type { AuditWriter } from '../audit/audit-log'
import type { BlobStore } from '../attachments/blob-store'
import type { Clock } from '../clock'
import type { CommitteeSettings } from '../db/schema'
import { ERASED_MARKERS, eraseCasePersonalData, removeErasedBlobs } from '../privacy/case-erasure'
import { retentionCutoff, retentionYearsOf } from './retention-rules'

export type RetentionReport = {
  committees: number
  cases: number
  events: number
  photos: number
  followers: number
  trackingLinks: number
  handoffs: number
  notifications: number
  contacts: number
}

/** Cases per transaction: a run over years of backlog commits as it goes and never holds many rows locked. */
const DEFAULT_BATCH = 100

/**
 * The daily retention job (issue 19): for each committee, the residents' personal data of cases that ended
 * (closed, invalid, merged) more than the committee's retention years ago is erased through
 * privacy/case-erasure.ts, and likewise the personal data of 界别群众 contacts met more than that long ago (the
 * row stays, so the ledger still counts the contact). Batches of `batch` cases, each its own transaction, files
 * removed after each commit. Idempotent: erased rows are marked and never picked again. Every run writes one
 * audit row with its counts, also when there was nothing to do (an administrator sees the job ran).
 */
export function createRetentionSweep({
  db,
  audit,
  blobs,
  clock,
  batch = DEFAULT_BATCH,
}: {
  db: Db
  audit: AuditWriter
  blobs: BlobStore
  clock: Clock
  batch?: number
}) {
  async function eraseCases(committeeId: string, before: Date, now: Date, report: RetentionReport): Promise<void> {
    for (;;) {
      const ids = await queryRows<{ id: string }>(
        db,
        sql`select id from cases where committee_id = ${committeeId} and personal_data_erased_at is null
          and status in ('closed', 'invalid', 'merged') and closed_at < ${before.toISOString()}::timestamptz
          order by closed_at limit ${batch}`,
      )
      if (ids.length === 0) return
      const keys = await db.transaction(async (tx) => {
        const out: string[] = []
        for (const { id } of ids) {
          const r = await eraseCasePersonalData(tx, id, { reason: 'retention', actor: { userId: null, kind: 'system' }, now, audit })
          if (!r.erased) continue
          report.cases += 1
          report.events += r.events
          report.photos += r.photos
          report.followers += r.followers
          report.trackingLinks += r.trackingLinks
          report.handoffs += r.handoffs
          report.notifications += r.notifications
          out.push(...r.blobKeys)
        }
        return out
      })
      await removeErasedBlobs(blobs, keys)
      if (ids.length < batch) return
    }
  }

  async function eraseContacts(committeeId: string, beforeDay: string, now: Date): Promise<number> {
    const marker = ERASED_MARKERS.retention
    let total = 0
    for (;;) {
      const [row] = await queryRows<{ n: number }>(
        db,
        sql`with picked as (
            select id from contact where committee_id = ${committeeId} and personal_data_erased_at is null and met_on < ${beforeDay}::date
            order by met_on limit ${batch} for update skip locked),
          done as (
            update contact c set name = ${marker}, phone_enc = null, phone_hash = null, phone_masked = null, community = '', place = '',
              raised = case when c.raised = '' then '' else ${marker} end, notes = case when c.notes = '' then '' else ${marker} end,
              personal_data_erased_at = ${now.toISOString()}::timestamptz, updated_at = ${now.toISOString()}::timestamptz
            from picked where c.id = picked.id returning 1)
          select count(*)::int as n from done`,
      )
      const n = row?.n ?? 0
      total += n
      if (n < batch) return total
    }
  }

  return {
    async run(): Promise<RetentionReport> {
      const now = clock.now()
      const report: RetentionReport = {
        committees: 0,
        cases: 0,
        events: 0,
        photos: 0,
        followers: 0,
        trackingLinks: 0,
        handoffs: 0,
        notifications: 0,
        contacts: 0,
      }
      const committees = await queryRows<{ id: string; settings: CommitteeSettings }>(db, sql`select id, settings from committee order by path`)
      const perCommittee: { committeeId: string; years: number; cases: number; contacts: number }[] = []
      for (const c of committees) {
        const years = retentionYearsOf(c.settings)
        const { before, beforeDay } = retentionCutoff(now, years)
        const casesBefore = report.cases
        await eraseCases(c.id, before, now, report)
        const contacts = await eraseContacts(c.id, beforeDay, now)
        report.contacts += contacts
        report.committees += 1
        if (report.cases > casesBefore || contacts > 0) perCommittee.push({ committeeId: c.id, years, cases: report.cases - casesBefore, contacts })
      }
      await db.transaction((tx) =>
        audit.record(tx, {
          actorUserId: null,
          action: 'retention.run',
          targetKind: 'system',
          targetId: 'retention',
          detail: { ...report, at: now.toISOString(), perCommittee },
        }),
      )
      return report
    },
  }
}
export type RetentionSweep = ReturnType<typeof createRetentionSweep>

import { sql } from 'drizzle-orm'
import { queryRows, type Db, type DbOrTx } from '../db/database'
import type { AuditWriter } from '../audit/audit-log'
import type { BlobStore } from '../attachments/blob-store'
import type { Clock } from '../clock'

/** Why a case's personal data goes: its committee's retention years passed, or the resident asked (PIPL art. 47). */
export type ErasureReason = 'retention' | 'resident_request' | 'staff_request'

/** What replaces erased free text, so a reader sees that something was there and why it is gone. */
export const ERASED_MARKERS: Record<ErasureReason, string> = {
  retention: '（已按保存期限删除）',
  resident_request: '（已应本人要求删除）',
  staff_request: '（已应本人要求删除）',
}

/** Who erased: a staff user, the resident through their link (no account), or the retention job. */
export interface ErasureActor {
  userId: string | null
  ip?: string | null
  kind: 'system' | 'resident' | 'staff'
}

export interface CaseErasureResult {
  /** False: the case does not exist, or its personal data was already erased (nothing was done). */
  erased: boolean
  events: number
  photos: number
  followers: number
  trackingLinks: number
  handoffs: number
  notifications: number
  /** Blob keys of the removed photos: the caller removes the files after commit (a crash leaves only orphans, swept hourly). */
  blobKeys: string[]
}

const NOTHING: CaseErasureResult = { erased: false, events: 0, photos: 0, followers: 0, trackingLinks: 0, handoffs: 0, notifications: 0, blobKeys: [] }

const count = async (tx: DbOrTx, query: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(tx, query))[0]?.n ?? 0

/**
 * Erases the residents' personal data of one case, inside the caller's transaction (issue 19). What goes:
 * the phone (ciphertext, keyed hash, masked form), the description, location text and coordinates, the rating
 * comment, the public text, every timeline text (the resident's own words, and what staff wrote back or noted,
 * which routinely restates names, addresses and numbers) and free-text fields of event data, the hand-offs'
 * questions and answers, all photos (rows here, files by the caller), followers who joined (并单) with their
 * links, recovery links, the encrypted copy of the tracking secret, residents' notices, and the stored first
 * answers of members' actions (they embed the case as it was).
 *
 * What stays is the case record the counts are made of: number, committee, station, member, category, channel,
 * status, priority, every date and deadline, the rating itself, reopen count, the timeline's event types, actors
 * and times. The original tracking link keeps opening the case, which then says its personal data was erased
 * (the secret's hash identifies no one). The case's version moves on, so members' offline copies refresh.
 * Idempotent: an erased case is left alone (`erased: false`).
 */
export async function eraseCasePersonalData(
  tx: DbOrTx,
  caseId: string,
  { reason, actor, now, audit }: { reason: ErasureReason; actor: ErasureActor; now: Date; audit: AuditWriter },
): Promise<CaseErasureResult> {
  const marker = ERASED_MARKERS[reason]
  const [row] = await queryRows<{ id: string; status: string }>(
    tx,
    sql`select id, status from cases where id = ${caseId} and personal_data_erased_at is null for update`,
  )
  if (!row) return NOTHING
  const at = now.toISOString()
  const photos = await queryRows<{ key: string }>(tx, sql`delete from attachment where case_id = ${caseId} returning storage_key as key`)
  const events = await count(
    tx,
    sql`with e as (
      update case_event set body = case when body = '' then '' else ${marker} end,
        data = case when type in ('transferred', 'merged') and data ? 'reason' and jsonb_typeof(data->'reason') = 'string'
          then (data - 'location') || jsonb_build_object('reason', ${marker}::text) else data - 'location' end
      where case_id = ${caseId} and (body <> '' or data ? 'location' or (type in ('transferred', 'merged') and data ? 'reason'))
      returning 1) select count(*)::int as n from e`,
  )
  // Rows that name a follower go before the followers themselves.
  const links = await count(tx, sql`with l as (delete from tracking_link where case_id = ${caseId} returning 1) select count(*)::int as n from l`)
  await tx.execute(sql`delete from submission_key where case_id = ${caseId}`)
  const notifications = await count(
    tx,
    sql`with n as (delete from notification where case_id = ${caseId} and (recipient_kind = 'resident' or follower_id is not null) returning 1)
      select count(*)::int as n from n`,
  )
  const followers = await count(tx, sql`with f as (delete from case_follower where case_id = ${caseId} returning 1) select count(*)::int as n from f`)
  await tx.execute(sql`delete from case_op where case_id = ${caseId}`)
  const handoffs = await count(
    tx,
    sql`with h as (
      update handoff set question = ${marker}, answer = case when answer is null then null else ${marker} end,
        return_reason = case when return_reason is null then null else ${marker} end
      where case_id = ${caseId} returning 1) select count(*)::int as n from h`,
  )
  await tx.execute(sql`
    update cases set resident_phone_enc = null, resident_phone_hash = null, resident_phone_masked = null,
      description = ${marker}, location_text = case when location_text is null then null else ${marker} end,
      lat = null, lng = null, location_accuracy = null, tracking_secret_enc = null,
      rating_comment = case when rating_comment is null then null else ${marker} end,
      public_text = case when public_text is null then null else ${marker} end,
      close_reason = case when close_reason is null then null else ${marker} end,
      personal_data_erased_at = ${at}::timestamptz, version = version + 1, updated_at = ${at}::timestamptz
    where id = ${caseId}`)
  const result: CaseErasureResult = {
    erased: true,
    events,
    photos: photos.length,
    followers,
    trackingLinks: links,
    handoffs,
    notifications,
    blobKeys: photos.map((p) => p.key),
  }
  const { blobKeys: _keys, erased: _erased, ...counts } = result
  await audit.record(tx, {
    actorUserId: actor.userId,
    actorIp: actor.ip ?? null,
    action: 'case.personal_data_erased',
    targetKind: 'case',
    targetId: caseId,
    detail: { reason, by: actor.kind, status: row.status, ...counts },
  })
  return result
}

/** Removes the files of erased photos once the rows are gone (never before: a rollback would leave rows without files). */
export async function removeErasedBlobs(blobs: BlobStore, keys: string[]): Promise<void> {
  for (const key of keys) await blobs.remove(key).catch(() => undefined)
}

/** One case erased in its own transaction, then its files: what the resident's request and staff tools call. */
export function createCaseErasure({ db, audit, blobs, clock }: { db: Db; audit: AuditWriter; blobs: BlobStore; clock: Clock }) {
  return {
    async eraseNow(caseId: string, opts: { reason: ErasureReason; actor: ErasureActor }): Promise<CaseErasureResult> {
      const result = await db.transaction((tx) => eraseCasePersonalData(tx, caseId, { ...opts, now: clock.now(), audit }))
      await removeErasedBlobs(blobs, result.blobKeys)
      return result
    },
  }
}
export type CaseErasure = ReturnType<typeof createCaseErasure>

import { createHash } from 'node:crypto'
import {
  beijingDay,
  ACTIVITY_KIND_ZH,
  type Activity,
  type ActivityBody,
  type ActivityListQuery,
  type ActivityPage,
  type ActivityPatch,
  type ActivityReviewBody,
  type MemberActivityBody,
  type MemberActivityResult,
} from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { memberInScope } from '../auth/scope'
import type { AuditWriter } from '../audit/audit-log'
import type { Clock } from '../clock'
import type { Db } from '../db/database'
import { isUniqueViolation } from '../db/pg-errors'
import { AppError, notFound, validationFailed } from '../errors/app-error'
import { MAX_IMAGES, reencodeEach } from '../attachments/image-processing'
import type { PhotoStore } from '../attachments/photo-store'
import type { LedgerMemberRow, LedgerRepo } from '../ledger/ledger-repo'
import type { ActivitiesRepo, ActivityRow } from './activities-repo'

const toView = (a: ActivityRow): Activity => ({
  id: a.id,
  committeeId: a.committeeId,
  memberId: a.memberId,
  memberName: a.memberName,
  stationId: a.stationId,
  stationName: a.stationName,
  kind: a.kind,
  title: a.title,
  occurredOn: a.occurredOn,
  notes: a.notes,
  createdBy: a.createdBy,
  createdAt: a.createdAt.toISOString(),
  place: a.place,
  source: a.source,
  status: a.status,
  reviewedAt: a.reviewedAt?.toISOString() ?? null,
  rejectReason: a.rejectReason,
  photos: a.photoIds.map((id) => ({ id, url: `/api/v1/activities/${a.id}/photos/${id}` })),
})

/** What makes two sends of one outbox op the same request: the member, the fields and the photos' count. */
const opHashOf = (memberId: string, body: MemberActivityBody, photoCount: number) =>
  createHash('sha256')
    .update(JSON.stringify([memberId, body.kind, body.occurredOn, body.place, body.title ?? '', body.notes ?? '', photoCount]))
    .digest('hex')

const encodeCursor = (a: { occurredOn: string; id: string }) => Buffer.from(`${a.occurredOn}|${a.id}`).toString('base64url')
function decodeCursor(cursor: string): { occurredOn: string; id: string } {
  const [occurredOn, id] = Buffer.from(cursor, 'base64url').toString().split('|')
  if (!/^\d{4}-\d{2}-\d{2}$/.test(occurredOn ?? '') || !/^[0-9a-f-]{36}$/.test(id ?? '')) {
    throw validationFailed([{ field: 'querystring.cursor', message: 'not a cursor this API gave out' }])
  }
  return { occurredOn: occurredOn!, id: id! }
}

/**
 * 履职 records (meetings, reception days, visits, proposals…) that the ledger counts besides cases. Members
 * keep their own; station admins those of their stations' members; committee admins their subtree's.
 */
export function createActivitiesService({
  db,
  repo,
  members,
  audit,
  clock,
  photos,
}: {
  db: Db
  repo: ActivitiesRepo
  /** Whose activities a caller may record and read: the members the ledger knows, in scope. */
  members: LedgerRepo
  audit: AuditWriter
  clock: Clock
  /** Where a member's activity photos are written (attachment storage, `activities/…`). */
  photos: PhotoStore
}) {
  async function memberFor(actor: Actor, memberId: string): Promise<LedgerMemberRow> {
    const m = await members.member(memberId)
    if (!m || !memberInScope(actor, { id: m.id, committeePath: m.committeePath, stationIds: m.stations.map((s) => s.id) })) throw notFound('member')
    return m
  }

  /** An activity the caller may change: its member must be in their scope (404 otherwise, like a missing one). */
  async function activityFor(actor: Actor, id: string): Promise<{ row: ActivityRow; member: LedgerMemberRow }> {
    const row = await repo.load(id)
    if (!row) throw notFound('activity')
    try {
      return { row, member: await memberFor(actor, row.memberId) }
    } catch {
      throw notFound('activity')
    }
  }

  /** A station named on an activity is in the member's committee, and one of a station admin's own. */
  async function checkStation(actor: Actor, m: LedgerMemberRow, stationId: string | null | undefined) {
    if (!stationId) return
    const s = await repo.station(stationId)
    if (!s || s.committeeId !== m.committeeId || (actor.role === 'station_admin' && !actor.stationIds.includes(s.id))) {
      throw validationFailed([{ field: 'body.stationId', message: 'not a station of this member’s committee that you manage' }])
    }
  }

  /** A member changes only their own activities still waiting for review: confirmed ones are the office's record. */
  function checkMemberMayChange(actor: Actor, row: ActivityRow) {
    if (actor.role === 'member' && row.status !== 'pending')
      throw new AppError('FORBIDDEN', 'A reviewed activity can only be changed by the station or committee office.')
  }

  function checkDay(day: string, field: string) {
    if (day > beijingDay(clock.now())) throw validationFailed([{ field, message: 'must not be after today (Beijing time)', keyword: 'maximum' }])
  }

  async function replay(actor: Actor, body: MemberActivityBody, photoCount: number): Promise<MemberActivityResult | undefined> {
    const op = await repo.findByOp(body.opId)
    if (!op) return undefined
    if (op.memberId !== actor.memberId || op.opHash !== opHashOf(actor.memberId, body, photoCount)) {
      throw new AppError('OP_ID_REUSED', 'This opId was already used for a different request; a new activity needs a new opId.')
    }
    return { activity: toView((await repo.load(op.id))!), replayed: true }
  }

  const record = (tx: Parameters<AuditWriter['record']>[0], actor: Actor, ip: string | null, action: string, id: string, detail: Record<string, unknown>) =>
    audit.record(tx, { actorUserId: actor.userId, actorIp: ip, action, targetKind: 'activity', targetId: id, detail })

  return {
    async list(actor: Actor, query: ActivityListQuery): Promise<ActivityPage> {
      const { cursor, limit = 50, ...filters } = query
      const { rows, more } = await repo.list(actor, filters, limit, cursor ? decodeCursor(cursor) : undefined)
      const last = rows.at(-1)
      return { items: rows.map(toView), nextCursor: more && last ? encodeCursor(last) : null }
    },

    async get(actor: Actor, id: string): Promise<Activity> {
      return toView((await activityFor(actor, id)).row)
    },

    async create(actor: Actor, body: ActivityBody, ip: string | null): Promise<Activity> {
      const m = await memberFor(actor, body.memberId)
      await checkStation(actor, m, body.stationId)
      // A member's own entry waits for review like one from the phone; an office's entry is its record at once.
      const own = actor.role === 'member'
      if (own) checkDay(body.occurredOn, 'body.occurredOn')
      const id = await db.transaction(async (tx) => {
        const id = await repo.insert(tx, {
          committeeId: m.committeeId,
          memberId: m.id,
          stationId: body.stationId ?? null,
          kind: body.kind,
          title: body.title,
          occurredOn: body.occurredOn,
          notes: body.notes ?? '',
          place: body.place ?? '',
          createdBy: actor.userId,
          source: own ? 'member' : 'staff',
          status: own ? 'pending' : 'confirmed',
          reviewedBy: own ? null : actor.userId,
          reviewedAt: own ? null : clock.now(),
        })
        await record(tx, actor, ip, 'activity.created', id, { memberId: m.id, kind: body.kind, occurredOn: body.occurredOn })
        return id
      })
      return toView((await repo.load(id))!)
    },

    async update(actor: Actor, id: string, patch: ActivityPatch, ip: string | null): Promise<Activity> {
      const { row, member: m } = await activityFor(actor, id)
      checkMemberMayChange(actor, row)
      await checkStation(actor, m, patch.stationId)
      await db.transaction(async (tx) => {
        await repo.update(tx, id, patch)
        await record(tx, actor, ip, 'activity.updated', id, { changed: Object.keys(patch) })
      })
      return toView((await repo.load(id))!)
    },

    async remove(actor: Actor, id: string, ip: string | null): Promise<void> {
      const { row } = await activityFor(actor, id)
      checkMemberMayChange(actor, row)
      await db.transaction(async (tx) => {
        await repo.remove(tx, id)
        await record(tx, actor, ip, 'activity.deleted', id, { memberId: row.memberId, kind: row.kind, title: row.title, occurredOn: row.occurredOn })
      })
    },

    /**
     * A member logs their own activity from the phone (issue 15): pending until an admin confirms it, with up to
     * three photos. Exactly once per `opId`: the same op again answers the first result; a different request
     * with that opId is refused (OP_ID_REUSED).
     */
    async logOwn(actor: Actor, body: MemberActivityBody, photoData: Buffer[], ip: string | null): Promise<MemberActivityResult> {
      if (actor.role !== 'member' || !actor.memberId) throw new AppError('FORBIDDEN', 'Only members log their own activities here.')
      const memberId = actor.memberId
      if (photoData.length > MAX_IMAGES) throw validationFailed([{ field: 'body.photo4', message: `at most ${MAX_IMAGES} photos`, keyword: 'maxItems' }])
      const earlier = await replay(actor, body, photoData.length)
      if (earlier) return earlier
      checkDay(body.occurredOn, 'body.occurredOn')
      const m = await memberFor(actor, memberId)
      const { images, rejected } = await reencodeEach(photoData.map((data, i) => ({ data, n: i + 1 })))
      const [bad] = rejected
      if (bad)
        throw validationFailed([
          { field: `body.photo${bad.item.n}`, message: bad.reason === 'size' ? 'too large (at most 8 MB)' : 'not an image', keyword: 'format' },
        ])
      const hash = opHashOf(memberId, body, photoData.length)
      try {
        const id = await photos.withPhotos(images, (files) =>
          db.transaction(async (tx) => {
            const id = await repo.insert(tx, {
              committeeId: m.committeeId,
              memberId,
              stationId: m.stations.length === 1 ? m.stations[0]!.id : null,
              kind: body.kind,
              title: body.title?.trim() || ACTIVITY_KIND_ZH[body.kind],
              occurredOn: body.occurredOn,
              place: body.place.trim(),
              notes: body.notes ?? '',
              createdBy: actor.userId,
              source: 'member',
              status: 'pending',
              opId: body.opId,
              opHash: hash,
            })
            await repo.insertPhotos(tx, id, files)
            await record(tx, actor, ip, 'activity.logged', id, { kind: body.kind, occurredOn: body.occurredOn, photos: files.length, opId: body.opId })
            return id
          }),
        )
        return { activity: toView((await repo.load(id))!), replayed: false }
      } catch (err) {
        // Two sends of one op at once: the second finds the first's row.
        if (isUniqueViolation(err)) {
          const again = await replay(actor, body, photoData.length)
          if (again) return again
        }
        throw err
      }
    },

    /**
     * A station admin (their stations' members) or committee admin (their subtree) reviews a pending activity:
     * confirm, correct (edit, then confirm) or reject with a reason. Audit-logged with what was changed.
     */
    async review(actor: Actor, id: string, body: ActivityReviewBody, ip: string | null): Promise<Activity> {
      if (actor.role === 'member') throw new AppError('FORBIDDEN', 'Members cannot review activities.')
      const { row } = await activityFor(actor, id)
      if (row.status !== 'pending') throw new AppError('CONFLICT', `This activity was already ${row.status}.`)
      if (body.decision === 'reject' && !body.reason?.trim())
        throw validationFailed([{ field: 'body.reason', message: 'say why it is rejected', keyword: 'required' }])
      if (body.decision === 'reject' && body.changes)
        throw validationFailed([{ field: 'body.changes', message: 'a rejection changes nothing', keyword: 'not' }])
      const changes = body.changes ?? {}
      if (changes.occurredOn) checkDay(changes.occurredOn, 'body.changes.occurredOn')
      const before = Object.fromEntries(Object.keys(changes).map((k) => [k, row[k as keyof typeof changes]]))
      await db.transaction(async (tx) => {
        await repo.update(tx, id, {
          ...changes,
          status: body.decision === 'confirm' ? 'confirmed' : 'rejected',
          reviewedBy: actor.userId,
          reviewedAt: clock.now(),
          rejectReason: body.decision === 'reject' ? body.reason!.trim() : null,
        })
        if (body.decision === 'reject') await record(tx, actor, ip, 'activity.rejected', id, { memberId: row.memberId, reason: body.reason!.trim() })
        else if (body.changes) await record(tx, actor, ip, 'activity.corrected', id, { memberId: row.memberId, before, after: changes })
        else await record(tx, actor, ip, 'activity.confirmed', id, { memberId: row.memberId })
      })
      return toView((await repo.load(id))!)
    },

    /** A photo of an activity the caller may see (the member, admins in scope): its storage key. */
    async photo(actor: Actor, id: string, photoId: string) {
      await activityFor(actor, id)
      const p = await repo.photo(id, photoId)
      if (!p) throw notFound('photo')
      return p
    },
  }
}
export type ActivitiesService = ReturnType<typeof createActivitiesService>

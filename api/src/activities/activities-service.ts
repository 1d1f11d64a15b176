import type { Activity, ActivityBody, ActivityListQuery, ActivityPage, ActivityPatch } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { memberInScope } from '../auth/scope'
import type { AuditWriter } from '../audit/audit-log'
import type { Db } from '../db/database'
import { notFound, validationFailed } from '../errors/app-error'
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
})

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
}: {
  db: Db
  repo: ActivitiesRepo
  /** Whose activities a caller may record and read: the members the ledger knows, in scope. */
  members: LedgerRepo
  audit: AuditWriter
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
      const id = await db.transaction(async (tx) => {
        const id = await repo.insert(tx, {
          committeeId: m.committeeId,
          memberId: m.id,
          stationId: body.stationId ?? null,
          kind: body.kind,
          title: body.title,
          occurredOn: body.occurredOn,
          notes: body.notes ?? '',
          createdBy: actor.userId,
        })
        await record(tx, actor, ip, 'activity.created', id, { memberId: m.id, kind: body.kind, occurredOn: body.occurredOn })
        return id
      })
      return toView((await repo.load(id))!)
    },

    async update(actor: Actor, id: string, patch: ActivityPatch, ip: string | null): Promise<Activity> {
      const { member: m } = await activityFor(actor, id)
      await checkStation(actor, m, patch.stationId)
      await db.transaction(async (tx) => {
        await repo.update(tx, id, patch)
        await record(tx, actor, ip, 'activity.updated', id, { changed: Object.keys(patch) })
      })
      return toView((await repo.load(id))!)
    },

    async remove(actor: Actor, id: string, ip: string | null): Promise<void> {
      const { row } = await activityFor(actor, id)
      await db.transaction(async (tx) => {
        await repo.remove(tx, id)
        await record(tx, actor, ip, 'activity.deleted', id, { memberId: row.memberId, kind: row.kind, title: row.title, occurredOn: row.occurredOn })
      })
    },
  }
}
export type ActivitiesService = ReturnType<typeof createActivitiesService>

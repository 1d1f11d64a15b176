import type { CreateStationBody, StationDetail, StationListQuery, UpdateStationBody } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { stationInScope } from '../auth/scope'
import type { AuditLog } from '../audit/audit-log'
import { changedFields } from '../audit/changes'
import type { Db } from '../db/database'
import { AppError, notFound, validationFailed } from '../errors/app-error'
import { committeeFor, type CommitteePaths } from '../org/committee-target'
import type { StationRow, StationsRepo } from './stations-repo'

const view = (s: StationRow, memberCount: number): StationDetail => ({
  id: s.id,
  committeeId: s.committeeId,
  kind: s.kind,
  name: s.name,
  address: s.address,
  openHours: s.openHours,
  active: s.active,
  lat: s.lat,
  lng: s.lng,
  memberCount,
})

/**
 * Stations (工作站/工作室/联络室/驿站/议事室). Station admins see their own; committee admins see and change the
 * stations of their subtree. A station with history (cases, printed codes, members) is deactivated, not deleted.
 */
export function createStationsService({ db, repo, committees, audit }: { db: Db; repo: StationsRepo; committees: CommitteePaths; audit: AuditLog }) {
  async function load(actor: Actor, id: string) {
    const found = await repo.find(id)
    if (!found || !stationInScope(actor, { id, committeePath: found.committeePath })) throw notFound('station')
    return found
  }
  const uniqueName = async (committeeId: string, name: string, exceptId?: string) => {
    if (await repo.nameTaken(committeeId, name, exceptId))
      throw validationFailed([{ field: 'body.name', message: 'this committee already has a station of this name' }])
  }

  return {
    async list(actor: Actor, query: StationListQuery) {
      const limit = query.limit ?? 50
      const offset = query.offset ?? 0
      const committeeId = query.committeeId ? (await committeeFor(actor, query.committeeId, committees, 'querystring.committeeId')).id : undefined
      const { rows, total } = await repo.list(actor, { committeeId, active: query.active, q: query.q }, limit, offset)
      return { items: rows.map((r) => view(r.station, r.memberCount)), total, limit, offset }
    },

    async get(actor: Actor, id: string): Promise<StationDetail> {
      const found = await load(actor, id)
      return view(found.station, found.memberCount)
    },

    async create(actor: Actor, body: CreateStationBody, ip?: string): Promise<StationDetail> {
      const target = await committeeFor(actor, body.committeeId, committees, 'body.committeeId')
      const name = body.name.trim()
      await uniqueName(target.id, name)
      return db.transaction(async (tx) => {
        const row = await repo.insert(tx, {
          committeeId: target.id,
          kind: body.kind,
          name,
          address: body.address ?? '',
          openHours: body.openHours ?? '',
          lat: body.lat ?? null,
          lng: body.lng ?? null,
          active: body.active ?? true,
        })
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'station.created',
          targetKind: 'station',
          targetId: row.id,
          detail: { name, kind: row.kind },
        })
        return view(row, 0)
      })
    },

    async update(actor: Actor, id: string, body: UpdateStationBody, ip?: string): Promise<StationDetail> {
      const found = await load(actor, id)
      const patch = { ...body, ...(body.name !== undefined && { name: body.name.trim() }) }
      if (patch.name !== undefined) await uniqueName(found.station.committeeId, patch.name, id)
      return db.transaction(async (tx) => {
        const row = await repo.update(tx, id, patch)
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'station.updated',
          targetKind: 'station',
          targetId: id,
          detail: { changes: changedFields(found.station, row, ['kind', 'name', 'address', 'openHours', 'lat', 'lng', 'active']) },
        })
        return view(row, found.memberCount)
      })
    },

    async remove(actor: Actor, id: string, ip?: string): Promise<void> {
      const found = await load(actor, id)
      const used = Object.entries(await repo.usage(id)).filter(([, n]) => n > 0)
      if (used.length > 0) throw new AppError('IN_USE', `The station still has ${used.map(([k, n]) => `${n} ${k}`).join(', ')}; set active to false instead.`)
      await db.transaction(async (tx) => {
        await repo.remove(tx, id)
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'station.deleted',
          targetKind: 'station',
          targetId: id,
          detail: { name: found.station.name },
        })
      })
    },
  }
}
export type StationsService = ReturnType<typeof createStationsService>

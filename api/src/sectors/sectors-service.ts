import type { CreateSectorBody, Sector, SectorListQuery, UpdateSectorBody } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import type { AuditLog } from '../audit/audit-log'
import { changedFields } from '../audit/changes'
import type { Db } from '../db/database'
import { isUniqueViolation } from '../db/pg-errors'
import { AppError, validationFailed } from '../errors/app-error'
import { assertInScope, committeeFor, type CommitteePaths } from '../org/committee-target'
import type { SectorRow, SectorsRepo } from './sectors-repo'

const view = (s: SectorRow): Sector => ({ id: s.id, committeeId: s.committeeId, name: s.name, sortOrder: s.sortOrder })

/** 界别 per committee. Every admin reads their committee's; committee admins change them. */
export function createSectorsService({ db, repo, committees, audit }: { db: Db; repo: SectorsRepo; committees: CommitteePaths; audit: AuditLog }) {
  const nameTaken = (err: unknown): never => {
    if (isUniqueViolation(err, 'sector_committee_name_key'))
      throw validationFailed([{ field: 'body.name', message: 'this committee already has a sector of this name' }])
    throw err
  }
  const load = async (actor: Actor, id: string) => assertInScope(actor, await repo.find(id), (r) => r.committeePath, 'sector').sector

  return {
    async list(actor: Actor, query: SectorListQuery) {
      const target = await committeeFor(actor, query.committeeId, committees, 'querystring.committeeId')
      const limit = query.limit ?? 50
      const offset = query.offset ?? 0
      const { rows, total } = await repo.list(target.id, limit, offset)
      return { items: rows.map(view), total, limit, offset }
    },

    async get(actor: Actor, id: string): Promise<Sector> {
      return view(await load(actor, id))
    },

    async create(actor: Actor, body: CreateSectorBody, ip?: string): Promise<Sector> {
      const target = await committeeFor(actor, body.committeeId, committees, 'body.committeeId')
      return db
        .transaction(async (tx) => {
          const row = await repo.insert(tx, { committeeId: target.id, name: body.name.trim(), sortOrder: body.sortOrder ?? 0 })
          await audit.record(tx, {
            actorUserId: actor.userId,
            actorIp: ip,
            action: 'sector.created',
            targetKind: 'sector',
            targetId: row.id,
            detail: { name: row.name },
          })
          return view(row)
        })
        .catch(nameTaken)
    },

    async update(actor: Actor, id: string, body: UpdateSectorBody, ip?: string): Promise<Sector> {
      const before = await load(actor, id)
      return db
        .transaction(async (tx) => {
          const row = await repo.update(tx, id, { ...body, ...(body.name !== undefined && { name: body.name.trim() }) })
          await audit.record(tx, {
            actorUserId: actor.userId,
            actorIp: ip,
            action: 'sector.updated',
            targetKind: 'sector',
            targetId: id,
            detail: { changes: changedFields(before, row, ['name', 'sortOrder']) },
          })
          return view(row)
        })
        .catch(nameTaken)
    },

    async remove(actor: Actor, id: string, ip?: string): Promise<void> {
      const found = await load(actor, id)
      const usage = await repo.usage(id)
      const used = Object.entries(usage).filter(([, n]) => n > 0)
      if (used.length > 0) throw new AppError('IN_USE', `The sector is still used by ${used.map(([k, n]) => `${n} ${k}`).join(', ')}.`)
      await db.transaction(async (tx) => {
        await repo.remove(tx, id)
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'sector.deleted',
          targetKind: 'sector',
          targetId: id,
          detail: { name: found.name },
        })
      })
    },
  }
}
export type SectorsService = ReturnType<typeof createSectorsService>

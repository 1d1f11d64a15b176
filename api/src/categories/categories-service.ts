import type { CategoryListQuery, CategoryView, CreateCategoryBody, UpdateCategoryBody } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import type { AuditLog } from '../audit/audit-log'
import { changedFields } from '../audit/changes'
import type { Db } from '../db/database'
import { isForeignKeyViolation } from '../db/pg-errors'
import { AppError, validationFailed } from '../errors/app-error'
import { assertInScope, committeeFor, type CommitteePaths } from '../org/committee-target'
import type { CategoriesRepo, CategoryRow } from './categories-repo'

const view = (c: CategoryRow): CategoryView => ({
  id: c.id,
  committeeId: c.committeeId,
  names: c.names,
  sectorId: c.sectorId,
  slaClass: c.slaClass,
  sortOrder: c.sortOrder,
  active: c.active,
})

/** Case categories: names per locale, the sector that knows the subject (routing), and the SLA class (deadlines). */
export function createCategoriesService({ db, repo, committees, audit }: { db: Db; repo: CategoriesRepo; committees: CommitteePaths; audit: AuditLog }) {
  const load = async (actor: Actor, id: string) => assertInScope(actor, await repo.find(id), (r) => r.committeePath, 'category').category
  const checkSector = async (committeeId: string, sectorId: string | null | undefined) => {
    if (sectorId && (await repo.sectorCommittee(sectorId)) !== committeeId) {
      throw validationFailed([{ field: 'body.sectorId', message: 'no such sector in this committee' }])
    }
  }
  const trimmed = (names: Record<string, string | undefined>) =>
    Object.fromEntries(
      Object.entries(names)
        .filter((e): e is [string, string] => Boolean(e[1]?.trim()))
        .map(([k, v]) => [k, v.trim()]),
    )

  return {
    async list(actor: Actor, query: CategoryListQuery) {
      const target = await committeeFor(actor, query.committeeId, committees, 'querystring.committeeId')
      const limit = query.limit ?? 50
      const offset = query.offset ?? 0
      const { rows, total } = await repo.list(target.id, query.active, limit, offset)
      return { items: rows.map(view), total, limit, offset }
    },

    async get(actor: Actor, id: string): Promise<CategoryView> {
      return view(await load(actor, id))
    },

    async create(actor: Actor, body: CreateCategoryBody, ip?: string): Promise<CategoryView> {
      const target = await committeeFor(actor, body.committeeId, committees, 'body.committeeId')
      await checkSector(target.id, body.sectorId)
      return db.transaction(async (tx) => {
        const row = await repo.insert(tx, {
          committeeId: target.id,
          names: trimmed(body.names),
          sectorId: body.sectorId ?? null,
          slaClass: body.slaClass ?? 'general',
          sortOrder: body.sortOrder ?? 0,
          active: body.active ?? true,
        })
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'category.created',
          targetKind: 'category',
          targetId: row.id,
          detail: { names: row.names, slaClass: row.slaClass },
        })
        return view(row)
      })
    },

    async update(actor: Actor, id: string, body: UpdateCategoryBody, ip?: string): Promise<CategoryView> {
      const before = await load(actor, id)
      await checkSector(before.committeeId, body.sectorId)
      return db.transaction(async (tx) => {
        const row = await repo.update(tx, id, { ...body, ...(body.names && { names: trimmed(body.names) }) })
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'category.updated',
          targetKind: 'category',
          targetId: id,
          detail: { changes: changedFields(before, row, ['names', 'sectorId', 'slaClass', 'sortOrder', 'active']) },
        })
        return view(row)
      })
    },

    async remove(actor: Actor, id: string, ip?: string): Promise<void> {
      const found = await load(actor, id)
      try {
        await db.transaction(async (tx) => {
          await repo.remove(tx, id)
          await audit.record(tx, {
            actorUserId: actor.userId,
            actorIp: ip,
            action: 'category.deleted',
            targetKind: 'category',
            targetId: id,
            detail: { names: found.names },
          })
        })
      } catch (err) {
        if (isForeignKeyViolation(err)) throw new AppError('IN_USE', 'Cases are filed under this category; set active to false instead.')
        throw err
      }
    },
  }
}
export type CategoriesService = ReturnType<typeof createCategoriesService>

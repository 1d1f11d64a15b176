import {
  COMMITTEE_LEVELS,
  type Committee,
  type CommitteeDetail,
  type CommitteeListQuery,
  type CommitteeSettingsBody,
  type CommitteeSettingsView,
  type CreateCommitteeBody,
  type UpdateCommitteeBody,
} from '@mashangjian/shared'
import { randomUUID } from 'node:crypto'
import type { Actor } from '../auth/actor'
import { committeeInScope } from '../auth/scope'
import { AppError, notFound, validationFailed } from '../errors/app-error'
import { isUniqueViolation } from '../db/pg-errors'
import type { Db } from '../db/database'
import type { AuditLog } from '../audit/audit-log'
import { changedFields } from '../audit/changes'
import type { CommitteeRow, OrgRepo } from './org-repo'
import { settingsFromBody, settingsView } from './committee-settings'

const toCommittee = (c: CommitteeRow): Committee => ({
  id: c.id,
  parentId: c.parentId,
  level: c.level,
  name: c.name,
  shortCode: c.shortCode,
  defaultLocale: c.defaultLocale,
})

const rank = (level: Committee['level']) => COMMITTEE_LEVELS.indexOf(level)

/**
 * The committee tree (province → city → county) and each committee's deadline settings. A committee admin
 * manages their own committee and everything under it; only a system admin makes a new root.
 */
export function createOrgService({ db, repo, audit }: { db: Db; repo: OrgRepo; audit: AuditLog }) {
  const shortCodeTaken = (err: unknown) => {
    if (isUniqueViolation(err, 'committee_short_code_key')) throw validationFailed([{ field: 'body.shortCode', message: 'already used by another committee' }])
    throw err
  }

  async function inScope(actor: Actor, id: string): Promise<CommitteeRow> {
    const found = await repo.findCommittee(id)
    if (!found || !committeeInScope(actor, found.path)) throw notFound('committee')
    return found
  }

  return {
    async getCommittee(actor: Actor, id: string): Promise<CommitteeDetail> {
      const found = await inScope(actor, id)
      const children = await repo.childrenOf(id)
      return { ...toCommittee(found), children: children.map(toCommittee), ...(await repo.countsOf(id)) }
    },

    async list(actor: Actor, query: CommitteeListQuery) {
      const limit = query.limit ?? 50
      const offset = query.offset ?? 0
      const { rows, total } = await repo.list(actor, { parentId: query.parentId }, limit, offset)
      return { items: rows.map(toCommittee), total, limit, offset }
    },

    async create(actor: Actor, body: CreateCommitteeBody, ip?: string): Promise<Committee> {
      let parent: CommitteeRow | undefined
      if (body.parentId) {
        parent = await repo.findCommittee(body.parentId)
        if (!parent || !committeeInScope(actor, parent.path)) throw validationFailed([{ field: 'body.parentId', message: 'no such committee in your scope' }])
        if (rank(body.level) <= rank(parent.level))
          throw validationFailed([{ field: 'body.level', message: `must be below the parent's level (${parent.level})` }])
      } else if (actor.role !== 'system_admin') {
        throw validationFailed([{ field: 'body.parentId', message: 'required: new committees go under one of yours' }])
      }
      const id = randomUUID()
      const row = await db
        .transaction(async (tx) => {
          const created = await repo.insert(tx, {
            id,
            parentId: parent?.id ?? null,
            level: body.level,
            name: body.name.trim(),
            shortCode: body.shortCode,
            defaultLocale: body.defaultLocale ?? parent?.defaultLocale ?? 'zh-CN',
            path: parent ? `${parent.path}/${id}` : id,
          })
          await audit.record(tx, {
            actorUserId: actor.userId,
            actorIp: ip,
            action: 'committee.created',
            targetKind: 'committee',
            targetId: id,
            detail: { name: created.name, parentId: created.parentId },
          })
          return created
        })
        .catch(shortCodeTaken)
      return toCommittee(row)
    },

    async update(actor: Actor, id: string, body: UpdateCommitteeBody, ip?: string): Promise<Committee> {
      const before = await inScope(actor, id)
      const patch = { ...body, ...(body.name !== undefined && { name: body.name.trim() }) }
      const row = await db
        .transaction(async (tx) => {
          const after = await repo.update(tx, id, patch)
          await audit.record(tx, {
            actorUserId: actor.userId,
            actorIp: ip,
            action: 'committee.updated',
            targetKind: 'committee',
            targetId: id,
            detail: { changes: changedFields(before, after, ['name', 'shortCode', 'defaultLocale']) },
          })
          return after
        })
        .catch(shortCodeTaken)
      return toCommittee(row)
    },

    /** Only an empty committee goes, and never the caller's own (they would lock themselves out). */
    async remove(actor: Actor, id: string, ip?: string): Promise<void> {
      const found = await inScope(actor, id)
      if (id === actor.committeeId) throw new AppError('FORBIDDEN', 'You cannot delete your own committee.')
      const usage = await repo.usage(id)
      const used = Object.entries(usage).filter(([, n]) => n > 0)
      if (used.length > 0) throw new AppError('IN_USE', `The committee still has ${used.map(([k, n]) => `${n} ${k}`).join(', ')}.`)
      await db.transaction(async (tx) => {
        await repo.remove(tx, id)
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'committee.deleted',
          targetKind: 'committee',
          targetId: id,
          detail: { name: found.name },
        })
      })
    },

    async getSettings(actor: Actor, id: string): Promise<CommitteeSettingsView> {
      const found = await inScope(actor, id)
      return settingsView(id, found.settings)
    },

    async putSettings(actor: Actor, id: string, body: CommitteeSettingsBody, ip?: string): Promise<CommitteeSettingsView> {
      const before = await inScope(actor, id)
      const parsed = settingsFromBody(body)
      if ('errors' in parsed) throw validationFailed(parsed.errors)
      // The ledger targets are saved through their own endpoint (ledger-service.ts): this body never carries them.
      const next = before.settings.ledger ? { ...parsed.settings, ledger: before.settings.ledger } : parsed.settings
      // Likewise the retention years (issue 19, retention-service.ts).
      if (before.settings.retentionYears !== undefined) next.retentionYears = before.settings.retentionYears
      await db.transaction(async (tx) => {
        await repo.setSettings(tx, id, next)
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'committee.settings_changed',
          targetKind: 'committee',
          targetId: id,
          detail: { before: before.settings, after: next },
        })
      })
      return settingsView(id, next)
    },
  }
}
export type OrgService = ReturnType<typeof createOrgService>

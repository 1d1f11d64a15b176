import {
  DEPARTMENT_CHANNEL_PROVIDERS,
  normalizeDepartmentPhone,
  type CreateDepartmentBody,
  type DepartmentListQuery,
  type DepartmentView,
  type FieldError,
  type UpdateDepartmentBody,
} from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { committeeInScope } from '../auth/scope'
import type { AuditLog } from '../audit/audit-log'
import { changedFields } from '../audit/changes'
import type { Db } from '../db/database'
import { isUniqueViolation } from '../db/pg-errors'
import { AppError, notFound, validationFailed } from '../errors/app-error'
import { committeeFor, type CommitteePaths } from '../org/committee-target'
import type { PhoneLookup } from '../privacy/phone-lookup'
import type { ChannelRef, DepartmentRow, DepartmentsRepo } from './departments-repo'

const view = (d: DepartmentRow, channel: ChannelRef | null): DepartmentView => ({
  id: d.id,
  committeeId: d.committeeId,
  kind: d.kind,
  name: d.name,
  contactName: d.contactName,
  contactPhoneMasked: d.contactPhoneMasked,
  robotChannel: channel && { id: channel.id, name: channel.name, provider: channel.provider, enabled: channel.enabled },
  active: d.active,
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
})

/** What an audit entry says about a department: never the contact's phone in clear. */
const AUDITED = ['kind', 'name', 'contactName', 'contactPhoneMasked', 'robotChannelId', 'active'] as const

const PHONE_MESSAGE = 'must be a mainland mobile or a landline with area code, like 0931-1234567'
const duplicateName = (name: string) =>
  new AppError('CONFLICT', `This committee already has a department named “${name}”.`, {
    errors: [{ field: 'body.name', message: 'this committee already has a department of this name' }],
  })

/**
 * 职能部门 (issue 14): committee admins keep their subtree's departments; station admins read their committee's,
 * to hand matters over. A department something refers to (hand-offs) is deactivated, not deleted.
 */
export function createDepartmentsService({
  db,
  repo,
  committees,
  audit,
  phones,
}: {
  db: Db
  repo: DepartmentsRepo
  committees: CommitteePaths
  audit: AuditLog
  phones: PhoneLookup
}) {
  async function load(actor: Actor, id: string) {
    const found = await repo.find(id)
    if (!found || !committeeInScope(actor, found.committeePath)) throw notFound('department')
    return found
  }
  const uniqueName = async (committeeId: string, name: string, exceptId?: string) => {
    if (await repo.nameTaken(committeeId, name, exceptId)) throw duplicateName(name)
  }
  /** Two admins adding the same name at once: the unique index decides, with the same answer. */
  const nameRace =
    (name: string) =>
    (err: unknown): never => {
      if (isUniqueViolation(err, 'department_committee_name_key')) throw duplicateName(name)
      throw err
    }

  function phoneFields(raw: string | null | undefined, errors: FieldError[]) {
    if (raw === undefined) return {}
    if (raw === null || raw.trim() === '') return { contactPhoneEnc: null, contactPhoneHash: null, contactPhoneMasked: null }
    const phone = normalizeDepartmentPhone(raw)
    if (!phone) {
      errors.push({ field: 'body.contactPhone', message: PHONE_MESSAGE })
      return {}
    }
    const p = phones.protect(phone)
    return { contactPhoneEnc: p.enc, contactPhoneHash: p.hash, contactPhoneMasked: p.masked }
  }

  /** A robot channel must be a group robot or webhook of the department's own committee (an SMS account is no group). */
  async function channelField(committeeId: string, id: string | null | undefined, errors: FieldError[]) {
    if (id === undefined) return { fields: {}, channel: undefined }
    if (id === null) return { fields: { robotChannelId: null }, channel: null }
    const channel = await repo.channel(id)
    if (!channel || channel.committeeId !== committeeId) errors.push({ field: 'body.robotChannelId', message: 'no such channel in this committee' })
    else if (!(DEPARTMENT_CHANNEL_PROVIDERS as readonly string[]).includes(channel.provider)) {
      errors.push({ field: 'body.robotChannelId', message: 'must be a group robot (WeCom, DingTalk) or a webhook, not an SMS account' })
    }
    return { fields: { robotChannelId: id }, channel }
  }

  return {
    async list(actor: Actor, query: DepartmentListQuery) {
      const limit = query.limit ?? 50
      const offset = query.offset ?? 0
      const committeeId = query.committeeId ? (await committeeFor(actor, query.committeeId, committees, 'querystring.committeeId')).id : undefined
      const { rows, total } = await repo.list(actor, { committeeId, kind: query.kind, active: query.active, q: query.q }, limit, offset)
      return { items: rows.map((r) => view(r.department, r.channel)), total, limit, offset }
    },

    async get(actor: Actor, id: string): Promise<DepartmentView> {
      const found = await load(actor, id)
      return view(found.department, found.channel)
    },

    async create(actor: Actor, body: CreateDepartmentBody, ip?: string): Promise<DepartmentView> {
      const target = await committeeFor(actor, body.committeeId, committees, 'body.committeeId')
      const name = body.name.trim()
      const errors: FieldError[] = []
      if (!name) errors.push({ field: 'body.name', message: 'must not be blank' })
      const phone = phoneFields(body.contactPhone, errors)
      const robot = await channelField(target.id, body.robotChannelId, errors)
      if (errors.length) throw validationFailed(errors)
      await uniqueName(target.id, name)
      return db
        .transaction(async (tx) => {
          const row = await repo.insert(tx, {
            committeeId: target.id,
            kind: body.kind,
            name,
            contactName: body.contactName?.trim() ?? '',
            active: body.active ?? true,
            ...phone,
            ...robot.fields,
          })
          await audit.record(tx, {
            actorUserId: actor.userId,
            actorIp: ip,
            action: 'department.created',
            targetKind: 'department',
            targetId: row.id,
            detail: { name, kind: row.kind, contactName: row.contactName, contactPhoneMasked: row.contactPhoneMasked, robotChannelId: row.robotChannelId },
          })
          return view(row, robot.channel ?? null)
        })
        .catch(nameRace(name))
    },

    async update(actor: Actor, id: string, body: UpdateDepartmentBody, ip?: string): Promise<DepartmentView> {
      const found = await load(actor, id)
      const committeeId = found.department.committeeId
      const errors: FieldError[] = []
      const { contactPhone, robotChannelId, ...rest } = body
      const name = rest.name?.trim()
      if (name === '') errors.push({ field: 'body.name', message: 'must not be blank' })
      const phone = phoneFields(contactPhone, errors)
      const robot = await channelField(committeeId, robotChannelId, errors)
      if (errors.length) throw validationFailed(errors)
      if (name !== undefined) await uniqueName(committeeId, name, id)
      const patch = {
        ...rest,
        ...phone,
        ...robot.fields,
        ...(name !== undefined && { name }),
        ...(rest.contactName !== undefined && { contactName: rest.contactName.trim() }),
      }
      return db
        .transaction(async (tx) => {
          const row = await repo.update(tx, id, patch)
          await audit.record(tx, {
            actorUserId: actor.userId,
            actorIp: ip,
            action: 'department.updated',
            targetKind: 'department',
            targetId: id,
            detail: { changes: changedFields(found.department, row, AUDITED) },
          })
          return view(row, robot.channel === undefined ? found.channel : robot.channel)
        })
        .catch(nameRace(name ?? found.department.name))
    },

    async remove(actor: Actor, id: string, ip?: string): Promise<void> {
      const found = await load(actor, id)
      const used = Object.entries(await repo.usage(id)).filter(([, n]) => n > 0)
      if (used.length > 0)
        throw new AppError('IN_USE', `The department still has ${used.map(([k, n]) => `${n} ${k}`).join(', ')}; set active to false instead.`)
      await db.transaction(async (tx) => {
        await repo.remove(tx, id)
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'department.deleted',
          targetKind: 'department',
          targetId: id,
          detail: { name: found.department.name },
        })
      })
    },
  }
}
export type DepartmentsService = ReturnType<typeof createDepartmentsService>

import type { CreateUserBody, FieldError, Me, Role, UpdateUserBody, UserListQuery, UserView } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { committeeInScope } from '../auth/scope'
import { hashPassword } from '../auth/passwords'
import { AppError, notFound, validationFailed } from '../errors/app-error'
import { isUniqueViolation } from '../db/pg-errors'
import type { Db } from '../db/database'
import type { AuditLog } from '../audit/audit-log'
import type { Clock } from '../clock'
import { committeeFor } from '../org/committee-target'
import type { UserRow, UsersRepo } from './users-repo'

/** Roles an actor may hand out: nobody creates a role above their own. */
const GRANTABLE: Record<Role, readonly Role[]> = {
  system_admin: ['member', 'station_admin', 'committee_admin', 'system_admin'],
  committee_admin: ['member', 'station_admin', 'committee_admin'],
  station_admin: [],
  member: [],
}

const toMe = (u: UserRow, stationIds: string[]): Me => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  committeeId: u.committeeId,
  memberId: u.memberId,
  stationIds: [...stationIds].sort(),
  locale: u.locale,
})
const toView = (u: UserRow, stationIds: string[], lockedUntil?: Date): UserView => ({
  ...toMe(u, stationIds),
  disabled: u.disabledAt !== null,
  lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
  lockedUntil: lockedUntil?.toISOString() ?? null,
  createdAt: u.createdAt.toISOString(),
})

export function createUsersService({ db, repo, audit, clock }: { db: Db; repo: UsersRepo; audit: AuditLog; clock: Clock }) {
  /** Stations must belong to the account's committee; reported per position like the schema validator does. */
  async function checkStations(committeeId: string | null, stationIds: string[], errors: FieldError[]) {
    const stations = await repo.stationCommittees(stationIds)
    stationIds.forEach((id, i) => {
      if (stations.get(id) !== committeeId) errors.push({ field: `body.stationIds.${i}`, message: 'no such station in this committee' })
    })
  }

  /** An account the caller may manage: inside their subtree and of a role they could have created. */
  async function load(actor: Actor, id: string) {
    const found = await repo.find(id)
    const visible = found && (actor.role === 'system_admin' || (found.committeePath !== null && committeeInScope(actor, found.committeePath)))
    if (!found || !visible) throw notFound('user')
    return found.user
  }

  return {
    async createUser(actor: Actor, body: CreateUserBody, ip?: string): Promise<Me> {
      if (!GRANTABLE[actor.role].includes(body.role)) {
        throw new AppError('FORBIDDEN', `A ${actor.role} may not create ${body.role} accounts.`)
      }
      const committeeId = body.role === 'system_admin' ? null : (body.committeeId ?? actor.committeeId)
      const stationIds = [...new Set(body.stationIds ?? [])]
      const errors: FieldError[] = []

      if (committeeId) {
        const path = await repo.committeePath(committeeId)
        // Another committee's id is reported like a missing one: no existence leak.
        if (!path || !committeeInScope(actor, path)) errors.push({ field: 'body.committeeId', message: 'no such committee in your scope' })
      } else if (body.role !== 'system_admin') {
        errors.push({ field: 'body.committeeId', message: 'required for this role' })
      }
      if (body.role === 'member') {
        if (!body.memberId) errors.push({ field: 'body.memberId', message: 'required for a member account' })
        else if ((await repo.memberCommittee(body.memberId)) !== committeeId) {
          errors.push({ field: 'body.memberId', message: 'no such member in this committee' })
        }
      } else if (body.memberId) {
        errors.push({ field: 'body.memberId', message: 'only member accounts link to a member' })
      }
      if (body.role === 'station_admin' && stationIds.length === 0) {
        errors.push({ field: 'body.stationIds', message: 'a station admin needs at least one station' })
      }
      await checkStations(committeeId, stationIds, errors)
      if (errors.length > 0) throw validationFailed(errors)

      try {
        const user = await repo.insertUser(
          {
            username: body.username.toLowerCase(),
            displayName: body.displayName,
            role: body.role,
            committeeId,
            memberId: body.memberId ?? null,
            passwordHash: await hashPassword(body.password),
            locale: body.locale ?? 'zh-CN',
          },
          stationIds,
          (tx, row) =>
            audit.record(tx, {
              actorUserId: actor.userId,
              actorIp: ip,
              action: 'user.created',
              targetKind: 'user',
              targetId: row.id,
              detail: { username: row.username, role: row.role, committeeId, stationIds },
            }),
        )
        return toMe(user, stationIds)
      } catch (err) {
        if (isUniqueViolation(err, 'app_user_username_key')) throw new AppError('USERNAME_TAKEN', `"${body.username}" is already in use.`)
        throw err
      }
    },

    async list(actor: Actor, query: UserListQuery) {
      const limit = query.limit ?? 50
      const offset = query.offset ?? 0
      const committeeId = query.committeeId ? (await committeeFor(actor, query.committeeId, repo, 'querystring.committeeId')).id : undefined
      const { rows, total } = await repo.list(actor, { ...query, committeeId }, limit, offset)
      const stations = await repo.stationsOf(rows.map((r) => r.id))
      const locks = await repo.locks(
        rows.map((u) => u.username),
        clock.now(),
      )
      return { items: rows.map((u) => toView(u, stations.get(u.id) ?? [], locks.get(u.username))), total, limit, offset }
    },

    async get(actor: Actor, id: string): Promise<UserView> {
      const user = await load(actor, id)
      const locks = await repo.locks([user.username], clock.now())
      return toView(user, (await repo.stationsOf([id])).get(id) ?? [], locks.get(user.username))
    },

    /** Lifts a sign-in lock (and every address's delay) on an account the admin may change; audit-logged. */
    async unlock(actor: Actor, id: string, ip?: string): Promise<UserView> {
      const user = await load(actor, id)
      if (!GRANTABLE[actor.role].includes(user.role)) throw new AppError('FORBIDDEN', `A ${actor.role} may not change ${user.role} accounts.`)
      await db.transaction(async (tx) => {
        await repo.clearLoginFailures(tx, user.username)
        await audit.record(tx, { actorUserId: actor.userId, actorIp: ip, action: 'user.unlocked', targetKind: 'user', targetId: id, detail: {} })
      })
      return toView(user, (await repo.stationsOf([id])).get(id) ?? [])
    },

    /** Display name, language, a station admin's stations, disabling, a new password. Disabling or a new password ends the sessions; with new stations, the access tokens (which carry them) end. */
    async update(actor: Actor, id: string, body: UpdateUserBody, ip?: string): Promise<UserView> {
      const user = await load(actor, id)
      if (!GRANTABLE[actor.role].includes(user.role)) throw new AppError('FORBIDDEN', `A ${actor.role} may not change ${user.role} accounts.`)
      const errors: FieldError[] = []
      if (body.disabled === true && id === actor.userId) errors.push({ field: 'body.disabled', message: 'you cannot disable your own account' })
      if (body.stationIds) {
        if (user.role !== 'station_admin') errors.push({ field: 'body.stationIds', message: 'only station admins have stations' })
        else if (body.stationIds.length === 0) errors.push({ field: 'body.stationIds', message: 'a station admin needs at least one station' })
        else await checkStations(user.committeeId, body.stationIds, errors)
      }
      if (errors.length > 0) throw validationFailed(errors)
      const now = clock.now()
      const before = body.stationIds ? ((await repo.stationsOf([id])).get(id) ?? []) : []
      const stationsChanged = body.stationIds !== undefined && [...before].sort().join() !== [...body.stationIds].sort().join()
      const patch: Partial<UserRow> = {
        ...(body.displayName !== undefined && { displayName: body.displayName }),
        ...(body.locale !== undefined && { locale: body.locale }),
        ...(body.disabled !== undefined && { disabledAt: body.disabled ? (user.disabledAt ?? now) : null }),
        ...(body.password !== undefined && { passwordHash: await hashPassword(body.password) }),
      }
      const after = await db.transaction(async (tx) => {
        const row = Object.keys(patch).length > 0 ? await repo.update(tx, id, patch) : user
        if (body.stationIds) await repo.setStations(tx, id, body.stationIds)
        // A new password set by an admin is also the way back in after a lock.
        if (body.password !== undefined) await repo.clearLoginFailures(tx, user.username)
        const endSessions = body.disabled === true || body.password !== undefined
        if (endSessions) await repo.revokeSessions(tx, id, now, body.disabled ? 'disabled' : 'password_reset')
        // Access tokens carry the stations: old ones must not keep a station that was taken away. (Roles never change.)
        if (endSessions || stationsChanged) await repo.bumpSessionVersion(tx, id)
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'user.updated',
          targetKind: 'user',
          targetId: id,
          detail: {
            fields: Object.keys(body).filter((k) => k !== 'password'),
            ...(body.password !== undefined && { passwordReset: true }),
            ...(body.disabled !== undefined && { disabled: body.disabled }),
            ...(body.stationIds && { stationIds: body.stationIds }),
          },
        })
        return row
      })
      return toView(after, (await repo.stationsOf([id])).get(id) ?? [])
    },
  }
}
export type UsersService = ReturnType<typeof createUsersService>

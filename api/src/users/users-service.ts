import type { CreateUserBody, FieldError, Me, Role } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { committeeInScope } from '../auth/scope'
import { hashPassword } from '../auth/passwords'
import { AppError, validationFailed } from '../errors/app-error'
import { isUniqueViolation } from '../db/pg-errors'
import type { UsersRepo } from './users-repo'

/** Roles an actor may hand out: nobody creates a role above their own. */
const GRANTABLE: Record<Role, readonly Role[]> = {
  system_admin: ['member', 'station_admin', 'committee_admin', 'system_admin'],
  committee_admin: ['member', 'station_admin', 'committee_admin'],
  station_admin: [],
  member: [],
}

export function createUsersService({ repo }: { repo: UsersRepo }) {
  return {
    async createUser(actor: Actor, body: CreateUserBody): Promise<Me> {
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
      const stations = await repo.stationCommittees(stationIds)
      stationIds.forEach((id, i) => {
        if (stations.get(id) !== committeeId) errors.push({ field: `body.stationIds.${i}`, message: 'no such station in this committee' })
      })
      if (errors.length > 0) throw validationFailed(errors)

      try {
        const user = await repo.insertUser({
          username: body.username.toLowerCase(), displayName: body.displayName, role: body.role, committeeId,
          memberId: body.memberId ?? null, passwordHash: await hashPassword(body.password), locale: body.locale ?? 'zh-CN',
        }, stationIds)
        return {
          id: user.id, username: user.username, displayName: user.displayName, role: user.role,
          committeeId: user.committeeId, memberId: user.memberId, stationIds: stationIds.sort(), locale: user.locale,
        }
      } catch (err) {
        if (isUniqueViolation(err, 'app_user_username_key')) throw new AppError('USERNAME_TAKEN', `"${body.username}" is already in use.`)
        throw err
      }
    },
  }
}
export type UsersService = ReturnType<typeof createUsersService>

import { useState } from 'preact/hooks'
import type { Committee, Role } from '@mashangjian/shared'
import { useStatus } from '../use-data'
import { adminApi } from './admin-api'
import { useRemote } from './use-remote'

/** What an admin's lists and figures are about: a committee (with its subtree) or one station. */
export type Scope = { scope: 'committee' | 'station'; id: string }

export const isCommitteeAdmin = (role: Role | undefined) => role === 'committee_admin' || role === 'system_admin'

/**
 * The admin's own scope: a committee admin's committee (with its subtree), a station admin's (first) station, a
 * system admin's first root committee. `undefined` while that is being found out, `null` when there is none.
 */
export function useScope(): Scope | null | undefined {
  const { user } = useStatus()
  const roots = useRemote(
    async () => (user?.role === 'system_admin' ? adminApi.get<{ items: { id: string }[] }>('/api/v1/committees?limit=1') : null),
    [user?.id],
  )
  if (!user) return null
  if (user.role === 'station_admin') return user.stationIds[0] ? { scope: 'station', id: user.stationIds[0] } : null
  if (user.committeeId) return { scope: 'committee', id: user.committeeId }
  if (roots.loading) return undefined
  const first = roots.value?.items[0]
  return first ? { scope: 'committee', id: first.id } : null
}

/**
 * The committees a committee admin manages (their own and those below it, in tree order), for the pages that
 * work on one committee at a time (sectors, categories, settings, accounts). Station admins get none.
 */
export function useCommittees() {
  const { user } = useStatus()
  return useRemote(
    async () => (isCommitteeAdmin(user?.role) ? (await adminApi.get<{ items: Committee[] }>('/api/v1/committees?limit=200')).items : []),
    [user?.id],
  )
}

/** The committee a page works on: the admin's own at first (a system admin's: the first), or the one they pick. */
export function useCommitteeChoice() {
  const { user } = useStatus()
  const committees = useCommittees()
  const [chosen, setChosen] = useState('')
  const id = chosen || user?.committeeId || committees.value?.[0]?.id || ''
  return { committees, id, setId: setChosen }
}

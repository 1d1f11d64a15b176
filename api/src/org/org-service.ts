import type { Committee, CommitteeDetail, Station } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { committeeInScope, stationInScope } from '../auth/scope'
import { notFound } from '../errors/app-error'
import type { OrgRepo } from './org-repo'

type CommitteeRow = NonNullable<Awaited<ReturnType<OrgRepo['findCommittee']>>>

const toCommittee = (c: CommitteeRow): Committee => ({
  id: c.id, parentId: c.parentId, level: c.level, name: c.name, shortCode: c.shortCode, defaultLocale: c.defaultLocale,
})

export function createOrgService({ repo }: { repo: OrgRepo }) {
  return {
    async getCommittee(actor: Actor, id: string): Promise<CommitteeDetail> {
      const found = await repo.findCommittee(id)
      if (!found || !committeeInScope(actor, found.path)) throw notFound('committee')
      const children = await repo.childrenOf(id)
      return { ...toCommittee(found), children: children.map(toCommittee), ...(await repo.countsOf(id)) }
    },

    async getStation(actor: Actor, id: string): Promise<Station> {
      const found = await repo.findStation(id)
      if (!found || !stationInScope(actor, { id, committeePath: found.committeePath })) throw notFound('station')
      const s = found.station
      return { id: s.id, committeeId: s.committeeId, kind: s.kind, name: s.name, address: s.address, openHours: s.openHours, active: s.active }
    },
  }
}
export type OrgService = ReturnType<typeof createOrgService>

import { handoffDueAt, type CaseDestinations, type CaseSearchResult } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import type { Clock } from '../clock'
import type { Db } from '../db/database'
import { notFound, validationFailed } from '../errors/app-error'
import type { PhoneLookup } from '../privacy/phone-lookup'
import { maskPhone } from '../privacy/pii-cipher'
import { normalizeMainlandMobile } from '../public/submission-rules'
import type { AuditWriter } from '../audit/audit-log'
import { caseRoleOf } from './case-access'
import type { CasesService } from './cases-service'
import type { DeskRepo } from './desk-repo'
import type { MemberCasesRepo } from './member-cases-repo'
import type { HandoffsRepo } from '../handoffs/handoffs-repo'
import { handoffSettingsOf } from '../handoffs/handoff-rules'

/** A caller's cases from one phone: enough for a desk to recognise a repeat caller, bounded for the page. */
export const PHONE_SEARCH_LIMIT = 50

export interface DeskServiceDeps {
  db: Db
  repo: MemberCasesRepo
  desk: DeskRepo
  cases: CasesService
  audit: AuditWriter
  clock: Clock
  residentPhones: PhoneLookup
  /** 交办: the departments a case can be handed to, and its default reply deadline. */
  handoffs: HandoffsRepo
}

/** The station desk's reads: find a resident's cases by phone, and who a case can be handed to. */
export function createDeskService({ db, repo, desk, cases, audit, clock, residentPhones, handoffs }: DeskServiceDeps) {
  return {
    /**
     * Cases (own or followed) of the resident with this phone that the caller can see, newest first. Matched by
     * the keyed hash, never by decrypting; each search is audit-logged with the masked number and the hit count.
     */
    async searchByPhone(actor: Actor, phone: string, ip: string | null): Promise<CaseSearchResult> {
      // The scan page's normalisation: the number is hashed exactly as it was when the case was stored.
      const normalised = normalizeMainlandMobile(phone)
      if (!normalised) throw validationFailed([{ field: 'body.phone', message: 'not a mainland China mobile number' }])
      const ids = await desk.caseIdsByPhoneHash(actor, residentPhones.hash(normalised), PHONE_SEARCH_LIMIT)
      const loaded = new Map((await repo.loadMany(ids)).map((r) => [r.id, r]))
      const rows = ids.flatMap((id) => loaded.get(id) ?? [])
      const items = await cases.summariesFor(actor, rows, clock.now())
      const masked = maskPhone(normalised)
      await audit.record(db, {
        actorUserId: actor.userId,
        actorIp: ip,
        action: 'case.phone_search',
        targetKind: 'resident_phone',
        targetId: masked,
        detail: { phone: masked, hits: items.length },
      })
      return { items }
    },

    /**
     * Who the caller can hand this case to, as assign/transfer accept it (case-actions-service.ts destinationOf):
     * a station admin its stations' active members and every station of the committee (转办: a matter another
     * station should handle goes to that station's queue, as destinationOf allows); a committee or system admin the case committee's
     * active members and the stations of their subtree; the assignee (转办) the committee's stations and its
     * other active members. A case the caller cannot see is not found. With them, for 交办: the active departments
     * of the case's committee and the reply deadline a hand-off made now would get.
     */
    async destinations(actor: Actor, caseId: string): Promise<CaseDestinations> {
      const row = await repo.load(caseId)
      if (!row || !caseRoleOf(actor, row)) throw notFound('case')
      const now = clock.now()
      const committeeId = row.committeeId
      const members$ =
        actor.role === 'member'
          ? desk.members({ committeeId, exceptMemberId: actor.memberId, now })
          : actor.role === 'station_admin'
            ? desk.members({ committeeId, stationIds: actor.stationIds, now })
            : desk.members({ committeeId, now })
      const [members, stations, departments, settings] = await Promise.all([
        members$,
        desk.stations({ committeeId }),
        handoffs.activeDepartments(committeeId),
        handoffs.committeeSettings(committeeId),
      ])
      const stationsOf = await desk.stationsOfMembers(members.map((m) => m.id))
      // On duty first, then the lightest load, then by name in Chinese order (the same on every database collation).
      const byName = new Intl.Collator('zh-CN')
      const ordered = [...members].sort((a, b) => Number(b.onDutyNow) - Number(a.onDutyNow) || a.openCases - b.openCases || byName.compare(a.name, b.name))
      return {
        members: ordered.map((m) => ({ ...m, stations: stationsOf.get(m.id) ?? [] })),
        stations,
        departments,
        handoffDueAt: handoffDueAt(now, handoffSettingsOf(settings).replyDays).toISOString(),
      }
    },
  }
}
export type DeskService = ReturnType<typeof createDeskService>

import { isLocale, translator, type CaseSummary, type StaffIntakeBody, type StaffIntakeResult } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { committeeInScope } from '../auth/scope'
import type { Clock } from '../clock'
import { isUniqueViolation } from '../db/pg-errors'
import { AppError, notFound, validationFailed } from '../errors/app-error'
import type { PublicCasesService } from '../public/public-cases-service'
import { validateSubmission, type SubmissionIssue } from '../public/submission-rules'
import { loadCandidates } from '../routing/routing-repo'
import { routeCase } from '../routing/route-case'
import type { CasesRepo } from './cases-repo'
import { caseRoleOf } from './case-access'
import { toSummary } from './case-views'
import type { MemberCasesRepo } from './member-cases-repo'
import { intakeRequestHash } from './op-request-hash'

export interface StaffIntakeDeps {
  cases: CasesRepo
  repo: MemberCasesRepo
  /** Where every case is born (routing, deadlines, number, events, audit, the SMS with the tracking link). */
  submissions: Pick<PublicCasesService, 'register' | 'announce'>
  clock: Clock
}

/** A device clock far off is not trusted for the timeline (as for actions, case-actions-service.ts). */
const MAX_CLOCK_SKEW_MS = 7 * 86_400_000

/** The routing reason when staff picked the member themselves (route-case.ts has the others). */
export const STAFF_ASSIGNED = 'staff_assigned'

/** What the first answer to an intake is stored as in case_op (never the tracking secret: it exists once). */
interface StoredIntake {
  intake: true
  case: CaseSummary
}

/** The scan page's field names → this body's, so the same rules name the fields the desk sent. */
const FIELD: Record<string, string> = { description: 'body.description', location: 'body.locationText', phone: 'body.residentPhone', consent: 'body.consent' }
const en = translator('en')
const fieldErrors = (issues: SubmissionIssue[]) =>
  issues.map((i) => ({ field: FIELD[i.field] ?? `body.${i.field}`, message: en(i.key, i.values), keyword: i.key }))

/**
 * 电话受理 / 来访登记: a station or committee admin records a case for a resident who called or came in. It is
 * born like a scan of the station's code (same rules for the text and the phone, same routing, deadlines,
 * number and SMS), except that the admin may hand it to a member of the station directly. Idempotent by opId.
 */
export function createStaffIntakeService({ cases, repo, submissions, clock }: StaffIntakeDeps) {
  /** The first answer to the same intake (same admin, same form); anything else with its opId is refused. */
  async function replay(actor: Actor, body: StaffIntakeBody): Promise<StaffIntakeResult | undefined> {
    const op = await repo.findOp(body.opId)
    if (!op) return undefined
    const stored = op.response as unknown as Partial<StoredIntake>
    const same =
      op.actorUserId === actor.userId && stored.intake === true && !!stored.case && (op.requestHash === null || op.requestHash === intakeRequestHash(body))
    if (!same || !stored.case) throw new AppError('OP_ID_REUSED', 'This opId was already used for a different request; a new intake needs a new opId.')
    return { case: stored.case, trackingUrl: null, replayed: true }
  }

  return {
    async intake(actor: Actor, body: StaffIntakeBody, ip: string | null): Promise<StaffIntakeResult> {
      const first = await replay(actor, body)
      if (first) return first

      const checked = validateSubmission({
        description: body.description,
        location: body.locationText,
        phone: body.residentPhone,
        consent: body.consent,
      })
      if ('issues' in checked) throw validationFailed(fieldErrors(checked.issues))
      const input = checked.ok

      const { station, category, member } = await cases.intakeTargets(body.stationId, body.categoryId ?? null, body.memberId ?? null)
      // Station admins record for their own stations, committee admins anywhere in their subtree; others: 404.
      const inScope = station && committeeInScope(actor, station.committee.path) && (actor.role !== 'station_admin' || actor.stationIds.includes(station.id))
      if (!station || !inScope) throw notFound('station')
      if (body.categoryId && (!category || category.committeeId !== station.committee.id || !category.active)) throw notFound('category')
      if (body.memberId) {
        if (!member || member.committeeId !== station.committee.id || !member.atStation) throw notFound('member')
        if (member.status !== 'active') throw new AppError('CONFLICT', 'This member is not taking cases now.')
      }

      const now = clock.now()
      const told = body.occurredAt ? new Date(body.occurredAt) : now
      // A call cannot have come in later than it is recorded; a time far off is a mistyped one.
      const occurredAt = !(told <= now) || now.getTime() - told.getTime() > MAX_CLOCK_SKEW_MS ? now : told
      // Nobody picked a language on a page: the resident hears from us in the committee's own.
      const locale = isLocale(station.committee.defaultLocale) ? station.committee.defaultLocale : 'zh-CN'
      let summary: CaseSummary | undefined
      try {
        const created = await submissions.register({
          committee: station.committee,
          now,
          occurredAt,
          channel: body.channel,
          qrCodeId: null,
          category: category ? { id: category.id, slaClass: category.slaClass } : null,
          description: input.description,
          locationText: input.location,
          phone: input.phone,
          locale,
          attachments: [],
          route: async (tx) =>
            body.memberId
              ? { memberId: body.memberId, stationId: station.id, reason: STAFF_ASSIGNED, actorUserId: actor.userId }
              : // As a scan of the station's code: on duty now, then the category's sector, then the least loaded, else the queue.
                routeCase({
                  kind: 'station',
                  stationId: station.id,
                  categorySectorId: category?.sectorId ?? null,
                  candidates: await loadCandidates(tx, station.id, now),
                }),
          // A member filing for someone they met (界别群众 contacts, issue 15) is recorded as the member.
          submittedBy: {
            actorKind: actor.role === 'member' ? 'member' : 'admin',
            actorUserId: actor.userId,
            data: { channel: body.channel, intakeBy: actor.userId },
          },
          audit: { actorUserId: actor.userId, actorIp: ip, action: 'case.intake', detail: { channel: body.channel, stationId: station.id, opId: body.opId } },
          beforeCommit: async (tx, row) => {
            const after = await repo.load(row.id, tx)
            summary = toSummary(after!, now, caseRoleOf(actor, after!))
            const stored: StoredIntake = { intake: true, case: summary }
            await repo.insertOp(tx, {
              opId: body.opId,
              caseId: row.id,
              actorUserId: actor.userId,
              response: stored as unknown as Record<string, unknown>,
              requestHash: intakeRequestHash(body),
            })
          },
        })
        submissions.announce()
        return { case: summary!, trackingUrl: created.trackingUrl, replayed: false }
      } catch (err) {
        // The same opId sent twice at once: the other request recorded its case first; answer with that one.
        if (isUniqueViolation(err)) {
          const again = await replay(actor, body)
          if (again) return again
        }
        throw err
      }
    },
  }
}
export type StaffIntakeService = ReturnType<typeof createStaffIntakeService>

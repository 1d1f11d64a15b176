import { ANNOTATIONS, decide, ratedThisRound, type CaseActionBody, type CaseActionResult, type CaseRole } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import type { Clock } from '../clock'
import type { Db, DbOrTx } from '../db/database'
import { isRetryableConflict, isUniqueViolation } from '../db/pg-errors'
import { AppError, notFound, validationFailed } from '../errors/app-error'
import { MAX_IMAGES, reencodeEach, type ProcessedImage } from '../attachments/image-processing'
import type { NoticePlanner } from '../notifications/notice-plan'
import type { PhotoStore } from '../attachments/photo-store'
import { caseRoleOf } from './case-access'
import { effectsOf, type Destination } from './case-effects'
import { toEventView, toSummary } from './case-views'
import type { CasesRepo, NewAttachment } from './cases-repo'
import type { LoadedCase, MemberCasesRepo } from './member-cases-repo'
import { deadlinesFor } from './sla'
import { writeTransition } from './case-transition'
import { actionRequestHash } from './op-request-hash'
import type { AuditWriter } from '../audit/audit-log'
import type { HandoffActions } from '../handoffs/handoff-actions'

/** A resident who follows a case through a link of their own (joined it, or followed a case merged into it). */
export interface MovedFollower {
  residentPhoneEnc: string | null
  residentLocale: string
}

/**
 * Told about every applied action after commit (push, resident SMS); never blocks or fails the action. A merge
 * also says which case it went into and whose links moved there with it.
 */
export type CaseChangeListener = (change: {
  before: LoadedCase
  after: CaseActionResult['case']
  action: CaseActionBody
  actor: Actor
  merged?: { intoPublicNo: string; followers: MovedFollower[] }
}) => void

export interface CaseActionsDeps {
  photos: PhotoStore
  db: Db
  repo: MemberCasesRepo
  cases: CasesRepo
  audit: AuditWriter
  clock: Clock
  /** Writes the action's notices (member, queue, residents, integrators) in the action's transaction. */
  notices?: NoticePlanner
  /** 交办: checks and writes the hand-off of `handoff` / `withdraw_handoff` (handoffs/handoff-actions.ts). */
  handoffs: HandoffActions
  onChange?: CaseChangeListener
}

const MAX_ATTEMPTS = 3
/** Actions after which the case's SLA clock starts again (effectsOf reads `fresh` only for these). */
const RESTARTS_DEADLINES: readonly CaseActionBody['type'][] = ['assign', 'transfer', 'reopen']

/** Photos sniffed by content and re-encoded (EXIF gone); a bad one fails the action with its field named. */
async function reencodeAll(photos: Buffer[]): Promise<ProcessedImage[]> {
  if (photos.length > MAX_IMAGES) throw validationFailed([{ field: 'body.photos', message: `at most ${MAX_IMAGES} photos`, keyword: 'maxItems' }])
  const {
    images,
    rejected: [first],
  } = await reencodeEach(photos.map((data, i) => ({ data, n: i + 1 })))
  if (first)
    throw validationFailed([
      { field: `body.photo${first.item.n}`, message: first.reason === 'size' ? 'too large (at most 8 MB)' : 'not an image', keyword: 'format' },
    ])
  return images
}

/** A device clock far off is not trusted for the timeline's device time. */
const MAX_CLOCK_SKEW_MS = 7 * 86_400_000

/**
 * When a rating given on a 回访 call counts (满意率 counts it on that Beijing day): the call's time as the admin
 * recorded it (already clamped to a week around the server clock), but never later than now nor before the
 * resolution it rates, so a mistyped time cannot move the rating out of its round or into the future.
 */
function ratedAtOf(calledAt: Date, row: Pick<LoadedCase, 'resolvedAt'>, now: Date): Date {
  const t = Math.min(calledAt.getTime(), now.getTime())
  return new Date(row.resolvedAt ? Math.max(t, row.resolvedAt.getTime()) : t)
}

/**
 * Member and admin actions on a case (DESIGN.md §4): idempotent by `opId`, optimistic on `baseVersion`, decided
 * by the state machine, written with their event, the first answer and an audit row in one transaction.
 */
export function createCaseActionsService({ db, repo, cases, audit, clock, onChange, notices, handoffs, photos: photoStore }: CaseActionsDeps) {
  /**
   * The first answer to this request, if its opId was used before. Only the same request gets it: the same user,
   * case, type and body (the version aside, see op-request-hash.ts). Anything else with that opId is refused
   * without saying what the opId was used for. Rows from before the fingerprint was kept replay as they did.
   */
  async function replay(actor: Actor, caseId: string, body: CaseActionBody, q: DbOrTx = db): Promise<CaseActionResult | undefined> {
    const op = await repo.findOp(body.opId, q)
    if (!op) return undefined
    // An intake's opId (staff-intake-service.ts) names the case it created, not an action on it.
    const same =
      op.caseId === caseId &&
      op.actorUserId === actor.userId &&
      !('intake' in op.response) &&
      (op.requestHash === null || op.requestHash === actionRequestHash(caseId, body))
    if (!same) throw new AppError('OP_ID_REUSED', 'This opId was already used for a different request; a new action needs a new opId.')
    return { ...(op.response as unknown as CaseActionResult), replayed: true }
  }

  const conflict = (row: LoadedCase, role: CaseRole, code: 'VERSION_CONFLICT' | 'INVALID_TRANSITION', detail: string) =>
    new AppError(code, detail, { current: toSummary(row, clock.now(), role) })

  /** Where an assign or transfer sends the case; the target must be inside the actor's reach and active. */
  async function destinationOf(actor: Actor, row: LoadedCase, body: CaseActionBody): Promise<Destination | undefined> {
    if (body.type !== 'assign' && body.type !== 'transfer') return undefined
    const memberId = body.type === 'assign' ? body.memberId : body.toMemberId
    const stationId = body.type === 'transfer' ? body.toStationId : undefined
    if (!!memberId === !!stationId) throw validationFailed([{ field: 'body.toMemberId', message: 'exactly one of toMemberId, toStationId' }])
    if (memberId) {
      const m = await repo.memberTarget(memberId)
      if (!m || m.committeeId !== row.committeeId) throw notFound('member')
      if (m.status !== 'active') throw new AppError('CONFLICT', 'This member is not taking cases now.')
      const reachable = actor.role === 'station_admin' ? m.stationIds.filter((s) => actor.stationIds.includes(s)) : m.stationIds
      if (actor.role === 'station_admin' && reachable.length === 0) throw notFound('member')
      const keep = row.stationId && m.stationIds.includes(row.stationId)
      return { memberId, stationId: keep ? row.stationId : (reachable[0] ?? row.stationId) }
    }
    const s = await repo.stationTarget(stationId!)
    // Only to a station of the case's own committee: a case keeps its committee (its number, deadlines and
    // figures), and a station of another committee could neither see it nor give it to one of its members.
    if (!s || s.committeeId !== row.committeeId) throw notFound('station')
    return { memberId: null, stationId: s.id }
  }

  async function mergeTargetOf(actor: Actor, row: LoadedCase, body: CaseActionBody) {
    if (body.type !== 'merge') return undefined
    const target = await repo.load(body.intoCaseId)
    if (!target || !caseRoleOf(actor, target)) throw notFound('case to merge into')
    if (target.id === row.id || ['merged', 'invalid'].includes(target.status))
      throw new AppError('CONFLICT', 'A case can only be merged into another open or finished case.')
    return { id: target.id, publicNo: target.publicNo }
  }

  async function attempt(
    actor: Actor,
    caseId: string,
    body: CaseActionBody,
    ip: string | null,
    attachments: NewAttachment[],
  ): Promise<{ result: CaseActionResult; before: LoadedCase; merged?: { intoPublicNo: string; followers: MovedFollower[] } } | 'retry'> {
    const row = await repo.load(caseId)
    const role: CaseRole | null = row ? caseRoleOf(actor, row) : null
    if (!row || !role) throw notFound('case')
    const rebased = body.baseVersion !== row.version
    if (rebased && (body.baseVersion > row.version || !ANNOTATIONS.includes(body.type))) {
      throw conflict(row, role, 'VERSION_CONFLICT', `The case is at version ${row.version}; this action was made on version ${body.baseVersion}.`)
    }
    if (body.type === 'follow_up' && body.rating && body.outcome !== 'reached') {
      throw validationFailed([{ field: 'body.rating', message: 'a rating can only come from a call that reached the resident' }])
    }
    const rating = body.type === 'follow_up' ? body.rating : undefined
    // Rated in the current round? A rating always moves a resolved case on (closed or reopened), so a resolved
    // case's rating is from an earlier round and its new resolution waits for one of its own (as on the tracking
    // page). A closed case was rated for its last resolution if the rating is not older than it (a case that
    // closed by itself after a 重办 round still lacks that round's rating).
    const alreadyRated = ratedThisRound(row)
    const decision = decide({ status: row.status, action: body.type, role, rating, reopenCount: row.reopenCount, alreadyRated })
    if (!decision.ok && rating && alreadyRated && decide({ status: row.status, action: body.type, role }).ok) {
      throw conflict(row, role, 'INVALID_TRANSITION', 'This case was already rated; a follow-up call cannot rate it again (record the call without a rating).')
    }
    if (!decision.ok)
      throw conflict(
        row,
        role,
        'INVALID_TRANSITION',
        `A ${role.replace('_', ' ')} cannot ${body.type.replace('_', ' ')} a case that is ${row.status.replace('_', ' ')}.`,
      )
    if ((body.type === 'approve_extension' || body.type === 'deny_extension') && !row.extensionRequestedUntil) {
      throw conflict(row, role, 'INVALID_TRANSITION', 'There is no extension request to decide.')
    }
    if (body.type === 'request_extension' && row.resolveDueAt && new Date(body.until) <= row.resolveDueAt) {
      throw validationFailed([{ field: 'body.until', message: 'must be after the current deadline' }])
    }
    const now = clock.now()
    const trusted = (d: Date) => (!(Math.abs(d.getTime() - now.getTime()) <= MAX_CLOCK_SKEW_MS) ? now : d)
    // A 回访 happened when the admin says the call was made (recorded after hanging up, or the next morning).
    // A call cannot have happened later than now (a mistyped hour would put it in the timeline's future).
    const occurredAt =
      body.type === 'follow_up'
        ? trusted(new Date(Math.min(new Date(body.calledAt).getTime(), now.getTime())))
        : trusted(body.occurredAt ? new Date(body.occurredAt) : now)
    // Only a new assignee or a reopened case starts its deadlines again; other actions skip those two reads.
    const restarts = RESTARTS_DEADLINES.includes(body.type) || decision.to === 'reopened'
    const sla = restarts ? await cases.slaContext(row) : undefined
    const mergeTarget = await mergeTargetOf(actor, row, body)
    const handoff = await handoffs.plan(actor, row, role, body, decision.to, now)
    const { patch, events } = effectsOf({
      row,
      body,
      to: decision.to,
      eventTypes: decision.events,
      actorKind: actor.role === 'member' ? 'member' : 'admin',
      actorUserId: actor.userId,
      now,
      occurredAt,
      fresh: sla && deadlinesFor(sla.slaClass, now, sla.settings),
      destination: await destinationOf(actor, row, body),
      mergeTarget,
      ratedAt: rating ? ratedAtOf(occurredAt, row, now) : undefined,
      handoff: handoff?.effect,
    })
    return db.transaction(async (tx) => {
      // Photos belong to the action's event (a note with a picture of the site, a resolution with the result).
      const inserted = await writeTransition(
        tx,
        { cases, audit },
        {
          caseId: row.id,
          version: row.version,
          patch,
          events,
          attachments,
          audit: {
            actorUserId: actor.userId,
            actorIp: ip,
            action: `case.${body.type}`,
            targetKind: 'case',
            targetId: row.id,
            detail: { from: row.status, to: decision.to, version: row.version + 1, opId: body.opId, ...(handoff && { handoffId: handoff.effect.id }) },
          },
        },
      )
      if (!inserted) return 'retry' as const
      // The hand-off row changes with the action (before the case is read back: it shows awaitingDepartment).
      await handoff?.write(tx, { ...row, status: decision.to })
      // 并单: X's followers follow Y from now on (their links open Y); X's own link shows where it went.
      const merged = mergeTarget && { intoPublicNo: mergeTarget.publicNo, followers: await cases.moveFollowers(tx, row.id, mergeTarget.id) }
      const after = await repo.load(row.id, tx)
      await notices?.changed(
        tx,
        {
          before: row,
          after: after!,
          action: body.type,
          opId: body.opId,
          actorMemberId: actor.memberId ?? null,
          note: body.type === 'chase' ? body.body : undefined,
          merged,
        },
        now,
      )
      // The answer reads as the case now stands for the actor: a member who handed it on is no longer its assignee.
      const reader = caseRoleOf(actor, after!)
      const result: CaseActionResult = {
        case: toSummary(after!, now, reader),
        events: (await repo.events(row.id, tx, inserted)).map((e) => toEventView(e, reader)),
        rebased,
        replayed: false,
      }
      await repo.insertOp(tx, {
        opId: body.opId,
        caseId: row.id,
        actorUserId: actor.userId,
        response: result as unknown as Record<string, unknown>,
        requestHash: actionRequestHash(caseId, body),
      })
      return { result, before: row, merged }
    })
  }

  async function applyWithRetries(
    actor: Actor,
    caseId: string,
    body: CaseActionBody,
    ip: string | null,
    attachments: NewAttachment[],
  ): Promise<CaseActionResult> {
    for (let n = 0; n < MAX_ATTEMPTS; n++) {
      const first = await replay(actor, caseId, body)
      if (first) return first
      try {
        const applied = await attempt(actor, caseId, body, ip, attachments)
        if (applied !== 'retry') {
          onChange?.({ before: applied.before, after: applied.result.case, action: body, actor, merged: applied.merged })
          return applied.result
        }
      } catch (err) {
        // The same op sent concurrently: the other request stored its answer first (we may have read the case
        // just after its commit and seen a "newer" version, or lost the race to insert the op); answer with that.
        if (isUniqueViolation(err) || isRetryableConflict(err)) continue
        if (err instanceof AppError && err.status === 409) {
          const first = await replay(actor, caseId, body)
          if (first) return first
        }
        throw err
      }
      // Someone changed the case between our read and our write: decide again on the new version.
    }
    const again = await replay(actor, caseId, body)
    if (again) return again
    throw new AppError('CONFLICT', 'The case is changing too fast; try again.')
  }

  return {
    /**
     * Applies an action once. Photos (taken offline, sent with their action) are re-encoded and stored first,
     * and kept only if this request is the one that recorded the action; a replay keeps the first photos.
     */
    async act(
      actor: Actor,
      caseId: string,
      body: CaseActionBody,
      ip: string | null,
      photos: Buffer[] = [],
      { photosPublic = false } = {},
    ): Promise<CaseActionResult> {
      if (photos.length === 0) return applyWithRetries(actor, caseId, body, ip, [])
      const first = await replay(actor, caseId, body)
      if (first) return first
      const images = await reencodeAll(photos)
      // issue 16: photos the member marked for the resident's tracking page (shown only if their event is public).
      return photoStore.withPhotos(
        images,
        (attachments) =>
          applyWithRetries(
            actor,
            caseId,
            body,
            ip,
            attachments.map((a) => ({ ...a, public: photosPublic })),
          ),
        (result) => !result.replayed,
      )
    },
  }
}
export type CaseActionsService = ReturnType<typeof createCaseActionsService>

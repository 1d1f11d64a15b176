import { decide, type CaseStatus, type Rating } from '@mashangjian/shared'
import type { Clock } from '../clock'
import type { NoticePlanner } from '../notifications/notice-plan'
import type { Db } from '../db/database'
import { sha256 } from '../auth/tokens'
import { AppError } from '../errors/app-error'
import type { CaseRow, CasesRepo } from '../cases/cases-repo'
import type { AuditWriter } from '../audit/audit-log'
import { deadlinesFor } from '../cases/sla'
import { maskPiiInText } from '../privacy/mask-text'
import { reopenPatch } from '../cases/case-effects'
import { writeTransition } from '../cases/case-transition'
import { visiblePhotos, type TrackingPhoto } from './tracking-photos'

export interface TrackingModel {
  publicNo: string
  status: CaseStatus
  role: 'owner' | 'follower'
  committeeName: string
  stationName: string | null
  memberName: string | null
  categoryNames: Record<string, string> | null
  expectedBy: Date | null
  canRate: boolean
  rating: Rating | null
  events: { type: string; body: string; occurredAt: Date }[]
  /** 并单: the case this one is now handled under (the end of the chain, if that one was merged again). */
  mergedInto: { publicNo: string } | null
  /** Set when this page shows the survivor through the link of a case merged into it: that case's number. */
  mergedFrom: string | null
  /** issue 16: the submitter may add information and photos while the case is open (followers only read). */
  canAddInfo: boolean
  /** issue 16: photos this link may show (tracking-photos.ts), served downscaled under the secret; none through a merged case's link. */
  photos: TrackingPhoto[]
  /** Issue 19: when the case's personal data was erased (the resident's request or the retention years); null: kept. */
  erasedAt: Date | null
  /** Issue 19: the submitter may have the personal data of their ended case erased (tracking-erasure-service.ts). */
  canErase: boolean
}

/** Statuses in which the case has ended: no rating round, no follow-up. */
const ENDED = ['resolved', 'closed', 'invalid', 'merged']
/** Issue 19: statuses after which the resident may have their personal data erased (closed for good, not 办结 awaiting a rating). */
export const ERASABLE: string[] = ['closed', 'invalid', 'merged']

const SECRET = /^[A-Za-z0-9_-]{20,64}$/
/** A merge chain longer than this is not followed (each merge ends a case, so real chains are short). */
const MAX_MERGE_HOPS = 10

/** The resident's view of a case through the secret link: public progress only, and the rating. */
export function createTrackingService({
  db,
  repo,
  clock,
  audit,
  notices,
  onNotices,
}: {
  db: Db
  repo: CasesRepo
  clock: Clock
  audit: AuditWriter
  /** A rating that reopens the case tells its member (written with the rating); delivered after commit. */
  notices: NoticePlanner
  onNotices: () => void
}) {
  async function find(secret: string) {
    const found = SECRET.test(secret) ? await repo.findByTrackingHash(sha256(secret)) : undefined
    if (!found) throw new AppError('NOT_FOUND', 'No request has this tracking link.')
    return found
  }

  /** The case a merged one is handled under now, following merges of merges. */
  async function survivorOf(row: CaseRow): Promise<CaseRow | undefined> {
    let at: CaseRow | undefined = row
    for (let hop = 0; at?.status === 'merged' && at.mergedInto && hop < MAX_MERGE_HOPS; hop++) at = await repo.findById(at.mergedInto)
    return at === row ? undefined : at
  }

  async function modelOf(row: CaseRow, role: TrackingModel['role'], mergedFrom: string | null): Promise<TrackingModel> {
    const own = role === 'owner' && !mergedFrom
    const [v, survivor, photos] = await Promise.all([
      repo.publicView(row),
      row.status === 'merged' ? survivorOf(row) : undefined,
      mergedFrom ? [] : visiblePhotos(db, row.id, own),
    ])
    const open = !ENDED.includes(row.status)
    return {
      publicNo: row.publicNo,
      status: row.status,
      role,
      committeeName: v.committeeName,
      stationName: v.stationName,
      memberName: v.memberName,
      categoryNames: v.categoryNames,
      expectedBy: open ? row.resolveDueAt : null,
      // Only the submitter rates, and only their own case: someone reading it through a merged case's link is not its submitter.
      canRate: role === 'owner' && !mergedFrom && row.status === 'resolved',
      rating: row.rating,
      // System events carry no text of their own; what members wrote (answers) and residents' rating comments are
      // shown with phone and ID numbers masked: whoever holds the link (a follower, a forwarded link) is not the assignee.
      events: v.events.map((e) => ({ type: e.type, body: maskPiiInText(e.body), occurredAt: e.occurredAt })),
      mergedInto: survivor ? { publicNo: survivor.publicNo } : null,
      mergedFrom,
      canAddInfo: own && open,
      photos,
      erasedAt: row.personalDataErasedAt,
      canErase: own && ERASABLE.includes(row.status) && !row.personalDataErasedAt,
    }
  }

  return {
    /** The case behind a link and the holder's role (the follow-up and the photo routes start here). */
    find,

    async view(secret: string): Promise<TrackingModel> {
      const { row, role } = await find(secret)
      return modelOf(row, role, null)
    },

    /**
     * 并单 seen from the merged case's link: the public progress of the case it went into. The submitter of a
     * merged case needs no new link (none could be sent: only hashes are kept); theirs keeps leading here.
     */
    async viewMerged(secret: string): Promise<TrackingModel> {
      const { row } = await find(secret)
      const survivor = row.status === 'merged' ? await survivorOf(row) : undefined
      if (!survivor) throw new AppError('NOT_FOUND', 'This request was not merged into another.')
      return modelOf(survivor, 'follower', row.publicNo)
    },

    /** Only the submitter rates, only a resolved case, and only once per round (a stale page gets 409). */
    async rate(secret: string, rating: Rating, comment: string | null, ip: string | null = null): Promise<{ status: CaseStatus }> {
      const { row, role } = await find(secret)
      const decision = decide({ status: row.status, action: 'rate', role: 'resident', rating, reopenCount: row.reopenCount })
      if (role !== 'owner' || !decision.ok) throw new AppError('CONFLICT', 'This request cannot be rated now.')
      const now = clock.now()
      const outcome = { status: decision.to, events: decision.events }
      // Unsatisfied the first time: 重办 exactly as an admin's reopen (case-effects.ts), with fresh deadlines.
      const reopen =
        outcome.status === 'reopened'
          ? reopenPatch(row, await repo.slaContext(row).then(({ slaClass, settings }) => deadlinesFor(slaClass, now, settings)))
          : { closedAt: now }
      await db.transaction(async (tx) => {
        const written = await writeTransition(
          tx,
          { cases: repo, audit },
          {
            caseId: row.id,
            version: row.version,
            patch: { status: outcome.status, rating, ratingSource: 'web', ratingComment: comment, ratedAt: now, updatedAt: now, ...reopen },
            events: [
              {
                type: 'rated',
                actorKind: 'resident',
                visibility: 'public',
                body: comment ?? '',
                data: { rating },
                fromStatus: 'resolved',
                toStatus: 'resolved',
                occurredAt: now,
                receivedAt: now,
              },
              {
                type: outcome.events[1]!,
                actorKind: 'system',
                visibility: 'public',
                fromStatus: 'resolved',
                toStatus: outcome.status,
                data: { reason: 'rating' },
                occurredAt: now,
                receivedAt: now,
              },
            ],
            audit: {
              actorUserId: null,
              actorIp: ip,
              action: 'case.rate',
              targetKind: 'case',
              targetId: row.id,
              detail: { from: row.status, to: outcome.status, rating },
            },
          },
        )
        if (!written) throw new AppError('CONFLICT', 'This request changed meanwhile; reload the page.')
        await notices.rated(tx, row, { ...row, status: outcome.status }, `case:${row.id}:rated:v${row.version}`, now)
      })
      onNotices()
      return { status: outcome.status }
    },
  }
}
export type TrackingService = ReturnType<typeof createTrackingService>

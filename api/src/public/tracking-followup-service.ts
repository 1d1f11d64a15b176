import { decide, type MessageKey } from '@mashangjian/shared'
import type { Clock } from '../clock'
import type { Db } from '../db/database'
import type { CasesRepo } from '../cases/cases-repo'
import type { AuditWriter } from '../audit/audit-log'
import type { NoticePlanner } from '../notifications/notice-plan'
import type { PhotoStore } from '../attachments/photo-store'
import type { PhotoForm } from '../attachments/photo-form'
import { MAX_IMAGES, reencodeEach } from '../attachments/image-processing'
import { writeTransition } from '../cases/case-transition'
import { AppError } from '../errors/app-error'
import type { TrackingService } from './tracking-service'

/** Longest follow-up text: an addition to a case, not a new report (the submission allows 2000). */
export const FOLLOW_UP_MAX = 1000

export interface FollowUpIssue {
  field: 'text' | 'photos' | `photo${number}`
  key: MessageKey
  values?: Record<string, string | number>
}

export type FollowUpOutcome =
  | { kind: 'added'; photos: number }
  | { kind: 'invalid'; issues: FollowUpIssue[]; text: string }
  /** The case has ended (resolved, closed, invalid, merged): nothing is added. */
  | { kind: 'closed' }
  /** The link is a follower's (someone who joined the case): they read, only the submitter adds. */
  | { kind: 'not_owner' }

/** Checks the text and how many photos came (the parser already set aside oversized ones). */
export function checkFollowUp(form: PhotoForm): { text: string; issues: FollowUpIssue[] } {
  const text = (form.fields.text ?? '').trim()
  const issues: FollowUpIssue[] = []
  const chosen = form.photos.length + form.oversized.length
  if (text.length === 0 && chosen === 0) issues.push({ field: 'text', key: 'followup.error.empty' })
  if ([...text].length > FOLLOW_UP_MAX) issues.push({ field: 'text', key: 'followup.error.long' })
  if (chosen > MAX_IMAGES) issues.push({ field: 'photos', key: 'error.photo.count' })
  for (const n of form.oversized) issues.push({ field: `photo${n}`, key: 'error.photo.size', values: { n } })
  return { text, issues }
}

/** How often a change may meet a concurrent one (a member acting meanwhile) before the resident is asked to retry. */
const ATTEMPTS = 3

/**
 * 补充情况 (issue 16): the submitter adds information and up to 3 photos to their open case. One public
 * `resident_added_info` event (state machine action `add_info`, role resident; the case stays where it is), its
 * photos, the audit row and the notice to the case's member (or its station's desk) in one transaction.
 */
export function createTrackingFollowUp({
  db,
  repo,
  tracking,
  clock,
  audit,
  notices,
  onNotices,
  photos,
}: {
  db: Db
  repo: CasesRepo
  tracking: Pick<TrackingService, 'find'>
  clock: Clock
  audit: AuditWriter
  notices: NoticePlanner
  onNotices: () => void
  photos: PhotoStore
}) {
  return {
    async add(secret: string, form: PhotoForm, ip: string | null): Promise<FollowUpOutcome> {
      const { row, role } = await tracking.find(secret)
      if (role !== 'owner') return { kind: 'not_owner' }
      if (!decide({ status: row.status, action: 'add_info', role: 'resident' }).ok) return { kind: 'closed' }
      const { text, issues } = checkFollowUp(form)
      const { images, rejected } = issues.length > 0 ? { images: [], rejected: [] } : await reencodeEach(form.photos)
      for (const r of rejected)
        issues.push({ field: `photo${r.item.index}`, key: r.reason === 'size' ? 'error.photo.size' : 'error.photo.type', values: { n: r.item.index } })
      if (issues.length > 0) return { kind: 'invalid', issues, text: form.fields.text ?? '' }

      const outcome = await photos.withPhotos(
        images,
        async (attachments): Promise<FollowUpOutcome> => {
          for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
            // Read again on a retry: the member may have acted (or ended the case) meanwhile.
            const current = attempt === 0 ? row : await repo.findById(row.id)
            if (!current || !decide({ status: current.status, action: 'add_info', role: 'resident' }).ok) return { kind: 'closed' }
            const now = clock.now()
            const written = await db.transaction(async (tx) => {
              const ids = await writeTransition(
                tx,
                { cases: repo, audit },
                {
                  caseId: current.id,
                  version: current.version,
                  patch: { updatedAt: now },
                  events: [
                    {
                      type: 'resident_added_info',
                      actorKind: 'resident',
                      visibility: 'public',
                      body: text,
                      data: { photos: attachments.length, via: 'tracking' },
                      fromStatus: current.status,
                      toStatus: current.status,
                      occurredAt: now,
                      receivedAt: now,
                    },
                  ],
                  attachments,
                  audit: {
                    actorUserId: null,
                    actorIp: ip,
                    action: 'case.add_info',
                    targetKind: 'case',
                    targetId: current.id,
                    detail: { photos: attachments.length, chars: [...text].length },
                  },
                },
              )
              if (!ids) return false
              await notices.residentAddedInfo(tx, current, attachments.length, `case:${current.id}:info:${ids[0]}`, now)
              return true
            })
            if (written) return { kind: 'added', photos: attachments.length }
          }
          throw new AppError('CONFLICT', 'This request is changing right now; please send it again.')
        },
        (o) => o.kind === 'added',
      )
      if (outcome.kind === 'added') onNotices()
      return outcome
    },
  }
}
export type TrackingFollowUp = ReturnType<typeof createTrackingFollowUp>

import { isRetryableConflict } from '../db/pg-errors'
import { decideHandoff, isOpenHandoff, type HandoffStatus } from '@mashangjian/shared'
import type { Clock } from '../clock'
import type { Db } from '../db/database'
import type { CasesRepo, NewAttachment, NewEvent } from '../cases/cases-repo'
import type { AuditWriter } from '../audit/audit-log'
import type { NoticePlanner } from '../notifications/notice-plan'
import type { BlobStore } from '../attachments/blob-store'
import type { PhotoStore } from '../attachments/photo-store'
import { reencodeEach, type ProcessedImage } from '../attachments/image-processing'
import { writeTransition } from '../cases/case-transition'
import { maskPiiInText } from '../privacy/mask-text'
import { handoffSecretHash } from './handoff-secret'
import { resumePatch } from './resolve-pause'
import type { DepartmentLinkRepo, DepartmentLinkRow, HandoffPatch } from './department-link-repo'
import type { PhotoForm } from '../attachments/photo-form'
import { checkAnswer, checkReturn, photoIssue, type DepartmentIssue } from './department-input'

/** What the department's page shows of an open hand-off. Every free text is masked (see view()). */
export interface DepartmentPageModel {
  status: 'sent' | 'acknowledged'
  departmentName: string
  committeeName: string
  publicNo: string
  categoryName: string | null
  question: string
  askedBy: string | null
  stationName: string | null
  dueAt: Date
  overdue: boolean
  description: string
  locationText: string | null
  photoIds: string[]
}

/** Why a link no longer opens its hand-off. */
export type ClosedReason = 'answered' | 'returned' | 'withdrawn' | 'expired' | 'revoked'

/** What the department sent, shown once right after sending (the hand-off is closed by then). */
export type SentRecap =
  | { kind: 'answered'; answer: string; responderName: string | null; photoCount: number }
  | { kind: 'returned'; reason: string; suggestedDepartment: string | null }

export type DepartmentView =
  { kind: 'unknown' } | { kind: 'closed'; reason: ClosedReason } | { kind: 'sent'; recap: SentRecap } | { kind: 'open'; model: DepartmentPageModel }

export type DepartmentAction = 'acknowledge' | 'answer' | 'return'

export type ActOutcome =
  | { kind: 'unknown' }
  | { kind: 'closed'; reason: ClosedReason }
  /** Another submit (a colleague) answered or returned it first: nothing was changed by this one. */
  | { kind: 'conflict'; status: HandoffStatus }
  | { kind: 'invalid'; issues: DepartmentIssue[]; values: Record<string, string>; model: DepartmentPageModel }
  /** `replayed`: the same thing had been sent already (a double tap); nothing more was written. */
  | { kind: 'done'; action: DepartmentAction; replayed: boolean }

/** How long after sending the link still shows what was sent (the PRG page, a reload): not longer. */
const RECAP_MINUTES = 30
/** A member acting on the case at the same moment moves its version: the reply is re-applied on the new one. */
const MAX_TRIES = 5

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

class CaseMoved extends Error {}

const closedReasonOf = (row: DepartmentLinkRow): ClosedReason | undefined => {
  if (row.handoff.linkRevokedAt) return 'revoked'
  const s = row.handoff.status
  return isOpenHandoff(s) ? undefined : (s as ClosedReason)
}

/**
 * The department's side of 交办 (issue 14): an account-free page behind the hand-off's secret link, to 签收,
 * 答复 (with photos) or 退回. Each change is one transaction: the hand-off (compare-and-set on its status), an
 * internal case event through writeTransition (the case keeps its status, its version bumps for the member
 * app's sync), the resolve clock resumed when the last open hand-off ends, the member's notice and audit rows.
 */
export function createDepartmentLinkService({
  db,
  repo,
  cases,
  audit,
  clock,
  notices,
  onNotices,
  photos,
  blobs,
}: {
  db: Db
  repo: DepartmentLinkRepo
  cases: CasesRepo
  audit: AuditWriter
  clock: Clock
  notices: NoticePlanner
  onNotices: () => void
  photos: PhotoStore
  blobs: BlobStore
}) {
  /** The hand-off of exactly this secret (a malformed one is never queried). */
  async function find(secret: string) {
    const hash = handoffSecretHash(secret)
    return hash ? repo.findBySecretHash(hash) : undefined
  }

  /** Every use of a link is audited (who opened what, from where); the secret itself never is. */
  const opened = (row: DepartmentLinkRow, ip: string | null, via: string, outcome: string) =>
    audit.record(db, {
      actorUserId: null,
      actorIp: ip,
      action: 'handoff.link_opened',
      targetKind: 'handoff',
      targetId: row.handoff.id,
      detail: { via, outcome, caseId: row.case.id, status: row.handoff.status },
    })

  /**
   * The link can be forwarded inside a department (and beyond): phone and ID numbers in any free text (the
   * resident's description, the location, even a question that quotes them) are masked. The department reaches
   * the resident through the member, never directly.
   */
  async function modelOf(row: DepartmentLinkRow): Promise<DepartmentPageModel> {
    const { handoff: h, case: c } = row
    const photoRows = await repo.casePhotos(c.id)
    return {
      status: h.status as DepartmentPageModel['status'],
      departmentName: row.departmentName,
      committeeName: row.committeeName,
      publicNo: c.publicNo,
      categoryName: row.categoryNames ? (row.categoryNames['zh-CN'] ?? Object.values(row.categoryNames)[0] ?? null) : null,
      question: maskPiiInText(h.question),
      askedBy: row.askerName,
      stationName: row.stationName,
      dueAt: h.dueAt,
      overdue: clock.now() > h.dueAt,
      description: maskPiiInText(c.description),
      locationText: c.locationText ? maskPiiInText(c.locationText) : null,
      photoIds: photoRows.map((p) => p.id),
    }
  }

  async function recapOf(row: DepartmentLinkRow): Promise<SentRecap | undefined> {
    const h = row.handoff
    const at = h.status === 'answered' ? h.answeredAt : h.status === 'returned' ? h.returnedAt : null
    if (!at || h.linkRevokedAt || clock.now().getTime() - at.getTime() > RECAP_MINUTES * 60_000) return undefined
    return h.status === 'answered'
      ? { kind: 'answered', answer: h.answer ?? '', responderName: h.responderName, photoCount: await repo.answerPhotoCount(row.case.id, h.id) }
      : { kind: 'returned', reason: h.returnReason ?? '', suggestedDepartment: h.suggestedDepartment }
  }

  /** The change each action makes, or undefined when the hand-off's status does not allow it (any more). */
  function plan(
    row: DepartmentLinkRow,
    action: DepartmentAction,
    input: { answer?: { answer: string; responderName: string | null }; ret?: { reason: string; suggestedDepartment: string | null } },
    now: Date,
  ) {
    const { handoff: h, case: c } = row
    const decision = decideHandoff(h.status, action, 'department')
    if (!decision.ok) return undefined
    const base = { actorKind: 'system' as const, visibility: 'internal' as const, fromStatus: c.status, toStatus: c.status, occurredAt: now, receivedAt: now }
    const ids = { handoffId: h.id, departmentId: h.departmentId, departmentName: row.departmentName }
    // An answer without a separate 签收 counts as both.
    const acknowledgedAt = h.acknowledgedAt ?? now
    let patch: HandoffPatch
    let event: NewEvent
    if (action === 'acknowledge') {
      patch = { acknowledgedAt, updatedAt: now }
      event = { ...base, type: 'handoff_acknowledged', body: '', data: ids }
    } else if (action === 'answer') {
      const a = input.answer!
      patch = { acknowledgedAt, answeredAt: now, answer: a.answer, responderName: a.responderName, updatedAt: now }
      event = { ...base, type: 'handoff_answered', body: a.answer, data: { ...ids, responderName: a.responderName } }
    } else {
      const r = input.ret!
      patch = { returnedAt: now, returnReason: r.reason, suggestedDepartment: r.suggestedDepartment, updatedAt: now }
      event = {
        ...base,
        type: 'handoff_returned',
        body: r.reason,
        data: { handoffId: h.id, departmentName: row.departmentName, suggestedDepartment: r.suggestedDepartment },
      }
    }
    return { from: h.status, to: decision.to, patch, event }
  }

  /** What a repeated submit of the same thing answers: it was done already (a double tap, a resent form). */
  function alreadyDone(row: DepartmentLinkRow, action: DepartmentAction, input: { answer?: { answer: string }; ret?: { reason: string } }): boolean {
    const h = row.handoff
    if (action === 'acknowledge') return h.status === 'acknowledged'
    if (action === 'answer') return h.status === 'answered' && h.answer === input.answer?.answer
    return h.status === 'returned' && h.returnReason === input.ret?.reason
  }

  /**
   * Applies the action on the latest state: the hand-off by compare-and-set on its status, the case by version.
   * When the case moved meanwhile (a member acted at the same moment) the whole transaction is rolled back and
   * done again on the re-read case, so the department's reply is never lost to a race it cannot see.
   */
  async function apply(
    first: DepartmentLinkRow,
    secret: string,
    action: DepartmentAction,
    input: Parameters<typeof plan>[2],
    ip: string | null,
    attachments: NewAttachment[],
  ): Promise<ActOutcome> {
    let row: DepartmentLinkRow | undefined = first
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      if (attempt > 0) row = await find(secret)
      if (!row) return { kind: 'unknown' }
      if (alreadyDone(row, action, input)) return { kind: 'done', action, replayed: true }
      const closed = closedReasonOf(row)
      if (closed === 'revoked' || closed === 'withdrawn' || closed === 'expired') return { kind: 'closed', reason: closed }
      const now = clock.now()
      const change = plan(row, action, input, now)
      if (!change) return { kind: 'conflict', status: row.handoff.status }
      const { handoff: h, case: c } = row
      const closing = action !== 'acknowledge'
      try {
        const moved = await db.transaction(async (tx) => {
          await cases.lockForUpdate(tx, c.id)
          if (!(await repo.setStatusIf(tx, h.id, change.from, change.to, change.patch))) return true
          const pause = closing ? resumePatch(c, await repo.openCount(tx, c.id), now) : {}
          const written = await writeTransition(
            tx,
            { cases, audit },
            {
              caseId: c.id,
              version: c.version,
              patch: { updatedAt: now, ...pause },
              events: [change.event],
              attachments: action === 'answer' ? attachments : [],
              audit: {
                actorUserId: null,
                actorIp: ip,
                action: `handoff.${action}`,
                targetKind: 'handoff',
                targetId: h.id,
                detail: { caseId: c.id, from: change.from, to: change.to, photos: action === 'answer' ? attachments.length : undefined },
              },
            },
          )
          if (!written) throw new CaseMoved()
          if (closing) {
            const kind = action === 'answer' ? 'answered' : 'returned'
            await notices.handoffReplied(
              tx,
              { ...c, memberName: row!.memberName },
              { id: h.id, departmentId: h.departmentId, departmentName: row!.departmentName, dueAt: h.dueAt },
              kind,
              `handoff:${h.id}:${kind}`,
              now,
            )
          }
          return false
        })
        // The hand-off moved under us (a colleague's submit): re-read and say what happened.
        if (moved) continue
      } catch (err) {
        if (err instanceof CaseMoved || isRetryableConflict(err)) continue
        throw err
      }
      if (closing) onNotices()
      return { kind: 'done', action, replayed: false }
    }
    return { kind: 'conflict', status: row?.handoff.status ?? 'sent' }
  }

  return {
    /** GET /d/:secret. `recap`: the page the department is sent to right after answering or returning. */
    async view(secret: string, ip: string | null, recap: boolean): Promise<DepartmentView> {
      const row = await find(secret)
      if (!row) return { kind: 'unknown' }
      const closed = closedReasonOf(row)
      const sent = closed && recap ? await recapOf(row) : undefined
      await opened(row, ip, 'page', sent ? 'recap' : (closed ?? 'open'))
      if (sent) return { kind: 'sent', recap: sent }
      if (closed) return { kind: 'closed', reason: closed }
      return { kind: 'open', model: await modelOf(row) }
    },

    /** POST /d/:secret/{acknowledge,answer,return}. Photos are re-encoded (EXIF dropped) before anything is written. */
    async act(secret: string, action: DepartmentAction, form: PhotoForm, ip: string | null): Promise<ActOutcome> {
      const row = await find(secret)
      if (!row) return { kind: 'unknown' }
      const issues: DepartmentIssue[] = []
      const input: Parameters<typeof plan>[2] = {}
      if (action === 'answer') {
        const checked = checkAnswer(form.fields, form.photos.length + form.oversized.length)
        input.answer = checked.value
        issues.push(...checked.issues, ...form.oversized.map((i) => photoIssue(i, 'size')))
      } else if (action === 'return') {
        const checked = checkReturn(form.fields)
        input.ret = checked.value
        issues.push(...checked.issues)
      }
      const closed = closedReasonOf(row)
      await opened(row, ip, action, closed ?? (issues.length ? 'invalid' : 'submit'))
      // A closed hand-off is refused before its form is judged: the page then shows nothing of the case.
      if (closed && !alreadyDone(row, action, input)) {
        return closed === 'answered' || closed === 'returned' ? { kind: 'conflict', status: row.handoff.status } : { kind: 'closed', reason: closed }
      }
      let images: ProcessedImage[] = []
      if (action === 'answer' && !closed && issues.length === 0 && form.photos.length > 0) {
        const { images: ok, rejected } = await reencodeEach(form.photos)
        images = ok
        issues.push(...rejected.map((r) => photoIssue(r.item.index, r.reason)))
      }
      // A closed hand-off's page never shows the case again, not even beside a form error on a repeated post.
      if (issues.length > 0 && closed)
        return closed === 'answered' || closed === 'returned' ? { kind: 'conflict', status: row.handoff.status } : { kind: 'closed', reason: closed }
      if (issues.length > 0) return { kind: 'invalid', issues, values: form.fields, model: await modelOf(row) }
      if (images.length === 0) return apply(row, secret, action, input, ip, [])
      // Stored before the transaction; dropped again unless an answer event now holds them.
      return photos.withPhotos(
        images,
        (attachments) => apply(row, secret, action, input, ip, attachments),
        (o) => o.kind === 'done' && !o.replayed,
      )
    },

    /**
     * GET /d/:secret/photos/:id: a photo the page shows (or the department's own answer photo), only while the
     * link works. Not audited one by one: a page shows several, and the page open that listed them is audited.
     */
    async photo(secret: string, attachmentId: string): Promise<{ mime: string; data: Buffer } | undefined> {
      if (!UUID.test(attachmentId)) return undefined
      const row = await find(secret)
      if (!row || closedReasonOf(row)) return undefined
      const a = await repo.photo(row.case.id, row.handoff.id, attachmentId)
      const data = a && (await blobs.get(a.storageKey))
      return a && data ? { mime: a.mime, data } : undefined
    },
  }
}
export type DepartmentLinkService = ReturnType<typeof createDepartmentLinkService>

import type { CaseEventView, CaseSummary, QueueReason } from '@mashangjian/shared'
import { caseTextFor, type CaseTextReader } from '../privacy/mask-text'
import type { CaseRow } from './cases-repo'

const iso = (d: Date | null) => (d ? d.toISOString() : null)

/** Names shown next to a case row, read with it. */
export interface CaseNames {
  stationName: string | null
  memberName: string | null
  categoryNames: Record<string, string> | null
  /** An open hand-off (交办) of the case; read with it where summaries are built (member-cases-repo.ts). */
  awaitingDepartment?: boolean
}

/**
 * Past its accept deadline while waiting, or its resolve deadline while being worked on and the resolve clock
 * runs (paused while a department has the case: 交办). The inbox's SQL (filterCondition 'overdue') agrees.
 */
export function isOverdue(c: Pick<CaseRow, 'status' | 'acceptDueAt' | 'resolveDueAt' | 'resolvePausedAt'>, now: Date): boolean {
  if (c.status === 'assigned') return !!c.acceptDueAt && c.acceptDueAt < now
  if (c.status === 'accepted' || c.status === 'in_progress' || c.status === 'reopened') return !!c.resolveDueAt && c.resolveDueAt < (c.resolvePausedAt ?? now)
  return false
}

/** Events that change who holds a case: the latest one says why a queued case is in the queue. */
export const HANDOVER_EVENTS = ['assigned', 'declined', 'escalated', 'transferred'] as const
export interface HandoverEvent {
  caseId: string
  type: (typeof HANDOVER_EVENTS)[number]
  actorKind: CaseEventView['actorKind']
  body: string
  data: Record<string, unknown>
}
export interface QueueInfo {
  queueReason: QueueReason | null
  queueNote: string | null
}

/** Waiting in its station's queue: assigned, and to nobody. */
export const isQueued = (c: Pick<CaseRow, 'status' | 'memberId'>) => c.status === 'assigned' && c.memberId === null

/**
 * Why a queued case is there, from the latest handover event (member-cases-repo.ts lastHandovers): routing found
 * nobody, 退单 (with its reason), 督办 escalation on accept timeout, 转办 to the station (with its reason), or an
 * admin put it back to the station.
 */
export function queueReasonOf(e: HandoverEvent | undefined): QueueInfo {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null)
  switch (e?.type) {
    case 'declined':
      return { queueReason: 'declined', queueNote: text(e.body) }
    case 'escalated':
      return { queueReason: 'escalated', queueNote: null }
    case 'transferred':
      return { queueReason: 'transferred', queueNote: text(e.data.reason) }
    case 'assigned':
      // Routing writes its reason (no_member, member_unavailable…); an admin's assignment carries none.
      return { queueReason: e.actorKind === 'system' || typeof e.data.reason === 'string' ? 'unroutable' : 'returned', queueNote: null }
    default:
      return { queueReason: null, queueNote: null }
  }
}

/**
 * `reader`: how the caller relates to the case (case-access.ts caseRoleOf): free text (description, location,
 * queue note) is in full for the assignee and masked for everyone else (privacy/mask-text.ts).
 * `queue`: the queue reason read for this case (admin lists, details). Without it a queued case leaves the
 * fields out (unknown, e.g. in the sync feed) and any other case says null.
 */
export function toSummary(c: CaseRow & CaseNames, now: Date, reader: CaseTextReader, queue?: QueueInfo): CaseSummary {
  const text = caseTextFor(reader)
  const queueFields = queue
    ? { ...queue, queueNote: queue.queueNote === null ? null : text(queue.queueNote) }
    : isQueued(c)
      ? {}
      : { queueReason: null, queueNote: null }
  return {
    id: c.id,
    publicNo: c.publicNo,
    status: c.status,
    version: c.version,
    channel: c.channel,
    priority: c.priority,
    committeeId: c.committeeId,
    stationId: c.stationId,
    stationName: c.stationName,
    memberId: c.memberId,
    memberName: c.memberName,
    categoryId: c.categoryId,
    categoryNames: c.categoryNames,
    description: text(c.description),
    locationText: c.locationText === null ? null : text(c.locationText),
    coords: c.lat !== null && c.lng !== null ? { lat: c.lat, lng: c.lng, accuracy: c.locationAccuracy } : null,
    residentPhoneMasked: c.residentPhoneMasked,
    residentPhoneWithdrawn: c.residentPhoneWithdrawnAt !== null && c.residentPhoneWithdrawnAt !== undefined,
    acceptDueAt: iso(c.acceptDueAt),
    resolveDueAt: iso(c.resolveDueAt),
    acceptedAt: iso(c.acceptedAt),
    resolvedAt: iso(c.resolvedAt),
    closedAt: iso(c.closedAt),
    escalatedAt: iso(c.escalatedAt),
    extensionRequestedUntil: iso(c.extensionRequestedUntil),
    overdue: isOverdue(c, now),
    reopenCount: c.reopenCount,
    rating: c.rating,
    ratedAt: iso(c.ratedAt),
    ratingSource: c.ratingSource,
    ...queueFields,
    mergedInto: c.mergedInto,
    ...(c.awaitingDepartment !== undefined && { awaitingDepartment: c.awaitingDepartment }),
    resolvePausedAt: iso(c.resolvePausedAt),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  }
}

export interface EventRow {
  id: number
  type: CaseEventView['type']
  actorKind: CaseEventView['actorKind']
  actorName: string | null
  visibility: CaseEventView['visibility']
  body: string
  data: Record<string, unknown>
  fromStatus: CaseEventView['fromStatus']
  toStatus: CaseEventView['toStatus']
  opId: string | null
  occurredAt: Date
  receivedAt: Date
}

/** Free text kept in an event's data: a transfer's or merge's reason, the location a joining resident added. */
const DATA_TEXT = ['reason', 'location'] as const

/** A timeline entry for this reader: its body and free-text data in full for the assignee, masked for others. */
export function toEventView(e: EventRow, reader: CaseTextReader): CaseEventView {
  const text = caseTextFor(reader)
  const data = { ...e.data }
  for (const key of DATA_TEXT) if (typeof data[key] === 'string') data[key] = text(data[key])
  return { ...e, body: text(e.body), data, occurredAt: e.occurredAt.toISOString(), receivedAt: e.receivedAt.toISOString() }
}

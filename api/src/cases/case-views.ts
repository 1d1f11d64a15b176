import type { CaseEventView, CaseSummary } from '@mashangjian/shared'
import type { CaseRow } from './cases-repo'

const iso = (d: Date | null) => (d ? d.toISOString() : null)

/** Names shown next to a case row, read with it. */
export interface CaseNames {
  stationName: string | null
  memberName: string | null
  categoryNames: Record<string, string> | null
}

/** Past its accept deadline while waiting, or its resolve deadline while being worked on. */
export function isOverdue(c: Pick<CaseRow, 'status' | 'acceptDueAt' | 'resolveDueAt'>, now: Date): boolean {
  if (c.status === 'assigned') return !!c.acceptDueAt && c.acceptDueAt < now
  if (c.status === 'accepted' || c.status === 'in_progress' || c.status === 'reopened') return !!c.resolveDueAt && c.resolveDueAt < now
  return false
}

export function toSummary(c: CaseRow & CaseNames, now: Date): CaseSummary {
  return {
    id: c.id, publicNo: c.publicNo, status: c.status, version: c.version, channel: c.channel, priority: c.priority,
    committeeId: c.committeeId, stationId: c.stationId, stationName: c.stationName, memberId: c.memberId, memberName: c.memberName,
    categoryId: c.categoryId, categoryNames: c.categoryNames, description: c.description, locationText: c.locationText,
    residentPhoneMasked: c.residentPhoneMasked, acceptDueAt: iso(c.acceptDueAt), resolveDueAt: iso(c.resolveDueAt),
    acceptedAt: iso(c.acceptedAt), resolvedAt: iso(c.resolvedAt), closedAt: iso(c.closedAt), escalatedAt: iso(c.escalatedAt),
    extensionRequestedUntil: iso(c.extensionRequestedUntil), overdue: isOverdue(c, now), reopenCount: c.reopenCount,
    rating: c.rating, mergedInto: c.mergedInto, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString(),
  }
}

export interface EventRow {
  id: number; type: CaseEventView['type']; actorKind: CaseEventView['actorKind']; actorName: string | null
  visibility: CaseEventView['visibility']; body: string; data: Record<string, unknown>
  fromStatus: CaseEventView['fromStatus']; toStatus: CaseEventView['toStatus']; opId: string | null; occurredAt: Date; receivedAt: Date
}

export const toEventView = (e: EventRow): CaseEventView => ({
  ...e, occurredAt: e.occurredAt.toISOString(), receivedAt: e.receivedAt.toISOString(),
})

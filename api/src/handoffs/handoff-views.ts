import type { HandoffView } from '@mashangjian/shared'
import { caseTextFor, type CaseTextReader } from '../privacy/mask-text'
import type { HandoffListRow } from './handoffs-repo'

const iso = (d: Date | null) => (d ? d.toISOString() : null)

export type HandoffPhoto = HandoffView['photos'][number]
/** An attachment of a `handoff_answered` event, with the hand-off its event names. */
export interface AnswerPhoto {
  handoffId: string | null
  id: string
  width: number | null
  height: number | null
}

/** The department's photos by hand-off; served like the case's other photos (cases-routes.ts /attachments/:id). */
export function photosByHandoff(photos: AnswerPhoto[]): Map<string, HandoffPhoto[]> {
  const out = new Map<string, HandoffPhoto[]>()
  for (const p of photos) {
    if (!p.handoffId) continue
    const list = out.get(p.handoffId) ?? []
    list.push({ id: p.id, url: `/api/v1/attachments/${p.id}`, width: p.width, height: p.height })
    out.set(p.handoffId, list)
  }
  return out
}

/**
 * A hand-off as the member and the desk see it. The question, the answer and the return reason are free text
 * about the resident's matter: in full for the assignee, masked for everyone else, as the timeline is.
 */
export function toHandoffView(h: HandoffListRow, reader: CaseTextReader, photos: HandoffPhoto[] = []): HandoffView {
  const text = caseTextFor(reader)
  const maybe = (s: string | null) => (s === null ? null : text(s))
  return {
    id: h.id,
    caseId: h.caseId,
    departmentId: h.departmentId,
    departmentName: h.departmentName,
    question: text(h.question),
    status: h.status,
    createdByName: h.createdByName,
    sentAt: h.sentAt.toISOString(),
    dueAt: h.dueAt.toISOString(),
    acknowledgedAt: iso(h.acknowledgedAt),
    answeredAt: iso(h.answeredAt),
    returnedAt: iso(h.returnedAt),
    closedAt: iso(h.closedAt),
    overdueAt: iso(h.overdueAt),
    answer: maybe(h.answer),
    returnReason: maybe(h.returnReason),
    suggestedDepartment: h.suggestedDepartment,
    responderName: h.responderName,
    photos,
    linkRevoked: h.linkRevokedAt !== null,
  }
}

import type { CaseActionBody, CaseEventType, CaseStatus } from '@mashangjian/shared'
import type { CaseRow, NewCase, NewEvent } from './cases-repo'
import type { HandoffEffect } from '../handoffs/handoff-actions'

/** Deadlines a case would get if (re)started now, from its category's SLA class and its committee's settings. */
export interface FreshDeadlines {
  acceptDueAt: Date
  resolveDueAt: Date
}

/** Where a transfer or assignment lands, already checked against the actor's scope by the service. */
export interface Destination {
  memberId: string | null
  stationId: string | null
}

export interface EffectInput {
  row: CaseRow
  body: CaseActionBody
  to: CaseStatus
  eventTypes: CaseEventType[]
  actorKind: 'member' | 'admin'
  actorUserId: string
  now: Date
  occurredAt: Date
  /** Set for actions that restart the SLA clock (assign, transfer, reopen). */
  fresh?: FreshDeadlines
  destination?: Destination
  mergeTarget?: { id: string; publicNo: string }
  /** For a follow_up that brings a rating: when the resident gave it (the call's time, clamped by the service). */
  ratedAt?: Date
  /** For handoff / withdraw_handoff: the hand-off checked by the service (handoffs/handoff-actions.ts). */
  handoff?: HandoffEffect
}

type Patch = Partial<NewCase>

/** 重办, by an admin or by a resident's "unsatisfied": a new resolve deadline and its reminders and overdue mark. */
export const reopenPatch = (row: Pick<CaseRow, 'reopenCount'>, fresh: FreshDeadlines): Patch => ({
  reopenCount: row.reopenCount + 1,
  resolveDueAt: fresh.resolveDueAt,
  resolvedAt: null,
  closedAt: null,
  resolveRemindedAt: null,
  overdueAt: null,
})
type EventText = Pick<NewEvent, 'visibility' | 'body' | 'data'>

/**
 * What an allowed action changes on the case row and what its timeline event says. The state machine decided
 * that the action is allowed and the new status; this adds the fields that go with it (deadlines, assignee…).
 */
export function effectsOf(i: EffectInput): { patch: Patch & { updatedAt: Date }; events: NewEvent[] } {
  const { row, body, now } = i
  const reassign = (d: Destination): Patch => ({
    memberId: d.memberId,
    stationId: d.stationId,
    acceptDueAt: i.fresh!.acceptDueAt,
    acceptedAt: null,
    acceptRemindedAt: null,
    escalatedAt: null,
  })
  let patch: Patch = {}
  // Residents see status changes on their tracking page; reasons, notes and contact logs stay internal.
  let text: EventText = { visibility: 'public', body: '', data: {} }
  switch (body.type) {
    case 'assign':
      patch = reassign(i.destination!)
      text = { visibility: 'public', body: '', data: { memberId: i.destination!.memberId, stationId: i.destination!.stationId, fromMemberId: row.memberId } }
      break
    case 'accept':
      patch = { acceptedAt: now }
      break
    case 'decline':
      // returned_at: the 回退率 fact (metrics/case-facts.ts), written with the transition itself.
      patch = { memberId: null, acceptedAt: null, returnedAt: now }
      text = { visibility: 'internal', body: body.reason, data: { fromMemberId: row.memberId } }
      break
    case 'transfer':
      patch = { ...reassign(i.destination!), returnedAt: now }
      text = { visibility: 'public', body: '', data: { reason: body.reason, fromMemberId: row.memberId, fromStationId: row.stationId, ...i.destination } }
      break
    case 'note':
      text = { visibility: body.visibility ?? 'internal', body: body.body, data: {} }
      break
    case 'contact_log':
      text = { visibility: 'internal', body: body.body, data: { method: body.method } }
      break
    case 'request_extension':
      patch = { extensionRequestedUntil: new Date(body.until) }
      text = { visibility: 'internal', body: body.reason, data: { until: body.until, previousDue: row.resolveDueAt?.toISOString() ?? null } }
      break
    case 'approve_extension':
      patch = {
        resolveDueAt: row.extensionRequestedUntil,
        extensionRequestedUntil: null,
        resolveRemindedAt: null,
        overdueAt: null,
        // A new deadline chosen while a department has the case: the pause counts from now, not from before it.
        ...(row.resolvePausedAt ? { resolvePausedAt: now } : {}),
      }
      text = { visibility: 'public', body: '', data: { until: row.extensionRequestedUntil?.toISOString() ?? null } }
      break
    case 'deny_extension':
      patch = { extensionRequestedUntil: null }
      text = { visibility: 'internal', body: body.reason ?? '', data: {} }
      break
    case 'resolve':
      patch = { resolvedAt: now, extensionRequestedUntil: null }
      text = { visibility: 'public', body: body.reply, data: {} }
      break
    case 'reopen':
      patch = reopenPatch(row, i.fresh!)
      text = { visibility: 'public', body: body.reason, data: {} }
      break
    case 'merge':
      patch = { mergedInto: i.mergeTarget!.id, closedAt: now, closeReason: body.reason ?? null }
      text = { visibility: 'public', body: '', data: { intoCaseId: i.mergeTarget!.id, intoPublicNo: i.mergeTarget!.publicNo, reason: body.reason ?? null } }
      break
    case 'mark_invalid':
      patch = { closedAt: now, closeReason: body.reason }
      text = { visibility: 'public', body: body.reason, data: {} }
      break
    case 'chase':
      text = { visibility: 'internal', body: body.body ?? '', data: {} }
      break
    // 交办 is the desk's and the member's business: internal (the resident hears the outcome when the case is answered).
    case 'handoff':
      patch = i.handoff!.patch
      text = {
        visibility: 'internal',
        body: body.question,
        data: {
          handoffId: i.handoff!.id,
          departmentId: i.handoff!.departmentId,
          departmentName: i.handoff!.departmentName,
          dueAt: i.handoff!.dueAt!.toISOString(),
        },
      }
      break
    case 'withdraw_handoff':
      patch = i.handoff!.patch
      text = { visibility: 'internal', body: body.reason ?? '', data: { handoffId: i.handoff!.id, departmentName: i.handoff!.departmentName } }
      break
    case 'follow_up':
      // The call itself is the desk's record (internal); a rating given on it is the resident's, counted in 满意率.
      text = {
        visibility: 'internal',
        body: body.body ?? '',
        data: { caller: body.caller, calledAt: body.calledAt, outcome: body.outcome, rating: body.rating ?? null },
      }
      if (body.rating) {
        patch = { rating: body.rating, ratingSource: 'phone', ratingComment: body.body ?? null, ratedAt: i.ratedAt ?? now }
        // On a resolved case the rating decides like the resident's own (tracking-service.ts rate()); a case that
        // had closed by itself unrated keeps its closing time.
        if (row.status === 'resolved') patch = { ...patch, ...(i.to === 'reopened' ? reopenPatch(row, i.fresh!) : { closedAt: now }) }
      }
      break
  }
  // Member and admin actions record one event each; the first carries the op id and the text. A rating by phone
  // adds the public 'rated' event and the close or reopen it causes, as the resident's own rating does.
  const follow = (type: CaseEventType): EventText =>
    type === 'rated' && body.type === 'follow_up'
      ? { visibility: 'public', body: '', data: { rating: body.rating, source: 'phone' } }
      : body.type === 'follow_up' && (type === 'closed' || type === 'reopened')
        ? { visibility: 'public', body: '', data: { reason: 'rating' } }
        : { visibility: 'internal', body: '', data: {} }
  const events = i.eventTypes.map((type, n): NewEvent => ({
    type,
    actorKind: i.actorKind,
    actorUserId: i.actorUserId,
    ...(n === 0 ? text : follow(type)),
    fromStatus: row.status,
    toStatus: i.to,
    opId: n === 0 ? body.opId : null,
    occurredAt: i.occurredAt,
    receivedAt: now,
  }))
  return { patch: { ...patch, status: i.to, updatedAt: now }, events }
}

import type { CaseEventType, CaseStatus, Rating } from '@mashangjian/shared'
import { CASE_STATUS_OF, type DemoCase } from './demo-data'

export interface TimelineEvent {
  type: CaseEventType
  actor: 'resident' | 'member' | 'station_admin' | 'system'
  visibility: 'public' | 'internal'
  body: string
  fromStatus: CaseStatus | null
  toStatus: CaseStatus | null
  at: Date
}

export interface DemoTimeline {
  status: CaseStatus
  events: TimelineEvent[]
  acceptedAt: Date | null
  resolvedAt: Date | null
  closedAt: Date | null
  escalatedAt: Date | null
  overdueAt: Date | null
  rating: Rating | null
  ratingComment: string | null
  ratedAt: Date | null
  reopenCount: number
  closeReason: string | null
}

const HOUR = 3_600_000

/**
 * Plays a demo case forward from submission to its outcome, producing the events the case engine would have
 * recorded, in order, each at a plausible time no later than `now`.
 */
export function demoTimeline(
  c: DemoCase,
  createdAt: Date,
  due: { acceptDueAt: Date; resolveDueAt: Date },
  names: { member?: string; station: string },
  now: Date,
): DemoTimeline {
  const t = (hours: number) => new Date(Math.min(createdAt.getTime() + hours * HOUR, now.getTime() - 60_000))
  const span = (now.getTime() - createdAt.getTime()) / HOUR
  const events: TimelineEvent[] = []
  const add = (
    type: CaseEventType,
    actor: TimelineEvent['actor'],
    visibility: TimelineEvent['visibility'],
    body: string,
    from: CaseStatus | null,
    to: CaseStatus | null,
    at: Date,
  ) => events.push({ type, actor, visibility, body, fromStatus: from, toStatus: to, at })
  const out: DemoTimeline = {
    status: CASE_STATUS_OF[c.outcome],
    events,
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    escalatedAt: null,
    overdueAt: null,
    rating: null,
    ratingComment: null,
    ratedAt: null,
    reopenCount: 0,
    closeReason: null,
  }

  add('submitted', 'resident', 'public', '', null, 'submitted', createdAt)
  if (c.outcome === 'queue') {
    add('assigned', 'system', 'public', `已进入${names.station}，等待安排委员`, 'submitted', 'assigned', t(0.01))
    out.escalatedAt = due.acceptDueAt < now ? due.acceptDueAt : null
    if (out.escalatedAt) add('escalated', 'system', 'internal', '超过接单时限，已提请工作站督办', 'assigned', 'assigned', out.escalatedAt)
    return out
  }
  add('assigned', 'system', 'public', `已派给${names.member}委员`, 'submitted', 'assigned', t(0.01))
  if (c.outcome === 'assigned') return out
  if (c.outcome === 'assigned_overdue') {
    out.overdueAt = due.acceptDueAt
    add('overdue', 'system', 'internal', '超过接单时限，已提醒委员', 'assigned', 'assigned', due.acceptDueAt)
    return out
  }
  if (c.outcome === 'invalid') {
    add('marked_invalid', 'member', 'public', '内容无法核实，不予受理', 'assigned', 'invalid', t(3))
    out.closedAt = t(3)
    out.closeReason = '测试内容'
    return out
  }
  out.acceptedAt = t(Math.min(2, span * 0.1))
  add('accepted', 'member', 'public', '委员已接单', 'assigned', 'accepted', out.acceptedAt)
  if (c.outcome === 'accepted') return out

  add('contact_logged', 'member', 'internal', '已电话联系群众，了解详细情况', 'accepted', 'in_progress', t(Math.min(5, span * 0.2)))
  // Before the resolve deadline, so an overdue marker (if any) comes after it.
  const resolveWindow = (due.resolveDueAt.getTime() - createdAt.getTime()) / HOUR
  add('note', 'member', 'public', '已与相关部门对接，正在协调处理', 'in_progress', 'in_progress', t(Math.min(span * 0.35, resolveWindow * 0.8)))
  if (c.outcome === 'in_progress') return out
  if (c.outcome === 'in_progress_overdue') {
    out.overdueAt = due.resolveDueAt
    add('overdue', 'system', 'internal', '已超过办结时限', 'in_progress', 'in_progress', due.resolveDueAt)
    return out
  }

  out.resolvedAt = t(span * 0.5)
  add('resolved', 'member', 'public', c.reply ?? '已办结', 'in_progress', 'resolved', out.resolvedAt)
  if (c.outcome === 'resolved') return out

  const ratedAt = t(span * 0.55)
  if (c.outcome === 'closed_auto') {
    out.closedAt = new Date(out.resolvedAt.getTime() + 7 * 24 * HOUR)
    add('closed', 'system', 'public', '7天内未评价，系统自动结案', 'resolved', 'closed', out.closedAt)
    return out
  }
  if (c.outcome === 'reopened') {
    Object.assign(out, { rating: 'unsatisfied', ratingComment: '自助机旁还是经常没有人帮忙', ratedAt, reopenCount: 1 })
    add('rated', 'resident', 'public', '不满意：自助机旁还是经常没有人帮忙', 'resolved', 'resolved', ratedAt)
    add('reopened', 'system', 'public', '群众不满意，已重新交办', 'resolved', 'reopened', ratedAt)
    return out
  }
  const rating: Rating = c.outcome === 'closed_satisfied' ? 'satisfied' : 'basically_satisfied'
  Object.assign(out, { rating, ratedAt, closedAt: ratedAt })
  add('rated', 'resident', 'public', rating === 'satisfied' ? '满意' : '基本满意', 'resolved', 'resolved', ratedAt)
  add('closed', 'system', 'public', '群众已评价，结案', 'resolved', 'closed', ratedAt)
  return out
}

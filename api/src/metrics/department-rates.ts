import { ratio, roundMinutes, median } from './rates'

/**
 * The department figures of the dashboard (issue 14, like 12345's 承办单位 ranking), free of I/O like rates.ts:
 * a hand-off counts for the department it was sent to, in the period it was sent.
 */
export interface DepartmentCounts {
  /** Hand-offs sent in the period (withdrawn ones included: the department was asked). */
  handoffs: number
  /** Of those, withdrawn by the member or desk before the department ended them: nobody measures the department on them. */
  withdrawn: number
  /** Answered (答复) at all, and within the reply deadline. */
  answered: number
  answeredOnTime: number
  /** 退回: "not our matter". */
  returned: number
  /** Still open with the deadline passed, or expired with the case unanswered: due and not answered. */
  overdueUnanswered: number
}

export interface DepartmentRates {
  /** 按时答复率 = answered on time / hand-offs that were due: answered, returned, or past their deadline unanswered. */
  onTimeRate: number | null
  /** 退回率 = returned / hand-offs the department ended (answered + returned). */
  returnedShare: number | null
  /** 答复率 = answered / hand-offs not withdrawn. */
  answerRate: number | null
}

export function departmentRates(c: DepartmentCounts): DepartmentRates {
  const due = c.answered + c.returned + c.overdueUnanswered
  return {
    onTimeRate: ratio(c.answeredOnTime, due),
    returnedShare: ratio(c.returned, c.answered + c.returned),
    answerRate: ratio(c.answered, c.handoffs - c.withdrawn),
  }
}

/** 签收 time and reply time: medians in minutes from sending, over the hand-offs that got there. */
export function departmentDurations(
  ackMinutes: readonly number[],
  replyMinutes: readonly number[],
): { medianAckMinutes: number | null; medianReplyMinutes: number | null } {
  return { medianAckMinutes: roundMinutes(median(ackMinutes)), medianReplyMinutes: roundMinutes(median(replyMinutes)) }
}

/**
 * The ranking: best on-time rate first; ties by fewer returned, then more hand-offs (a department measured on
 * more cases ranks above an equal one measured on fewer), then by name for a stable order. Departments with no
 * due hand-off (rate null) come last.
 */
export function rankDepartments<T extends { name: string; counts: DepartmentCounts }>(rows: readonly T[]): (T & DepartmentRates & { rank: number | null })[] {
  const rated = rows.map((r) => ({ ...r, ...departmentRates(r.counts) }))
  const key = (r: (typeof rated)[number]) => [r.onTimeRate === null ? 1 : 0, -(r.onTimeRate ?? 0), r.returnedShare ?? 0, -r.counts.handoffs] as const
  rated.sort((a, b) => {
    const ka = key(a)
    const kb = key(b)
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!
    return a.name.localeCompare(b.name, 'zh-CN')
  })
  return rated.map((r, i) => ({ ...r, rank: r.onTimeRate === null ? null : i + 1 }))
}

/** What the figures read of one hand-off (the handoff row's clocks). */
export interface HandoffClocks {
  status: 'sent' | 'acknowledged' | 'answered' | 'returned' | 'expired' | 'withdrawn'
  sentAt: Date
  dueAt: Date
  acknowledgedAt: Date | null
  answeredAt: Date | null
  returnedAt: Date | null
  /** Withdrawn or expired. */
  closedAt: Date | null
}

export const ZERO_DEPARTMENT_COUNTS: DepartmentCounts = { handoffs: 0, withdrawn: 0, answered: 0, answeredOnTime: 0, returned: 0, overdueUnanswered: 0 }

const minutesBetween = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / 60_000)

/**
 * What one hand-off adds to its department's figures, as of `now` (the status says what became of it; the clocks
 * say when):
 * - answered on time: answered_at no later than due_at (a reply in the last minute of the deadline is on time);
 * - overdue unanswered: still open (sent / acknowledged) with due_at passed at `now`, or expired after its
 *   deadline (the case ended while the department was already late). Expired before the deadline: the
 *   department was not late, so it is not due; withdrawn: never measured, whenever it happened;
 * - 签收 minutes: to acknowledged_at, or to the answer / return when the department answered without a separate
 *   签收 (handoff-machine.ts: "an answer without a separate 签收 counts as both"); withdrawn or expired
 *   hand-offs the department had signed for count too: the 签收 happened;
 * - reply minutes: to answered_at, answered hand-offs only (a return is not a reply).
 * Durations never go below 0 (a clock set back must not make a negative median).
 */
export function handoffFacts(h: HandoffClocks, now: Date): { counts: DepartmentCounts; ackMinutes: number | null; replyMinutes: number | null } {
  const counts = { ...ZERO_DEPARTMENT_COUNTS, handoffs: 1 }
  const open = h.status === 'sent' || h.status === 'acknowledged'
  if (h.status === 'withdrawn') counts.withdrawn = 1
  if (h.status === 'answered') {
    counts.answered = 1
    if (h.answeredAt && h.answeredAt.getTime() <= h.dueAt.getTime()) counts.answeredOnTime = 1
  }
  if (h.status === 'returned') counts.returned = 1
  if (open && h.dueAt.getTime() < now.getTime()) counts.overdueUnanswered = 1
  if (h.status === 'expired' && (h.closedAt ?? now).getTime() > h.dueAt.getTime()) counts.overdueUnanswered = 1
  const signed = h.acknowledgedAt ?? (h.status === 'answered' ? h.answeredAt : h.status === 'returned' ? h.returnedAt : null)
  return {
    counts,
    ackMinutes: signed ? minutesBetween(h.sentAt, signed) : null,
    replyMinutes: h.status === 'answered' && h.answeredAt ? minutesBetween(h.sentAt, h.answeredAt) : null,
  }
}

/** A department's (or all departments') counts and medians from its hand-offs. */
export function departmentFigures(
  handoffs: readonly HandoffClocks[],
  now: Date,
): { counts: DepartmentCounts; medianAckMinutes: number | null; medianReplyMinutes: number | null } {
  const counts = { ...ZERO_DEPARTMENT_COUNTS }
  const ack: number[] = []
  const reply: number[] = []
  for (const h of handoffs) {
    const f = handoffFacts(h, now)
    for (const k of Object.keys(counts) as (keyof DepartmentCounts)[]) counts[k] += f.counts[k]
    if (f.ackMinutes !== null) ack.push(f.ackMinutes)
    if (f.replyMinutes !== null) reply.push(f.replyMinutes)
  }
  return { counts, ...departmentDurations(ack, reply) }
}

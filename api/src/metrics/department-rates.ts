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
export function departmentDurations(ackMinutes: readonly number[], replyMinutes: readonly number[]): { medianAckMinutes: number | null; medianReplyMinutes: number | null } {
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

import { describe, expect, it } from 'vitest'
import {
  departmentDurations,
  departmentFigures,
  departmentRates,
  handoffFacts,
  rankDepartments,
  type DepartmentCounts,
  type HandoffClocks,
} from '../src/metrics/department-rates'

const counts = (c: Partial<DepartmentCounts>): DepartmentCounts => ({
  handoffs: 0,
  withdrawn: 0,
  answered: 0,
  answeredOnTime: 0,
  returned: 0,
  overdueUnanswered: 0,
  ...c,
})

/** Worked by hand: counts → on-time rate, returned share, answer rate (null where the denominator is 0). */
const TABLE: [string, Partial<DepartmentCounts>, number | null, number | null, number | null][] = [
  ['nothing sent', {}, null, null, null],
  ['all answered on time', { handoffs: 4, answered: 4, answeredOnTime: 4 }, 1, 0, 1],
  ['3 of 4 on time, one late', { handoffs: 4, answered: 4, answeredOnTime: 3 }, 0.75, 0, 1],
  ['one returned counts as due, not on time', { handoffs: 4, answered: 3, answeredOnTime: 3, returned: 1 }, 0.75, 0.25, 0.75],
  ['overdue unanswered is due', { handoffs: 3, answered: 1, answeredOnTime: 1, overdueUnanswered: 2 }, 0.3333, 0, 0.3333],
  ['open and not yet due: not in the rate', { handoffs: 5, answered: 1, answeredOnTime: 1 }, 1, 0, 0.2],
  ['withdrawn ones are out of the answer rate', { handoffs: 5, withdrawn: 2, answered: 3, answeredOnTime: 2 }, 0.6667, 0, 1],
  ['only returned', { handoffs: 2, returned: 2 }, 0, 1, 0],
  ['all withdrawn', { handoffs: 2, withdrawn: 2 }, null, null, null],
]

describe('department figures (按时答复率, 退回率, 答复率)', () => {
  it.each(TABLE)('%s', (_name, c, onTime, returned, answer) => {
    expect(departmentRates(counts(c))).toEqual({ onTimeRate: onTime, returnedShare: returned, answerRate: answer })
  })

  it('签收 and reply times are medians in minutes, null without values', () => {
    expect(departmentDurations([30, 10, 20], [60, 120])).toEqual({ medianAckMinutes: 20, medianReplyMinutes: 90 })
    expect(departmentDurations([], [])).toEqual({ medianAckMinutes: null, medianReplyMinutes: null })
  })

  it('ranks by on-time rate, then fewer returned, then more hand-offs, then name; no due hand-off ranks last, unranked', () => {
    const ranked = rankDepartments([
      { name: '住建局', counts: counts({ handoffs: 4, answered: 4, answeredOnTime: 3 }) },
      { name: '人社局', counts: counts({ handoffs: 2, answered: 2, answeredOnTime: 2 }) },
      { name: '水务局', counts: counts({ handoffs: 5, answered: 4, answeredOnTime: 3, returned: 0, overdueUnanswered: 0 }) },
      { name: '民政局', counts: counts({ handoffs: 1 }) },
      { name: '城管局', counts: counts({ handoffs: 4, answered: 3, answeredOnTime: 3, returned: 1 }) },
    ])
    expect(ranked.map((r) => [r.name, r.rank])).toEqual([
      ['人社局', 1],
      ['水务局', 2],
      ['住建局', 3],
      ['城管局', 4],
      ['民政局', null],
    ])
  })
})

/** One hand-off sent at 10:00 Beijing on Monday 2 November 2026, due Monday 9 November 18:00; "now" is 10 November 10:00. */
const SENT = new Date('2026-11-02T02:00:00Z')
const DUE = new Date('2026-11-09T10:00:00Z')
const NOW = new Date('2026-11-10T02:00:00Z')
const min = (m: number) => new Date(SENT.getTime() + m * 60_000)
const clocks = (h: Partial<HandoffClocks>): HandoffClocks => ({
  status: 'sent',
  sentAt: SENT,
  dueAt: DUE,
  acknowledgedAt: null,
  answeredAt: null,
  returnedAt: null,
  closedAt: null,
  ...h,
})
const AFTER_DUE = (DUE.getTime() - SENT.getTime()) / 60_000 + 1

/** Worked by hand: what one hand-off adds (besides handoffs: 1), its 签收 minutes and its reply minutes. */
const FACTS: [string, Partial<HandoffClocks>, Partial<DepartmentCounts>, number | null, number | null][] = [
  ['sent, open, past due now', {}, { overdueUnanswered: 1 }, null, null],
  ['sent, not yet due', { dueAt: new Date(NOW.getTime() + 60_000) }, {}, null, null],
  ['due exactly now: not late yet', { dueAt: NOW }, {}, null, null],
  ['acknowledged and past due', { status: 'acknowledged', acknowledgedAt: min(45) }, { overdueUnanswered: 1 }, 45, null],
  ['answered after 签收, on time', { status: 'answered', acknowledgedAt: min(30), answeredAt: min(600) }, { answered: 1, answeredOnTime: 1 }, 30, 600],
  ['answered at the deadline minute: on time', { status: 'answered', answeredAt: DUE }, { answered: 1, answeredOnTime: 1 }, AFTER_DUE - 1, AFTER_DUE - 1],
  ['answered late, without 签收: the answer is the 签收', { status: 'answered', answeredAt: min(AFTER_DUE) }, { answered: 1 }, AFTER_DUE, AFTER_DUE],
  ['returned without 签收: the return is the 签收, not a reply', { status: 'returned', returnedAt: min(90) }, { returned: 1 }, 90, null],
  ['returned after 签收', { status: 'returned', acknowledgedAt: min(20), returnedAt: min(90) }, { returned: 1 }, 20, null],
  ['withdrawn past due: never measured', { status: 'withdrawn', closedAt: min(AFTER_DUE) }, { withdrawn: 1 }, null, null],
  ['withdrawn after 签收: the 签收 still counts', { status: 'withdrawn', acknowledgedAt: min(15), closedAt: min(100) }, { withdrawn: 1 }, 15, null],
  ['expired before its deadline: not due', { status: 'expired', closedAt: min(100) }, {}, null, null],
  ['expired after its deadline: overdue unanswered', { status: 'expired', closedAt: min(AFTER_DUE) }, { overdueUnanswered: 1 }, null, null],
  ['a clock set back does not give negative minutes', { status: 'answered', answeredAt: min(-5) }, { answered: 1, answeredOnTime: 1 }, 0, 0],
]

describe('what one hand-off counts for (handoffFacts)', () => {
  it.each(FACTS)('%s', (_name, h, c, ack, reply) => {
    expect(handoffFacts(clocks(h), NOW)).toEqual({ counts: counts({ handoffs: 1, ...c }), ackMinutes: ack, replyMinutes: reply })
  })

  it('sums a department’s hand-offs and takes medians over those that got there', () => {
    const f = departmentFigures(
      [
        clocks({ status: 'answered', acknowledgedAt: min(10), answeredAt: min(100) }),
        clocks({ status: 'answered', answeredAt: min(AFTER_DUE) }),
        clocks({ status: 'returned', acknowledgedAt: min(30), returnedAt: min(40) }),
        clocks({}),
        clocks({ status: 'withdrawn', closedAt: min(5) }),
      ],
      NOW,
    )
    expect(f).toEqual({
      counts: { handoffs: 5, withdrawn: 1, answered: 2, answeredOnTime: 1, returned: 1, overdueUnanswered: 1 },
      medianAckMinutes: 30,
      medianReplyMinutes: (100 + AFTER_DUE) / 2,
    })
    expect(departmentFigures([], NOW)).toEqual({ counts: counts({}), medianAckMinutes: null, medianReplyMinutes: null })
  })
})

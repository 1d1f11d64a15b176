import { describe, expect, it } from 'vitest'
import { departmentDurations, departmentRates, rankDepartments, type DepartmentCounts } from '../src/metrics/department-rates'

const counts = (c: Partial<DepartmentCounts>): DepartmentCounts => ({ handoffs: 0, withdrawn: 0, answered: 0, answeredOnTime: 0, returned: 0, overdueUnanswered: 0, ...c })

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
    expect(ranked.map((r) => [r.name, r.rank])).toEqual([['人社局', 1], ['水务局', 2], ['住建局', 3], ['城管局', 4], ['民政局', null]])
  })
})

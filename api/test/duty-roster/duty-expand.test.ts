import { describe, expect, it } from 'vitest'
import { expandRules, type ExpandableRule } from '../../src/duty-roster/duty-expand'

const rule = (over: Partial<ExpandableRule>): ExpandableRule => ({
  id: 'r1',
  kind: 'weekly',
  weekdays: [],
  ordinals: [],
  dates: [],
  startsAt: '09:00',
  endsAt: '11:30',
  validFrom: null,
  validUntil: null,
  memberIds: ['m1'],
  ...over,
})
const days = (rules: ExpandableRule[], from: string, to: string, exceptions: { day: string; ruleId: string | null }[] = []) => [
  ...new Set(expandRules(rules, exceptions, from, to).map((s) => s.day)),
]

/**
 * Written by hand from a wall calendar, not computed: Thursdays of Oct 2026 are 1, 8, 15, 22, 29 (five);
 * Nov 2026 5, 12, 19, 26; Dec 2026 3, 10, 17, 24, 31 (five); Jan 2027 7, 14, 21, 28. Tuesdays of Dec 2026:
 * 1, 8, 15, 22, 29. Feb 2027 Mondays: 1, 8, 15, 22 (four, the last is the 22nd).
 */
describe('reception-day rules expand to the right Beijing days', () => {
  const firstAndThirdThursday = rule({ kind: 'monthly', weekdays: [4], ordinals: [1, 3] })

  it('1st and 3rd Thursday, October 2026 to January 2027 (two five-Thursday months)', () => {
    expect(days([firstAndThirdThursday], '2026-10-01', '2027-01-31')).toEqual([
      '2026-10-01',
      '2026-10-15',
      '2026-11-05',
      '2026-11-19',
      '2026-12-03',
      '2026-12-17',
      '2027-01-07',
      '2027-01-21',
    ])
  })

  it("'last' Thursday is the 5th in a five-Thursday month and the 4th otherwise", () => {
    expect(days([rule({ kind: 'monthly', weekdays: [4], ordinals: [-1] })], '2026-10-01', '2027-01-31')).toEqual([
      '2026-10-29',
      '2026-11-26',
      '2026-12-31',
      '2027-01-28',
    ])
    expect(days([rule({ kind: 'monthly', weekdays: [1], ordinals: [-1] })], '2027-02-01', '2027-02-28')).toEqual(['2027-02-22'])
  })

  it('the 5th Thursday exists only in five-Thursday months', () => {
    expect(days([rule({ kind: 'monthly', weekdays: [4], ordinals: [5] })], '2026-10-01', '2027-01-31')).toEqual(['2026-10-29', '2026-12-31'])
  })

  it('weekly Tuesdays, with one rule exception and a station holiday', () => {
    const tuesdays = rule({ id: 'tue', weekdays: [2] })
    const other = rule({ id: 'other', weekdays: [2], memberIds: ['m2'] })
    const exceptions = [
      { day: '2026-12-08', ruleId: 'tue' },
      { day: '2026-12-22', ruleId: null },
    ]
    const shifts = expandRules([tuesdays, other], exceptions, '2026-12-01', '2026-12-31')
    expect([...new Set(shifts.filter((s) => s.ruleId === 'tue').map((s) => s.day))]).toEqual(['2026-12-01', '2026-12-15', '2026-12-29'])
    // The rule exception spares the other rule; the holiday closes both.
    expect([...new Set(shifts.filter((s) => s.ruleId === 'other').map((s) => s.day))]).toEqual(['2026-12-01', '2026-12-08', '2026-12-15', '2026-12-29'])
  })

  it('valid from / until bound the rule, both days included', () => {
    expect(days([rule({ weekdays: [2], validFrom: '2026-12-08', validUntil: '2026-12-22' })], '2026-12-01', '2026-12-31')).toEqual([
      '2026-12-08',
      '2026-12-15',
      '2026-12-22',
    ])
  })

  it('single dates, one shift per member with the rule hours', () => {
    const shifts = expandRules(
      [rule({ kind: 'dates', dates: ['2026-12-12', '2027-03-01'], memberIds: ['a', 'b'], startsAt: '14:00', endsAt: '16:00' })],
      [],
      '2026-12-01',
      '2026-12-31',
    )
    expect(shifts).toEqual([
      { ruleId: 'r1', day: '2026-12-12', startsAt: '14:00', endsAt: '16:00', memberId: 'a' },
      { ruleId: 'r1', day: '2026-12-12', startsAt: '14:00', endsAt: '16:00', memberId: 'b' },
    ])
  })
})

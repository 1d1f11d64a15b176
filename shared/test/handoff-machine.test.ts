import { describe, expect, it } from 'vitest'
import { HANDOFF_ACTIONS, HANDOFF_ROLES, HANDOFF_STATUSES, allowedHandoffActions, decideHandoff, isOpenHandoff } from '../src/handoff-machine'

/**
 * The expected hand-off machine written out by hand (status action role → status, '=' keeps it); every other
 * combination must be refused. Independent of HANDOFF_RULES on purpose.
 */
const ALLOWED = `
sent acknowledge department acknowledged
sent answer department answered | acknowledged answer department answered
sent return department returned | acknowledged return department returned
sent withdraw assignee withdrawn | acknowledged withdraw assignee withdrawn | sent withdraw admin withdrawn | acknowledged withdraw admin withdrawn
sent expire system expired | acknowledged expire system expired
sent remind system = | acknowledged remind system =
sent mark_overdue system = | acknowledged mark_overdue system =
`
const expected = new Map(
  ALLOWED.split(/[|\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((line) => {
      const [status, action, role, to] = line.split(/\s+/)
      return [`${status} ${action} ${role}`, to === '=' ? status! : to!] as const
    }),
)

describe('hand-off machine (交办)', () => {
  it('allows exactly the table above and refuses every other status × action × role', () => {
    let checked = 0
    for (const status of HANDOFF_STATUSES) {
      for (const action of HANDOFF_ACTIONS) {
        for (const role of HANDOFF_ROLES) {
          const want = expected.get(`${status} ${action} ${role}`)
          const got = decideHandoff(status, action, role)
          expect(got, `${status} ${action} ${role}`).toEqual(want ? { ok: true, to: want } : { ok: false, code: 'INVALID_TRANSITION' })
          checked++
        }
      }
    }
    expect(checked).toBe(HANDOFF_STATUSES.length * HANDOFF_ACTIONS.length * HANDOFF_ROLES.length)
  })

  it('every allowed line names real statuses, actions and roles (the table has no typo that would make it vacuous)', () => {
    for (const key of expected.keys()) {
      const [status, action, role] = key.split(' ')
      expect(HANDOFF_STATUSES).toContain(status)
      expect(HANDOFF_ACTIONS).toContain(action)
      expect(HANDOFF_ROLES).toContain(role)
    }
  })

  it('ended hand-offs accept nothing, from anyone; open ones are what isOpenHandoff says', () => {
    for (const status of ['answered', 'returned', 'expired', 'withdrawn'] as const) {
      expect(isOpenHandoff(status)).toBe(false)
      for (const role of HANDOFF_ROLES) expect(allowedHandoffActions(status, role)).toEqual([])
    }
    expect(isOpenHandoff('sent') && isOpenHandoff('acknowledged')).toBe(true)
  })

  it('the department page offers 签收, 答复, 退回 until it has acknowledged, then 答复 and 退回', () => {
    expect(allowedHandoffActions('sent', 'department')).toEqual(['acknowledge', 'answer', 'return'])
    expect(allowedHandoffActions('acknowledged', 'department')).toEqual(['answer', 'return'])
  })
})

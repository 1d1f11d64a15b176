import { describe, expect, it } from 'vitest'
import { CASE_ACTIONS, CASE_ROLES, allowedActions, decide, type CaseAction, type CaseRole } from '../src/case-machine'
import { CASE_STATUSES, type CaseStatus } from '../src/cases'

/**
 * The expected machine written out by hand, one line per from-state × action × role that is allowed, with the
 * resulting state ('=' keeps it). Every other combination must be refused. Written independently of
 * CASE_RULES on purpose: a change to the rules must change this table too.
 */
const ALLOWED = `
submitted assign station_admin assigned | submitted assign committee_admin assigned | submitted assign system assigned
assigned assign station_admin assigned | assigned assign committee_admin assigned | assigned assign system assigned
accepted assign station_admin assigned | accepted assign committee_admin assigned | accepted assign system assigned
in_progress assign station_admin assigned | in_progress assign committee_admin assigned | in_progress assign system assigned
reopened assign station_admin assigned | reopened assign committee_admin assigned | reopened assign system assigned
assigned accept assignee accepted | reopened accept assignee accepted
assigned decline assignee assigned | accepted decline assignee assigned | reopened decline assignee assigned
assigned transfer assignee assigned | accepted transfer assignee assigned | in_progress transfer assignee assigned | reopened transfer assignee assigned
assigned transfer station_admin assigned | accepted transfer station_admin assigned | in_progress transfer station_admin assigned | reopened transfer station_admin assigned
assigned transfer committee_admin assigned | accepted transfer committee_admin assigned | in_progress transfer committee_admin assigned | reopened transfer committee_admin assigned
accepted note assignee in_progress | assigned note assignee = | in_progress note assignee = | reopened note assignee = | resolved note assignee =
assigned note station_admin = | accepted note station_admin = | in_progress note station_admin = | reopened note station_admin = | resolved note station_admin =
assigned note committee_admin = | accepted note committee_admin = | in_progress note committee_admin = | reopened note committee_admin = | resolved note committee_admin =
accepted contact_log assignee in_progress | in_progress contact_log assignee = | resolved contact_log assignee =
accepted request_extension assignee = | in_progress request_extension assignee =
accepted approve_extension station_admin = | in_progress approve_extension station_admin = | accepted approve_extension committee_admin = | in_progress approve_extension committee_admin =
accepted deny_extension station_admin = | in_progress deny_extension station_admin = | accepted deny_extension committee_admin = | in_progress deny_extension committee_admin =
accepted resolve assignee resolved | in_progress resolve assignee resolved
resolved rate resident closed
resolved reopen station_admin reopened | closed reopen station_admin reopened | resolved reopen committee_admin reopened | closed reopen committee_admin reopened
submitted merge assignee merged | assigned merge assignee merged | accepted merge assignee merged | in_progress merge assignee merged | reopened merge assignee merged
submitted merge station_admin merged | assigned merge station_admin merged | accepted merge station_admin merged | in_progress merge station_admin merged | reopened merge station_admin merged
submitted merge committee_admin merged | assigned merge committee_admin merged | accepted merge committee_admin merged | in_progress merge committee_admin merged | reopened merge committee_admin merged
submitted mark_invalid station_admin invalid | assigned mark_invalid station_admin invalid | accepted mark_invalid station_admin invalid | in_progress mark_invalid station_admin invalid | reopened mark_invalid station_admin invalid
submitted mark_invalid committee_admin invalid | assigned mark_invalid committee_admin invalid | accepted mark_invalid committee_admin invalid | in_progress mark_invalid committee_admin invalid | reopened mark_invalid committee_admin invalid
resolved auto_close system closed
assigned escalate system assigned
assigned mark_overdue system = | accepted mark_overdue system = | in_progress mark_overdue system = | reopened mark_overdue system =
assigned chase station_admin = | accepted chase station_admin = | in_progress chase station_admin = | reopened chase station_admin =
assigned chase committee_admin = | accepted chase committee_admin = | in_progress chase committee_admin = | reopened chase committee_admin =
resolved follow_up station_admin closed | closed follow_up station_admin = | resolved follow_up committee_admin closed | closed follow_up committee_admin =
accepted handoff assignee in_progress | in_progress handoff assignee =
assigned handoff station_admin = | accepted handoff station_admin = | in_progress handoff station_admin = | reopened handoff station_admin =
assigned handoff committee_admin = | accepted handoff committee_admin = | in_progress handoff committee_admin = | reopened handoff committee_admin =
assigned withdraw_handoff assignee = | accepted withdraw_handoff assignee = | in_progress withdraw_handoff assignee = | reopened withdraw_handoff assignee =
assigned withdraw_handoff station_admin = | accepted withdraw_handoff station_admin = | in_progress withdraw_handoff station_admin = | reopened withdraw_handoff station_admin =
assigned withdraw_handoff committee_admin = | accepted withdraw_handoff committee_admin = | in_progress withdraw_handoff committee_admin = | reopened withdraw_handoff committee_admin =
submitted add_info resident = | assigned add_info resident = | accepted add_info resident = | in_progress add_info resident = | reopened add_info resident =
`
const expected = new Map<string, string>()
for (const entry of ALLOWED.split(/[|\n]/)
  .map((s) => s.trim())
  .filter(Boolean)) {
  const [status, action, role, to] = entry.split(/\s+/)
  expected.set(`${status} ${action} ${role}`, to === '=' ? status! : to!)
}

describe('case state machine', () => {
  const triples = CASE_STATUSES.flatMap((s) => CASE_ACTIONS.flatMap((a) => CASE_ROLES.map((r) => [s, a, r] as [CaseStatus, CaseAction, CaseRole])))

  it('the hand-written table names only known states, actions and roles', () => {
    for (const key of expected.keys()) {
      const [s, a, r] = key.split(' ')
      expect(CASE_STATUSES).toContain(s)
      expect(CASE_ACTIONS).toContain(a)
      expect(CASE_ROLES).toContain(r)
    }
  })

  it(`decides every one of the ${CASE_STATUSES.length * CASE_ACTIONS.length * CASE_ROLES.length} combinations as the table says; all others are INVALID_TRANSITION`, () => {
    for (const [status, action, role] of triples) {
      const d = decide({ status, action, role, rating: 'satisfied' })
      const want = expected.get(`${status} ${action} ${role}`)
      if (want) expect(d, `${status} ${action} ${role}`).toMatchObject({ ok: true, to: want })
      else expect(d, `${status} ${action} ${role}`).toEqual({ ok: false, code: 'INVALID_TRANSITION' })
    }
  })

  it('terminal states allow nothing but an admin reopen or 回访 of a closed case', () => {
    for (const status of ['invalid', 'merged'] as const) {
      for (const role of CASE_ROLES) expect(allowedActions(status, role)).toEqual([])
    }
    expect(allowedActions('closed', 'station_admin')).toEqual(['reopen', 'follow_up'])
  })

  it('a 回访 keeps the status without a rating, rates like the resident with one, and never replaces a rating', () => {
    expect(decide({ status: 'resolved', action: 'follow_up', role: 'station_admin' })).toEqual({ ok: true, to: 'resolved', events: ['followed_up'] })
    expect(decide({ status: 'resolved', action: 'follow_up', role: 'station_admin', rating: 'unsatisfied', reopenCount: 0 })).toEqual({
      ok: true,
      to: 'reopened',
      events: ['followed_up', 'rated', 'reopened'],
    })
    expect(decide({ status: 'closed', action: 'follow_up', role: 'committee_admin', rating: 'satisfied' })).toEqual({
      ok: true,
      to: 'closed',
      events: ['followed_up', 'rated'],
    })
    expect(decide({ status: 'closed', action: 'follow_up', role: 'station_admin', rating: 'satisfied', alreadyRated: true })).toEqual({
      ok: false,
      code: 'INVALID_TRANSITION',
    })
  })

  it.each([
    { rating: 'satisfied', reopenCount: 0, to: 'closed', events: ['rated', 'closed'] },
    { rating: 'basically_satisfied', reopenCount: 0, to: 'closed', events: ['rated', 'closed'] },
    { rating: 'unsatisfied', reopenCount: 0, to: 'reopened', events: ['rated', 'reopened'] },
    { rating: 'unsatisfied', reopenCount: 1, to: 'closed', events: ['rated', 'closed'] },
  ] as const)('a rating of $rating after $reopenCount reopen(s) → $to', ({ rating, reopenCount, to, events }) => {
    expect(decide({ status: 'resolved', action: 'rate', role: 'resident', rating, reopenCount })).toEqual({ ok: true, to, events })
  })

  it('each allowed action records at least one timeline event', () => {
    for (const [status, action, role] of triples) {
      const d = decide({ status, action, role })
      if (d.ok) expect(d.events.length).toBeGreaterThan(0)
    }
  })

  it('lists what a member may do on a new assignment', () => {
    expect(allowedActions('assigned', 'assignee')).toEqual(['accept', 'decline', 'transfer', 'note', 'merge', 'withdraw_handoff'])
  })
})

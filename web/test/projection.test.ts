import { describe, expect, it } from 'vitest'
import type { CaseSummary } from '@mashangjian/shared'
import type { OutboxEntry } from '../src/data/db'
import { project, runningDeadline, tabsOf } from '../src/data/projection'

const NOW = new Date('2026-11-23T10:00:00Z')
const base = {
  id: 'c1',
  publicNo: 'LX-2026-000001',
  status: 'assigned',
  version: 3,
  acceptDueAt: '2026-11-24T00:00:00Z',
  resolveDueAt: '2026-11-30T00:00:00Z',
  acceptedAt: null,
  resolvedAt: null,
  extensionRequestedUntil: null,
  createdAt: '2026-11-23T08:00:00Z',
} as unknown as CaseSummary
let seq = 0
const entry = (type: string, state: OutboxEntry['state'] = 'pending'): OutboxEntry => ({
  seq: ++seq,
  opId: `op${seq}`,
  userId: 'u',
  caseId: 'c1',
  caseLabel: 'x',
  photos: [],
  state,
  attempts: 0,
  nextAttemptAt: 0,
  createdAt: 0,
  action: { type, opId: `op${seq}`, baseVersion: 3, occurredAt: '2026-11-23T09:00:00Z' } as OutboxEntry['action'],
})

describe('projection of pending actions', () => {
  it.each([
    [[], 'assigned', ['new']],
    [['accept'], 'accepted', ['open']],
    [['accept', 'note'], 'in_progress', ['open']],
    [['accept', 'contact_log', 'resolve'], 'resolved', ['closed']],
    [['decline'], 'assigned', ['new']],
    // The machine refuses resolving an unaccepted case: the projection leaves that step out, as the server would refuse it.
    [['resolve'], 'assigned', ['new']],
  ])('%j on an assigned case shows it as %s in %j', (types, status, tabs) => {
    const v = project(
      base,
      (types as string[]).map((t) => entry(t)),
    )
    expect(v.case.status).toBe(status)
    expect(tabsOf(v.case, NOW)).toEqual(tabs)
    expect(v.server).toBe(base)
    expect(v.pending).toHaveLength((types as string[]).length)
  })

  it('keeps refused entries apart and out of the projection', () => {
    const v = project(base, [entry('accept', 'conflict')])
    expect(v.case.status).toBe('assigned')
    expect(v.attention).toHaveLength(1)
    expect(v.pending).toHaveLength(0)
  })

  it.each([
    ['assigned', '2026-11-23T09:00:00Z', null, ['new', 'overdue'], 'accept'],
    ['accepted', null, '2026-11-23T09:00:00Z', ['open', 'overdue'], 'resolve'],
    ['reopened', null, '2026-11-23T09:00:00Z', ['new', 'overdue'], 'resolve'],
    ['resolved', null, '2026-11-23T09:00:00Z', ['closed'], null],
  ])('a %s case past its deadline is in %j; the row counts down to the %s deadline', (status, acceptDueAt, resolveDueAt, tabs, running) => {
    const c = { ...base, status, acceptDueAt, resolveDueAt } as CaseSummary
    expect(tabsOf(c, NOW)).toEqual(tabs)
    expect(runningDeadline(c)?.kind ?? null).toBe(running)
  })

  it('a pending 交办 moves an accepted case into in_progress and shows it as awaiting a department', () => {
    const accepted = { ...base, status: 'accepted', acceptedAt: '2026-11-23T08:30:00Z' } as CaseSummary
    const v = project(accepted, [entry('handoff')])
    expect(v.case.status).toBe('in_progress')
    expect(v.case.awaitingDepartment).toBe(true)
    expect(tabsOf(v.case, NOW)).toEqual(['open'])
    // On a case not yet accepted the machine refuses it: nothing changes.
    expect(project(base, [entry('handoff')]).case.awaitingDepartment).toBeUndefined()
  })

  it("a pending withdrawal leaves the server's mark: another hand-off may still be open", () => {
    const waiting = { ...base, status: 'in_progress', awaitingDepartment: true } as CaseSummary
    const v = project(waiting, [entry('withdraw_handoff')])
    expect(v.case.status).toBe('in_progress')
    expect(v.case.awaitingDepartment).toBe(true)
  })
})

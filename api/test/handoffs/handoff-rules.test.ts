import { describe, expect, it } from 'vitest'
import { handoffDeadline, handoffRoleOf, handoffSettingsOf, MAX_HANDOFF_DAYS_AHEAD } from '../../src/handoffs/handoff-rules'
import { photosByHandoff } from '../../src/handoffs/handoff-views'
import { settingsFromBody, settingsView } from '../../src/org/committee-settings'

const DAY = 86_400_000
// Friday 2026-11-27 10:00 Beijing.
const friday = new Date('2026-11-27T02:00:00Z')

describe('hand-off rules (pure)', () => {
  it.each([
    ['no choice: 5 working days, 18:00 Beijing', undefined, 5, { dueAt: new Date('2026-12-04T10:00:00Z') }],
    ['no choice, 1 working day from Friday: Monday', undefined, 1, { dueAt: new Date('2026-11-30T10:00:00Z') }],
    ['a chosen time in the future', '2026-12-01T08:00:00Z', 5, { dueAt: new Date('2026-12-01T08:00:00Z') }],
    ['now is not the future', friday.toISOString(), 5, { error: 'must be in the future' }],
    ['in the past', '2026-11-20T00:00:00Z', 5, { error: 'must be in the future' }],
    ['exactly 90 days ahead', new Date(friday.getTime() + MAX_HANDOFF_DAYS_AHEAD * DAY).toISOString(), 5, { dueAt: new Date(friday.getTime() + 90 * DAY) }],
    ['beyond 90 days', new Date(friday.getTime() + MAX_HANDOFF_DAYS_AHEAD * DAY + 1000).toISOString(), 5, { error: 'must be at most 90 days ahead' }],
  ] as const)('%s', (_name, given, days, expected) => {
    expect(handoffDeadline(given, friday, days)).toEqual(expected)
  })

  it('settings: defaults filled in, chosen keys kept', () => {
    expect(handoffSettingsOf({})).toEqual({ replyDays: 5, pauseResolveClock: false })
    expect(handoffSettingsOf({ handoff: { pauseResolveClock: true } })).toEqual({ replyDays: 5, pauseResolveClock: true })
    expect(handoffSettingsOf({ handoff: { replyDays: 10 } })).toEqual({ replyDays: 10, pauseResolveClock: false })
  })

  it('committee settings: a PUT replaces; `handoff` left out or null goes back to the defaults', () => {
    expect(settingsFromBody({ handoff: { replyDays: 3 } })).toEqual({ settings: { handoff: { replyDays: 3 } } })
    expect(settingsFromBody({ handoff: null })).toEqual({ settings: {} })
    expect(settingsFromBody({ handoff: {} })).toEqual({ settings: {} })
    expect(settingsFromBody({ autoCloseDays: 5 })).toEqual({ settings: { autoCloseDays: 5 } })
    const view = settingsView('k', { handoff: { pauseResolveClock: true } })
    expect(view.overrides.handoff).toEqual({ pauseResolveClock: true })
    expect(view.effective.handoff).toEqual({ replyDays: 5, pauseResolveClock: true })
    expect(settingsView('k', {}).overrides.handoff).toEqual({})
  })

  it('roles and photos', () => {
    expect(handoffRoleOf('assignee')).toBe('assignee')
    expect(handoffRoleOf('station_admin')).toBe('admin')
    expect(handoffRoleOf('committee_admin')).toBe('admin')
    const photos = photosByHandoff([
      { handoffId: 'a', id: 'p1', width: 1, height: 2 },
      { handoffId: 'b', id: 'p2', width: null, height: null },
      { handoffId: 'a', id: 'p3', width: 3, height: 4 },
      { handoffId: null, id: 'p4', width: 5, height: 6 },
    ])
    expect(photos.get('a')!.map((p) => p.url)).toEqual(['/api/v1/attachments/p1', '/api/v1/attachments/p3'])
    expect(photos.get('b')).toHaveLength(1)
    expect(photos.size).toBe(2)
  })
})

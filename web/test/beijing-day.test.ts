import { describe, expect, it } from 'vitest'
import { handoffDueAt } from '@mashangjian/shared'
import { beijingDay, firstHandoffDay, handoffDueAtOfDay } from '../src/beijing-day'
import { apiPath } from '../src/data/api-client'

describe('Beijing days for the hand-off deadline', () => {
  it.each([
    // 23:30 UTC is already the next morning in Beijing.
    ['2026-12-04T23:30:00Z', '2026-12-05'],
    ['2026-12-04T15:59:59Z', '2026-12-04'],
    ['2026-12-04T16:00:00Z', '2026-12-05'],
    ['2026-12-31T20:00:00Z', '2027-01-01'],
  ])('%s is %s in Beijing', (iso, day) => {
    expect(beijingDay(iso)).toBe(day)
  })

  it('a picked day is due at 18:00 Beijing time (10:00 UTC) on that day', () => {
    expect(handoffDueAtOfDay('2026-12-11')).toBe('2026-12-11T10:00:00.000Z')
    expect(handoffDueAtOfDay('2027-01-01')).toBe('2027-01-01T10:00:00.000Z')
  })

  it('refuses what is not a day', () => {
    expect(handoffDueAtOfDay('')).toBeNull()
    expect(handoffDueAtOfDay('2026-02-31')).toBeNull()
    expect(handoffDueAtOfDay('2026-12-11T09:00')).toBeNull()
    expect(handoffDueAtOfDay('11/12/2026')).toBeNull()
  })

  it('the default deadline shown as a day and sent back is the same instant', () => {
    // Friday 4 December 2026, 20:00 Beijing: 5 working days on is Friday 11 December, 18:00 Beijing.
    const due = handoffDueAt(new Date('2026-12-04T12:00:00Z'), 5).toISOString()
    expect(beijingDay(due)).toBe('2026-12-11')
    expect(handoffDueAtOfDay(beijingDay(due))).toBe(due)
  })

  it('today may be picked until its 18:00 has passed, then tomorrow is the first day', () => {
    expect(firstHandoffDay(Date.parse('2026-12-04T09:59:00Z'))).toBe('2026-12-04')
    expect(firstHandoffDay(Date.parse('2026-12-04T10:00:00Z'))).toBe('2026-12-05')
    // 01:00 Beijing on the 5th (17:00 UTC on the 4th): the 5th, not the UTC day.
    expect(firstHandoffDay(Date.parse('2026-12-04T17:00:00Z'))).toBe('2026-12-05')
  })
})

describe('photo URLs the API gives', () => {
  it("are asked of the app's own server by path", () => {
    expect(apiPath('/api/v1/handoffs/h1/photos/p1')).toBe('/api/v1/handoffs/h1/photos/p1')
    expect(apiPath('https://msj.example.cn/api/v1/attachments/p1?x=1')).toBe('/api/v1/attachments/p1?x=1')
  })
})

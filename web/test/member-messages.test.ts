import { describe, expect, it } from 'vitest'
import { buildMessages } from '../src/i18n'

// The member app's `t` built from the shared ICU catalogue keeps the call shapes the components use.
describe('member app messages from the ICU catalogue', () => {
  const zh = buildMessages('zh-CN')
  const ug = buildMessages('ug')
  const en = buildMessages('en')

  it('reads text, groups and functions as before', () => {
    expect(zh.back).toBe('返回')
    expect(zh.status.assigned).toBe('待接单')
    expect(zh.status['no-such-status']).toBeUndefined()
    expect(zh.pendingCount(3)).toBe('3 条待同步')
    // Arguments are text: a year is not grouped ("2,026").
    expect(zh.thisYear(2026)).toBe('2026 年履职情况')
    expect(en.thisYear(2026)).toBe('2026 so far')
    expect(ug.thisYear(2026)).toContain('2026-')
    expect(ug.back).toMatch(/[\u0600-\u06FF]/)
  })

  it('a null argument selects the shorter form', () => {
    expect(zh.caseNowIs('已接单', null)).toBe('诉求现在是「已接单」')
    expect(zh.caseNowIs('已接单', '王建国')).toBe('诉求现在是「已接单」，由 王建国 负责')
    expect(en.handoffAnsweredBy(null, 'Dec 4, 14:05')).toBe('Dec 4, 14:05')
    expect(en.handoffAnsweredBy('Li', 'Dec 4, 14:05')).toBe('Li · Dec 4, 14:05')
  })

  it('puts the API’s field messages in the member’s language', () => {
    expect(zh.fieldMessage('reason', 'must NOT have fewer than 2 characters')).toBe('至少 2 个字')
    expect(zh.fieldMessage('reason', 'must NOT have fewer than 1 characters')).toBe('必填')
    expect(zh.fieldMessage('body', 'must NOT have more than 2000 characters')).toBe('最多 2000 个字')
    expect(zh.fieldMessage('until', 'must be after the current deadline')).toBe('须晚于现在的办结时限')
    expect(ug.fieldMessage('reason', 'must NOT have fewer than 2 characters')).toMatch(/2/)
    expect(ug.fieldMessage('x', 'something new')).toBe('something new')
  })
})

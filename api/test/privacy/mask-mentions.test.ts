import { describe, expect, it } from 'vitest'
import { ERASED_PHONE_MARKER, mobileMentionPattern, replaceMobileInText } from '../../src/privacy/mask-text'

/** Erasing one number from free text (issue 19): every way it is typed, and nothing else. */
describe('replacing one mobile in free text', () => {
  const phone = '13912345678'

  it.each([
    ['打13912345678找我', `打${ERASED_PHONE_MARKER}找我`],
    ['电话：139 1234 5678。', `电话：${ERASED_PHONE_MARKER}。`],
    ['139-1234-5678 或 1391-234-5678', `${ERASED_PHONE_MARKER} 或 ${ERASED_PHONE_MARKER}`],
    ['回电１３９１２３４５６７８', `回电${ERASED_PHONE_MARKER}`],
    ['+86 13912345678', ERASED_PHONE_MARKER],
  ])('%s', (text, expected) => {
    const r = replaceMobileInText(text, phone)
    expect(r.text).toBe(expected)
    expect(r.count).toBe(expected.split(ERASED_PHONE_MARKER).length - 1)
    // The SQL pre-filter finds every row the replacement changes.
    expect(new RegExp(mobileMentionPattern(phone)).test(text)).toBe(true)
  })

  it('leaves other numbers, and the digits inside a longer run, as written', () => {
    for (const text of ['邻居13912345670', '订单号 2139123456789', '139123456781', '没有号码']) {
      expect(replaceMobileInText(text, phone)).toEqual({ text, count: 0 })
    }
  })
})

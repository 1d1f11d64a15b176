import 'fake-indexeddb/auto'
import { describe, expect, it, vi } from 'vitest'

// The console picks its language from the browser's; Node 21+ has a `navigator` whose language is the process's
// (en-US on CI), so the Chinese console is asked for as a Chinese browser would, before the texts are built.
vi.hoisted(() => {
  vi.stubGlobal('navigator', { language: 'zh-CN', onLine: true })
})
import { ApiError } from '../src/data'
import { at } from '../src/admin/admin-text'
import { fieldErrors, onlyFieldErrors } from '../src/admin/components/problem-text'

const problem = (errors: { field: string; message: string }[], code = 'VALIDATION_FAILED') =>
  new ApiError({ type: 'about:blank', title: 'x', status: 400, code, reqId: '1', errors })

// The console shows the API's field messages (English, from TypeBox and the services) in Chinese, under each field.
describe('admin field messages', () => {
  it.each([
    ['phone', 'must not have fewer than 11 characters', '请填写 11 位手机号码（如 13800001234）。'],
    ['phone', 'another member of this committee has this number', '本委员会已有委员使用这个手机号。'],
    ['name', 'must not have fewer than 1 characters', '必填。'],
    ['title', 'must not have fewer than 2 characters', '至少 2 个字。'],
    ['caseIds', 'must not have fewer than 1 items', '至少选择 1 项。'],
    ['title', 'must not have more than 100 characters', '最多 100 个字。'],
    ['lat', 'must be <= 90', '不能大于 90。'],
    ['autoCloseDays', 'must be >= 1', '不能小于 1。'],
    ['sectorId', 'must match format "uuid"', '请从列表中选择。'],
    ['username', 'must match pattern "^[A-Za-z0-9_.@-]+$"', '格式不对。'],
    ['slaHours.urgent.resolve', 'must be at least the accept deadline', '办结时限不能短于接单时限。'],
    ['x', 'something the console does not know', 'something the console does not know'],
  ])('%s: %s', (field, message, shown) => {
    expect(at.fieldMessage(field, message)).toBe(shown)
  })

  it('keys messages by the body field; an item of a list is shown on the list too', () => {
    const errors = fieldErrors(
      problem([
        { field: 'body.phone', message: 'must be an 11-digit mainland mobile number' },
        { field: 'body.stationIds.1', message: 'no such station among yours in this committee' },
        { field: 'body.names.zh-CN', message: 'must not have fewer than 1 characters' },
      ]),
    )
    expect(errors).toEqual({
      phone: '请填写 11 位手机号码（如 13800001234）。',
      'stationIds.1': '这个工作站不在您的管理范围内。',
      stationIds: '这个工作站不在您的管理范围内。',
      'names.zh-CN': '必填。',
    })
    expect(onlyFieldErrors(problem([{ field: 'body.name', message: 'x' }]))).toBe(true)
    expect(onlyFieldErrors(problem([{ field: 'body.caseIds.0', message: 'no such case' }], 'NOT_FOUND'))).toBe(false)
    expect(fieldErrors(new Error('network'))).toEqual({})
  })
})

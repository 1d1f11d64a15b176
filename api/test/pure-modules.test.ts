import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createPiiCipher, maskPhone } from '../src/privacy/pii-cipher'
import { newQrCode, normalizeQrCode } from '../src/qr/qr-codes'
import { deadlinesFor } from '../src/cases/sla'
import { yearInChina } from '../src/cases/case-numbers'
import { fieldErrors } from '../src/errors/error-handler'
import { committeeInScope, stationInScope } from '../src/auth/scope'
import type { Actor } from '../src/auth/actor'

describe('PII cipher', () => {
  const cipher = createPiiCipher(randomBytes(32).toString('base64'))
  it('round-trips and never repeats a ciphertext', () => {
    const a = cipher.encrypt('13812341234')
    expect(cipher.decrypt(a)).toBe('13812341234')
    expect(cipher.encrypt('13812341234')).not.toBe(a)
  })
  it('detects tampering and a wrong key', () => {
    const c = cipher.encrypt('13812341234')
    const flipped = c.slice(0, -2) + (c.endsWith('A') ? 'BB' : 'AA')
    expect(() => cipher.decrypt(flipped)).toThrow()
    expect(() => createPiiCipher(randomBytes(32).toString('base64')).decrypt(c)).toThrow()
  })
  it.each([
    ['13812341234', '138****1234'],
    ['138 1234 1234', '138****1234'],
    ['+86 138-1234-1234', '861****1234'],
    ['12345', '****'],
  ])('masks %s as %s', (phone, masked) => expect(maskPhone(phone)).toBe(masked))
})

describe('QR codes', () => {
  it('are 10 Crockford base32 characters (50 random bits) and do not repeat', () => {
    const codes = Array.from({ length: 2000 }, newQrCode)
    codes.forEach((c) => expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/))
    expect(new Set(codes).size).toBe(codes.length)
  })
  it.each([
    ['abcd-efgh', 'ABCDEFGH'],
    ['o0il1', '00111'],
  ])('normalises hand-typed %s to %s', (input, out) => expect(normalizeQrCode(input)).toBe(out))
})

describe('SLA deadlines', () => {
  const from = new Date('2026-11-23T00:00:00Z')
  it.each([
    ['urgent', 2, 24],
    ['general', 24, 168],
    ['complex', 24, 360],
  ] as const)('%s: accept in %i h, resolve in %i h', (cls, accept, resolve) => {
    const d = deadlinesFor(cls, from)
    expect((d.acceptDueAt.getTime() - from.getTime()) / 3_600_000).toBe(accept)
    expect((d.resolveDueAt.getTime() - from.getTime()) / 3_600_000).toBe(resolve)
  })
  it('uses committee overrides', () => {
    const d = deadlinesFor('general', from, { slaHours: { general: { accept: 12, resolve: 72 } } })
    expect(d.acceptDueAt.toISOString()).toBe('2026-11-23T12:00:00.000Z')
  })
})

describe('case number year', () => {
  it.each([
    ['2026-12-31T15:59:59Z', 2026],
    ['2026-12-31T16:00:00Z', 2027],
  ])('%s is in %i in Beijing time', (iso, year) => expect(yearInChina(new Date(iso))).toBe(year))
})

describe('validation field errors', () => {
  it.each([
    [[{ instancePath: '/username', keyword: 'minLength', message: 'too short' }], ['body.username']],
    [[{ instancePath: '', keyword: 'required', message: 'required', params: { requiredProperties: ['a', 'b'] } }], ['body.a', 'body.b']],
    [
      [
        { instancePath: '/x', keyword: 'boolean', message: 'schema is false' },
        { instancePath: '', keyword: 'additionalProperties', message: 'extra', params: { additionalProperties: ['x'] } },
      ],
      ['body.x'],
    ],
    [[{ instancePath: '/items/2/id', keyword: 'format', message: 'bad' }], ['body.items.2.id']],
  ])('maps %j to %j', (issues, fields) => {
    expect(fieldErrors('body', issues).map((e) => e.field)).toEqual(fields)
  })
})

describe('scope rules', () => {
  const actor = (role: Actor['role'], committeeId: string | null, stationIds: string[] = []): Actor => ({
    userId: 'u',
    role,
    committeeId,
    memberId: null,
    stationIds,
  })
  it.each([
    [actor('system_admin', null), 'p/c/k', true],
    [actor('committee_admin', 'c'), 'p/c/k', true],
    [actor('committee_admin', 'k'), 'p/c/k', true],
    [actor('committee_admin', 'k'), 'p/c', false],
    [actor('committee_admin', 'x'), 'p/c/k', false],
    [actor('station_admin', 'k'), 'p/c/k', true],
    [actor('station_admin', 'c'), 'p/c/k', false],
    [actor('member', null), 'p/c/k', false],
  ])('committee: %o in %s → %s', (a, path, expected) => expect(committeeInScope(a, path)).toBe(expected))
  it.each([
    [actor('station_admin', 'k', ['s1']), 's1', true],
    [actor('station_admin', 'k', ['s1']), 's2', false],
    [actor('committee_admin', 'c'), 's2', true],
    [actor('member', 'k', ['s2']), 's2', true],
  ])('station: %o → %s is %s', (a, id, expected) => expect(stationInScope(a, { id, committeePath: 'p/c/k' })).toBe(expected))
})

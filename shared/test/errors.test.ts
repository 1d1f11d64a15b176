import { describe, expect, it } from 'vitest'
import { ERRORS, ERROR_CODES, problemType } from '../src/errors'

describe('error codes', () => {
  it('each has an HTTP error status and a title', () => {
    for (const code of ERROR_CODES) {
      expect(ERRORS[code].status).toBeGreaterThanOrEqual(400)
      expect(ERRORS[code].status).toBeLessThan(600)
      expect(ERRORS[code].title.length).toBeGreaterThan(3)
      expect(code).toMatch(/^[A-Z][A-Z_]+$/)
    }
  })
  it('have distinct problem type URIs', () => {
    expect(new Set(ERROR_CODES.map(problemType)).size).toBe(ERROR_CODES.length)
  })
})

import { Type, type Static } from 'typebox'
import { Uuid } from './common'

/**
 * How long residents' personal data is kept after a case ends (issue 19): the scan page promises it, the daily
 * retention job keeps the promise. Per committee; the bounds keep a slip of the keyboard from erasing everything
 * at the next run (0) or keeping it for ever.
 */
export const DEFAULT_RETENTION_YEARS = 3
export const MIN_RETENTION_YEARS = 1
export const MAX_RETENTION_YEARS = 10

export const RetentionYears = Type.Integer({ minimum: MIN_RETENTION_YEARS, maximum: MAX_RETENTION_YEARS })

/** A committee's retention: the years in force, and whether the committee chose them (false: the default). */
export const RetentionView = Type.Object({
  committeeId: Uuid,
  years: Type.Integer(),
  own: Type.Boolean(),
  defaultYears: Type.Integer(),
  minYears: Type.Integer(),
  maxYears: Type.Integer(),
})
export type RetentionView = Static<typeof RetentionView>

/** `years: null` goes back to the default. */
export const RetentionBody = Type.Object({ years: Type.Union([RetentionYears, Type.Null()]) }, { additionalProperties: false })
export type RetentionBody = Static<typeof RetentionBody>

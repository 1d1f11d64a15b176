import { ERRORS, type ErrorCode, type FieldError } from '@mashangjian/shared'

export interface AppErrorExtra {
  errors?: FieldError[]
  retryAfterSeconds?: number
  /** VERSION_CONFLICT: the case as it is now, so the client can show what changed. */
  current?: unknown
}

/** The only error services throw on purpose; the error handler turns it into problem+json. */
export class AppError extends Error {
  readonly status: number
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly extra: AppErrorExtra = {},
  ) {
    super(detail ?? ERRORS[code].title)
    this.name = 'AppError'
    this.status = ERRORS[code].status
  }
}

export const notFound = (what = 'resource') => new AppError('NOT_FOUND', `No such ${what}`)

/** A 400 listing each offending field, shaped like the schema validator's errors. */
export const validationFailed = (errors: FieldError[]) =>
  new AppError('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors })

/**
 * The one list of error codes the API answers with. Clients switch on `code`, never on the message,
 * so a code, once shipped, keeps its meaning. Each code carries its HTTP status and an English title;
 * the web apps translate codes into the user's language.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, title: 'The request has invalid fields' },
  MALFORMED_REQUEST: { status: 400, title: 'The request body could not be parsed' },
  UNAUTHENTICATED: { status: 401, title: 'Sign-in required' },
  TOKEN_EXPIRED: { status: 401, title: 'The access token has expired' },
  INVALID_CREDENTIALS: { status: 401, title: 'Wrong username or password' },
  REFRESH_TOKEN_INVALID: { status: 401, title: 'The refresh token is not valid' },
  REFRESH_TOKEN_REUSED: { status: 401, title: 'The refresh token was already used; the session has been ended' },
  ACCOUNT_DISABLED: { status: 403, title: 'This account is disabled' },
  FORBIDDEN: { status: 403, title: 'Your role may not do this' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such endpoint' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  CONFLICT: { status: 409, title: 'The request conflicts with the current state' },
  USERNAME_TAKEN: { status: 409, title: 'This username is already in use' },
  INVALID_TRANSITION: { status: 409, title: 'This action is not possible for this case in its current state' },
  VERSION_CONFLICT: { status: 409, title: 'The case changed since you last saw it' },
  OP_ID_REUSED: { status: 409, title: 'This opId was already used for a different request' },
  PUSH_ENDPOINT_TAKEN: { status: 409, title: 'This push endpoint is registered to another account' },
  IN_USE: { status: 409, title: 'Still in use; deactivate it instead of deleting it' },
  IMPORT_HAS_ERRORS: { status: 409, title: 'Some rows have errors; nothing was imported' },
  IMPORT_OUTDATED: { status: 409, title: 'The roster changed since the dry run; upload the file again' },
  IMPORT_NOT_PENDING: { status: 409, title: 'This import is not waiting for confirmation' },
  INVALID_REPORT_TRANSITION: { status: 409, title: 'This report cannot move to that state from the state it is in' },
  // issue 16: transparency — publication is for resolved or closed cases only.
  CASE_NOT_RESOLVED: { status: 409, title: 'Only a resolved or closed case can be published' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported content type' },
  ACCOUNT_LOCKED: { status: 423, title: 'Too many failed sign-ins; the account is locked for a while' },
  LOGIN_THROTTLED: { status: 429, title: 'Too many failed sign-ins from here; wait a moment before trying again' },
  RECOVERY_THROTTLED: { status: 429, title: 'Too many attempts to recover a tracking link from here; wait before trying again' },
  RATE_LIMITED: { status: 429, title: 'Too many requests; please wait and try again' },
  INTERNAL: { status: 500, title: 'Internal error' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'The service is not ready' },
} as const satisfies Record<string, { status: number; title: string }>

export type ErrorCode = keyof typeof ERRORS

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[]

/** RFC 9457 `type` URI for a code; stable, resolvable against our own docs. */
export function problemType(code: ErrorCode): string {
  return `urn:mashangjian:problem:${code.toLowerCase().replaceAll('_', '-')}`
}

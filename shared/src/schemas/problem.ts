import { Type, type Static } from 'typebox'

/** One offending field of a request; `field` is a dotted path such as `body.username`. */
export const FieldError = Type.Object({
  field: Type.String(),
  message: Type.String(),
  keyword: Type.Optional(Type.String()),
})

/** RFC 9457 problem details, as every error of the API is answered (`application/problem+json`). */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    reqId: Type.String(),
    errors: Type.Optional(Type.Array(FieldError)),
    retryAfterSeconds: Type.Optional(Type.Integer()),
    /** VERSION_CONFLICT: the resource as it is now. */
    current: Type.Optional(Type.Unknown()),
  },
  { $id: 'Problem' },
)
export type Problem = Static<typeof Problem>
export type FieldError = Static<typeof FieldError>

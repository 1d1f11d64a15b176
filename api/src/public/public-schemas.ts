import { Type } from 'typebox'

export const PublicSubmissionResult = Type.Object({
  status: Type.Enum(['created', 'joined', 'duplicate']),
  publicNo: Type.String(),
  /** Present unless `duplicate`: the resident's own link to follow progress. */
  trackingUrl: Type.Optional(Type.String()),
  trackingSecret: Type.Optional(Type.String()),
  /** With `duplicate`: the opening of the similar open case; resend with confirmNew or joinCase. */
  excerpt: Type.Optional(Type.String()),
  /** With `duplicate`: its category names and when it was sent — nothing else of a stranger's case. */
  categoryNames: Type.Optional(Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()])),
  createdAt: Type.Optional(Type.String()),
})

export const TrackingView = Type.Object({
  publicNo: Type.String(),
  status: Type.String(),
  role: Type.Enum(['owner', 'follower']),
  committeeName: Type.String(),
  stationName: Type.Union([Type.String(), Type.Null()]),
  memberName: Type.Union([Type.String(), Type.Null()]),
  categoryNames: Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()]),
  expectedBy: Type.Union([Type.String(), Type.Null()]),
  canRate: Type.Boolean(),
  rating: Type.Union([Type.String(), Type.Null()]),
  events: Type.Array(Type.Object({ type: Type.String(), body: Type.String(), occurredAt: Type.String() })),
  /** 并单: the public number this request is handled under now; its progress is at `/t/{secret}/merged`. */
  mergedIntoPublicNo: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** On the merged view: the number of the request whose link was used. */
  mergedFrom: Type.Optional(Type.Union([Type.String(), Type.Null()])),
})

import { Type, type Static } from 'typebox'
import { Nullable, Timestamp, Uuid } from './common'

/**
 * Issue 16's staff-facing contracts, shared by the API's route schemas and the web app's calls: the per-case
 * publication switch of the transparency page, Open311 client keys, and ending a case's tracking links.
 */
export const PublicationView = Type.Object({
  publishable: Type.Boolean(),
  publicText: Nullable(Type.String()),
  publishedAt: Nullable(Timestamp),
  allowed: Type.Boolean({ description: 'Whether the case is resolved or closed, so it may be switched on' }),
  preview: Nullable(Type.String({ description: 'The text the public page shows for it, masked' })),
})
export type PublicationView = Static<typeof PublicationView>

export const PublicationBody = Type.Object(
  {
    publishable: Type.Boolean(),
    publicText: Type.Optional(
      Type.Union([Type.String({ maxLength: 2000 }), Type.Null()], {
        description: "Moderated text; null or blank shows the member's answer; absent keeps what is set",
      }),
    ),
  },
  { additionalProperties: false },
)
export type PublicationBody = Static<typeof PublicationBody>

export const Open311ClientView = Type.Object({
  id: Uuid,
  committeeId: Uuid,
  name: Type.String(),
  keyPrefix: Type.String(),
  stationId: Nullable(Uuid),
  stationName: Nullable(Type.String()),
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
})
export type Open311ClientView = Static<typeof Open311ClientView>

export const Open311IssueBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    stationId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    committeeId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
)
export type Open311IssueBody = Static<typeof Open311IssueBody>

export const TrackingLinksRevokeBody = Type.Object(
  {
    original: Type.Optional(Type.Boolean({ default: false, description: 'Also end the link given at submission' })),
  },
  { additionalProperties: false },
)
export const TrackingLinksRevoked = Type.Object({
  recoveryLinks: Type.Integer({ description: 'How many recovery links were ended' }),
  original: Type.Boolean(),
})
export type TrackingLinksRevoked = Static<typeof TrackingLinksRevoked>

import { Type, type Static } from 'typebox'

const Uuid = Type.String({ format: 'uuid' })

export const QrCodeView = Type.Object({
  id: Uuid,
  code: Type.String(),
  /** What the placard encodes: PUBLIC_BASE_URL/q/{code}. */
  url: Type.String(),
  targetKind: Type.Enum(['member', 'station']),
  memberId: Type.Union([Uuid, Type.Null()]),
  stationId: Type.Union([Uuid, Type.Null()]),
  status: Type.Enum(['active', 'revoked']),
  rotatedFrom: Type.Union([Uuid, Type.Null()]),
  redirectUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
})
export type QrCodeView = Static<typeof QrCodeView>

/** Exactly one of memberId / stationId. */
export const QrTarget = Type.Union([
  Type.Object({ memberId: Uuid }, { additionalProperties: false }),
  Type.Object({ stationId: Uuid }, { additionalProperties: false }),
])
export type QrTarget = Static<typeof QrTarget>

export const QrImageParams = Type.Object({
  file: Type.String({ pattern: '^[0-9A-Za-z]{6,16}\\.(svg|png)$', description: '{code}.svg or {code}.png' }),
})

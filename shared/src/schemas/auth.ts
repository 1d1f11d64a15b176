import { Type, type Static } from 'typebox'
import { ROLES } from '../roles'

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64, description: 'Username or mobile number' }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
)
export type LoginBody = Static<typeof LoginBody>

export const RefreshBody = Type.Object({ refreshToken: Type.String({ minLength: 20, maxLength: 200 }) }, { additionalProperties: false })
export type RefreshBody = Static<typeof RefreshBody>

export const RoleSchema = Type.Enum(ROLES)

export const Me = Type.Object({
  id: Type.String({ format: 'uuid' }),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  committeeId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  memberId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  stationIds: Type.Array(Type.String({ format: 'uuid' })),
  locale: Type.String(),
})
export type Me = Static<typeof Me>

export const TokenPair = Type.Object({
  accessToken: Type.String(),
  /** Seconds until the access token expires. */
  expiresIn: Type.Integer(),
  refreshToken: Type.String(),
  refreshExpiresAt: Type.String({ format: 'date-time' }),
  user: Me,
})
export type TokenPair = Static<typeof TokenPair>

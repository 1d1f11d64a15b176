import { Type, type Static } from 'typebox'
import { COMMITTEE_LEVELS, STATION_KINDS } from '../roles'
import { RoleSchema } from './auth'

const Uuid = Type.String({ format: 'uuid' })

export const Committee = Type.Object({
  id: Uuid,
  parentId: Type.Union([Uuid, Type.Null()]),
  level: Type.Enum(COMMITTEE_LEVELS),
  name: Type.String(),
  shortCode: Type.String(),
  defaultLocale: Type.String(),
})
export type Committee = Static<typeof Committee>

export const CommitteeDetail = Type.Intersect([
  Committee,
  Type.Object({
    children: Type.Array(Committee),
    stationCount: Type.Integer(),
    memberCount: Type.Integer(),
  }),
])
export type CommitteeDetail = Static<typeof CommitteeDetail>

export const Station = Type.Object({
  id: Uuid,
  committeeId: Uuid,
  kind: Type.Enum(STATION_KINDS),
  name: Type.String(),
  address: Type.String(),
  openHours: Type.String(),
  active: Type.Boolean(),
})
export type Station = Static<typeof Station>

export const CreateUserBody = Type.Object(
  {
    username: Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' }),
    displayName: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 8, maxLength: 256 }),
    role: RoleSchema,
    committeeId: Type.Optional(Uuid),
    memberId: Type.Optional(Uuid),
    stationIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
    locale: Type.Optional(Type.String({ maxLength: 16 })),
  },
  { additionalProperties: false },
)
export type CreateUserBody = Static<typeof CreateUserBody>

import { Type, type Static } from 'typebox'
import { Me, RoleSchema } from './auth'
import { Nullable, Page, PageQuery, Uuid } from './common'

/** An account as admins see it: who, which scope, and whether it can sign in. */
export const UserView = Type.Intersect([
  Me,
  Type.Object({
    disabled: Type.Boolean(),
    lastLoginAt: Nullable(Type.String({ format: 'date-time' })),
    /** Locked after failed sign-ins from many places (an attack on this name) until then; an admin can unlock it. */
    lockedUntil: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
    createdAt: Type.String({ format: 'date-time' }),
  }),
])
export type UserView = Static<typeof UserView>
export const UserPage = Page(UserView)

export const UserListQuery = Type.Object(
  {
    committeeId: Type.Optional(Uuid),
    role: Type.Optional(RoleSchema),
    q: Type.Optional(Type.String({ maxLength: 64 })),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type UserListQuery = Static<typeof UserListQuery>

/** `disabled: true` ends the account's sessions; a new `password` does too. Roles never change: make a new account. */
export const UpdateUserBody = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    locale: Type.Optional(Type.String({ maxLength: 16 })),
    stationIds: Type.Optional(Type.Array(Uuid, { maxItems: 50, uniqueItems: true })),
    disabled: Type.Optional(Type.Boolean()),
    password: Type.Optional(Type.String({ minLength: 8, maxLength: 256 })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateUserBody = Static<typeof UpdateUserBody>

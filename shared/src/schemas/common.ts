import { Type, type TSchema } from 'typebox'

export const Uuid = Type.String({ format: 'uuid' })
export const IdParams = Type.Object({ id: Uuid })
export const Timestamp = Type.String({ format: 'date-time' })
/** For the few routes a browser tab or download link opens, which cannot send an Authorization header. */
export const AccessTokenParam = Type.Optional(
  Type.String({
    maxLength: 4096,
    description: 'The access token, for opening the page or file in a browser tab or as a download link, which cannot send a header',
  }),
)
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

/** Paging of admin lists (rosters are at most tens of thousands of rows, and a pager wants the total). */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
}

/** One page of an admin list: `items` from `offset`, `total` of all that match. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() })

import { Type } from 'typebox'

export const Uuid = Type.String({ format: 'uuid' })
export const IdParams = Type.Object({ id: Uuid })
export const Timestamp = Type.String({ format: 'date-time' })
/** For the few routes a browser tab or download link opens, which cannot send an Authorization header. */
export const AccessTokenParam = Type.Optional(Type.String({ maxLength: 4096, description: 'The access token, for opening the page or file in a browser tab or as a download link, which cannot send a header' }))
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()])

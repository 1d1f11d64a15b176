import { Type, type Static } from 'typebox'
import { LOCALES } from '../i18n'

export const PLACARD_LAYOUTS = ['poster', 'cards', 'tent'] as const
export type PlacardLayout = (typeof PLACARD_LAYOUTS)[number]

/** Whose placards: the members' (one each), or the station's own (its station code). */
export const PLACARD_SUBJECTS = ['members', 'station'] as const
export type PlacardSubject = (typeof PLACARD_SUBJECTS)[number]

/** A longer list belongs in `stationId`; 200 ids keep the URL under 8 KB, which every proxy passes. */
export const MAX_PLACARD_MEMBER_IDS = 200

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}'

/** `GET /api/v1/placards.pdf` and `.html`: whose placards, in which layout and second language. */
export const PlacardsQuery = Type.Object(
  {
    stationId: Type.Optional(Type.String({ format: 'uuid', description: 'Every member of this station (or, with subject=station, the station itself)' })),
    memberIds: Type.Optional(
      Type.String({
        pattern: `^${UUID}(,${UUID})*$`,
        // 36 characters an id plus the commas: the schema itself refuses a list longer than the maximum.
        maxLength: MAX_PLACARD_MEMBER_IDS * 37 - 1,
        description: `Comma-separated member ids, at most ${MAX_PLACARD_MEMBER_IDS}, printed in this order`,
      }),
    ),
    layout: Type.Optional(
      Type.Enum(PLACARD_LAYOUTS, {
        default: 'poster',
        description: 'poster: A4, one member a page; cards: A4 sheet of 8 with cut marks; tent: A5 folded table tent',
      }),
    ),
    lang: Type.Optional(Type.Enum(LOCALES, { default: 'zh-CN', description: 'The instructions are always in Chinese; another language adds a second line' })),
    subject: Type.Optional(
      Type.Enum(PLACARD_SUBJECTS, {
        default: 'members',
        description:
          "members: one placard per member (default); station: the station's own placard (its code, what it handles, who receives there), with stationId, in the poster or tent layout",
      }),
    ),
    access_token: Type.Optional(
      Type.String({ maxLength: 4096, description: 'The access token, for opening the page or file in a browser tab, which cannot send a header' }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Give exactly one of stationId or memberIds.',
    oneOf: [{ required: ['stationId'] }, { required: ['memberIds'] }],
  },
)
export type PlacardsQuery = Static<typeof PlacardsQuery>

/**
 * `GET /api/v1/placards/settings`: the URL placards encode and whether residents' phones can reach it (not when it
 * names this machine or a private network: then the console warns before anything is printed).
 */
export const PublicUrlReach = Type.Object({
  publicBaseUrl: Type.String(),
  reachable: Type.Boolean(),
  reason: Type.Union([Type.Enum(['localhost', 'loopback', 'private', 'invalid']), Type.Null()]),
})
export type PublicUrlReach = Static<typeof PublicUrlReach>

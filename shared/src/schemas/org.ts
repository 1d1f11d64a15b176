import { Type, type Static } from 'typebox'
import { COMMITTEE_LEVELS, STATION_KINDS } from '../roles'
import { RoleSchema } from './auth'
import { Page, PageQuery } from './common'
import { HandoffSettings } from './handoffs'

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

const Text = (maxLength: number, minLength = 0) => Type.String({ minLength, maxLength })
const Name = Type.String({ minLength: 1, maxLength: 64 })

/** Prefix of a committee's public case numbers (`LX` in `LX-2026-000123`). */
const ShortCode = Type.String({ pattern: '^[A-Z][A-Z0-9]{1,9}$', description: 'Upper-case letters and digits, 2–10, e.g. LX' })

export const CommitteeListQuery = Type.Object(
  {
    /** Only the direct children of this committee. */
    parentId: Type.Optional(Uuid),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type CommitteeListQuery = Static<typeof CommitteeListQuery>
export const CommitteePage = Page(Committee)

export const CreateCommitteeBody = Type.Object(
  {
    /** Required except for a system admin creating a province (or another root). */
    parentId: Type.Optional(Uuid),
    level: Type.Enum(COMMITTEE_LEVELS),
    name: Name,
    shortCode: ShortCode,
    defaultLocale: Type.Optional(Text(16, 2)),
  },
  { additionalProperties: false },
)
export type CreateCommitteeBody = Static<typeof CreateCommitteeBody>

export const UpdateCommitteeBody = Type.Object(
  {
    name: Type.Optional(Name),
    shortCode: Type.Optional(ShortCode),
    defaultLocale: Type.Optional(Text(16, 2)),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateCommitteeBody = Static<typeof UpdateCommitteeBody>

const Hours = Type.Integer({ minimum: 1, maximum: 24 * 366 })
export const SlaHours = Type.Object({ accept: Hours, resolve: Hours }, { additionalProperties: false })
const SlaTable = Type.Object({ urgent: SlaHours, general: SlaHours, complex: SlaHours })

/** A committee's deadline settings: what the committee chose (`overrides`) and what is in force (`effective`). */
export const CommitteeSettingsView = Type.Object({
  committeeId: Uuid,
  overrides: Type.Object({
    slaHours: Type.Partial(SlaTable),
    autoCloseDays: Type.Union([Type.Integer(), Type.Null()]),
    /** 交办 (issue 14): what the committee chose; a key left out takes the default. */
    handoff: Type.Optional(Type.Partial(HandoffSettings)),
  }),
  effective: Type.Object({ slaHours: SlaTable, autoCloseDays: Type.Integer(), handoff: Type.Optional(HandoffSettings) }),
})
export type CommitteeSettingsView = Static<typeof CommitteeSettingsView>

/** Replaces the committee's settings; a class or `autoCloseDays` left out (or null) falls back to the default. */
export const CommitteeSettingsBody = Type.Object(
  {
    slaHours: Type.Optional(Type.Partial(Type.Object({ urgent: SlaHours, general: SlaHours, complex: SlaHours }, { additionalProperties: false }))),
    autoCloseDays: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 90 }), Type.Null()])),
    /** 交办: reply days and the resolve-clock pause; left out (or null) falls back to the defaults (5 working days, no pause). */
    handoff: Type.Optional(Type.Union([Type.Partial(HandoffSettings, { additionalProperties: false }), Type.Null()])),
  },
  { additionalProperties: false },
)
export type CommitteeSettingsBody = Static<typeof CommitteeSettingsBody>

export const Sector = Type.Object({
  id: Uuid,
  committeeId: Uuid,
  name: Type.String(),
  sortOrder: Type.Integer(),
})
export type Sector = Static<typeof Sector>
export const SectorPage = Page(Sector)

/** Lists default to the caller's own committee; `committeeId` picks another one in their subtree. */
export const SectorListQuery = Type.Object({ committeeId: Type.Optional(Uuid), ...PageQuery }, { additionalProperties: false })
export type SectorListQuery = Static<typeof SectorListQuery>

const SortOrder = Type.Integer({ minimum: -100_000, maximum: 100_000 })
export const CreateSectorBody = Type.Object(
  { committeeId: Type.Optional(Uuid), name: Name, sortOrder: Type.Optional(SortOrder) },
  { additionalProperties: false },
)
export type CreateSectorBody = Static<typeof CreateSectorBody>
export const UpdateSectorBody = Type.Object(
  { name: Type.Optional(Name), sortOrder: Type.Optional(SortOrder) },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateSectorBody = Static<typeof UpdateSectorBody>

export const StationDetail = Type.Intersect([
  Station,
  Type.Object({
    lat: Type.Union([Type.Number(), Type.Null()]),
    lng: Type.Union([Type.Number(), Type.Null()]),
    memberCount: Type.Integer(),
  }),
])
export type StationDetail = Static<typeof StationDetail>
export const StationPage = Page(StationDetail)

/**
 * Without `committeeId`: every station the caller may see (a station admin's own, a committee admin's subtree).
 * `q` matches part of the name.
 */
export const StationListQuery = Type.Object(
  {
    committeeId: Type.Optional(Uuid),
    active: Type.Optional(Type.Boolean()),
    q: Type.Optional(Text(64)),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type StationListQuery = Static<typeof StationListQuery>

const Lat = Type.Union([Type.Number({ minimum: -90, maximum: 90 }), Type.Null()])
const Lng = Type.Union([Type.Number({ minimum: -180, maximum: 180 }), Type.Null()])
const stationFields = {
  kind: Type.Enum(STATION_KINDS),
  name: Name,
  address: Text(200),
  openHours: Text(200),
  lat: Lat,
  lng: Lng,
  active: Type.Boolean(),
}
export const CreateStationBody = Type.Object(
  {
    committeeId: Type.Optional(Uuid),
    kind: stationFields.kind,
    name: stationFields.name,
    address: Type.Optional(stationFields.address),
    openHours: Type.Optional(stationFields.openHours),
    lat: Type.Optional(Lat),
    lng: Type.Optional(Lng),
    active: Type.Optional(stationFields.active),
  },
  { additionalProperties: false },
)
export type CreateStationBody = Static<typeof CreateStationBody>
export const UpdateStationBody = Type.Partial(Type.Object(stationFields, { additionalProperties: false }), { additionalProperties: false, minProperties: 1 })
export type UpdateStationBody = Static<typeof UpdateStationBody>

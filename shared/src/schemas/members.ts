import { Type, type Static } from 'typebox'
import { COMMITTEE_LEVELS, MEMBER_STATUSES } from '../roles'
import { SLA_CLASSES } from '../cases'
import { Nullable, Page, PageQuery, Uuid } from './common'

/** A member as admins see them: the phone only masked (`138****1234`); it is stored encrypted. */
export const MemberView = Type.Object({
  id: Uuid,
  committeeId: Uuid,
  sectorId: Nullable(Uuid),
  sectorName: Nullable(Type.String()),
  level: Type.Enum(COMMITTEE_LEVELS),
  name: Type.String(),
  title: Type.String(),
  bio: Type.String(),
  status: Type.Enum(MEMBER_STATUSES),
  phoneMasked: Nullable(Type.String()),
  /** Where the portrait is served (re-encoded, EXIF stripped); null without one. */
  photoUrl: Nullable(Type.String()),
  contactTargetPerYear: Type.Integer(),
  stations: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
})
export type MemberView = Static<typeof MemberView>
export const MemberPage = Page(MemberView)

/** Without `committeeId`/`stationId`: every member the caller may manage. `q` matches part of the name. */
export const MemberListQuery = Type.Object(
  {
    committeeId: Type.Optional(Uuid),
    stationId: Type.Optional(Uuid),
    sectorId: Type.Optional(Uuid),
    status: Type.Optional(Type.Enum(MEMBER_STATUSES)),
    q: Type.Optional(Type.String({ maxLength: 64 })),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type MemberListQuery = Static<typeof MemberListQuery>

/** Mainland mobile: 11 digits starting with 1; spaces, dashes and a +86 prefix are accepted and dropped. */
const Phone = Type.String({ minLength: 11, maxLength: 20, pattern: '^[+0-9][0-9 ()-]*$' })
const memberFields = {
  sectorId: Nullable(Uuid),
  level: Type.Enum(COMMITTEE_LEVELS),
  name: Type.String({ minLength: 1, maxLength: 64 }),
  title: Type.String({ maxLength: 100 }),
  bio: Type.String({ maxLength: 2000 }),
  status: Type.Enum(MEMBER_STATUSES),
  phone: Nullable(Phone),
  contactTargetPerYear: Type.Integer({ minimum: 0, maximum: 1000 }),
  /** The member's stations; on update, only the stations the caller manages are replaced. */
  stationIds: Type.Array(Uuid, { maxItems: 50, uniqueItems: true }),
}

export const CreateMemberBody = Type.Object(
  {
    committeeId: Type.Optional(Uuid),
    name: memberFields.name,
    level: memberFields.level,
    sectorId: Type.Optional(memberFields.sectorId),
    title: Type.Optional(memberFields.title),
    bio: Type.Optional(memberFields.bio),
    status: Type.Optional(memberFields.status),
    phone: Type.Optional(memberFields.phone),
    contactTargetPerYear: Type.Optional(memberFields.contactTargetPerYear),
    stationIds: Type.Optional(memberFields.stationIds),
  },
  { additionalProperties: false },
)
export type CreateMemberBody = Static<typeof CreateMemberBody>

export const UpdateMemberBody = Type.Partial(Type.Object(memberFields, { additionalProperties: false }), { additionalProperties: false, minProperties: 1 })
export type UpdateMemberBody = Static<typeof UpdateMemberBody>

/** Locales a category may be named in; zh-CN is required. */
export const CategoryNames = Type.Object(
  {
    'zh-CN': Type.String({ minLength: 1, maxLength: 64 }),
    ug: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    'kk-Arab-CN': Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    en: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
)
export type CategoryNames = Static<typeof CategoryNames>

export const CategoryView = Type.Object({
  id: Uuid,
  committeeId: Uuid,
  names: Type.Record(Type.String(), Type.String()),
  /** The sector whose members know the subject (routing prefers them). */
  sectorId: Nullable(Uuid),
  slaClass: Type.Enum(SLA_CLASSES),
  sortOrder: Type.Integer(),
  active: Type.Boolean(),
})
export type CategoryView = Static<typeof CategoryView>
export const CategoryPage = Page(CategoryView)

export const CategoryListQuery = Type.Object(
  {
    committeeId: Type.Optional(Uuid),
    active: Type.Optional(Type.Boolean()),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type CategoryListQuery = Static<typeof CategoryListQuery>

const categoryFields = {
  names: CategoryNames,
  sectorId: Nullable(Uuid),
  slaClass: Type.Enum(SLA_CLASSES),
  sortOrder: Type.Integer({ minimum: -100_000, maximum: 100_000 }),
  active: Type.Boolean(),
}
export const CreateCategoryBody = Type.Object(
  {
    committeeId: Type.Optional(Uuid),
    names: categoryFields.names,
    sectorId: Type.Optional(categoryFields.sectorId),
    slaClass: Type.Optional(categoryFields.slaClass),
    sortOrder: Type.Optional(categoryFields.sortOrder),
    active: Type.Optional(categoryFields.active),
  },
  { additionalProperties: false },
)
export type CreateCategoryBody = Static<typeof CreateCategoryBody>
export const UpdateCategoryBody = Type.Partial(Type.Object(categoryFields, { additionalProperties: false }), { additionalProperties: false, minProperties: 1 })
export type UpdateCategoryBody = Static<typeof UpdateCategoryBody>

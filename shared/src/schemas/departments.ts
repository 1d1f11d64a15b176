import { Type, type Static } from 'typebox'
import { CHANNEL_PROVIDERS } from '../notifications'
import { DEPARTMENT_KINDS } from '../departments'
import { Nullable, Page, PageQuery, Timestamp, Uuid } from './common'

/** The group robot or webhook a department's hand-offs are posted to. */
export const DepartmentChannel = Type.Object({
  id: Uuid,
  name: Type.String(),
  provider: Type.Enum(CHANNEL_PROVIDERS),
  enabled: Type.Boolean(),
})
export type DepartmentChannel = Static<typeof DepartmentChannel>

/** A department as every answer shows it: the contact's phone only masked. */
export const DepartmentView = Type.Object({
  id: Uuid,
  committeeId: Uuid,
  kind: Type.Enum(DEPARTMENT_KINDS),
  name: Type.String(),
  contactName: Type.String(),
  contactPhoneMasked: Nullable(Type.String()),
  robotChannel: Nullable(DepartmentChannel),
  active: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type DepartmentView = Static<typeof DepartmentView>
export const DepartmentPage = Page(DepartmentView)
export type DepartmentPage = Static<typeof DepartmentPage>

/**
 * Without `committeeId`: every department the caller may see (committee admins their subtree's, station admins
 * their committee's). `q` matches part of the name or the contact person.
 */
export const DepartmentListQuery = Type.Object(
  {
    committeeId: Type.Optional(Uuid),
    kind: Type.Optional(Type.Enum(DEPARTMENT_KINDS)),
    active: Type.Optional(Type.Boolean()),
    q: Type.Optional(Type.String({ maxLength: 64 })),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type DepartmentListQuery = Static<typeof DepartmentListQuery>

const departmentFields = {
  kind: Type.Enum(DEPARTMENT_KINDS),
  name: Type.String({ minLength: 1, maxLength: 64 }),
  contactName: Type.String({ maxLength: 64 }),
  /** A mainland mobile or a landline with area code (normalizeDepartmentPhone); null or '' removes it. */
  contactPhone: Nullable(Type.String({ maxLength: 32 })),
  /** A wecom_robot, dingtalk_robot or webhook channel of the department's committee; null: none. */
  robotChannelId: Nullable(Uuid),
  active: Type.Boolean(),
}

export const CreateDepartmentBody = Type.Object(
  {
    committeeId: Type.Optional(Uuid),
    kind: departmentFields.kind,
    name: departmentFields.name,
    contactName: Type.Optional(departmentFields.contactName),
    contactPhone: Type.Optional(departmentFields.contactPhone),
    robotChannelId: Type.Optional(departmentFields.robotChannelId),
    active: Type.Optional(departmentFields.active),
  },
  { additionalProperties: false },
)
export type CreateDepartmentBody = Static<typeof CreateDepartmentBody>

export const UpdateDepartmentBody = Type.Partial(Type.Object(departmentFields, { additionalProperties: false }), {
  additionalProperties: false,
  minProperties: 1,
})
export type UpdateDepartmentBody = Static<typeof UpdateDepartmentBody>

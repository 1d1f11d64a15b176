import { Type, type Static } from 'typebox'
import { INTAKE_CHANNELS } from '../cases'
import { Nullable, Timestamp, Uuid } from './common'

/**
 * 界别群众 contacts (issue 15): a member records the people of their sector they met (Longxi keeps 1,844; Akesai asks
 * ≥ 20 per member a year). Recorded on the phone, offline through the outbox: `opId` makes a resend harmless.
 */
export const CONTACT_KINDS = ['visit', 'phone', 'meeting', 'reception', 'other'] as const
export type ContactKind = (typeof CONTACT_KINDS)[number]

const Day = Type.String({ format: 'date', description: 'Beijing calendar day' })

const editable = {
  /** Name, or how the member addresses them (王大姐, 三队的老马). */
  name: Type.String({ minLength: 1, maxLength: 60 }),
  sectorId: Type.Optional(Nullable(Uuid)),
  /** Mainland mobile; stored encrypted with a keyed hash, shown masked to everyone but the member who recorded it. */
  phone: Type.Optional(Nullable(Type.String({ maxLength: 32 }))),
  metOn: Day,
  place: Type.Optional(Type.String({ maxLength: 200 })),
  kind: Type.Enum(CONTACT_KINDS),
  /** What they raised. */
  raised: Type.Optional(Type.String({ maxLength: 2000 })),
}

export const ContactBody = Type.Object({ opId: Uuid, ...editable }, { additionalProperties: false })
export type ContactBody = Static<typeof ContactBody>

export const ContactPatch = Type.Object(
  {
    name: Type.Optional(editable.name),
    sectorId: editable.sectorId,
    phone: editable.phone,
    metOn: Type.Optional(Day),
    place: editable.place,
    kind: Type.Optional(editable.kind),
    raised: editable.raised,
  },
  { additionalProperties: false, minProperties: 1 },
)
export type ContactPatch = Static<typeof ContactPatch>

export const Contact = Type.Object({
  id: Uuid,
  opId: Uuid,
  memberId: Uuid,
  name: Type.String(),
  sectorId: Nullable(Uuid),
  sectorName: Nullable(Type.String()),
  /** Lists show the number masked (138****5678); the member who recorded it may reveal it (audit-logged). */
  phoneMasked: Nullable(Type.String()),
  metOn: Day,
  place: Type.String(),
  kind: Type.Enum(CONTACT_KINDS),
  raised: Type.String(),
  caseId: Nullable(Uuid),
  casePublicNo: Nullable(Type.String()),
  reportId: Nullable(Uuid),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type Contact = Static<typeof Contact>

/** What a create answers: the contact, and whether this opId had already been recorded (a resend). */
export const ContactCreated = Type.Object({ contact: Contact, replayed: Type.Boolean() })
export type ContactCreated = Static<typeof ContactCreated>

const Year = Type.Integer({ minimum: 2000, maximum: 2100, description: 'Calendar year in China Standard Time; default this year.' })

export const ContactListQuery = Type.Object(
  {
    year: Type.Optional(Year),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  },
  { additionalProperties: false },
)
export type ContactListQuery = Static<typeof ContactListQuery>

export const ContactPage = Type.Object({
  /** Newest meeting first. */
  items: Type.Array(Contact),
  nextCursor: Nullable(Type.String()),
})
export type ContactPage = Static<typeof ContactPage>

/** Committee and station admins: how many contacts, per member, against each member's yearly target. No names, no phones. */
export const ContactTotalsQuery = Type.Object(
  { scope: Type.Enum(['committee', 'station']), id: Uuid, year: Type.Optional(Year) },
  { additionalProperties: false },
)
export type ContactTotalsQuery = Static<typeof ContactTotalsQuery>

export const ContactTotals = Type.Object({
  year: Type.Integer(),
  total: Type.Integer({ minimum: 0 }),
  membersMeetingTarget: Type.Integer({ minimum: 0 }),
  members: Type.Array(
    Type.Object({
      memberId: Uuid,
      memberName: Type.String(),
      committeeName: Type.String(),
      count: Type.Integer({ minimum: 0 }),
      /** member.contact_target_per_year */
      target: Type.Integer({ minimum: 0 }),
      met: Type.Boolean(),
    }),
  ),
})
export type ContactTotals = Static<typeof ContactTotals>

/** 转为诉求: the member files a case for the person they met; assigned to that member. */
export const ContactToCaseBody = Type.Object(
  {
    /** The intake's opId (exactly once, as a desk intake). */
    opId: Uuid,
    /** One of the member's stations; default their first. */
    stationId: Type.Optional(Uuid),
    categoryId: Type.Optional(Uuid),
    /** Default: what was raised. */
    description: Type.Optional(Type.String({ minLength: 5, maxLength: 2000 })),
    locationText: Type.Optional(Type.String({ maxLength: 200 })),
    /** The person agreed that their phone is kept to reach them (required when the contact has a phone). */
    consent: Type.Boolean(),
  },
  { additionalProperties: false },
)
export type ContactToCaseBody = Static<typeof ContactToCaseBody>

export const ContactToCaseResult = Type.Object({
  contact: Contact,
  caseId: Uuid,
  casePublicNo: Type.String(),
  channel: Type.Enum([...INTAKE_CHANNELS]),
  /** The person's tracking link, shown once (to read out or text); null when the case already existed. */
  trackingUrl: Nullable(Type.String()),
})
export type ContactToCaseResult = Static<typeof ContactToCaseResult>

/** 转为社情民意: a draft report from what was raised (title default: the first words of it). */
export const ContactToReportBody = Type.Object({ title: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })) }, { additionalProperties: false })
export type ContactToReportBody = Static<typeof ContactToReportBody>

export const ContactToReportResult = Type.Object({ contact: Contact, reportId: Uuid })
export type ContactToReportResult = Static<typeof ContactToReportResult>

/** The full number, for the member who recorded the contact only (each reveal is audit-logged). */
export const ContactPhone = Type.Object({ phone: Type.String() })
export type ContactPhone = Static<typeof ContactPhone>

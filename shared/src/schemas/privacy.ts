import { Type, type Static } from 'typebox'
import { CASE_STATUSES } from '../cases'
import { CONTACT_KINDS } from './contacts'
import { Nullable, Timestamp, Uuid } from './common'

/**
 * Requests from people (PIPL arts. 44–47, issue 19): a committee admin finds everything stored about one phone
 * number within their scope, exports it for the person, or erases it. The number travels in the body (never in a
 * URL, which logs keep) and every step names its reason.
 */
const phoneAndReason = {
  /** Mainland mobile as the person gives it (spaces, dashes, +86 are fine). */
  phone: Type.String({ minLength: 1, maxLength: 32 }),
  /** Why it is looked up: the person's request (e.g. 本人来电申请查询 2026-12-05), kept in the audit log. */
  reason: Type.String({ minLength: 2, maxLength: 500 }),
}

export const PhoneRequestBody = Type.Object(phoneAndReason, { additionalProperties: false })
export type PhoneRequestBody = Static<typeof PhoneRequestBody>

export const PhoneErasureBody = Type.Object(
  { ...phoneAndReason, /** Must be true: the console's confirm step. */ confirm: Type.Literal(true) },
  { additionalProperties: false },
)
export type PhoneErasureBody = Static<typeof PhoneErasureBody>

const Status = Type.Enum([...CASE_STATUSES])

export const PhoneLookupResult = Type.Object({
  phoneMasked: Type.String(),
  /** Cases the number submitted (as the resident). */
  cases: Type.Array(
    Type.Object({ id: Uuid, publicNo: Type.String(), committeeName: Type.String(), status: Status, createdAt: Timestamp, closedAt: Nullable(Timestamp) }),
  ),
  /** Cases the number joined (并单 followers). */
  followers: Type.Array(Type.Object({ id: Uuid, caseId: Uuid, publicNo: Type.String(), committeeName: Type.String(), status: Status, createdAt: Timestamp })),
  /** 界别群众 contact records with the number. */
  contacts: Type.Array(
    Type.Object({
      id: Uuid,
      name: Type.String(),
      memberName: Type.String(),
      committeeName: Type.String(),
      metOn: Type.String(),
      kind: Type.Enum(CONTACT_KINDS),
    }),
  ),
  /** Cases and contacts in scope whose free text mentions the number (an erasure replaces it there too). */
  textMentions: Type.Object({ cases: Type.Integer(), contacts: Type.Integer() }),
})
export type PhoneLookupResult = Static<typeof PhoneLookupResult>

/** The file handed to the person: what is stored about them, the phone in full (it is their own). */
export const PhoneDataExport = Type.Object({
  format: Type.Literal('mashangjian-personal-data-v1'),
  generatedAt: Timestamp,
  phone: Type.String(),
  cases: Type.Array(
    Type.Object({
      publicNo: Type.String(),
      committeeName: Type.String(),
      category: Nullable(Type.String()),
      status: Status,
      description: Type.String(),
      locationText: Nullable(Type.String()),
      createdAt: Timestamp,
      acceptedAt: Nullable(Timestamp),
      resolvedAt: Nullable(Timestamp),
      closedAt: Nullable(Timestamp),
      rating: Nullable(Type.String()),
      ratingComment: Nullable(Type.String()),
      /** The public timeline (what the tracking page shows). */
      events: Type.Array(Type.Object({ type: Type.String(), body: Type.String(), occurredAt: Timestamp })),
    }),
  ),
  followedCases: Type.Array(Type.Object({ publicNo: Type.String(), committeeName: Type.String(), status: Status, joinedAt: Timestamp })),
  contacts: Type.Array(
    Type.Object({
      name: Type.String(),
      committeeName: Type.String(),
      metOn: Type.String(),
      place: Type.String(),
      community: Type.String(),
      kind: Type.Enum(CONTACT_KINDS),
      raised: Type.String(),
      recordedAt: Timestamp,
    }),
  ),
})
export type PhoneDataExport = Static<typeof PhoneDataExport>

export const PhoneErasureResult = Type.Object({
  cases: Type.Integer(),
  followers: Type.Integer(),
  contacts: Type.Integer(),
  /** Mentions of the number replaced by a marker in free text (cases, their timelines, contacts). */
  textReplacements: Type.Integer(),
})
export type PhoneErasureResult = Static<typeof PhoneErasureResult>

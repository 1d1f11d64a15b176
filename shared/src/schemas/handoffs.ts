import { Type, type Static } from 'typebox'
import { DEPARTMENT_KINDS } from '../departments'
import { HANDOFF_STATUSES } from '../handoff-machine'
import { Nullable, Timestamp, Uuid } from './common'

/** A photo the department sent with its answer (served to staff like the case's other photos). */
const HandoffPhoto = Type.Object({ id: Uuid, url: Type.String(), width: Nullable(Type.Integer()), height: Nullable(Type.Integer()) })

/**
 * 交办 as the member and the desk see it on the case (issue 14): whom it went to, the question, the deadline, and
 * what the department did. Internal: never shown to residents (the member relays the answer as the case's reply).
 */
export const HandoffView = Type.Object({
  id: Uuid,
  caseId: Uuid,
  departmentId: Uuid,
  departmentName: Type.String(),
  question: Type.String(),
  status: Type.Enum([...HANDOFF_STATUSES]),
  /** Who handed it off (a member's or an admin's name). */
  createdByName: Nullable(Type.String()),
  sentAt: Timestamp,
  dueAt: Timestamp,
  acknowledgedAt: Nullable(Timestamp),
  answeredAt: Nullable(Timestamp),
  returnedAt: Nullable(Timestamp),
  /** Withdrawn or expired. */
  closedAt: Nullable(Timestamp),
  /** The deadline sweep marked it late (the department may still answer). */
  overdueAt: Nullable(Timestamp),
  answer: Nullable(Type.String()),
  /** 退回: why, and which department it should go to, if they said. */
  returnReason: Nullable(Type.String()),
  suggestedDepartment: Nullable(Type.String()),
  /** The name the department's person typed on the reply page. */
  responderName: Nullable(Type.String()),
  photos: Type.Array(HandoffPhoto),
  /** The link was revoked (a new one may be issued while the hand-off is open). */
  linkRevoked: Type.Boolean(),
})
export type HandoffView = Static<typeof HandoffView>

/** A department the caller may hand a case to (the member app keeps the list with the case, for offline use). */
export const HandoffDepartment = Type.Object({ id: Uuid, name: Type.String(), kind: Type.Enum([...DEPARTMENT_KINDS]) })
export type HandoffDepartment = Static<typeof HandoffDepartment>

/** A new link for an open hand-off (the old one stops working); shown once, to copy or read out. Audit-logged. */
export const HandoffLinkResult = Type.Object({ url: Type.String(), handoff: HandoffView })
export type HandoffLinkResult = Static<typeof HandoffLinkResult>

/** Committee settings for hand-offs: the default reply time in working days, and whether the case's resolve clock stops while a department has it. */
export const HandoffSettings = Type.Object({
  replyDays: Type.Integer({ minimum: 1, maximum: 60 }),
  pauseResolveClock: Type.Boolean(),
})
export type HandoffSettings = Static<typeof HandoffSettings>

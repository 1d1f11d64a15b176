import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm'
import type { Db, DbOrTx } from '../db/database'
import { caseEvent, caseFollower, cases, category, committee, contact, member, publicThrottle } from '../db/schema'
import type { Actor } from '../auth/actor'
import { committeeIdInScope } from '../auth/scope'

/** The free-text columns of a case a person may have typed a number into. */
export const CASE_TEXT = ['description', 'locationText', 'ratingComment', 'closeReason', 'publicText'] as const
/** …and of a contact record. */
export const CONTACT_TEXT = ['name', 'place', 'community', 'raised', 'notes'] as const
export type CaseTextRow = { id: string } & Record<(typeof CASE_TEXT)[number], string | null>
export type ContactTextRow = { id: string } & Record<(typeof CONTACT_TEXT)[number], string>

/** `column ~ pattern` for each column, or-ed: rows whose text may mention the number (privacy/mask-text.ts). */
const mentions = (columns: SQL[], pattern: string) => or(...columns.map((c) => sql`${c} ~ ${pattern}`))!
const inScope = (actor: Actor, column: SQL | Parameters<typeof committeeIdInScope>[1]) => committeeIdInScope(actor, column) ?? sql`true`

/**
 * SQL for requests from people (issue 19): everything stored with one residents'-phone hash within the caller's
 * committee scope — cases (as resident), follower rows, contact records — and the rows whose free text mentions
 * the number. Out-of-scope rows are never read, so other committees' data stays invisible.
 */
export function createPhoneRequestsRepo(db: Db) {
  const caseTextCols = () => CASE_TEXT.map((k) => sql`${cases[k]}`)
  const contactTextCols = () => CONTACT_TEXT.map((k) => sql`${contact[k]}`)

  return {
    async casesOf(actor: Actor, hash: string) {
      return db
        .select({
          id: cases.id,
          publicNo: cases.publicNo,
          committeeName: committee.name,
          categoryNames: category.names,
          status: cases.status,
          description: cases.description,
          locationText: cases.locationText,
          rating: cases.rating,
          ratingComment: cases.ratingComment,
          createdAt: cases.createdAt,
          acceptedAt: cases.acceptedAt,
          resolvedAt: cases.resolvedAt,
          closedAt: cases.closedAt,
        })
        .from(cases)
        .innerJoin(committee, eq(committee.id, cases.committeeId))
        .leftJoin(category, eq(category.id, cases.categoryId))
        .where(and(eq(cases.residentPhoneHash, hash), inScope(actor, cases.committeeId)))
        .orderBy(asc(cases.createdAt))
    },

    async followersOf(actor: Actor, hash: string) {
      return db
        .select({
          id: caseFollower.id,
          caseId: cases.id,
          publicNo: cases.publicNo,
          committeeName: committee.name,
          status: cases.status,
          createdAt: caseFollower.createdAt,
        })
        .from(caseFollower)
        .innerJoin(cases, eq(cases.id, caseFollower.caseId))
        .innerJoin(committee, eq(committee.id, cases.committeeId))
        .where(and(eq(caseFollower.residentPhoneHash, hash), inScope(actor, cases.committeeId)))
        .orderBy(asc(caseFollower.createdAt))
    },

    async contactsOf(actor: Actor, hash: string) {
      return db
        .select({
          id: contact.id,
          name: contact.name,
          memberName: member.name,
          committeeName: committee.name,
          metOn: contact.metOn,
          kind: contact.kind,
          place: contact.place,
          community: contact.community,
          raised: contact.raised,
          createdAt: contact.createdAt,
        })
        .from(contact)
        .innerJoin(member, eq(member.id, contact.memberId))
        .innerJoin(committee, eq(committee.id, contact.committeeId))
        .where(and(eq(contact.phoneHash, hash), inScope(actor, contact.committeeId)))
        .orderBy(asc(contact.metOn), asc(contact.createdAt))
    },

    /** The public timeline of these cases (what their tracking pages show), for the person's export. */
    async publicEvents(caseIds: string[]) {
      if (caseIds.length === 0) return []
      return db
        .select({ caseId: caseEvent.caseId, type: caseEvent.type, body: caseEvent.body, occurredAt: caseEvent.occurredAt })
        .from(caseEvent)
        .where(and(inArray(caseEvent.caseId, caseIds), eq(caseEvent.visibility, 'public')))
        .orderBy(asc(caseEvent.caseId), asc(caseEvent.occurredAt), asc(caseEvent.id))
    },

    /** Cases (with their timelines) and contacts in scope whose free text may mention the number. */
    async textMentions(tx: DbOrTx, actor: Actor, pattern: string) {
      const caseRows: CaseTextRow[] = await tx
        .select({ id: cases.id, ...Object.fromEntries(CASE_TEXT.map((k) => [k, cases[k]])) } as { id: typeof cases.id } & Record<
          (typeof CASE_TEXT)[number],
          typeof cases.description
        >)
        .from(cases)
        .where(and(inScope(actor, cases.committeeId), mentions(caseTextCols(), pattern)))
      const eventRows = await tx
        .select({ id: caseEvent.id, caseId: caseEvent.caseId, body: caseEvent.body, data: caseEvent.data })
        .from(caseEvent)
        .innerJoin(cases, eq(cases.id, caseEvent.caseId))
        .where(and(inScope(actor, cases.committeeId), or(sql`${caseEvent.body} ~ ${pattern}`, sql`${caseEvent.data}::text ~ ${pattern}`)))
      const contactRows: ContactTextRow[] = await tx
        .select({ id: contact.id, ...Object.fromEntries(CONTACT_TEXT.map((k) => [k, contact[k]])) } as { id: typeof contact.id } & Record<
          (typeof CONTACT_TEXT)[number],
          typeof contact.name
        >)
        .from(contact)
        .where(and(inScope(actor, contact.committeeId), mentions(contactTextCols(), pattern)))
      return { caseRows, eventRows, contactRows }
    },

    async updateCaseText(tx: DbOrTx, id: string, patch: Partial<Record<(typeof CASE_TEXT)[number], string>>, now: Date) {
      await tx
        .update(cases)
        // The version moves so members' devices (sync, live stream) replace the text they hold.
        .set({ ...patch, version: sql`${cases.version} + 1`, updatedAt: now })
        .where(eq(cases.id, id))
    },
    async updateEventText(tx: DbOrTx, id: number, body: string, data: Record<string, unknown>) {
      const [row] = await tx.update(caseEvent).set({ body, data }).where(eq(caseEvent.id, id)).returning({ caseId: caseEvent.caseId })
      if (row)
        await tx
          .update(cases)
          .set({ version: sql`${cases.version} + 1` })
          .where(eq(cases.id, row.caseId))
    },
    async updateContactText(tx: DbOrTx, id: string, patch: Partial<Record<(typeof CONTACT_TEXT)[number], string>>, now: Date) {
      await tx
        .update(contact)
        .set({ ...patch, updatedAt: now })
        .where(eq(contact.id, id))
    },

    /** Removes the number (ciphertext, hash, masked copy) from every case, follower row and contact in scope. */
    async erasePhone(tx: DbOrTx, actor: Actor, hash: string, now: Date) {
      const gone = { residentPhoneEnc: null, residentPhoneHash: null, residentPhoneMasked: null, residentPhoneWithdrawnAt: now }
      const caseRows = await tx
        .update(cases)
        .set({ ...gone, version: sql`${cases.version} + 1`, updatedAt: now })
        .where(and(eq(cases.residentPhoneHash, hash), inScope(actor, cases.committeeId)))
        .returning({ id: cases.id })
      const followerRows = await tx
        .update(caseFollower)
        .set(gone)
        .where(
          and(
            eq(caseFollower.residentPhoneHash, hash),
            sql`${caseFollower.caseId} in (select ${cases.id} from ${cases} where ${inScope(actor, cases.committeeId)})`,
          ),
        )
        .returning({ id: caseFollower.id, caseId: caseFollower.caseId })
      const followerCases = [...new Set(followerRows.map((r) => r.caseId))]
      if (followerCases.length > 0)
        await tx
          .update(cases)
          .set({ version: sql`${cases.version} + 1` })
          .where(inArray(cases.id, followerCases))
      const contactRows = await tx
        .update(contact)
        .set({ phoneEnc: null, phoneHash: null, phoneMasked: null, updatedAt: now })
        .where(and(eq(contact.phoneHash, hash), inScope(actor, contact.committeeId)))
        .returning({ id: contact.id })
      // 找回我的诉求's per-number counter is keyed by the hash: nothing about the number is left behind.
      await tx.delete(publicThrottle).where(sql`right(${publicThrottle.key}, ${hash.length + 1}) = ${`:${hash}`}`)
      return { cases: caseRows.length, followers: followerRows.length, contacts: contactRows.length }
    },
  }
}
export type PhoneRequestsRepo = ReturnType<typeof createPhoneRequestsRepo>

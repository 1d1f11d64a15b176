import type { PhoneDataExport, PhoneErasureResult, PhoneLookupResult } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import type { AuditWriter } from '../audit/audit-log'
import type { Clock } from '../clock'
import type { Db, DbOrTx } from '../db/database'
import { AppError, validationFailed } from '../errors/app-error'
import { normalizeMainlandMobile } from '../public/submission-rules'
import { mobileMentionPattern, replaceMobileInText } from './mask-text'
import { maskPhone } from './pii-cipher'
import type { PhoneLookup } from './phone-lookup'
import { CASE_TEXT, CONTACT_TEXT, type PhoneRequestsRepo } from './phone-requests-repo'

const iso = (d: Date | null) => d?.toISOString() ?? null

/**
 * Requests from people (PIPL arts. 44–47, issue 19), for committee admins: look a phone number up by its keyed hash
 * (the plain number is never stored, logged or audited — the audit row names the hash), export what is stored about
 * it for the person, or erase it from cases, follower rows and contacts, with every mention typed into free text
 * replaced by a marker. Each step is audit-logged with who, when and the reason given. Scope is the caller's
 * committee subtree; a number with nothing in scope is not found, whatever other committees hold.
 */
export function createPhoneRequestsService({
  db,
  repo,
  residentPhones,
  audit,
  clock,
}: {
  db: Db
  repo: PhoneRequestsRepo
  residentPhones: PhoneLookup
  audit: AuditWriter
  clock: Clock
}) {
  function normalised(phone: string): { phone: string; hash: string } {
    const n = normalizeMainlandMobile(phone)
    if (!n) throw validationFailed([{ field: 'body.phone', message: 'Not a mainland mobile number.' }])
    return { phone: n, hash: residentPhones.hash(n) }
  }

  const record = (tx: DbOrTx, actor: Actor, ip: string | null, action: string, hash: string, reason: string, detail: Record<string, unknown>) =>
    audit.record(tx, { actorUserId: actor.userId, actorIp: ip, action, targetKind: 'phone', targetId: hash, detail: { reason, phoneHash: hash, ...detail } })

  async function found(actor: Actor, hash: string) {
    const [caseRows, followerRows, contactRows] = await Promise.all([repo.casesOf(actor, hash), repo.followersOf(actor, hash), repo.contactsOf(actor, hash)])
    return { caseRows, followerRows, contactRows }
  }

  /** Rewrites every mention of the number in the scope's free text; returns how many mentions went. */
  async function replaceMentions(tx: DbOrTx, actor: Actor, phone: string, now: Date): Promise<number> {
    const { caseRows, eventRows, contactRows } = await repo.textMentions(tx, actor, mobileMentionPattern(phone))
    let total = 0
    const rewrite = <K extends string>(row: Record<K, string | null>, keys: readonly K[]) => {
      const patch: Partial<Record<K, string>> = {}
      for (const k of keys) {
        const v = row[k]
        if (typeof v !== 'string') continue
        const r = replaceMobileInText(v, phone)
        if (r.count > 0) {
          patch[k] = r.text
          total += r.count
        }
      }
      return patch
    }
    for (const row of caseRows) {
      const patch = rewrite(row, CASE_TEXT)
      if (Object.keys(patch).length > 0) await repo.updateCaseText(tx, row.id, patch, now)
    }
    for (const e of eventRows) {
      const body = replaceMobileInText(e.body, phone)
      const data: Record<string, unknown> = { ...e.data }
      let inData = 0
      for (const [k, v] of Object.entries(data)) {
        if (typeof v !== 'string') continue
        const r = replaceMobileInText(v, phone)
        data[k] = r.text
        inData += r.count
      }
      if (body.count + inData > 0) {
        total += body.count + inData
        await repo.updateEventText(tx, e.id, body.text, data)
      }
    }
    for (const row of contactRows) {
      const patch = rewrite(row, CONTACT_TEXT)
      if (Object.keys(patch).length > 0) await repo.updateContactText(tx, row.id, patch, now)
    }
    return total
  }

  return {
    async lookup(actor: Actor, body: { phone: string; reason: string }, ip: string | null): Promise<PhoneLookupResult> {
      const { phone, hash } = normalised(body.phone)
      const { caseRows, followerRows, contactRows } = await found(actor, hash)
      const mentions = await repo.textMentions(db, actor, mobileMentionPattern(phone))
      const mentioning = (rows: Record<string, unknown>[], keys: readonly string[]) =>
        rows.filter((r) => keys.some((k) => typeof r[k] === 'string' && replaceMobileInText(r[k], phone).count > 0)).length
      const result: PhoneLookupResult = {
        phoneMasked: maskPhone(phone),
        cases: caseRows.map((c) => ({
          id: c.id,
          publicNo: c.publicNo,
          committeeName: c.committeeName,
          status: c.status,
          createdAt: c.createdAt.toISOString(),
          closedAt: iso(c.closedAt),
        })),
        followers: followerRows.map((f) => ({ ...f, createdAt: f.createdAt.toISOString() })),
        contacts: contactRows.map((c) => ({ id: c.id, name: c.name, memberName: c.memberName, committeeName: c.committeeName, metOn: c.metOn, kind: c.kind })),
        textMentions: {
          cases: new Set([
            ...mentions.caseRows.filter((r) => mentioning([r], CASE_TEXT) > 0).map((r) => r.id),
            ...mentions.eventRows.filter((e) => replaceMobileInText(`${e.body}\n${JSON.stringify(e.data)}`, phone).count > 0).map((e) => e.caseId),
          ]).size,
          contacts: mentioning(mentions.contactRows, CONTACT_TEXT),
        },
      }
      await record(db, actor, ip, 'privacy.phone_lookup', hash, body.reason, {
        cases: result.cases.length,
        followers: result.followers.length,
        contacts: result.contacts.length,
      })
      return result
    },

    /** The person's own data as one file; the phone in full (theirs). Nothing in scope: not found. */
    async export(actor: Actor, body: { phone: string; reason: string }, ip: string | null): Promise<PhoneDataExport> {
      const { phone, hash } = normalised(body.phone)
      const { caseRows, followerRows, contactRows } = await found(actor, hash)
      if (caseRows.length + followerRows.length + contactRows.length === 0) throw new AppError('NOT_FOUND', 'Nothing is stored with this number in your scope.')
      const events = await repo.publicEvents(caseRows.map((c) => c.id))
      const now = clock.now()
      const file: PhoneDataExport = {
        format: 'mashangjian-personal-data-v1',
        generatedAt: now.toISOString(),
        phone,
        cases: caseRows.map((c) => ({
          publicNo: c.publicNo,
          committeeName: c.committeeName,
          category: c.categoryNames?.['zh-CN'] ?? null,
          status: c.status,
          description: c.description,
          locationText: c.locationText,
          createdAt: c.createdAt.toISOString(),
          acceptedAt: iso(c.acceptedAt),
          resolvedAt: iso(c.resolvedAt),
          closedAt: iso(c.closedAt),
          rating: c.rating,
          ratingComment: c.ratingComment,
          events: events.filter((e) => e.caseId === c.id).map((e) => ({ type: e.type, body: e.body, occurredAt: e.occurredAt.toISOString() })),
        })),
        followedCases: followerRows.map((f) => ({
          publicNo: f.publicNo,
          committeeName: f.committeeName,
          status: f.status,
          joinedAt: f.createdAt.toISOString(),
        })),
        contacts: contactRows.map((c) => ({
          name: c.name,
          committeeName: c.committeeName,
          metOn: c.metOn,
          place: c.place,
          community: c.community,
          kind: c.kind,
          raised: c.raised,
          recordedAt: c.createdAt.toISOString(),
        })),
      }
      await record(db, actor, ip, 'privacy.phone_exported', hash, body.reason, {
        cases: file.cases.length,
        followers: file.followedCases.length,
        contacts: file.contacts.length,
      })
      return file
    },

    /** Erases the number everywhere in scope (one transaction); nothing in scope to erase: not found. */
    async erase(actor: Actor, body: { phone: string; reason: string }, ip: string | null): Promise<PhoneErasureResult> {
      const { phone, hash } = normalised(body.phone)
      const now = clock.now()
      return db.transaction(async (tx) => {
        const rows = await repo.erasePhone(tx, actor, hash, now)
        const textReplacements = await replaceMentions(tx, actor, phone, now)
        if (rows.cases + rows.followers + rows.contacts + textReplacements === 0)
          throw new AppError('NOT_FOUND', 'Nothing is stored with this number in your scope.')
        const result = { ...rows, textReplacements }
        await record(tx, actor, ip, 'privacy.phone_erased', hash, body.reason, result)
        return result
      })
    },
  }
}
export type PhoneRequestsService = ReturnType<typeof createPhoneRequestsService>

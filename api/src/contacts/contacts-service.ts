import { createHash } from 'node:crypto'
import { Value } from 'typebox/value'
import {
  beijingDay,
  beijingInstant,
  beijingYear,
  ContactBody,
  type Contact,
  type ContactCreated,
  type ContactListQuery,
  type ContactPage,
  type ContactPatch,
  type ContactPhone,
  type ContactToCaseBody,
  type ContactToCaseResult,
  type ContactToReportBody,
  type ContactToReportResult,
  type ContactTotals,
  type ContactTotalsQuery,
} from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import type { AuditWriter } from '../audit/audit-log'
import type { StaffIntakeService } from '../cases/staff-intake-service'
import { canonicalJson } from '../cases/op-request-hash'
import type { Clock } from '../clock'
import type { Db, DbOrTx } from '../db/database'
import { isUniqueViolation } from '../db/pg-errors'
import { AppError, notFound, validationFailed } from '../errors/app-error'
import type { LedgerService } from '../ledger/ledger-service'
import type { ReportsRepo } from '../opinion-reports/reports-repo'
import type { PhoneLookup } from '../privacy/phone-lookup'
import type { PiiCipher } from '../privacy/pii-cipher'
import { normalizeMainlandMobile } from '../public/submission-rules'
import type { ContactRow, ContactsRepo } from './contacts-repo'

const toView = (c: ContactRow): Contact => ({
  id: c.id,
  opId: c.opId,
  memberId: c.memberId,
  name: c.name,
  sectorId: c.sectorId,
  sectorName: c.sectorName,
  phoneMasked: c.phoneMasked,
  metOn: c.metOn,
  place: c.place,
  kind: c.kind,
  raised: c.raised,
  caseId: c.caseId,
  casePublicNo: c.casePublicNo,
  reportId: c.reportId,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
})

/** The body an opId was first sent with, defaults filled in and without the opId (as op-request-hash.ts for cases). */
const requestHash = (body: ContactBody) => {
  const { opId: _opId, ...rest } = Value.Default(ContactBody, structuredClone(body)) as ContactBody
  return createHash('sha256')
    .update(canonicalJson({ kind: 'contact', body: rest }))
    .digest('base64url')
}

const encodeCursor = (c: { metOn: string; id: string }) => Buffer.from(`${c.metOn}|${c.id}`).toString('base64url')
function decodeCursor(cursor: string): { metOn: string; id: string } {
  const [metOn, id] = Buffer.from(cursor, 'base64url').toString().split('|')
  if (!/^\d{4}-\d{2}-\d{2}$/.test(metOn ?? '') || !/^[0-9a-f-]{36}$/.test(id ?? '')) {
    throw validationFailed([{ field: 'querystring.cursor', message: 'not a cursor this API gave out' }])
  }
  return { metOn: metOn!, id: id! }
}

/** A report title from what was raised: its first line, cut to fit. */
const titleFrom = (raised: string, name: string) => {
  const line = raised.split('\n')[0]!.trim()
  const t = line.length >= 2 ? line : `${name}反映的情况`
  return t.length > 60 ? `${t.slice(0, 59)}…` : t
}

export interface ContactsServiceDeps {
  db: Db
  repo: ContactsRepo
  audit: AuditWriter
  clock: Clock
  cipher: PiiCipher
  /** The resident-phone key: a contact is a resident, so the desk's phone search finds them too. */
  residentPhones: PhoneLookup
  /** 转为诉求 files the case through the desk's intake (same rules, routing to the member, SMS, opId). */
  staffIntake: Pick<StaffIntakeService, 'intake'>
  reports: Pick<ReportsRepo, 'insert' | 'setCases'>
  /** The ledger's scope rules for committee and station lists (totals follow them). */
  ledger: Pick<LedgerService, 'checkListScope'>
}

/**
 * 界别群众 contacts (issue 15). A member records and edits their own; nobody else reads a contact, its name or
 * its phone: committee admins (their subtree) and station admins (their stations' members) see counts per member
 * against each member's yearly target. Creation is idempotent by opId, as case actions are.
 */
export function createContactsService({ db, repo, audit, clock, cipher, residentPhones, staffIntake, reports, ledger }: ContactsServiceDeps) {
  const memberOf = (actor: Actor): string => {
    if (actor.role !== 'member' || !actor.memberId || !actor.committeeId) throw new AppError('FORBIDDEN', 'Only members record 界别群众 contacts.')
    return actor.memberId
  }

  /** A contact of the calling member; anyone else's is not found (as one that does not exist). */
  async function own(actor: Actor, id: string): Promise<ContactRow> {
    const memberId = memberOf(actor)
    const row = await repo.load(id)
    if (!row || row.memberId !== memberId) throw notFound('contact')
    return row
  }

  function phoneFields(phone: string | null | undefined, field: string) {
    if (phone === undefined) return {}
    if (phone === null || phone.trim() === '') return { phoneEnc: null, phoneHash: null, phoneMasked: null }
    const normalised = normalizeMainlandMobile(phone)
    if (!normalised) throw validationFailed([{ field, message: 'not a mainland China mobile number' }])
    const p = residentPhones.protect(normalised)
    return { phoneEnc: p.enc, phoneHash: p.hash, phoneMasked: p.masked }
  }

  function checkDay(metOn: string, field: string) {
    // A contact is recorded after it happened; a day after today (Beijing) is a mistyped one.
    if (metOn > beijingDay(clock.now())) throw validationFailed([{ field, message: 'a contact cannot be met on a day after today' }])
  }

  async function checkSector(actor: Actor, sectorId: string | null | undefined) {
    if (sectorId && !(await repo.sectorOf(sectorId, actor.committeeId!))) throw notFound('sector')
  }

  /** The first answer for this opId, if it was this member's same request; anything else with it is refused. */
  async function replay(actor: Actor, body: ContactBody, q: DbOrTx = db): Promise<ContactCreated | undefined> {
    const first = await repo.byOpId(body.opId, q)
    if (!first) return undefined
    if (first.createdBy !== actor.userId || first.requestHash !== requestHash(body)) {
      throw new AppError('OP_ID_REUSED', 'This opId was already used for a different request; a new contact needs a new opId.')
    }
    return { contact: toView(first), replayed: true }
  }

  const record = (tx: DbOrTx, actor: Actor, ip: string | null, action: string, id: string, detail: Record<string, unknown>) =>
    audit.record(tx, { actorUserId: actor.userId, actorIp: ip, action, targetKind: 'contact', targetId: id, detail })

  return {
    async create(actor: Actor, body: ContactBody, ip: string | null): Promise<ContactCreated> {
      const memberId = memberOf(actor)
      const first = await replay(actor, body)
      if (first) return first
      checkDay(body.metOn, 'body.metOn')
      await checkSector(actor, body.sectorId)
      const now = clock.now()
      try {
        const id = await db.transaction(async (tx) => {
          const id = await repo.insert(tx, {
            committeeId: actor.committeeId!,
            memberId,
            name: body.name.trim(),
            sectorId: body.sectorId ?? null,
            ...phoneFields(body.phone, 'body.phone'),
            metOn: body.metOn,
            place: body.place?.trim() ?? '',
            kind: body.kind,
            raised: body.raised?.trim() ?? '',
            createdBy: actor.userId,
            opId: body.opId,
            requestHash: requestHash(body),
            createdAt: now,
            updatedAt: now,
          })
          await record(tx, actor, ip, 'contact.created', id, { opId: body.opId, kind: body.kind, metOn: body.metOn })
          return id
        })
        return { contact: toView((await repo.load(id))!), replayed: false }
      } catch (err) {
        // The same opId sent twice at once: the other request stored it first; answer with that one.
        if (isUniqueViolation(err)) {
          const again = await replay(actor, body)
          if (again) return again
        }
        throw err
      }
    },

    async list(actor: Actor, query: ContactListQuery): Promise<ContactPage> {
      const memberId = memberOf(actor)
      const { rows, more } = await repo.listOwn(memberId, query.year, query.limit ?? 50, query.cursor ? decodeCursor(query.cursor) : undefined)
      const last = rows.at(-1)
      return { items: rows.map(toView), nextCursor: more && last ? encodeCursor(last) : null }
    },

    async get(actor: Actor, id: string): Promise<Contact> {
      return toView(await own(actor, id))
    },

    async update(actor: Actor, id: string, patch: ContactPatch, ip: string | null): Promise<Contact> {
      const row = await own(actor, id)
      if (patch.metOn) checkDay(patch.metOn, 'body.metOn')
      await checkSector(actor, patch.sectorId)
      const values = {
        ...(patch.name !== undefined && { name: patch.name.trim() }),
        ...(patch.sectorId !== undefined && { sectorId: patch.sectorId }),
        ...phoneFields(patch.phone, 'body.phone'),
        ...(patch.metOn !== undefined && { metOn: patch.metOn }),
        ...(patch.place !== undefined && { place: patch.place.trim() }),
        ...(patch.kind !== undefined && { kind: patch.kind }),
        ...(patch.raised !== undefined && { raised: patch.raised.trim() }),
      }
      await db.transaction(async (tx) => {
        await repo.update(tx, row.id, { ...values, updatedAt: clock.now() })
        // Which fields changed, never their values (a phone or a name is not for the audit log).
        await record(tx, actor, ip, 'contact.updated', row.id, { fields: Object.keys(patch).sort() })
      })
      return toView((await repo.load(row.id))!)
    },

    /** The full number, to call them back; only the member who recorded it, and every reveal is audit-logged. */
    async revealPhone(actor: Actor, id: string, ip: string | null): Promise<ContactPhone> {
      const row = await own(actor, id)
      if (!row.phoneEnc) throw notFound('phone')
      await record(db, actor, ip, 'contact.phone_revealed', row.id, { phone: row.phoneMasked })
      return { phone: cipher.decrypt(row.phoneEnc) }
    },

    async totals(actor: Actor, query: ContactTotalsQuery): Promise<ContactTotals> {
      const scope = { kind: query.scope, id: query.id }
      await ledger.checkListScope(actor, scope)
      const year = query.year ?? beijingYear(clock.now())
      const rows = await repo.totals(scope, year)
      const members = rows.map((r) => ({ ...r, met: r.count >= r.target }))
      return { year, total: members.reduce((n, m) => n + m.count, 0), membersMeetingTarget: members.filter((m) => m.met).length, members }
    },

    /**
     * 转为诉求: the member files a case for the person, through the desk's intake at one of their stations, assigned
     * to themself (channel 来电 for a phone contact, 来访 otherwise). The intake's opId makes a resend replay it.
     */
    async toCase(actor: Actor, id: string, body: ContactToCaseBody, ip: string | null): Promise<ContactToCaseResult> {
      const row = await own(actor, id)
      const stations = await repo.memberStations(row.memberId)
      const stationId = body.stationId ?? stations[0]
      if (!stationId || !stations.includes(stationId)) {
        throw body.stationId ? notFound('station') : new AppError('CONFLICT', 'You are at no station yet: a case needs one.')
      }
      const channel = row.kind === 'phone' ? 'phone' : 'visit'
      const description = body.description ?? row.raised
      if (description.trim().length < 5) throw validationFailed([{ field: 'body.description', message: 'say what the case is about (at least 5 characters)' }])
      const result = await staffIntake.intake(
        actor,
        {
          opId: body.opId,
          channel,
          stationId,
          memberId: row.memberId,
          ...(body.categoryId && { categoryId: body.categoryId }),
          description,
          ...(body.locationText !== undefined ? { locationText: body.locationText } : row.place ? { locationText: row.place.slice(0, 200) } : {}),
          ...(row.phoneEnc && { residentPhone: cipher.decrypt(row.phoneEnc) }),
          consent: body.consent,
          occurredAt: beijingInstant(row.metOn).toISOString(),
        },
        ip,
      )
      const caseId = result.case.id
      if (row.caseId && row.caseId !== caseId) throw new AppError('CONFLICT', `This contact already became case ${row.casePublicNo ?? row.caseId}.`)
      await db.transaction(async (tx) => {
        if (await repo.link(tx, row.id, { caseId }, clock.now())) {
          await record(tx, actor, ip, 'contact.converted_to_case', row.id, { caseId, opId: body.opId, channel })
        }
      })
      const after = (await repo.load(row.id))!
      return { contact: toView(after), caseId, casePublicNo: result.case.publicNo, channel, trackingUrl: result.trackingUrl }
    },

    /**
     * 转为社情民意: a draft report credited to the member, with what was raised as its summary (and the contact's
     * case linked, if it became one). Once per contact: a second call answers the draft made by the first.
     */
    async toReport(actor: Actor, id: string, body: ContactToReportBody, ip: string | null): Promise<ContactToReportResult> {
      const row = await own(actor, id)
      if (row.reportId) return { contact: toView(row), reportId: row.reportId }
      const now = clock.now()
      const reportId = await db.transaction(async (tx) => {
        const reportId = await reports.insert(tx, {
          committeeId: row.committeeId,
          authorUserId: actor.userId,
          memberId: row.memberId,
          title: body.title ?? titleFrom(row.raised, row.name),
          summary: row.raised,
          suggestion: '',
          status: 'draft',
          createdAt: now,
          updatedAt: now,
        })
        if (row.caseId) await reports.setCases(tx, reportId, [row.caseId])
        // Two conversions at once: the second finds the link taken and its draft is rolled back with it.
        if (!(await repo.link(tx, row.id, { reportId }, now))) throw new AppError('CONFLICT', 'This contact was just turned into a report; reload it.')
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'opinion_report.created',
          targetKind: 'opinion_report',
          targetId: reportId,
          detail: { contactId: row.id, memberId: row.memberId },
        })
        await record(tx, actor, ip, 'contact.converted_to_report', row.id, { reportId })
        return reportId
      })
      return { contact: toView((await repo.load(row.id))!), reportId }
    },
  }
}
export type ContactsService = ReturnType<typeof createContactsService>

import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { ConfirmImportBody, ImportListQuery, ImportUploadQuery, MemberImportView } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { committeeInScope } from '../auth/scope'
import type { AuditEntry, AuditLog } from '../audit/audit-log'
import type { Clock } from '../clock'
import type { Db, DbOrTx } from '../db/database'
import type { StoredRosterRow } from '../db/schema'
import { isUniqueViolation } from '../db/pg-errors'
import { AppError, notFound, validationFailed } from '../errors/app-error'
import type { MembersRepo } from '../members/members-repo'
import { committeeFor, type CommitteePaths } from '../org/committee-target'
import type { PhoneLookup } from '../privacy/phone-lookup'
import type { ImportRow, ImportsRepo } from './imports-repo'
import { countPlans, diffOf, planFingerprint, planRows, type ExistingMember, type RosterContext, type RowPlan } from './roster-diff'
import { readRosterFile, RosterFileError } from './roster-file'
import { rosterRows } from './roster-rows'
import { rosterTemplateCsv, rosterTemplateXlsx } from './roster-template'
import { insertMemberCodes } from '../qr/qr-repo'

const HOUR = 3_600_000
/** How long a dry run waits for its confirmation. */
export const IMPORT_TTL_HOURS = 24
/** How long the (masked) record of an import is kept. */
const KEEP_DAYS = 30
/** Rows looked up or written per step; progress moves after each. */
const CHUNK = 250
/** Work in flight that has not moved for this long was lost with its process. */
const STALE_SECONDS = 5 * 60

export interface ImportsServiceDeps {
  db: Db
  repo: ImportsRepo
  members: Pick<MembersRepo, 'setStations'>
  committees: CommitteePaths
  audit: AuditLog
  phones: PhoneLookup
  clock: Clock
  log: FastifyBaseLogger
  /** Files with at most this many rows are validated and applied within the request; larger ones after it. */
  inlineRows?: number
}

type Phase = 'validating' | 'applying'
interface Running {
  phase: Phase
  processed: number
  total: number
  done: Promise<void>
}

/**
 * Roster import: read a CSV/XLSX file, show what it would change (dry run), apply it on confirmation in one
 * transaction. The parsed rows and the diff live in `member_import` between the two steps, so any API node can
 * answer the poll and the confirmation and a restart loses only work in flight (shown as failed: upload again).
 * Large files are worked on after the answer; progress is written as it goes (on PostgreSQL from a second
 * connection while the apply transaction is open; PGlite has one connection, so there a poll waits for the commit).
 */
export function createImportsService(deps: ImportsServiceDeps) {
  const { db, repo, committees, audit, phones, clock, log } = deps
  const inlineRows = deps.inlineRows ?? 500
  const running = new Map<string, Running>()

  function view(imp: ImportRow): MemberImportView {
    const live = running.get(imp.id)
    const phase: Phase | null = imp.status === 'validating' || imp.status === 'applying' ? imp.status : null
    return {
      id: imp.id,
      committeeId: imp.committeeId,
      status: imp.status,
      fileName: imp.fileName,
      fileKind: imp.fileKind,
      encoding: imp.encoding,
      progress: { phase, processed: live && live.phase === phase ? live.processed : phase ? imp.processedRows : imp.totalRows, total: imp.totalRows },
      counts: imp.counts,
      diff: imp.diff ?? null,
      mode: imp.mode ?? null,
      applied: imp.status === 'applied' ? { added: imp.added ?? 0, updated: imp.updated ?? 0 } : null,
      error: imp.errorCode ? { code: imp.errorCode, message: imp.errorMessage ?? '' } : null,
      createdAt: imp.createdAt.toISOString(),
      expiresAt: imp.expiresAt.toISOString(),
      appliedAt: imp.appliedAt?.toISOString() ?? null,
    }
  }

  /** An import the caller may see: in their committee scope; a station admin's own uploads only. Settles lost or expired ones. */
  async function load(actor: Actor, id: string): Promise<ImportRow> {
    const imp = await repo.find(id)
    const path = imp && (await committees.committeePath(imp.committeeId))
    if (!imp || !path || !committeeInScope(actor, path) || (actor.role === 'station_admin' && imp.createdBy !== actor.userId)) throw notFound('import')
    if (imp.status === 'ready' && imp.expiresAt < clock.now()) {
      await repo.settle(id, 'ready', {
        status: 'failed',
        rows: null,
        errorCode: 'EXPIRED',
        errorMessage: `not confirmed within ${IMPORT_TTL_HOURS} hours; upload the file again`,
      })
      return (await repo.find(id))!
    }
    if ((imp.status === 'validating' || imp.status === 'applying') && !running.has(id)) {
      await repo.settle(
        id,
        imp.status,
        {
          status: 'failed',
          rows: null,
          errorCode: 'INTERRUPTED',
          errorMessage: 'the server stopped while working on it; nothing was imported; upload the file again',
        },
        STALE_SECONDS,
      )
      return (await repo.find(id))!
    }
    return imp
  }

  /** Runs work inline for small files, else after the answer; either way it is tracked until done (see drain()). */
  async function track(id: string, phase: Phase, total: number, work: (progress: (n: number) => void) => Promise<void>): Promise<void> {
    const state: Running = { phase, processed: 0, total, done: Promise.resolve() }
    const progress = (n: number) => {
      state.processed = n
      // Not awaited: inside the apply transaction this write waits for a second connection (or, on PGlite, for the commit).
      void repo.progress(id, phase, n).catch(() => {})
    }
    state.done = work(progress).finally(() => running.delete(id))
    running.set(id, state)
    if (total <= inlineRows) await state.done
    else state.done.catch(() => {})
  }

  /** What the plan is computed from, for a station admin limited to their stations and members. */
  async function contextFor(
    actor: Actor,
    committeeId: string,
    rows: StoredRosterRow[],
    tx: DbOrTx,
    lock: boolean,
    progress?: (n: number) => void,
  ): Promise<RosterContext> {
    const [sectors, stations] = [await repo.sectors(committeeId, tx), await repo.stations(committeeId, tx)]
    const manageableStations = actor.role === 'station_admin' ? new Set(actor.stationIds) : ('all' as const)
    const manageable = (m: Omit<ExistingMember, 'manageable'>): ExistingMember => ({
      ...m,
      manageable: manageableStations === 'all' || m.stationIds.some((s) => manageableStations.has(s)),
    })
    const ctx: RosterContext = {
      sectorsByName: new Map(sectors.map((s) => [s.name, s.id])),
      sectorNamesById: new Map(sectors.map((s) => [s.id, s.name])),
      stationsByName: new Map(),
      stationNamesById: new Map(stations.map((s) => [s.id, s.name])),
      manageableStations,
      byPhoneHash: new Map(),
      phonelessByName: new Map(),
    }
    for (const s of stations) ctx.stationsByName.set(s.name, [...(ctx.stationsByName.get(s.name) ?? []), s.id])
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK)
      const hashes = chunk.flatMap((r) => (r.phone ? [r.phone.hash] : []))
      const names = [...new Set(chunk.flatMap((r) => (r.phone && r.cells.name ? [r.cells.name] : [])))]
      for (const m of await repo.membersByPhoneHash(committeeId, hashes, tx, lock)) ctx.byPhoneHash.set(m.phoneHash!, manageable(m))
      for (const m of await repo.phonelessByName(committeeId, names, tx, lock)) {
        const list = ctx.phonelessByName.get(m.name) ?? []
        if (!list.some((x) => x.id === m.id)) ctx.phonelessByName.set(m.name, [...list, manageable(m)])
      }
      progress?.(Math.min(rows.length, i + CHUNK))
    }
    return ctx
  }

  async function validate(actor: Actor, imp: ImportRow, rows: StoredRosterRow[], progress: (n: number) => void) {
    try {
      const ctx = await contextFor(actor, imp.committeeId, rows, db, false, progress)
      const plans = planRows(rows, ctx)
      await repo.update(imp.id, {
        status: 'ready',
        rows,
        diff: diffOf(plans, ctx),
        counts: countPlans(plans),
        diffHash: planFingerprint(plans),
        processedRows: rows.length,
      })
    } catch (err) {
      log.error({ err, importId: imp.id }, 'roster import validation failed')
      await repo.update(imp.id, { status: 'failed', rows: null, errorCode: 'INTERNAL', errorMessage: 'the file could not be checked' }).catch(() => {})
    }
  }

  async function writePlans(tx: DbOrTx, actor: Actor, imp: ImportRow, plans: RowPlan[], ip: string | undefined, progress: (n: number) => void) {
    let added = 0
    let updated = 0
    for (let i = 0; i < plans.length; i += CHUNK) {
      const chunk = plans.slice(i, i + CHUNK)
      const entries: AuditEntry[] = []
      const adds = chunk.flatMap((p) => (p.kind === 'add' ? [{ ...p, id: randomUUID() }] : []))
      await repo.insertMembers(
        tx,
        adds.map((p) => ({ id: p.id, committeeId: imp.committeeId, ...p.values })),
      )
      await repo.insertMemberStations(
        tx,
        adds.flatMap((p) => p.stationIds.map((stationId) => ({ memberId: p.id, stationId }))),
      )
      await insertMemberCodes(
        tx,
        adds.map((p) => ({ memberId: p.id, committeeId: imp.committeeId })),
        actor.userId,
      )
      for (const p of adds) {
        entries.push({
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'member.created',
          targetKind: 'member',
          targetId: p.id,
          detail: { importId: imp.id, row: p.row, name: p.values.name, phoneMasked: p.values.phoneMasked, stationIds: p.stationIds },
        })
      }
      added += adds.length
      for (const p of chunk) {
        if (p.kind !== 'update') continue
        if (Object.keys(p.patch).length > 0) await repo.updateMember(tx, p.memberId, p.patch)
        if (p.stationIds) await deps.members.setStations(tx, p.memberId, p.stationIds)
        entries.push({
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'member.updated',
          targetKind: 'member',
          targetId: p.memberId,
          detail: { importId: imp.id, row: p.row, changes: p.changes },
        })
        updated += 1
      }
      await audit.recordMany(tx, entries)
      progress(Math.min(plans.length, i + CHUNK))
    }
    return { added, updated }
  }

  async function apply(actor: Actor, imp: ImportRow, mode: ConfirmImportBody['mode'], ip: string | undefined, progress: (n: number) => void) {
    const rows = imp.rows ?? []
    try {
      await db.transaction(async (tx) => {
        // Recompute under row locks: if anything the plan relied on moved since the dry run, apply nothing.
        const ctx = await contextFor(actor, imp.committeeId, rows, tx, true)
        const plans = planRows(rows, ctx)
        if (planFingerprint(plans) !== imp.diffHash) throw new AppError('IMPORT_OUTDATED')
        const { added, updated } = await writePlans(
          tx,
          actor,
          imp,
          plans.filter((p) => p.kind === 'add' || p.kind === 'update'),
          ip,
          progress,
        )
        const now = clock.now()
        await repo.update(imp.id, { status: 'applied', rows: null, added, updated, appliedAt: now, processedRows: rows.length }, tx)
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'member_import.applied',
          targetKind: 'member_import',
          targetId: imp.id,
          detail: { committeeId: imp.committeeId, fileName: imp.fileName, mode, added, updated, unchanged: imp.counts.unchanged, skipped: imp.counts.error },
        })
      })
    } catch (err) {
      const outdated = (err instanceof AppError && err.code === 'IMPORT_OUTDATED') || isUniqueViolation(err, 'member_committee_phone_key')
      if (!outdated) log.error({ err, importId: imp.id }, 'roster import failed')
      await repo
        .update(imp.id, {
          status: 'failed',
          rows: null,
          errorCode: outdated ? 'IMPORT_OUTDATED' : 'INTERNAL',
          errorMessage: outdated
            ? 'the roster changed since the dry run; nothing was imported; upload the file again'
            : 'the import failed; nothing was imported',
        })
        .catch(() => {})
      throw outdated ? new AppError('IMPORT_OUTDATED') : err
    }
  }

  return {
    /** The dry run: reads the file, keeps its rows and answers the diff (or, for a large file, progress to poll). */
    async upload(actor: Actor, query: ImportUploadQuery, file: { fileName: string; data: Buffer }, ip?: string): Promise<MemberImportView> {
      const target = await committeeFor(actor, query.committeeId, committees, 'querystring.committeeId')
      let sheet
      let rows: StoredRosterRow[]
      try {
        sheet = await readRosterFile(file.data)
        rows = rosterRows(sheet, phones)
      } catch (err) {
        if (err instanceof RosterFileError) throw validationFailed(err.errors)
        throw err
      }
      const now = clock.now()
      await repo.purge(now, new Date(now.getTime() - KEEP_DAYS * 24 * HOUR))
      const imp = await repo.insert({
        committeeId: target.id,
        createdBy: actor.userId,
        status: 'validating',
        fileName: file.fileName.slice(0, 200),
        fileKind: sheet.kind,
        encoding: sheet.encoding,
        totalRows: rows.length,
        createdAt: now,
        expiresAt: new Date(now.getTime() + IMPORT_TTL_HOURS * HOUR),
      })
      await audit.record(db, {
        actorUserId: actor.userId,
        actorIp: ip,
        action: 'member_import.uploaded',
        targetKind: 'member_import',
        targetId: imp.id,
        detail: { committeeId: target.id, fileName: imp.fileName, rows: rows.length },
      })
      await track(imp.id, 'validating', rows.length, (progress) => validate(actor, imp, rows, progress))
      // A large file is still being checked: answer at once from what we know (on PGlite a read would wait for the work).
      return view(rows.length <= inlineRows ? (await repo.find(imp.id))! : imp)
    },

    async list(actor: Actor, query: ImportListQuery) {
      const limit = query.limit ?? 50
      const offset = query.offset ?? 0
      const committeeId = query.committeeId ? (await committeeFor(actor, query.committeeId, committees, 'querystring.committeeId')).id : undefined
      const { rows, total } = await repo.list(actor, committeeId, limit, offset)
      return { items: rows.map(view), total, limit, offset }
    },

    async get(actor: Actor, id: string): Promise<MemberImportView> {
      return view(await load(actor, id))
    },

    /** Applies a dry run. `all` refuses a file with bad rows; `valid_rows` skips them. Answers `applied`, or `applying` for a large file. */
    async confirm(actor: Actor, id: string, body: ConfirmImportBody, ip?: string): Promise<MemberImportView> {
      const imp = await load(actor, id)
      if (imp.status !== 'ready') {
        throw new AppError(
          'IMPORT_NOT_PENDING',
          imp.status === 'validating'
            ? 'Still checking the file; wait until it is ready.'
            : `The import is ${imp.status}${imp.errorCode ? ` (${imp.errorCode})` : ''}.`,
        )
      }
      if (body.mode === 'all' && imp.counts.error > 0) {
        throw new AppError('IMPORT_HAS_ERRORS', `${imp.counts.error} row(s) have errors: fix the file, or confirm with mode valid_rows to skip them.`)
      }
      if (!(await repo.claim(id, { mode: body.mode }))) throw new AppError('IMPORT_NOT_PENDING', 'The import is already being applied.')
      await track(id, 'applying', imp.totalRows, (progress) => apply(actor, imp, body.mode, ip, progress))
      return view(imp.totalRows <= inlineRows ? (await repo.find(id))! : { ...imp, status: 'applying', mode: body.mode, processedRows: 0 })
    },

    /** The template to fill in, with the committee's stations and sectors listed in the XLSX. */
    async template(actor: Actor, kind: 'xlsx' | 'csv', committeeId?: string): Promise<Buffer> {
      if (kind === 'csv') return rosterTemplateCsv()
      const target = await committeeFor(actor, committeeId, committees, 'querystring.committeeId')
      const [stations, sectors] = [await repo.stations(target.id), await repo.sectors(target.id)]
      const mine = actor.role === 'station_admin' ? stations.filter((s) => actor.stationIds.includes(s.id)) : stations
      return rosterTemplateXlsx({ stations: mine.map((s) => s.name), sectors: sectors.map((s) => s.name) })
    },

    /** Waits for work in flight (the app awaits this on close, before the database goes). */
    async drain(): Promise<void> {
      await Promise.allSettled([...running.values()].map((r) => r.done))
    },
  }
}
export type ImportsService = ReturnType<typeof createImportsService>

import {
  LEDGER_PRESETS,
  beijingYear,
  type LedgerListQuery,
  type LedgerPage,
  type LedgerPresetId,
  type LedgerTargetsBody,
  type LedgerTargetsView,
  type MemberLedger,
  type MemberLedgerReport,
} from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { committeeInScope, memberInScope } from '../auth/scope'
import type { AuditWriter } from '../audit/audit-log'
import type { Clock } from '../clock'
import type { Db } from '../db/database'
import { AppError, notFound, validationFailed } from '../errors/app-error'
import type { MetricsAggregator } from '../metrics/metrics-aggregator'
import type { MetricsRepo } from '../metrics/metrics-repo'
import type { LedgerMemberRow, LedgerRepo, LedgerScope } from './ledger-repo'
import { effectiveTargets, evaluateTargets, ledgerCounts, settingsFromBody } from './ledger-targets'
import { renderLedgerPage } from './ledger-page'

type LedgerItem = MemberLedger & { preset: LedgerPresetId }

const encodeCursor = (m: { name: string; id: string }) => Buffer.from(JSON.stringify([m.name, m.id])).toString('base64url')
function decodeCursor(cursor: string): { name: string; id: string } {
  try {
    const [name, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [unknown, unknown]
    if (typeof name === 'string' && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)) return { name, id }
  } catch {
    /* answered below */
  }
  throw validationFailed([{ field: 'querystring.cursor', message: 'not a cursor this API gave out' }])
}

/** Pages a ledger export reads at a time. */
const EXPORT_PAGE = 200

/**
 * The 履职 ledger (DESIGN.md §9): per member and year, case work, contacts and activities against the yearly
 * targets their committee chose (committee.settings.ledger, inherited down the committee tree).
 */
export function createLedgerService({
  db,
  repo,
  scopes,
  clock,
  audit,
  aggregator,
}: {
  db: Db
  repo: LedgerRepo
  /** The committee subtree and station scopes, resolved as the dashboard resolves them. */
  scopes: MetricsRepo
  clock: Clock
  audit: AuditWriter
  aggregator: MetricsAggregator
}) {
  /** The year asked for, or this Beijing year. */
  const yearOf = (year: number | undefined) => year ?? beijingYear(clock.now())

  /** Ledgers of these members, each against their own committee's targets. */
  async function ledgersOf(rows: LedgerMemberRow[], year: number): Promise<LedgerItem[]> {
    const [settings, raw] = [
      await repo.settingsOnPaths(rows.map((r) => r.committeePath)),
      await repo.counts(
        rows.map((r) => r.id),
        year,
      ),
    ]
    return rows.map((r) => {
      const targets = effectiveTargets(r.committeePath, (id) => settings.get(id))
      const counts = ledgerCounts(raw.get(r.id)!)
      const { committeePath: _path, contactTarget: min, ...member } = r
      const contactTarget = { min, actual: counts.sectorContacts, met: counts.sectorContacts >= min }
      return { member, year, counts, contactTarget, preset: targets.preset, ...evaluateTargets(targets, counts) }
    })
  }

  async function visibleMember(actor: Actor, id: string): Promise<LedgerMemberRow> {
    const m = await repo.member(id)
    if (!m || !memberInScope(actor, { id: m.id, committeePath: m.committeePath, stationIds: m.stations.map((s) => s.id) })) throw notFound('member')
    return m
  }

  /** Committee lists for committee admins (their subtree); station lists for that station's admins too. */
  async function checkListScope(actor: Actor, scope: LedgerScope): Promise<void> {
    if (scope.kind === 'committee' && actor.role === 'station_admin') throw new AppError('FORBIDDEN', 'Station admins list their stations’ members.')
    const found = await scopes.findScope(scope)
    const visible =
      found !== undefined &&
      committeeInScope(actor, found.committeePath) &&
      (actor.role !== 'station_admin' || found.stationIds.some((s) => actor.stationIds.includes(s)))
    if (!visible) throw notFound(scope.kind)
  }

  async function committeeFor(actor: Actor, committeeId: string) {
    const k = await repo.committee(committeeId)
    if (!k || !committeeInScope(actor, k.path)) throw notFound('committee')
    return k
  }

  async function targetsView(committeeId: string, path: string): Promise<LedgerTargetsView> {
    const settings = await repo.settingsOnPaths([path])
    const t = effectiveTargets(path, (id) => settings.get(id))
    return { committeeId, preset: t.preset, targets: t.targets, inheritedFrom: t.inheritedFrom, presets: Object.values(LEDGER_PRESETS) }
  }

  return {
    async memberLedger(actor: Actor, memberId: string, year?: number): Promise<MemberLedgerReport> {
      const m = await visibleMember(actor, memberId)
      const [ledger] = await ledgersOf([m], yearOf(year))
      return { ...ledger!, asOf: (await aggregator.asOf())?.toISOString() ?? null }
    },

    async list(actor: Actor, query: LedgerListQuery): Promise<LedgerPage> {
      const scope: LedgerScope = { kind: query.scope, id: query.id }
      await checkListScope(actor, scope)
      const year = yearOf(query.year)
      const { rows, more } = await repo.members(scope, query.limit ?? 50, query.cursor ? decodeCursor(query.cursor) : undefined)
      const last = rows.at(-1)
      return {
        year,
        asOf: (await aggregator.asOf())?.toISOString() ?? null,
        items: await ledgersOf(rows, year),
        nextCursor: more && last ? encodeCursor(last) : null,
      }
    },

    /** Every ledger of a scope, a page at a time (for streamed exports); the scope is checked before the first row. */
    async *each(actor: Actor, scope: LedgerScope, year?: number): AsyncGenerator<LedgerItem> {
      await checkListScope(actor, scope)
      const y = yearOf(year)
      let after: { name: string; id: string } | undefined
      for (;;) {
        const { rows, more } = await repo.members(scope, EXPORT_PAGE, after)
        yield* await ledgersOf(rows, y)
        if (!more) return
        after = rows.at(-1)
      }
    },

    /** Checks the scope of an export before the response starts. */
    checkListScope,

    async targets(actor: Actor, committeeId: string): Promise<LedgerTargetsView> {
      const k = await committeeFor(actor, committeeId)
      return targetsView(k.id, k.path)
    },

    async setTargets(actor: Actor, committeeId: string, body: LedgerTargetsBody, ip: string | null): Promise<LedgerTargetsView> {
      const k = await committeeFor(actor, committeeId)
      const ledger = settingsFromBody(body)
      await db.transaction(async (tx) => {
        await repo.setLedgerSettings(tx, k.id, ledger)
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'committee.ledger_targets_set',
          targetKind: 'committee',
          targetId: k.id,
          detail: { ...ledger },
        })
      })
      return targetsView(k.id, k.path)
    },

    /** The printable 履职档案 of a member for a year (HTML, print styles inline). */
    async page(actor: Actor, memberId: string, year?: number): Promise<string> {
      const m = await visibleMember(actor, memberId)
      const y = yearOf(year)
      const [ledger] = await ledgersOf([m], y)
      const records = await repo.yearRecords(m.id, y)
      return renderLedgerPage({ ledger: ledger!, ...records, generatedAt: clock.now() })
    },
  }
}
export type LedgerService = ReturnType<typeof createLedgerService>

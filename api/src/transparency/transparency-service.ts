import { LRUCache } from 'lru-cache'
import { beijingDay, type Locale, type MetricRates, type PublicationView } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import type { AuditWriter } from '../audit/audit-log'
import type { Clock } from '../clock'
import type { Db } from '../db/database'
import { AppError, notFound } from '../errors/app-error'
import { caseRoleOf } from '../cases/case-access'
import type { MetricsRepo, MetricsScope } from '../metrics/metrics-repo'
import { summary } from '../metrics/metrics-service'
import { maskPiiInText } from '../privacy/mask-text'
import type { PublicCommittee, PublicStation, TransparencyRepo } from './transparency-repo'

/** Matters shown per page: 20 keep the first view within its 14 KB gzip budget with the rates of a county. */
export const MATTERS_PER_PAGE = 20
/** Pages beyond this are refused (404) rather than read with an ever larger OFFSET. */
export const MAX_PAGE = 50
/** Characters of one matter's text on the page; longer answers end in "…" so 20 of them fit the budget. */
export const MATTER_TEXT_CHARS = 180

/** Cuts after masking, by code points: a number cut in half before masking would escape the mask. */
export function shorten(text: string, max = MATTER_TEXT_CHARS): string {
  const chars = [...text]
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`
}

export interface MonthRates {
  month: string
  rates: Pick<MetricRates, 'responseRate' | 'resolutionRate' | 'satisfactionRate'>
}
export interface StationRates {
  station: PublicStation
  thisMonth: MonthRates
  lastMonth: MonthRates
}
export interface PublishedMatter {
  category: string | null
  month: string
  text: string
}
export interface TransparencyModel {
  committee: PublicCommittee
  /** Set on a station's page. */
  station: PublicStation | null
  /** The committee's (or the station's) own figures, for the head of the page and the share card. */
  total: StationRates
  /** One entry per active station on the committee page; empty on a station's page (its figures are `total`). */
  stations: StationRates[]
  matters: PublishedMatter[]
  page: number
  hasMore: boolean
}

/** 'YYYY-MM' of this Beijing month and the one before, and the days [from, to) covering both. */
export function twoMonths(now: Date): { thisMonth: string; lastMonth: string; from: string; to: string } {
  const [y, m] = beijingDay(now).split('-').map(Number) as [number, number]
  const name = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`
  const last = m === 1 ? name(y - 1, 12) : name(y, m - 1)
  const next = m === 12 ? name(y + 1, 1) : name(y, m + 1)
  return { thisMonth: name(y, m), lastMonth: last, from: `${last}-01`, to: `${next}-01` }
}

const pickRates = (r: MetricRates) => ({ responseRate: r.responseRate, resolutionRate: r.resolutionRate, satisfactionRate: r.satisfactionRate })

/** A category's name in the page's language, else Chinese, else any. */
export function categoryName(names: Record<string, string> | null, locale: Locale): string | null {
  if (!names) return null
  return names[locale] ?? names['zh-CN'] ?? Object.values(names)[0] ?? null
}

/**
 * The committee's transparency page (issue 16): 三率 of this and last month per station from the pre-aggregated
 * metrics (the dashboard's numbers), and the resolved matters staff chose to publish — the moderated public text
 * or the member's answer, always through the one masking function. Staff switch publication per case.
 */
export function createTransparencyService({
  db,
  repo,
  metrics,
  audit,
  clock,
  cacheSeconds = 0,
}: {
  db: Db
  repo: TransparencyRepo
  /** The dashboard's monthly figures: the page publishes the same 三率. */
  metrics: MetricsRepo
  audit: AuditWriter
  clock: Clock
  cacheSeconds?: number
}) {
  /**
   * A page shared in a WeChat group is opened by many at once: its model (one metrics read per station) is kept
   * for `cacheSeconds` (0 = off), like the scan page's. A publication switched here clears it at once; other API
   * processes show it within `cacheSeconds`. Unknown pages are not kept, so probing cannot fill it.
   */
  const cache = cacheSeconds > 0 ? new LRUCache<string, TransparencyModel>({ max: 2_000, ttl: cacheSeconds * 1000 }) : undefined

  async function ratesOf(scope: MetricsScope, months: ReturnType<typeof twoMonths>) {
    const { months: sums } = await metrics.summaries(scope, { from: months.from, to: months.to })
    return {
      thisMonth: { month: months.thisMonth, rates: pickRates(summary([sums.get(months.thisMonth)]).rates) },
      lastMonth: { month: months.lastMonth, rates: pickRates(summary([sums.get(months.lastMonth)]).rates) },
    }
  }

  const publicTextOf = (row: { publicText: string | null; reply: string | null }) => {
    const text = row.publicText?.trim() || row.reply?.trim() || ''
    return text ? maskPiiInText(text) : null
  }

  async function checkedCase(actor: Actor, caseId: string, q: Parameters<TransparencyRepo['publication']>[1] = db, lock = false) {
    const row = await repo.publication(caseId, q, lock)
    // Like every case route: not yours (or not there) is 404, so nobody learns what exists elsewhere.
    if (!row || !caseRoleOf(actor, { memberId: row.memberId, stationId: row.stationId, committeePath: row.committeePath })) throw notFound('case')
    return row
  }
  const view = (row: NonNullable<Awaited<ReturnType<TransparencyRepo['publication']>>>): PublicationView => ({
    publishable: row.publishable,
    publicText: row.publicText,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    allowed: row.status === 'resolved' || row.status === 'closed',
    preview: publicTextOf(row),
  })

  return {
    /** The page's model, or undefined for an unknown committee, station or page. */
    async page(code: string, stationId: string | null, page: number, locale: Locale): Promise<TransparencyModel | undefined> {
      const key = `${code.toUpperCase()}|${stationId ?? ''}|${page}|${locale}`
      const cached = cache?.get(key)
      if (cached) return cached
      const model = await build(code, stationId, page, locale)
      if (model) cache?.set(key, model)
      return model
    },

    async publication(actor: Actor, caseId: string): Promise<PublicationView> {
      return view(await checkedCase(actor, caseId))
    },

    /**
     * Turns publication on or off and sets the moderated text (null or blank: the member's answer is shown).
     * Only a resolved or closed case may be switched on; switching off is always allowed. Audit-logged with the
     * case, in one transaction. Not a state change: the case's version stays as it is.
     */
    async setPublication(
      actor: Actor,
      caseId: string,
      input: { publishable: boolean; publicText?: string | null },
      ip: string | null,
    ): Promise<PublicationView> {
      const result = await db.transaction(async (tx) => {
        const row = await checkedCase(actor, caseId, tx, true)
        if (input.publishable && row.status !== 'resolved' && row.status !== 'closed') {
          throw new AppError('CASE_NOT_RESOLVED', `Case ${row.publicNo} is ${row.status}; only a resolved or closed case can be published.`)
        }
        const publicText = input.publicText === undefined ? row.publicText : input.publicText?.trim() || null
        const publishedAt = input.publishable ? (row.publishable && row.publishedAt ? row.publishedAt : clock.now()) : null
        await repo.setPublication(tx, caseId, { publishable: input.publishable, publicText, publishedAt })
        await audit.record(tx, {
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'case.publication_set',
          targetKind: 'case',
          targetId: caseId,
          detail: { publicNo: row.publicNo, publishable: input.publishable, publicTextChanged: publicText !== row.publicText, was: row.publishable },
        })
        return view({ ...row, publishable: input.publishable, publicText, publishedAt })
      })
      cache?.clear()
      return result
    },
  }

  /** The page's model from the database: the figures of every station side by side with one page of matters. */
  async function build(code: string, stationId: string | null, page: number, locale: Locale): Promise<TransparencyModel | undefined> {
    const committee = await repo.committeeByCode(code)
    if (!committee || page < 1 || page > MAX_PAGE) return undefined
    const stations = await repo.stations(committee.id)
    const station = stationId ? stations.find((s) => s.id === stationId) : null
    if (station === undefined) return undefined
    const months = twoMonths(clock.now())
    const [total, perStation, rows] = await Promise.all([
      ratesOf(station ? { kind: 'station', id: station.id } : { kind: 'committee', id: committee.id }, months),
      station ? Promise.resolve([]) : Promise.all(stations.map(async (s) => ({ station: s, ...(await ratesOf({ kind: 'station', id: s.id }, months)) }))),
      repo.published(committee.id, station?.id ?? null, MATTERS_PER_PAGE + 1, (page - 1) * MATTERS_PER_PAGE),
    ])
    const matters = rows.slice(0, MATTERS_PER_PAGE).flatMap((r) => {
      const text = publicTextOf(r)
      return text ? [{ category: categoryName(r.names, locale), month: beijingDay(r.resolvedAt).slice(0, 7), text: shorten(text) }] : []
    })
    return {
      committee,
      station,
      total: { station: station ?? { id: committee.id, name: committee.name }, ...total },
      stations: perStation,
      matters,
      page,
      hasMore: rows.length > MATTERS_PER_PAGE,
    }
  }
}
export type TransparencyService = ReturnType<typeof createTransparencyService>

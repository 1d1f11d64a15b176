import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { LRUCache } from 'lru-cache'
import { beijingDay, DEFAULT_SLA_HOURS, LOCALES, type Locale } from '@mashangjian/shared'
import type { Clock } from '../clock'
import type { Db } from '../db/database'
import type { QrRepo, QrRow } from '../qr/qr-repo'
import { normalizeQrCode } from '../qr/qr-codes'
import type { ReceptionSlot } from '../duty-roster/duty-roster-service'
import { retentionYearsOf } from '../retention/retention-rules'

export interface ScanCategory {
  id: string
  names: Record<string, string>
}
export interface ScanStation {
  id: string
  name: string
  address: string
  openHours: string
}
/** Reception days (接待日) on the page: today's slots, else the next one; both empty/null: none ahead. */
export interface ScanReception {
  today: ReceptionSlot[]
  next: ReceptionSlot | null
}
interface Common {
  code: string
  reception: ScanReception
  committeeName: string
  categories: ScanCategory[]
  /** The usual (general class) deadlines, to tell residents how long it takes. */
  sla: { acceptHours: number; resolveDays: number }
  /** Issue 19: the privacy notice's "deleted N years after the case ends", the committee's retention setting. */
  retentionYears: number
}

/** Everything the scan page shows for a code, or why it cannot show a form. */
export type ScanModel =
  | (Common & {
      kind: 'member'
      member: { id: string; name: string; title: string; level: 'province' | 'city' | 'county'; active: boolean; sectorName: string | null; hasPhoto: boolean }
      station: ScanStation | null
    })
  | (Common & { kind: 'station'; station: ScanStation; members: { id: string; name: string; sectorName: string | null }[] })
  | { kind: 'rotated'; successorCode: string; holderName: string }
  | { kind: 'revoked'; station: ScanStation | null; stationCode: string | null }
  | { kind: 'unknown' }

export interface ScanPage {
  model: ScanModel
  html: string
  gzip: Buffer
  /** Weak (same for the gzipped and plain bytes): a browser coming back the same day gets a 304 (issue 17). */
  etag: string
}

const stationView = (s: { id: string; name: string; address: string; openHours: string }): ScanStation => ({
  id: s.id,
  name: s.name,
  address: s.address,
  openHours: s.openHours,
})

/**
 * Turns a scanned code into the page model: a form for active codes, a friendly pointer for old ones.
 * Placards are scanned in bursts (a meeting, a market day) and their page rarely changes, so models are kept
 * for `cacheSeconds` (0 = off). Rotating or revoking a code clears it here at once; other API processes see the
 * change within `cacheSeconds`.
 * The page names today's reception (or the next day's), so its cache key holds the Beijing day (a page cached at
 * 23:59 is not served after midnight) and a roster version that every roster change here moves on.
 */
export function createScanService({
  repo,
  clock,
  cacheSeconds = 0,
  reception = () => Promise.resolve({ today: [], next: null }),
}: {
  db?: Db
  repo: QrRepo
  clock: Clock
  cacheSeconds?: number
  reception?: (holder: { stationId: string } | { memberId: string }) => Promise<ScanReception>
}) {
  const cache = cacheSeconds > 0 ? new LRUCache<string, ScanModel>({ max: 10_000, ttl: cacheSeconds * 1000 }) : undefined
  const pages = cacheSeconds > 0 ? new LRUCache<string, ScanPage>({ max: 40_000, ttl: cacheSeconds * 1000 }) : undefined
  let rosterVersion = 0
  const keyOf = (code: string) => `${code}|${beijingDay(clock.now())}|${rosterVersion}`

  async function common(q: QrRow): Promise<Common> {
    const committee = await repo.committee(q.committeeId)
    const general = committee.settings.slaHours?.general ?? DEFAULT_SLA_HOURS.general
    const categories = (await repo.categories(q.committeeId)).map((c) => ({ id: c.id, names: c.names }))
    return {
      code: q.code,
      committeeName: committee.name,
      categories,
      sla: { acceptHours: general.accept, resolveDays: Math.round(general.resolve / 24) },
      retentionYears: retentionYearsOf(committee.settings),
      reception: await reception(q.memberId ? { memberId: q.memberId } : { stationId: q.stationId! }),
    }
  }

  async function holderStation(q: QrRow): Promise<ScanStation | null> {
    if (q.stationId) {
      const s = await repo.station(q.stationId)
      return s ? stationView(s) : null
    }
    const [home] = await repo.stationsOfMember(q.memberId!)
    return home ? stationView(home) : null
  }

  async function load(code: string): Promise<ScanModel> {
    const q = /^[0-9A-Z]{6,16}$/.test(code) ? await repo.findByCode(code) : undefined
    if (!q) return { kind: 'unknown' }
    const now = clock.now()

    if (q.status === 'revoked') {
      const successor = q.redirectUntil && q.redirectUntil > now ? await repo.successorOf(q.id) : undefined
      if (successor?.status === 'active') {
        const holderName = q.memberId ? (await repo.member(q.memberId))?.member.name : (await repo.station(q.stationId!))?.name
        return { kind: 'rotated', successorCode: successor.code, holderName: holderName ?? '' }
      }
      const station = await holderStation(q)
      const stationCode = station ? ((await repo.activeCodeFor({ stationId: station.id }))?.code ?? null) : null
      return { kind: 'revoked', station, stationCode }
    }

    if (q.memberId) {
      const found = await repo.member(q.memberId)
      if (!found) return { kind: 'unknown' }
      const m = found.member
      return {
        kind: 'member',
        ...(await common(q)),
        station: await holderStation(q),
        member: {
          id: m.id,
          name: m.name,
          title: m.title,
          level: m.level,
          active: m.status === 'active',
          sectorName: found.sectorName,
          hasPhoto: Boolean(m.photoKey),
        },
      }
    }
    const station = await repo.station(q.stationId!)
    if (!station) return { kind: 'unknown' }
    const members = await repo.membersOfStation(station.id)
    const active = members.filter((m) => m.status === 'active')
    return {
      kind: 'station',
      ...(await common(q)),
      station: stationView(station),
      members: active.map((m) => ({ id: m.id, name: m.name, sectorName: m.sectorName })),
    }
  }

  return {
    async resolve(rawCode: string): Promise<ScanModel> {
      const code = normalizeQrCode(rawCode)
      const key = keyOf(code)
      const cached = cache?.get(key)
      if (cached) return cached
      const model = await load(code)
      // Unknown codes are not kept: random probing must not fill the cache.
      if (model.kind !== 'unknown') cache?.set(key, model)
      return model
    },

    /**
     * The page for a plain GET, rendered (and gzipped, for the slow networks residents are on) once per code and
     * language while the model is fresh.
     */
    async page(rawCode: string, locale: Locale, render: (model: ScanModel) => string): Promise<ScanPage> {
      const key = `${keyOf(normalizeQrCode(rawCode))}|${locale}`
      const hit = pages?.get(key)
      if (hit) return hit
      const model = await this.resolve(rawCode)
      const html = render(model)
      const out = { model, html, gzip: gzipSync(html), etag: `W/"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"` }
      if (model.kind !== 'unknown') pages?.set(key, out)
      return out
    },

    forget(code: string): void {
      cache?.delete(keyOf(code))
      for (const locale of LOCALES) pages?.delete(`${keyOf(code)}|${locale}`)
    },

    /** A reception rule or cancelled day changed: every cached page of this process is out of date. */
    rosterChanged(): void {
      rosterVersion += 1
      cache?.clear()
      pages?.clear()
    },
  }
}
export type ScanService = ReturnType<typeof createScanService>

import { DEFAULT_LOCALE, beijingDay, type PlacardsQuery, type PublicUrlReach } from '@mashangjian/shared'
import type { Actor } from '../auth/actor'
import { committeeInScope, stationInScope } from '../auth/scope'
import type { AuditLog } from '../audit/audit-log'
import type { Clock } from '../clock'
import { publicUrlReach } from '../config/public-base-url'
import type { Db } from '../db/database'
import { AppError, notFound, validationFailed } from '../errors/app-error'
import { scanUrl } from '../qr/qr-codes'
import { placardUrl, STATION_KIND_NAMES, stationHandles, stationPlace, stationReceivers, type Placard, type PlacardBatch } from './placard-model'
import { placardsPdf } from './placard-pdf'
import type { PlacardPhotos } from './placard-photos'
import { placardsPage, type PageLinks } from './pages/placards-page'
import type { PlacardMemberRow, PlacardsRepo } from './placards-repo'

export type PlacardFormat = 'pdf' | 'html'

/**
 * Who may print a member's placard: a station admin, members of a station they run; a committee admin (and the
 * system admin), members of their committee's subtree. Same rule as managing the member's QR codes. Unlike
 * memberInScope (auth/scope.ts, for records), a member may not, not even their own.
 */
export function mayPrintFor(actor: Actor, m: { committeePath: string; stationIds: string[] }): boolean {
  if (actor.role === 'station_admin') return m.stationIds.some((id) => actor.stationIds.includes(id))
  if (actor.role === 'committee_admin' || actor.role === 'system_admin') return committeeInScope(actor, m.committeePath)
  return false
}

export function createPlacardsService({
  db,
  repo,
  audit,
  photos,
  clock,
  publicBaseUrl,
}: {
  db: Db
  repo: PlacardsRepo
  audit: AuditLog
  photos: PlacardPhotos
  clock: Clock
  publicBaseUrl: string
}) {
  /** The members asked for, in scope, with the station to print on each; anything out of scope is "not found". */
  async function chosenMembers(actor: Actor, query: PlacardsQuery) {
    if (query.stationId) {
      const st = await repo.station(query.stationId)
      if (!st || !stationInScope(actor, { id: st.id, committeePath: st.committeePath })) throw notFound('station')
      const members = await repo.membersOfStation(st.id)
      return { subject: st.name, stationId: st.id, members: members.map((m) => ({ ...m, stationName: st.name })) }
    }
    const ids = [...new Set(query.memberIds!.toLowerCase().split(','))]
    const [rows, stations] = await Promise.all([repo.membersByIds(ids), repo.stationsOfMembers(ids)])
    const byId = new Map(rows.map((r) => [r.id, r]))
    const members: (PlacardMemberRow & { stationName: string | null })[] = []
    for (const id of ids) {
      const row = byId.get(id)
      const own = stations.get(id) ?? []
      if (!row || !mayPrintFor(actor, { committeePath: row.committeePath, stationIds: own.map((s) => s.id) })) throw notFound('member')
      // A station admin prints the station they run; anyone else the member's home station.
      const shown = own.find((s) => actor.role === 'station_admin' && actor.stationIds.includes(s.id)) ?? own[0]
      members.push({ ...row, stationName: shown?.name ?? null })
    }
    return { subject: `${members.length}位委员`, stationId: null, members }
  }

  /**
   * A station's own placard: its newest active station code, what it handles and who receives there. Same scope as
   * printing its members' placards. A station without an active code of its own is 409 with a message saying to
   * issue one: a code is never issued as a side effect of printing.
   */
  async function stationPlacard(actor: Actor, query: PlacardsQuery, format: PlacardFormat, ip: string | null): Promise<PlacardBatch> {
    if (!query.stationId)
      throw validationFailed([{ field: 'querystring.stationId', message: 'subject=station needs stationId (not memberIds)', keyword: 'required' }])
    const st = await repo.station(query.stationId)
    if (!st || !stationInScope(actor, { id: st.id, committeePath: st.committeePath })) throw notFound('station')
    const code = await repo.stationCode(st.id)
    if (!code) {
      throw new AppError('CONFLICT', `${st.name} has no active QR code of its own; issue one on the station's page (Stations → QR codes) first.`)
    }
    const [categories, receivers] = await Promise.all([repo.categoryNames(st.committeeId), repo.receivers(st.id)])
    const layout = query.layout ?? 'poster'
    const locale = query.lang ?? DEFAULT_LOCALE
    const placard: Placard = {
      memberId: null,
      name: st.name,
      title: '',
      sectorName: null,
      stationName: null,
      committeeName: st.committeeName,
      code,
      url: placardUrl(scanUrl(publicBaseUrl, code), locale),
      photoKey: null,
      station: {
        stationId: st.id,
        kindName: STATION_KIND_NAMES[st.kind],
        place: stationPlace(st.address, st.openHours),
        handles: stationHandles(categories),
        receivers: stationReceivers(receivers),
        receiverNames: stationReceivers(receivers, { sectors: false }),
      },
    }
    await audit.recordMany(db, [
      {
        actorUserId: actor.userId,
        actorIp: ip,
        action: 'placard.printed',
        targetKind: 'station',
        targetId: st.id,
        detail: { format, layout, lang: locale, code, stationId: st.id, batchSize: 1 },
      },
    ])
    return { kind: 'station', layout, locale, placards: [placard], skipped: [], subject: `${st.name}-本站二维码`, date: beijingDay(clock.now()) }
  }

  return {
    /**
     * Checks and loads a print job and records it in the audit log (one row per placard, with the code printed,
     * so "who printed this member's placard, with which code" has an answer after codes rotate). Members without
     * an active code are skipped and listed; if that leaves nothing to print, the answer is 409.
     */
    async print(actor: Actor, query: PlacardsQuery, { format, ip = null }: { format: PlacardFormat; ip?: string | null }): Promise<PlacardBatch> {
      if (query.subject === 'station') return stationPlacard(actor, query, format, ip)
      const locale = query.lang ?? DEFAULT_LOCALE
      const { subject, stationId, members } = await chosenMembers(actor, query)
      const codes = await repo.activeCodes(members.map((m) => m.id))
      const placards: Placard[] = []
      const skipped: PlacardBatch['skipped'] = []
      for (const m of members) {
        const code = codes.get(m.id)
        if (!code) {
          skipped.push({ memberId: m.id, name: m.name })
          continue
        }
        placards.push({
          memberId: m.id,
          name: m.name,
          title: m.title,
          sectorName: m.sectorName,
          stationName: m.stationName,
          committeeName: m.committeeName,
          code,
          url: placardUrl(scanUrl(publicBaseUrl, code), locale),
          photoKey: m.photoKey,
        })
      }
      if (placards.length === 0) {
        throw new AppError(
          'CONFLICT',
          members.length === 0 ? 'This station has no members.' : 'None of these members has an active QR code; issue codes first.',
        )
      }
      const layout = query.layout ?? 'poster'
      await audit.recordMany(
        db,
        placards.map((p) => ({
          actorUserId: actor.userId,
          actorIp: ip,
          action: 'placard.printed',
          targetKind: 'member',
          targetId: p.memberId!,
          detail: { format, layout, lang: locale, code: p.code, stationId, batchSize: placards.length },
        })),
      )
      return { kind: 'members', layout, locale, placards, skipped, subject, date: beijingDay(clock.now()) }
    },

    /** The URL placards encode and whether residents' phones can reach it (the console warns when not). */
    settings(): PublicUrlReach {
      return publicUrlReach(publicBaseUrl)
    },

    /** The batch as a PDF stream (see placard-pdf.ts). */
    pdf(batch: PlacardBatch) {
      return placardsPdf(batch, { photo: photos.get })
    },

    /** The printable HTML preview. */
    html(batch: PlacardBatch, links: PageLinks): Promise<string> {
      return placardsPage(batch, links, { photo: photos.get })
    },
  }
}
export type PlacardsService = ReturnType<typeof createPlacardsService>

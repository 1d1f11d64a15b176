import { isLocale, translator, type CaseStatus, type Locale } from '@mashangjian/shared'
import type { Clock } from '../clock'
import { sha256 } from '../auth/tokens'
import { maskPiiInText } from '../privacy/mask-text'
import type { PublicCasesService } from '../public/public-cases-service'
import { validateSubmission, type SubmissionIssue } from '../public/submission-rules'
import { loadCandidates } from '../routing/routing-repo'
import { routeCase } from '../routing/route-case'
import { Open311Error } from './open311-format'
import { parseW3c, w3cBeijing } from './open311-dates'
import type { Open311CaseRow, Open311Repo } from './open311-repo'

export interface Open311Deps {
  repo: Open311Repo
  /** Open311 is one more client of the public submission service (DESIGN.md): same rules, routing, numbers, notices. */
  submissions: Pick<PublicCasesService, 'register' | 'announce'>
  clock: Clock
  publicBaseUrl: string
}

/**
 * Our states → the spec's two. Open: still with us (submitted, assigned, accepted, in_progress, reopened).
 * Closed: nothing more will happen unless the resident reopens it (resolved, closed, invalid, merged).
 */
export const OPEN311_OPEN: readonly CaseStatus[] = ['submitted', 'assigned', 'accepted', 'in_progress', 'reopened']
export const OPEN311_CLOSED: readonly CaseStatus[] = ['resolved', 'closed', 'invalid', 'merged']
const open311Status = (s: CaseStatus) => (OPEN311_OPEN.includes(s) ? 'open' : 'closed')

/** The spec: "the most recent 90 days … or the most recent 1000 requests, whichever is smaller". */
const DEFAULT_SPAN_MS = 90 * 86_400_000
const MAX_RESULTS = 1000
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** What a client may POST (spec: "POST Service Request"); everything arrives as text (form-urlencoded). */
export interface PostRequestInput {
  api_key?: string
  jurisdiction_id?: string
  service_code?: string
  lat?: string
  long?: string
  address_string?: string
  address_id?: string
  email?: string
  device_id?: string
  account_id?: string
  first_name?: string
  last_name?: string
  phone?: string
  description?: string
  media_url?: string
}

export interface RequestsQuery {
  service_request_id?: string
  service_code?: string
  start_date?: string
  end_date?: string
  status?: string
}

/** Our rules' field names → the spec's, so an error names what the client sent. */
const FIELD: Record<string, string> = { description: 'description', location: 'address_string', phone: 'phone', consent: 'phone' }
const en = translator('en')
const issueText = (issues: SubmissionIssue[]) => issues.map((i) => `${FIELD[i.field] ?? i.field}: ${en(i.key, i.values)}`).join('; ')

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
const round3 = (n: number) => Math.round(n * 1000) / 1000

/**
 * The GeoReport v2 endpoints' rules. The jurisdiction is the committee (jurisdiction_id = its short code); its
 * services are its active categories; its requests are its cases, shown with public fields only: no phone, no
 * names, no location text, no tracking secret, and the resident's own words only for cases staff published,
 * masked like everything shown to strangers.
 */
export function createOpen311Service({ repo, submissions, clock, publicBaseUrl }: Open311Deps) {
  async function jurisdiction(id: string | undefined) {
    if (id?.trim()) {
      const found = await repo.committeeByCode(id.trim())
      if (!found) throw new Open311Error(404, `jurisdiction_id ${id.trim()} was not found`)
      return found
    }
    const some = await repo.someCommittees()
    if (some.length !== 1) throw new Open311Error(400, 'jurisdiction_id was not provided (this server serves several committees)')
    return some[0]!
  }

  const nameIn = (names: Record<string, string> | null | undefined, locale: Locale) =>
    names ? (names[locale] ?? names['zh-CN'] ?? Object.values(names)[0] ?? '') : undefined

  const mapPoint = (row: Open311CaseRow) => row.publishable && row.channel === 'open311' && row.lat !== null && row.lng !== null

  function publicRequest(row: Open311CaseRow, locale: Locale) {
    const open = open311Status(row.status) === 'open'
    return {
      service_request_id: row.publicNo,
      status: open311Status(row.status),
      // Only what staff chose to publish, masked; the resident's text is personal data otherwise.
      status_notes: row.publishable && row.publicText ? maskPiiInText(row.publicText) : undefined,
      service_name: nameIn(row.categoryNames, locale),
      service_code: row.categoryId ?? undefined,
      // Never the resident's own words: staff publish an answer (类别、月份和答复), not the description, which
      // may name the resident or their address in ways no mask recognises.
      agency_responsible: row.stationName ?? undefined,
      requested_datetime: w3cBeijing(row.createdAt),
      updated_datetime: w3cBeijing(row.updatedAt),
      expected_datetime: open && row.resolveDueAt ? w3cBeijing(row.resolveDueAt) : undefined,
      // Only where a civic client sent the point for a matter staff then published, and to about a hundred metres:
      // a resident's own "use my location" was shared with their member, not with the world.
      ...(mapPoint(row) && { lat: round3(row.lat!), long: round3(row.lng!) }),
    }
  }

  function point(lat: string | undefined, long: string | undefined): { lat: number; lng: number } | null {
    if (!lat?.trim() && !long?.trim()) return null
    const la = Number(lat),
      lo = Number(long)
    if (!lat?.trim() || !long?.trim() || !Number.isFinite(la) || !Number.isFinite(lo) || Math.abs(la) > 90 || Math.abs(lo) > 180) {
      throw new Open311Error(400, 'lat and long must be given together as WGS84 decimal degrees')
    }
    return { lat: la, lng: lo }
  }

  return {
    /** The Service Discovery document (wiki.open311.org/Service_Discovery) for this server's one endpoint. */
    discovery() {
      return {
        changeset: w3cBeijing(new Date(Date.UTC(2026, 11, 1))),
        contact: `${publicBaseUrl}/`,
        key_service: `${publicBaseUrl}/app/admin/open311`,
        endpoints: [
          {
            specification: 'http://wiki.open311.org/GeoReport_v2',
            url: `${publicBaseUrl}/open311/v2`,
            changeset: w3cBeijing(new Date(Date.UTC(2026, 11, 1))),
            type: 'production',
            formats: ['text/xml', 'application/json'],
          },
        ],
      }
    },

    async services(jurisdictionId: string | undefined, locale: Locale) {
      const c = await jurisdiction(jurisdictionId)
      const rows = await repo.activeCategories(c.id)
      return rows.map(({ category, sectorName }) => {
        const name = nameIn(category.names, locale) ?? ''
        return {
          service_code: category.id,
          service_name: name,
          description:
            Object.values(category.names)
              .filter((n) => n && n !== name)
              .join(' / ') || name,
          metadata: false,
          type: 'realtime',
          keywords: Object.values(category.names).join(', '),
          group: sectorName ?? undefined,
        }
      })
    },

    /** No category asks extra questions (metadata is false everywhere): a known code answers with no attributes. */
    async serviceDefinition(jurisdictionId: string | undefined, code: string) {
      const c = await jurisdiction(jurisdictionId)
      const cat = UUID.test(code) ? await repo.category(code) : undefined
      if (!cat || cat.committeeId !== c.id || !cat.active) throw new Open311Error(404, `service_code ${code} was not found`)
      return { service_code: cat.id, attributes: [] as never[] }
    },

    async postRequest(input: PostRequestInput, locale: Locale | undefined, ip: string | null) {
      const key = input.api_key?.trim()
      const client = key ? await repo.clientByKeyHash(sha256(key)) : undefined
      if (!client) throw new Open311Error(403, key ? 'api_key is invalid or was revoked' : 'api_key was not provided')
      const committee = await repo.committeeById(client.committeeId)
      if (!committee) throw new Open311Error(403, 'api_key is invalid or was revoked')
      if (input.jurisdiction_id?.trim()) {
        const asked = await jurisdiction(input.jurisdiction_id)
        if (asked.id !== committee.id) throw new Open311Error(403, 'api_key is not valid for this jurisdiction_id')
      }
      const code = input.service_code?.trim()
      if (!code) throw new Open311Error(400, 'service_code was not provided')
      const cat = UUID.test(code) ? await repo.category(code) : undefined
      if (!cat || cat.committeeId !== committee.id || !cat.active) throw new Open311Error(400, `service_code ${code} was not found`)

      // The client relays the resident's phone: giving it is the resident's consent to hear from us (our SMS receipt).
      const phone = input.phone?.trim() || undefined
      const checked = validateSubmission({ description: input.description, location: input.address_string, phone, consent: phone ? true : undefined })
      if ('issues' in checked) throw new Open311Error(400, issueText(checked.issues))
      const where = point(input.lat, input.long)
      const station = await repo.routeStation(committee.id, client.stationId)
      if (!station) throw new Open311Error(400, 'this jurisdiction has no station to take requests yet')

      const now = clock.now()
      const residentLocale = locale ?? (isLocale(committee.defaultLocale) ? committee.defaultLocale : 'zh-CN')
      const caseToken = { id: '' }
      // first_name, last_name, email, device_id, account_id and media_url are read and dropped: nothing to store
      // them in that only the assignee reads, and photos come only as uploads we re-encode (never a fetched URL).
      const created = await submissions.register({
        committee,
        now,
        occurredAt: now,
        channel: 'open311',
        qrCodeId: null,
        category: { id: cat.id, slaClass: cat.slaClass },
        description: checked.ok.description,
        locationText: checked.ok.location,
        phone: checked.ok.phone,
        locale: residentLocale,
        attachments: [],
        // As a scan of the station's code: on duty now, then the category's sector, then the least loaded, else the queue.
        route: async (tx) =>
          routeCase({ kind: 'station', stationId: station.id, categorySectorId: cat.sectorId, candidates: await loadCandidates(tx, station.id, now) }),
        submittedBy: { actorKind: 'resident', actorUserId: null, data: { channel: 'open311', open311ClientId: client.id } },
        audit: { actorUserId: null, actorIp: ip, action: 'case.submitted', detail: { channel: 'open311', open311ClientId: client.id } },
        beforeCommit: async (tx, row) => {
          caseToken.id = row.id
          await repo.markOpen311Case(tx, row.id, client.id, where, now)
        },
      })
      submissions.announce()
      return [
        {
          service_request_id: created.row.publicNo,
          // The case id: tokens/{token} answers the number too, for clients written for batch servers.
          token: caseToken.id,
          service_notice: residentLocale === 'zh-CN' ? `已受理，转${station.name}办理` : `Received; passed to ${station.name}.`,
          account_id: undefined,
        },
      ]
    },

    async requests(jurisdictionId: string | undefined, q: RequestsQuery, locale: Locale) {
      const c = await jurisdiction(jurisdictionId)
      const ids = list(q.service_request_id)
      // The spec: service_request_id overrides every other argument.
      if (ids.length > 0) {
        if (ids.length > MAX_RESULTS) throw new Open311Error(400, `at most ${MAX_RESULTS} service_request_id values at once`)
        const rows = await repo.findRequests({ committeeId: c.id, publicNos: ids.map((i) => i.toUpperCase()), limit: MAX_RESULTS })
        return rows.map((r) => publicRequest(r, locale))
      }
      const codes = list(q.service_code)
      const statuses = list(q.status).map((s) => s.toLowerCase())
      if (statuses.some((s) => s !== 'open' && s !== 'closed')) throw new Open311Error(400, 'status must be open, closed or both (comma-separated)')
      const parse = (name: 'start_date' | 'end_date') => {
        const text = q[name]?.trim()
        if (!text) return undefined
        const d = parseW3c(text)
        if (!d) throw new Open311Error(400, `${name} must be a W3C date-time with its zone, e.g. 2026-11-05T08:15:30+08:00`)
        return d
      }
      let from = parse('start_date')
      let to = parse('end_date')
      if (!from && !to) {
        to = clock.now()
        from = new Date(to.getTime() - DEFAULT_SPAN_MS)
      } else if (!from) from = new Date(to!.getTime() - DEFAULT_SPAN_MS)
      else if (!to) to = new Date(from.getTime() + DEFAULT_SPAN_MS)
      if (to!.getTime() < from.getTime()) throw new Open311Error(400, 'end_date is before start_date')
      if (to!.getTime() - from.getTime() > DEFAULT_SPAN_MS) throw new Open311Error(400, 'start_date and end_date may not span more than 90 days')
      const validCodes = codes.filter((s) => UUID.test(s))
      if (codes.length > 0 && validCodes.length === 0) return []
      const wanted = new Set(statuses)
      const rows = await repo.findRequests({
        committeeId: c.id,
        from,
        to,
        limit: MAX_RESULTS,
        categoryIds: validCodes.length > 0 ? validCodes : undefined,
        statuses: wanted.size === 1 ? [...(wanted.has('open') ? OPEN311_OPEN : OPEN311_CLOSED)] : undefined,
      })
      return rows.map((r) => publicRequest(r, locale))
    },

    async request(jurisdictionId: string | undefined, id: string, locale: Locale) {
      const c = await jurisdiction(jurisdictionId)
      const [row] = await repo.findRequests({ committeeId: c.id, publicNos: [id.trim().toUpperCase()], limit: 1 })
      if (!row) throw new Open311Error(404, `service_request_id ${id} was not found`)
      return [publicRequest(row, locale)]
    },

    async token(jurisdictionId: string | undefined, token: string) {
      const c = await jurisdiction(jurisdictionId)
      const row = UUID.test(token) ? await repo.requestById(c.id, token) : undefined
      if (!row) throw new Open311Error(404, `token ${token} was not found`)
      return [{ service_request_id: row.publicNo, token: row.id }]
    },
  }
}
export type Open311Service = ReturnType<typeof createOpen311Service>

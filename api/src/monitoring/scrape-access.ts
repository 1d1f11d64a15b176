import { createHash, timingSafeEqual } from 'node:crypto'
import { BlockList, isIP } from 'node:net'
import type { FastifyRequest } from 'fastify'
import { AppError } from '../errors/app-error'

/** Decides whether a request may read /metrics; throws the problem to answer otherwise. */
export type ScrapeCheck = (request: FastifyRequest) => void

/** `127.0.0.1, 10.0.0.0/8 ::1` → entries; commas and spaces both separate. */
export const splitAllowList = (raw: string): string[] => raw.split(/[\s,]+/).filter(Boolean)

/** What is wrong with an allow-list (for the start-up message), or undefined when every entry is an address or a range. */
export function allowListProblem(entries: readonly string[]): string | undefined {
  if (entries.length === 0) return 'must name at least one address'
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/')
    const family = isIP(address)
    const bits = family === 4 ? 32 : 128
    if (!family || extra !== undefined) return `has "${entry}", which is not an IP address or CIDR range`
    if (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits)) return `has "${entry}", whose prefix length is not 0–${bits}`
  }
  return undefined
}

function blockList(entries: readonly string[]): BlockList {
  const list = new BlockList()
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/')
    const family = isIP(address) === 4 ? 'ipv4' : 'ipv6'
    if (prefix === undefined) list.addAddress(address, family)
    else list.addSubnet(address, Number(prefix), family)
  }
  return list
}

/** A dual-stack socket reports IPv4 peers as `::ffff:a.b.c.d`; the list is written with plain IPv4. */
function plainAddress(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return { address: mapped[1]!, family: 'ipv4' }
  return { address, family: isIP(address) === 4 ? 'ipv4' : 'ipv6' }
}

/** Compared as digests so the comparison takes the same time whatever the length or the first wrong byte. */
const digest = (s: string) => createHash('sha256').update(s).digest()

/** Any sign that a proxy handed this request on: its socket address is then the proxy's, not the requester's. */
const forwarded = (request: FastifyRequest) =>
  request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined || request.headers['x-real-ip'] !== undefined

/**
 * Who may scrape /metrics (METRICS_TOKEN, METRICS_ALLOW). Neither set: metrics are off and /metrics answers 404 with
 * a message saying how to turn them on (what is counted — routes, jobs, notices — is no business of the Internet).
 *
 * - A request with `Authorization: Bearer …` is judged by the token alone (when a token is configured): wrong → 401.
 * - Otherwise the allow-list is checked against the **socket** address, never `request.ip`: with TRUST_PROXY the
 *   latter comes from X-Forwarded-For, which any client can write (`X-Forwarded-For: 127.0.0.1`). And a request
 *   that came through a proxy (it carries X-Forwarded-For, Forwarded or X-Real-IP) is not admitted by address at
 *   all, whatever TRUST_PROXY says: its socket address is the proxy's, so on the usual one-server set-up (Caddy on
 *   the same host, METRICS_ALLOW=127.0.0.1) it would admit the whole Internet. Prometheus scrapes each API process
 *   directly anyway — the counters are per process, and a scrape through the load balancer would read a random one.
 */
export function createScrapeCheck({ token, allow }: { token?: string | undefined; allow?: readonly string[] | undefined }): ScrapeCheck {
  const expected = token ? digest(token) : undefined
  const allowed = allow && allow.length > 0 ? blockList(allow) : undefined
  return (request) => {
    if (!expected && !allowed) {
      throw new AppError('NOT_FOUND', 'Metrics are off on this server: set METRICS_TOKEN or METRICS_ALLOW to turn them on.')
    }
    const header = request.headers.authorization
    if (expected && header !== undefined) {
      const [scheme, credentials] = header.split(/\s+/, 2)
      if (scheme?.toLowerCase() === 'bearer' && credentials && timingSafeEqual(digest(credentials), expected)) return
      throw new AppError('UNAUTHENTICATED', 'The metrics token is wrong.')
    }
    const socket = request.socket.remoteAddress
    if (allowed && socket && !forwarded(request)) {
      const { address, family } = plainAddress(socket)
      if (allowed.check(address, family)) return
    }
    if (expected) throw new AppError('UNAUTHENTICATED', 'Send the metrics token as `Authorization: Bearer <METRICS_TOKEN>`.')
    throw new AppError(
      'FORBIDDEN',
      forwarded(request)
        ? 'Metrics are not served through a proxy: scrape the process directly, or use METRICS_TOKEN.'
        : 'This address is not in METRICS_ALLOW.',
    )
  }
}

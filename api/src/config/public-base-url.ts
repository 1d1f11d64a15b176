import { BlockList, isIP } from 'node:net'
import type { PublicUrlReach } from '@mashangjian/shared'

/** Addresses a resident's phone on the mobile network cannot reach: this machine, or a private network. */
const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addSubnet('0.0.0.0', 8, 'ipv4') // "this host": what 0.0.0.0 means in a browser
LOOPBACK.addAddress('::1', 'ipv6')
LOOPBACK.addAddress('::', 'ipv6')

const PRIVATE = new BlockList()
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4')
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4')
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4')
PRIVATE.addSubnet('169.254.0.0', 16, 'ipv4') // link-local
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4') // carrier-grade NAT
PRIVATE.addSubnet('fc00::', 7, 'ipv6') // unique local
PRIVATE.addSubnet('fe80::', 10, 'ipv6') // link-local

/**
 * Whether the URL printed on placards (PUBLIC_BASE_URL) can be opened by a resident's phone: not when it names this
 * machine (localhost, 127.0.0.0/8, ::1) or an address of a private network (10/8, 172.16/12, 192.168/16,
 * 169.254/16, 100.64/10, fc00::/7, fe80::/10, `*.local` mDNS names). Pure: it looks at the URL only, never
 * resolves a name. IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) are checked as the IPv4 address they carry.
 */
export function publicUrlReach(url: string): PublicUrlReach {
  let host: string
  try {
    host = new URL(url).hostname.toLowerCase()
  } catch {
    return { publicBaseUrl: url, reachable: false, reason: 'invalid' }
  }
  const bare = host.replace(/^\[|\]$/g, '').replace(/\.$/, '')
  const result = (reason: PublicUrlReach['reason']): PublicUrlReach => ({ publicBaseUrl: url, reachable: reason === null, reason })
  if (bare === 'localhost' || bare.endsWith('.localhost')) return result('localhost')
  if (bare.endsWith('.local') || bare === 'local') return result('private')
  const family = isIP(bare)
  if (family === 0) return result(bare.includes('.') ? null : 'private') // a single-label name only a local network resolves
  const type = family === 4 ? 'ipv4' : 'ipv6'
  if (LOOPBACK.check(bare, type)) return result('loopback')
  if (PRIVATE.check(bare, type)) return result('private')
  return result(null)
}

/** The start banner's warning line, or undefined when the URL is fine. */
export function publicUrlWarning(url: string): string | undefined {
  const reach = publicUrlReach(url)
  if (reach.reachable) return undefined
  const why = { localhost: 'names this machine', loopback: 'is a loopback address', private: 'is on a private network', invalid: 'is not a URL' }[reach.reason!]
  return (
    `WARNING: PUBLIC_BASE_URL ${url} ${why}: residents' phones cannot open the QR codes printed with it. ` +
    'Set PUBLIC_BASE_URL to the address the public reaches this server at (e.g. https://msj.example.gov.cn) before printing placards.'
  )
}

/**
 * The start banner's warning when the public address is https but TRUST_PROXY is off. This server speaks plain
 * HTTP, so https means a TLS proxy in front; without TRUST_PROXY every request looks like plain HTTP from the
 * proxy's address: no HSTS, and rate limits and audit rows see one client — on an intranet address too. Undefined
 * when that cannot be the case, or for this machine's own address (a local trial).
 */
export function trustProxyWarning(url: string, trustProxy: boolean): string | undefined {
  if (trustProxy || !url.startsWith('https://')) return undefined // the test app.ts uses for the https-only headers
  // This machine's own address: a local trial, warned about above. An intranet address behind a proxy still counts.
  const { reason } = publicUrlReach(url)
  if (reason === 'localhost' || reason === 'loopback' || reason === 'invalid') return undefined
  return (
    `WARNING: PUBLIC_BASE_URL ${url} is https but TRUST_PROXY is not set: behind the TLS proxy, HSTS is not sent and ` +
    "every request seems to come from the proxy's address (rate limits, audit log). Set TRUST_PROXY=true when a proxy you run forwards to this server (docs/DEPLOY.md)."
  )
}

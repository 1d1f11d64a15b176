import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify, type ECDH } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A browser's side of a subscription: a real P-256 key pair and auth secret, so payloads can be decrypted. */
export function browserKeys() {
  const ecdh = createECDH('prime256v1')
  ecdh.generateKeys()
  const auth = randomBytes(16)
  return { ecdh, auth, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } }
}

/** RFC 8291 (aes128gcm, one record): what the service worker would get from the encrypted body. */
export function decryptPush(body: Buffer, ecdh: ECDH, auth: Buffer): string {
  const salt = body.subarray(0, 16)
  const idLength = body[20]!
  const senderKey = body.subarray(21, 21 + idLength)
  const cipherText = body.subarray(21 + idLength)
  const shared = ecdh.computeSecret(senderKey)
  const info = Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), senderKey])
  const ikm = Buffer.from(hkdfSync('sha256', shared, auth, info, 32))
  const key = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16))
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12))
  const decipher = createDecipheriv('aes-128-gcm', key, nonce)
  decipher.setAuthTag(cipherText.subarray(-16))
  const plain = Buffer.concat([decipher.update(cipherText.subarray(0, -16)), decipher.final()])
  // Padding: a 0x02 delimiter (last record), then zeros.
  return plain.subarray(0, plain.lastIndexOf(2)).toString('utf8')
}

/** Checks `Authorization: vapid t=<JWT>, k=<public key>` (RFC 8292) and answers the JWT's claims. */
export function verifyVapid(header: string | undefined, publicKey: string): { aud: string; sub: string; exp: number } {
  const m = /^vapid t=([^,]+), k=(.+)$/.exec(header ?? '')
  if (!m || m[2] !== publicKey) throw new Error(`not a VAPID header for this key: ${header}`)
  const [head, claims, signature] = m[1]!.split('.')
  const point = Buffer.from(publicKey, 'base64url')
  const key = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    format: 'jwk',
  })
  const ok = verify('sha256', Buffer.from(`${head}.${claims}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature!, 'base64url'))
  if (!ok) throw new Error('VAPID signature does not verify')
  return JSON.parse(Buffer.from(claims!, 'base64url').toString('utf8'))
}

export interface ReceivedPush {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: Buffer
}

/**
 * Stands in for a browser vendor's push service on 127.0.0.1: records every request and answers by the first
 * path segment: /ok/… 201, /gone/… 410, /missing/… 404, /fail/… 500, /hang/… never.
 */
export async function startFakePushService() {
  const received: ReceivedPush[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ method: req.method!, path: req.url!, headers: req.headers, body: Buffer.concat(chunks) })
      const status = { ok: 201, gone: 410, missing: 404, fail: 500 }[req.url!.split('/')[1]!]
      if (status) res.writeHead(status).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    received,
    close: () => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import webpush from 'web-push'
import { describe, expect, it } from 'vitest'
import { loadOrCreateSecrets } from '../src/config/secrets'

const dir = () => mkdtempSync(path.join(tmpdir(), 'msj-vapid-'))

describe('VAPID keys in DATA_DIR/secrets.json', () => {
  it('are generated on first start as a usable P-256 pair and kept across starts', () => {
    const dataDir = dir()
    const first = loadOrCreateSecrets(dataDir, {})
    expect(Buffer.from(first.vapidPublicKey, 'base64url')).toHaveLength(65)
    expect(Buffer.from(first.vapidPrivateKey, 'base64url')).toHaveLength(32)
    // web-push accepts them for signing (it validates both keys).
    expect(() => webpush.getVapidHeaders('https://push.example.net', 'mailto:a@b.c', first.vapidPublicKey, first.vapidPrivateKey, 'aes128gcm')).not.toThrow()
    expect(loadOrCreateSecrets(dataDir, {})).toEqual(first)
  })

  it('are added to a secrets file written before they existed, keeping what it had', () => {
    const dataDir = dir()
    const file = path.join(dataDir, 'secrets.json')
    const old = { jwtSecret: 'j'.repeat(64), piiKey: Buffer.alloc(32, 1).toString('base64'), createdAt: '2026-01-01T00:00:00.000Z' }
    writeFileSync(file, JSON.stringify(old), { mode: 0o600 })
    const secrets = loadOrCreateSecrets(dataDir, {})
    expect(secrets).toMatchObject({ jwtSecret: old.jwtSecret, piiKey: old.piiKey, vapidPublicKey: expect.any(String), vapidPrivateKey: expect.any(String) })
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ ...old, vapidPublicKey: secrets.vapidPublicKey, vapidPrivateKey: secrets.vapidPrivateKey })
    expect(loadOrCreateSecrets(dataDir, {})).toEqual(secrets)
  })
})

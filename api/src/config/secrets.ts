import { randomBytes } from 'node:crypto'
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import webpush from 'web-push'
import type { Secrets } from './config-schema'
import { StartupError } from './startup-error'

const FILE = 'secrets.json'

/**
 * Secrets not given in the environment are generated on first start and kept in DATA_DIR/secrets.json
 * (mode 0600), so a restart keeps sessions and can still decrypt stored phone numbers. Never committed:
 * DATA_DIR is git-ignored. A file written by an older version gains the keys it lacks; the ones it has are kept.
 */
export function loadOrCreateSecrets(dataDir: string, fromEnv: Partial<Secrets>): Secrets {
  const file = path.join(dataDir, FILE)
  let stored: Partial<Secrets> & { createdAt?: string } = {}
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StartupError(`${file} is unreadable (${(err as Error).message}); fix or remove it`)
    }
  }
  // The two VAPID halves only work together: regenerate both if either is missing. Doing so orphans existing
  // browser subscriptions (they are bound to the old public key); clients subscribe again on next start.
  const vapid =
    stored.vapidPublicKey && stored.vapidPrivateKey ? { publicKey: stored.vapidPublicKey, privateKey: stored.vapidPrivateKey } : webpush.generateVAPIDKeys()
  const secrets: Secrets = {
    jwtSecret: stored.jwtSecret ?? randomBytes(48).toString('base64url'),
    piiKey: stored.piiKey ?? randomBytes(32).toString('base64'),
    vapidPublicKey: vapid.publicKey,
    vapidPrivateKey: vapid.privateKey,
  }
  if (!stored.jwtSecret || !stored.piiKey || !stored.vapidPublicKey || !stored.vapidPrivateKey) {
    const createdAt = stored.createdAt ?? new Date().toISOString()
    const content = JSON.stringify({ ...stored, ...secrets, createdAt }, null, 2)
    if (Object.keys(stored).length > 0) writeFileSync(file, content, { mode: 0o600 })
    // First start: several processes sharing DATA_DIR may start at once. Each writes a whole file under its own
    // name and links it into place; link() fails if the file exists, so exactly one set of keys wins and the
    // others read it (never a half-written file) — otherwise phones encrypted by a loser would be unreadable.
    else if (!publishFirst(file, content)) return loadOrCreateSecrets(dataDir, fromEnv)
  }
  const envVapid = fromEnv.vapidPublicKey && fromEnv.vapidPrivateKey
  return {
    jwtSecret: fromEnv.jwtSecret ?? secrets.jwtSecret,
    piiKey: fromEnv.piiKey ?? secrets.piiKey,
    vapidPublicKey: envVapid ? fromEnv.vapidPublicKey! : secrets.vapidPublicKey,
    vapidPrivateKey: envVapid ? fromEnv.vapidPrivateKey! : secrets.vapidPrivateKey,
  }
}

/** Writes `content` to `file` only if no file is there yet, atomically; false when another process was first. */
function publishFirst(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, content, { mode: 0o600 })
  try {
    linkSync(tmp, file)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  } finally {
    unlinkSync(tmp)
  }
}

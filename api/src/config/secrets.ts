import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Secrets } from './config-schema'
import { StartupError } from './startup-error'

const FILE = 'secrets.json'

/**
 * Secrets not given in the environment are generated on first start and kept in DATA_DIR/secrets.json
 * (mode 0600), so a restart keeps sessions and can still decrypt stored phone numbers. Never committed:
 * DATA_DIR is git-ignored.
 */
export function loadOrCreateSecrets(dataDir: string, fromEnv: Partial<Secrets>): Secrets {
  const file = path.join(dataDir, FILE)
  let stored: Partial<Secrets> = {}
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StartupError(`${file} is unreadable (${(err as Error).message}); fix or remove it`)
    }
  }
  const secrets: Secrets = {
    jwtSecret: stored.jwtSecret ?? randomBytes(48).toString('base64url'),
    piiKey: stored.piiKey ?? randomBytes(32).toString('base64'),
  }
  if (!stored.jwtSecret || !stored.piiKey) {
    writeFileSync(file, JSON.stringify({ ...secrets, createdAt: new Date().toISOString() }, null, 2), { mode: 0o600 })
  }
  return {
    jwtSecret: fromEnv.jwtSecret ?? secrets.jwtSecret,
    piiKey: fromEnv.piiKey ?? secrets.piiKey,
  }
}

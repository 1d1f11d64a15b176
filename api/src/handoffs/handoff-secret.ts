import { randomBytes } from 'node:crypto'
import { sha256 } from '../auth/tokens'
import type { PiiCipher } from '../privacy/pii-cipher'

/** A department link's secret: 192 random bits (≥ 128 as every token link), URL-safe, like residents' tracking secrets. */
export const HANDOFF_SECRET = /^[A-Za-z0-9_-]{32}$/

/** A new secret: the hash finds the hand-off, the ciphertext lets notices and the desk carry the link again. */
export function newHandoffSecret(cipher: PiiCipher): { secret: string; secretHash: string; secretEnc: string } {
  const secret = randomBytes(24).toString('base64url')
  return { secret, secretHash: sha256(secret), secretEnc: cipher.encrypt(secret) }
}

/** The hash a presented secret is looked up by; undefined for anything that cannot be a secret (no query then). */
export const handoffSecretHash = (presented: string): string | undefined => (HANDOFF_SECRET.test(presented) ? sha256(presented) : undefined)

/** The department's page for a secret. */
export const handoffLinkPath = (secret: string) => `/d/${secret}`

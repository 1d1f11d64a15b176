import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/**
 * Resident PII (phone numbers) is encrypted at rest with AES-256-GCM. Ciphertext format:
 * `v1.<base64url(iv ‖ tag ‖ ciphertext)>`; the version names the key so keys can rotate later.
 */
export interface PiiCipher {
  encrypt(plaintext: string): string
  decrypt(ciphertext: string): string
}

export function createPiiCipher(base64Key: string): PiiCipher {
  const key = Buffer.from(base64Key, 'base64')
  if (key.length !== 32) throw new Error('PII key must be 32 bytes')
  return {
    encrypt(plaintext) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`
    },
    decrypt(ciphertext) {
      const [version, payload] = ciphertext.split('.')
      if (version !== 'v1' || !payload) throw new Error('Unknown PII ciphertext version')
      const raw = Buffer.from(payload, 'base64url')
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12))
      decipher.setAuthTag(raw.subarray(12, 28))
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
    },
  }
}

/** `13812341234` → `138****1234`: what everyone but the assignee sees. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '')
  if (digits.length < 7) return '****'
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`
}

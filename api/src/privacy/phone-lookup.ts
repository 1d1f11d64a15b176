import { createHmac, hkdfSync } from 'node:crypto'
import { maskDepartmentPhone } from '@mashangjian/shared'
import { maskPhone, type PiiCipher } from './pii-cipher'

/**
 * Members' phones are stored encrypted (random IV: the same number never encrypts the same way), so they cannot
 * be looked up. A keyed hash can: HMAC-SHA256 of the normalised number under a key derived from the PII key with
 * HKDF. Without the key a hash cannot be brute-forced over the ~10^10 mobile numbers, unlike a plain SHA-256.
 */
export interface PhoneLookup {
  hash(normalisedPhone: string): string
  /** What a member row stores for a phone: ciphertext, lookup hash and the masked form shown to admins. */
  protect(normalisedPhone: string): { enc: string; hash: string; masked: string }
}

export function createPhoneLookup(base64PiiKey: string, cipher: PiiCipher): PhoneLookup {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(base64PiiKey, 'base64'), Buffer.alloc(0), 'mashangjian member-phone lookup v1', 32))
  const hash = (phone: string) => createHmac('sha256', key).update(phone).digest('base64url')
  return {
    hash,
    protect: (phone) => ({ enc: cipher.encrypt(phone), hash: hash(phone), masked: maskPhone(phone) }),
  }
}

/**
 * Residents' phones (cases and followers) get a keyed hash of their own: a separate HKDF info string, so a
 * resident's hash can never be matched against the member table (or the other way round) by comparing values.
 * Input is the number as normalised by the scan page (`normalizeMainlandMobile`), so every channel hashes alike.
 */
export function createResidentPhoneLookup(base64PiiKey: string, cipher: PiiCipher): PhoneLookup {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(base64PiiKey, 'base64'), Buffer.alloc(0), 'mashangjian resident-phone lookup v1', 32))
  const hash = (phone: string) => createHmac('sha256', key).update(phone).digest('base64url')
  return {
    hash,
    protect: (phone) => ({ enc: cipher.encrypt(phone), hash: hash(phone), masked: maskPhone(phone) }),
  }
}

/**
 * Department contacts' phones (mobile or landline, as normalised by `normalizeDepartmentPhone`): encrypted and
 * masked like members', with a keyed hash under their own HKDF info, never comparable with members' or residents'.
 */
export function createDepartmentPhoneLookup(base64PiiKey: string, cipher: PiiCipher): PhoneLookup {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(base64PiiKey, 'base64'), Buffer.alloc(0), 'mashangjian department-phone lookup v1', 32))
  const hash = (phone: string) => createHmac('sha256', key).update(phone).digest('base64url')
  return {
    hash,
    protect: (phone) => ({ enc: cipher.encrypt(phone), hash: hash(phone), masked: maskDepartmentPhone(phone) }),
  }
}

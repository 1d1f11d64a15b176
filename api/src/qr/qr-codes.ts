import { randomBytes } from 'node:crypto'

/** Crockford base32: no I, L, O, U, so a code read aloud or typed from a placard is unambiguous. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
export const QR_CODE_LENGTH = 10

/** 10 characters × 5 bits = 50 random bits: not guessable, not sequential. 32 divides 256, so `byte & 31` is uniform. */
export function newQrCode(): string {
  return [...randomBytes(QR_CODE_LENGTH)].map((b) => CROCKFORD[b & 31]).join('')
}

/** Residents may type a code by hand: accept lower case and the letters Crockford folds (O→0, I/L→1). */
export function normalizeQrCode(input: string): string {
  return input.toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1').replace(/-/g, '')
}

export const scanUrl = (publicBaseUrl: string, code: string) => `${publicBaseUrl}/q/${code}`
